"""The app's logic without a browser: the compare tables as a pure function shared with the CLI,
the regime builder (fields from the lever models, the CLI's checks and messages, a saved file the
CLI runs), the results listing, the background comparison (progress, cancel, resume) and the
``hsmobility app`` command's refusals. The pages themselves are driven in ``tests/browser``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from hsmobility.app import builder
from hsmobility.app.figures import cost_table
from hsmobility.app.jobs import CompareJob, CompareRequest, stored_runs
from hsmobility.app.results import experiment_tables, find, list_results
from hsmobility.app.server import ASSET_PACKAGES, check_assets
from hsmobility.cli import apply_sets, build_parser, main
from hsmobility.config.levers import LEVER_NAMES, Levers
from hsmobility.config.regimes import build_regime, load_regime_file
from hsmobility.config.scenario import load_scenario, load_setting
from hsmobility.config.schemas import ScenarioError
from hsmobility.experiment.compare import (
    PANELS,
    comparison_tables,
    cost_effectiveness,
    read_comparison,
    run_compare,
)
from hsmobility.experiment.ensemble import paired_differences
from hsmobility.experiment.runner import run_experiment
from hsmobility.experiment.spec import load_experiment
from hsmobility.experiment.store import read_manifest, read_monthly, read_runs

REGIMES = ("status-quo", "free-movement", "adaptation-first")


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("app") / "compare"
    run_compare("tuvalu", REGIMES, replicates=3, years=3, out=out, executor="serial")
    return out


# ------------------------------------------------------------------------ compare tables
def test_the_compare_tables_are_a_pure_function_of_the_runs(compared: Path) -> None:
    runs = read_runs(compared)
    monthly = read_monthly(compared, columns=[*(c for c, _, _ in PANELS), "year", "month"])
    manifest = read_manifest(compared)
    before = (runs.copy(), monthly.copy())
    first = comparison_tables(runs, monthly, manifest)
    again = comparison_tables(runs, monthly, manifest)
    pd.testing.assert_frame_equal(runs, before[0])
    pd.testing.assert_frame_equal(monthly, before[1])
    for name in ("bands", "differences", "over_time"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(again, name))
    # the CLI wrote the very same tables
    for name, csv in (("bands", "bands.csv"), ("differences", "differences.csv")):
        assert getattr(first, name).to_csv(index=False) == (compared / csv).read_text()


def test_another_baseline_gives_the_same_differences_seen_from_the_other_side(
    compared: Path,
) -> None:
    a, _ = read_comparison(compared)
    b, _ = read_comparison(compared, baseline="free-movement")
    assert a.baseline == "status-quo" and b.baseline == "free-movement"
    pd.testing.assert_frame_equal(a.bands, b.bands)
    ab = a.differences[a.differences["regime"] == "free-movement"].set_index("outcome")
    ba = b.differences[b.differences["regime"] == "status-quo"].set_index("outcome")
    assert (ab["median"] + ba["median"]).abs().max() < 1e-9
    assert (ab["p05"] + ba["p95"]).abs().max() < 1e-9
    with pytest.raises(ScenarioError, match="baseline 'other' is not one of the regimes"):
        read_comparison(compared, baseline="other")


# ------------------------------------------------------------------------ regime builder
def test_the_builder_has_a_control_for_every_lever_parameter_with_its_bounds() -> None:
    fields = {f.key: f for f in builder.lever_fields()}
    expected = {
        f"{lever}.{p}" for lever in LEVER_NAMES for p in type(getattr(Levers(), lever)).model_fields
    }
    assert set(fields) == expected
    assert fields["adaptation.protection_share"].bounds() == "0 to 1"
    assert fields["humanitarian.open_months"].kind == "int"
    assert fields["humanitarian.open_months"].bounds() == "1 to 120"
    assert fields["protection.parametric_trigger_ms"].bounds() == "more than 0, at most 150"
    assert fields["ballots.no_upper_age"].kind == "bool"
    assert fields["free_movement.destinations"].kind == "list"
    assert fields["ballots.quota_multiplier"].help == "multiplies every ballot's annual places"


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("ballots.quota_multiplier", "abc"),
        ("adaptation.protection_share", "1.5"),
        ("humanitarian.open_months", "0"),
        ("humanitarian.open_months", "2.5"),
    ],
)
def test_the_builder_refuses_what_the_cli_refuses_with_the_same_message(
    key: str, typed: str
) -> None:
    error = builder.check("status-quo", "tuvalu", {key: typed}).error
    assert error and key in error
    with pytest.raises(ScenarioError) as cli:
        apply_sets(load_scenario("tuvalu"), [f"{key}={typed}"])
    assert error.replace("(with regime builder)", "(with --set)") == str(cli.value)


def test_the_builder_keeps_only_values_that_change_something() -> None:
    checked = builder.check(
        "status-quo", "tuvalu", {"ballots.quota_multiplier": "1", "ballots.no_upper_age": True}
    )
    assert checked.error == "" and checked.overrides == {"ballots.no_upper_age": True}


def test_a_saved_regime_gives_the_same_levers_through_the_cli_functions(tmp_path: Path) -> None:
    typed = {
        "ballots.quota_multiplier": "3",
        "humanitarian.enabled": True,
        "humanitarian.destinations": "New Zealand, Australia",
        "humanitarian.open_months": "18",
        "adaptation.protection_islands": "*",
        "adaptation.protection_share": "0.4",
    }
    path = builder.save(
        tmp_path, "my-regime", "More places, visas after storms", "a test", "adaptation-first",
        "tuvalu", typed,
    )  # fmt: skip
    assert path == tmp_path / "my-regime.toml"
    data = tomllib.loads(path.read_text())
    assert data["title"] == "More places, visas after storms"
    assert data["levers"]["humanitarian"]["destinations"] == ["New Zealand", "Australia"]
    saved = build_regime(str(path), load_setting("tuvalu"))
    assert saved.levers == builder.check("adaptation-first", "tuvalu", typed).regime.levers
    assert saved.levers.humanitarian.open_months == 18
    assert load_regime_file(str(path)).description == "a test"
    # and on another setting it applies on top of that setting's own status quo
    fiji = build_regime(str(path), load_setting("fiji"))
    assert fiji.levers.ballots.quota_multiplier == 3


def test_the_cli_runs_a_saved_regime_file(tmp_path: Path) -> None:
    path = builder.save(
        tmp_path, "triple", "Three times the places", "", "status-quo", "tuvalu",
        {"ballots.quota_multiplier": "3"},
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "hsmobility", "run", "tuvalu", "--regime", str(path),
         "--years", "1", "--json", "--out", str(tmp_path / "run")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_saving_refuses_bad_names_titles_and_values_and_writes_nothing(tmp_path: Path) -> None:
    cases = [
        ("status-quo", "t", {}, "is a built-in regime"),
        ("Bad Name", "t", {}, "lower-case letters"),
        ("fine", " ", {}, "title"),
        ("fine", "t", {"adaptation.protection_share": "2"}, "less than or equal to 1"),
    ]
    for name, title, typed, message in cases:
        with pytest.raises(ScenarioError, match=message):
            builder.save(tmp_path, name, title, "", "status-quo", "tuvalu", typed)
    assert list(tmp_path.iterdir()) == []


def test_a_missing_regime_file_is_one_line() -> None:
    with pytest.raises(ScenarioError, match=r"^regime nowhere/x\.toml: file not found; expected"):
        load_regime_file("nowhere/x.toml")


# -------------------------------------------------------------------------------- results
def test_the_results_page_lists_only_experiment_folders_under_the_results_folder(
    compared: Path, tmp_path: Path
) -> None:
    root = tmp_path / "results"
    root.mkdir()
    (root / "a-comparison").symlink_to(compared)  # a link could lead anywhere: not listed
    (root / "notes").mkdir()
    (root / "file.txt").write_text("x")
    copy = root / "compare-copy"
    subprocess.run(["cp", "-r", str(compared), str(copy)], check=True)
    listed = list_results(root)
    assert [f.name for f in listed] == ["compare-copy"]
    assert listed[0].is_comparison and listed[0].regimes == list(REGIMES)
    assert find(root, "compare-copy") is not None
    for name in ("../", "..", str(compared), "notes", "a-comparison"):
        assert find(root, name) is None


# -------------------------------------------------------------------- background compare
def test_a_comparison_job_refuses_bad_requests_with_the_cli_message(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="--regimes: unknown regime 'nope'"):
        CompareJob(CompareRequest("tuvalu", ("status-quo", "nope")), tmp_path)
    with pytest.raises(ScenarioError, match="unknown setting 'atlantis'"):
        CompareJob(CompareRequest("atlantis", ("status-quo", "free-movement")), tmp_path)


def test_only_the_root_route_names_the_layout() -> None:
    """Solara wraps every page in the root route's layout; a route naming it too nested a second
    Layout (and its app bar's elements) in every page but Compare. The Regime builder's route is
    the title only: the page itself is kept mounted by the Layout once visited."""
    from hsmobility.app import pages

    assert [r.layout for r in pages.routes] == [pages.Layout, None, None, None]
    assert [r.path for r in pages.routes] == ["/", pages.BUILDER_PATH, "results", "live"]
    assert pages.routes[1].component is pages.BuilderRoute


#: run as ``python -c``: SIGINT ignored as the app may pass it down, then ``python -m hsmobility``
#: with a stand-in for ``hsmobility.cli`` whose import exits 0 only if SIGINT interrupts by then
_SIGINT_AT_IMPORT = """
import importlib.abc, importlib.util, runpy, signal, sys
signal.signal(signal.SIGINT, signal.SIG_IGN)
class Probe(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, name, path=None, target=None):
        if name == "hsmobility.cli":
            return importlib.util.spec_from_loader(name, self)
    def create_module(self, spec):
        return None
    def exec_module(self, module):
        restored = signal.getsignal(signal.SIGINT) is signal.default_int_handler
        sys.exit(0 if restored else 3)
sys.meta_path.insert(0, Probe())
runpy.run_module("hsmobility", run_name="__main__")
"""


@pytest.mark.parametrize(("asked", "code"), [("1", 0), ("", 3)])
def test_python_m_hsmobility_restores_sigint_before_it_imports_the_model(
    asked: str, code: int
) -> None:
    """The app's job (``python -m hsmobility compare``) makes SIGINT interrupt it before it
    imports the command line and the model, when asked (the runner's environment variable): at
    nice 19 on a busy machine the imports took long, and a cancel sent meanwhile was ignored and
    the comparison ran to its end (CI, twelfth session). Not asked, SIGINT stays as inherited."""
    from hsmobility.experiment.runner import INTERRUPTIBLE_ENV

    env = {**os.environ, INTERRUPTIBLE_ENV: asked}
    run = subprocess.run([sys.executable, "-c", _SIGINT_AT_IMPORT], env=env, check=False)
    assert run.returncode == code


def test_a_cancelled_comparison_stops_and_resumes_to_the_same_numbers(tmp_path: Path) -> None:
    request = CompareRequest("tuvalu", ("status-quo", "free-movement"), replicates=30, years=1)
    # started as from an app that ignores SIGINT (a shell's background job without job control
    # passes SIG_IGN down): the cancel must still stop it (it ran to its end before)
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        job = CompareJob(request, tmp_path).start()
    finally:
        signal.signal(signal.SIGINT, before)
    assert job.planned == 60 and job.running
    # its own process group (a cancel reaches its workers), in the server's session: on Linux a
    # new session is a new scheduler autogroup, where its nice 19 would not yield to the pages
    pid = job._proc.pid if job._proc else 0
    assert os.getpgid(pid) == pid and os.getsid(pid) == os.getsid(0)
    assert os.getpriority(os.PRIO_PROCESS, pid) == 19
    # two runs stored: the runner is at work (a cancel before it starts leaves no manifest);
    # at nice 19 beside other work this may take minutes
    deadline = time.perf_counter() + 600
    while job.done() < 2 and time.perf_counter() < deadline:
        time.sleep(0.2)
    assert job.done() >= 2, "the comparison stored no two runs in 600 s"
    job.cancel()
    # nice 19: on a busy machine the interrupted runner may take a while to write its manifest
    assert job.wait(180) and job.cancelled and not job.ok and job.error() == ""
    assert read_manifest(job.out)["state"] == "interrupted"
    kept = stored_runs(job.out)
    assert 2 <= kept < 60

    again = CompareJob(request, tmp_path).start()
    assert again.out == job.out
    assert again.wait(300) and again.ok and again.done() == 60
    resumed, _ = read_comparison(job.out)
    fresh = run_compare(
        "tuvalu", request.regimes, 30, years=1, out=tmp_path / "fresh", executor="serial"
    )
    pd.testing.assert_frame_equal(resumed.bands, fresh.bands)
    pd.testing.assert_frame_equal(resumed.differences, fresh.differences)


# ------------------------------------------------------------------------- the command
def test_hsmobility_app_takes_host_port_and_results() -> None:
    args = build_parser().parse_args(["app"])
    assert (args.host, args.port, args.results) == ("127.0.0.1", 8765, None)
    args = build_parser().parse_args(["app", "--port", "9000", "--results", "out"])
    assert (args.port, args.results) == (9000, "out")


def test_hsmobility_app_without_its_assets_says_what_to_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HSMOBILITY_APP_ASSETS", str(tmp_path))
    assert main(["app", "--port", "0"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "run `make app-assets`" in err
    with pytest.raises(ScenarioError, match=ASSET_PACKAGES[0]):
        check_assets(tmp_path)
    monkeypatch.setenv("HSMOBILITY_APP_ASSETS", str(tmp_path))
    assert main(["app", "--port", "70000"]) == 2


def test_costs_and_cost_effectiveness_come_from_the_paired_runs(compared: Path) -> None:
    tables, _ = read_comparison(compared)
    runs = read_runs(compared)
    costs = cost_effectiveness(runs, tables)
    assert list(costs["regime"]) == list(REGIMES)
    base = costs.set_index("regime").loc["status-quo"]
    assert base["extra_cost_median"] == 0
    for regime in REGIMES[1:]:
        row = costs.set_index("regime").loc[regime]
        per = row["usd_per_displaced_person_months"]
        avoided = (
            -paired_differences(
                runs, ["displaced_person_months"], "status-quo", regimes=list(REGIMES)
            )
            .set_index("regime")
            .loc[regime, "median"]
        )
        if avoided > 0:
            assert per == pytest.approx(row["extra_cost_median"] / avoided)
        else:
            assert pd.isna(per)
    money = cost_table(costs, tables.baseline)
    if (costs["cost_median"] > 0).any():
        assert list(money["regime"]) == list(REGIMES)
        assert money.iloc[0, 2] == "(baseline)"


def test_the_results_page_summarises_an_experiment_with_its_sensitivity_indices(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "tiny-morris.toml"
    spec.write_text(
        'title = "tiny Morris"\nscenarios = ["tuvalu"]\nregimes = ["status-quo"]\n'
        "replicates = 1\nyears = 1\n"
        '[sampler]\nmethod = "morris"\nn = 2\nlevels = 4\nseed = 1\n'
        "[parameters]\n"
        '"decisions.beta_risk" = { low = 0.8, high = 2.4 }\n'
        '"recovery.repair_rate" = { low = 0.05, high = 0.20 }\n'
    )
    root = tmp_path / "results"
    exp = load_experiment(spec)
    run_experiment(exp, root / "tiny", executor="serial", progress=False, log=lambda _: None)
    (folder,) = list_results(root)
    assert not folder.is_comparison
    table, sens, notes = experiment_tables(folder)
    assert list(table.columns[:2]) == ["scenario", "regime"] and len(table) == 1
    assert "moves_abroad" in table.columns
    assert set(sens["parameter"]) == {"decisions.beta_risk", "recovery.repair_rate"} or notes
