"""The bench machinery on a tiny size (not a timed test): JSON keys, synthetic settings, and the
per-agent Mesa reference makes the same decisions as the vectorised rule."""

from __future__ import annotations

import json

import pytest

from hsmobility.bench.measure import model_factory, run_bench
from hsmobility.bench.synthetic import synthetic_setting
from hsmobility.cli import main

KEYS = {
    "households_months_per_s",
    "bytes_per_household",
    "indicators_share",
    "reference_households_months_per_s",
    "speedup_vs_reference",
    "build_seconds",
    "sizes",
    "machine",
}


@pytest.fixture(scope="module")
def result() -> dict:
    return run_bench(sizes=(300, 600), months=4, repeats=1, reference_size=600, phases=True)


def test_json_keys_by_size(result: dict) -> None:
    assert not KEYS - set(result), KEYS - set(result)
    json.dumps(result)  # serialisable as it is
    for key in ("households_months_per_s", "bytes_per_household", "indicators_share"):
        assert set(result[key]) == {"300", "600"}, key
        assert all(v > 0 for v in result[key].values()), key
    assert all(0 < v < 1 for v in result["indicators_share"].values())
    assert result["sizes"]["600"]["household_months"] >= 4 * 550
    assert result["reference_households_months_per_s"] > 0
    assert result["speedup_vs_reference"] > 0
    assert "decide_moves" in result["phase_share"]["600"]
    assert all(0 < v < 1 for v in result["agents_share"].values())


def test_reference_and_vectorised_models_make_the_same_decisions(result: dict) -> None:
    ref = result["reference"]
    assert ref["households"] > 500
    assert ref["agree"] == ref["households"]
    assert ref["aspiring"] > 0 and ref["choosing_to_act"] > 0  # the month exercises the rule


def test_synthetic_setting_has_the_size_asked_and_storms_that_strike() -> None:
    setting = synthetic_setting(1000, islands=5)
    assert len(setting.islands) == 5
    model = model_factory(setting)()
    assert abs(model.households.n - 1000) <= 5
    model.run()
    df = model.monthly()
    assert df["displaced_new"].sum() > 0
    assert (df["cyclone_category"] >= 4).any()


def test_cli_bench_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["bench", "--json", "--sizes", "200", "--months", "2", "--repeats", "1",
                 "--reference-size", "0"])  # fmt: skip
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out["households_months_per_s"]) == {"200"}
    assert "speedup_vs_reference" not in out
