"""Experiments: many runs give the same tables whatever executes them, an interrupted experiment
resumes without recomputing finished runs, a failing run is recorded and the others finish,
regimes on one seed face the same storms, bad experiment files are one-line errors, and
``compare`` and ``analyse`` report medians, bands, paired differences and sensitivity indices."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hsmobility.cli import main as experiment_main
from hsmobility.experiment import (
    load_experiment,
    plan,
    read_manifest,
    read_monthly,
    read_runs,
    run_experiment,
)
from hsmobility.experiment.compare import (
    cost_effectiveness,
    costs_by_lever,
    fmt_per_unit,
    read_comparison,
)
from hsmobility.experiment.ensemble import paired_differences
from hsmobility.experiment.spec import DEFAULT_OUTCOMES, ExperimentError

REPO = Path(__file__).resolve().parent.parent

#: tuvalu, two regimes x three seeds, three years: storms, displacement and moves, quickly
#: (seeds 1-3: on seeds 5-7 no storm displaced anyone since storms strike exposure points)
#: six short runs; seeds 8-10, of which 8 and 9 displace people within three years (Tuvalu's
#: hurricane share from IBTrACS, 0.27, leaves seeds 1-3 without displacement)
SMALL = """\
title = "executor check"
scenarios = ["tuvalu"]
regimes = ["status-quo", "adaptation-first"]
replicates = 3
seed = 8
years = 3
"""

#: ten short runs, slow enough with one worker to be killed part-way
RESUMABLE = """\
title = "resume check"
scenarios = ["tuvalu"]
regimes = ["status-quo", "adaptation-first"]
replicates = 5
seed = 11
years = 4
"""

#: a grid where one value is out of range, and a scenario whose storm hits no island of the
#: setting: both kinds of run fail; the others finish
#: every value is valid on its own, but all-zero category weights break a check across fields
#: (at least one must be positive): that sample's runs fail inside the run, the others finish
FAILING = """\
title = "failure check"
regimes = ["status-quo", "expanded-quotas"]
replicates = 2
years = 2
scenarios = ["tuvalu"]

[sampler]
method = "grid"

[parameters]
"cyclones.category_weights" = { values = [[0.3, 0.25, 0.2, 0.15, 0.1], [0, 0, 0, 0, 0]] }
"""

#: a scenario file naming an island that does not exist: refused when the experiment is loaded
ATLANTIS = """\
setting = "tuvalu"
stochastic_cyclones = false
events = [{ date = "2025-02", category = 4, island = "Atlantis" }]
"""

#: a small Sobol' design: 2 parameters, N = 8 -> 32 samples, one seed, two years
SOBOL = """\
title = "sobol check"
scenarios = ["tuvalu"]
replicates = 1
seed = 3
years = 2
outcomes = ["displaced_person_months", "moves_abroad", "trapped_share"]

[sampler]
method = "sobol"
n = 8
seed = 7

[parameters]
"decisions.move_inertia" = { low = 1.0, high = 3.0 }
cyclone_intensity_shift = { low = 0.0, high = 0.5 }
"""


def experiment_command(*args: object) -> list[str]:
    return [sys.executable, "-m", "hsmobility", *map(str, args)]


def run_command(*args: object, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "random"}
    return subprocess.run(
        experiment_command(*args),
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def sorted_frame(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return df.sort_values(keys).reset_index(drop=True)


# ------------------------------------------------------------------------- executors
@pytest.fixture(scope="module")
def by_executor(tmp_path_factory) -> dict[str, Path]:
    """The small experiment on 1 and 2 local processes and on a 2-worker Dask cluster."""
    from dask.distributed import LocalCluster

    folder = tmp_path_factory.mktemp("executors")
    exp = load_experiment(write(folder, "small.toml", SMALL))
    outs = {name: folder / name for name in ("local-1", "local-2", "dask-2")}
    run_experiment(exp, outs["local-1"], executor="local", workers=1, progress=False)
    run_experiment(exp, outs["local-2"], executor="local", workers=2, progress=False)
    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # HTTP routes on a free local port
    ) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        run_experiment(
            exp, outs["dask-2"], executor="dask", address=cluster.scheduler_address, progress=False
        )
    return outs


def test_every_executor_gives_identical_runs_and_monthly_tables(by_executor):
    runs = {k: read_runs(v) for k, v in by_executor.items()}
    monthly = {k: read_monthly(v) for k, v in by_executor.items()}
    ref = runs["local-1"]
    assert len(ref) == 6 and (ref["status"] == "ok").all()
    assert ref["cyclones"].sum() > 0 and ref["displaced_person_months"].sum() > 0
    assert len(monthly["local-1"]) == 6 * 36
    for name in ("local-2", "dask-2"):
        pd.testing.assert_frame_equal(sorted_frame(runs[name], ["run_id"]), ref)
        pd.testing.assert_frame_equal(
            sorted_frame(monthly[name], ["run_id", "step"]), monthly["local-1"]
        )


def test_parquet_files_are_written_byte_for_byte_the_same(by_executor):
    def digests(out: Path) -> dict[str, str]:
        return {
            str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("runs", "monthly")
            for p in sorted((out / sub).glob("*.parquet"))
        }

    ref = digests(by_executor["local-1"])
    assert len(ref) == 12
    assert digests(by_executor["local-2"]) == ref
    assert digests(by_executor["dask-2"]) == ref


def test_regimes_on_one_seed_face_the_same_hazards(by_executor):
    runs = read_runs(by_executor["local-2"])
    per_seed = runs.groupby("seed")["hazard_fingerprint"]
    assert (per_seed.nunique() == 1).all()
    assert runs.groupby("seed")["regime"].nunique().eq(2).all()
    assert runs["hazard_fingerprint"].nunique() == 3  # another seed, other storms


def test_runs_table_holds_coordinates_status_and_a_flat_summary(by_executor):
    runs = read_runs(by_executor["local-1"])
    for col in ("run_id", "scenario", "setting", "ssp", "years", "scale", "regime", "seed"):
        assert col in runs
    assert {"status", "error", *DEFAULT_OUTCOMES, "hazard_fingerprint"} <= set(runs)
    assert any(c.startswith("moves_by_pathway.") for c in runs)
    assert any(c.startswith("trapped_share_by_group.") for c in runs)
    assert not any(isinstance(v, dict | list) for v in runs.iloc[0].to_numpy())
    assert runs["run_id"].is_unique and runs["run_id"].is_monotonic_increasing
    assert sorted(runs["seed"].unique()) == [8, 9, 10]


def test_manifest_records_versions_file_hash_seeds_and_progress(by_executor, tmp_path):
    manifest = read_manifest(by_executor["local-2"])
    path = Path(manifest["experiment"]["source"])
    assert manifest["experiment"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    for pkg in ("hsmobility", "mesa", "numpy", "pandas", "pyarrow", "dask", "SALib"):
        assert manifest["versions"][pkg]
    assert manifest["seeds"] == [8, 9, 10]
    assert manifest["state"] == "complete" and manifest["runs_ok"] == 6
    assert manifest["skipped"] == []


def test_run_ids_are_stable_and_unique(tmp_path):
    path = write(tmp_path, "small.toml", SMALL)
    first = [r.run_id for r in plan(load_experiment(path))[0]]
    again = [r.run_id for r in plan(load_experiment(path))[0]]
    assert first == again and len(set(first)) == len(first) == 6


def test_a_regime_that_changes_nothing_for_a_setting_is_skipped_with_a_note(tmp_path):
    path = write(
        tmp_path,
        "marshall.toml",
        'scenarios = ["marshall-islands"]\nregimes = ["status-quo", "free-movement"]\n',
    )
    runs, skipped = plan(load_experiment(path))
    assert {r.regime for r in runs} == {"status-quo"}
    assert [(s["scenario"], s["regime"]) for s in skipped] == [
        ("marshall-islands", "free-movement")
    ]
    assert "does not apply" in skipped[0]["note"]


# ------------------------------------------------------------------------------ resume
def test_an_experiment_killed_part_way_resumes_without_recomputing(tmp_path):
    path = write(tmp_path, "resume.toml", RESUMABLE)
    out = tmp_path / "out"
    args = ["experiment", path, "--out", out, "--workers", "1", "--no-progress"]
    proc = subprocess.Popen(
        experiment_command(*args),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    runs_dir = out / "runs"

    def stored() -> list[Path]:  # a run is stored once its runs/ file is in place
        return [p for p in runs_dir.glob("*.parquet") if not p.name.startswith(".")]

    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if runs_dir.is_dir() and len(stored()) >= 3:
                break
            time.sleep(0.01)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner and its workers, mid-run
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
    kept = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in stored()}
    assert 3 <= len(kept) < 10, "the experiment was not interrupted part-way"
    kept_monthly = {name: (out / "monthly" / name).stat().st_mtime_ns for name in kept}
    assert read_manifest(out)["state"] == "running"

    done = run_command(*args)
    assert done.returncode == 0, done.stderr
    assert f"{len(kept)} already stored, {10 - len(kept)} run now" in done.stdout
    for name, stamp in kept.items():
        p = runs_dir / name
        assert (p.stat().st_mtime_ns, p.stat().st_ino) == stamp, f"{name} was recomputed"
        assert (out / "monthly" / name).stat().st_mtime_ns == kept_monthly[name]
    assert not list(out.rglob(".tmp-*"))
    assert read_manifest(out)["state"] == "complete"

    reference = tmp_path / "uninterrupted"
    run_experiment(load_experiment(path), reference, executor="serial", progress=False)
    pd.testing.assert_frame_equal(read_runs(out), read_runs(reference))
    pd.testing.assert_frame_equal(read_monthly(out), read_monthly(reference))

    again = run_command(*args)
    assert "10 already stored, 0 run now" in again.stdout

    path.write_text(RESUMABLE.replace("years = 4", "years = 5"))
    other = run_command(*args)
    assert other.returncode == 2
    assert "holds results of another experiment" in other.stderr
    assert len(other.stderr.strip().splitlines()) == 1


# ----------------------------------------------------------------------------- failures
def test_a_failing_run_is_recorded_with_its_error_and_the_others_finish(tmp_path):
    exp = load_experiment(write(tmp_path, "failing.toml", FAILING))
    out = tmp_path / "out"
    done = run_experiment(exp, out, workers=2, progress=False)
    assert (done.planned, done.ok, done.failed) == (8, 4, 4)
    runs = read_runs(out)
    ok, failed = runs[runs["status"] == "ok"], runs[runs["status"] == "failed"]
    assert set(ok["sample"]) == {0} and set(failed["sample"]) == {1}
    assert failed["error"].str.contains("category_weights").all()
    assert failed["error"].str.contains("at least one weight must be positive").all()
    assert (ok["error"] == "").all() and failed["displaced_peak"].isna().all()
    assert set(read_monthly(out)["run_id"]) == set(ok["run_id"])

    retried = run_experiment(exp, out, workers=1, retry_failed=True, progress=False)
    assert (retried.already_stored, retried.ran, retried.failed) == (4, 4, 4)


@pytest.mark.parametrize(
    ("scenario", "parameter", "expected"),
    [
        ('file = "atlantis.toml"', '"recovery.repair_rate" = { values = [0.1] }', "Atlantis"),
        ('setting = "tuvalu"', '"recovery.repair_rate" = { values = [0.1, 1.5] }', "1.5"),
    ],
)
def test_a_bad_explicit_value_is_refused_when_the_experiment_is_loaded(
    tmp_path, scenario, parameter, expected
):
    write(tmp_path, "atlantis.toml", ATLANTIS)
    text = f'[[scenarios]]\n{scenario}\n[sampler]\nmethod = "grid"\n[parameters]\n{parameter}\n'
    with pytest.raises(ExperimentError, match=expected):
        load_experiment(write(tmp_path, "bad.toml", text))


# ------------------------------------------------------------------- bad experiment files
BAD_FILES = {
    "malformed": ('title = "x\nscenarios = [', ["not valid TOML"]),
    "unknown-field": ('scenarios = ["tuvalu"]\nreplicate = 3\n', ["replicate: unknown field"]),
    "unknown-sampler": (
        'scenarios = ["tuvalu"]\n[sampler]\nmethod = "halton"\n',
        ["sampler.method", "halton"],
    ),
    "unknown-setting": ('scenarios = ["atlantis"]\n', ["scenarios[0].setting", "atlantis"]),
    "unknown-regime": (
        'scenarios = ["tuvalu"]\nregimes = ["status-quo", "open-borders"]\n',
        ["regimes[1]", "open-borders"],
    ),
    "unknown-parameter": (
        'scenarios = ["tuvalu"]\n[sampler]\nmethod = "latin"\nn = 4\n'
        '[parameters]\n"decisions.beta_riks" = { low = 1, high = 2 }\n',
        ["parameters.decisions.beta_riks", "unknown parameter"],
    ),
    "range-reversed": (
        'scenarios = ["tuvalu"]\n[sampler]\nmethod = "latin"\nn = 4\n'
        '[parameters]\n"decisions.move_inertia" = { low = 3, high = 1 }\n',
        ["parameters.decisions.move_inertia", "bad range"],
    ),
    "range-out-of-bounds": (
        'scenarios = ["tuvalu"]\n[sampler]\nmethod = "sobol"\nn = 8\n'
        '[parameters]\n"recovery.repair_rate" = { low = 0.1, high = 1.5 }\n',
        ["parameters.recovery.repair_rate", "bad range", "high = 1.5"],
    ),
    "sobol-not-power-of-two": (
        'scenarios = ["tuvalu"]\n[sampler]\nmethod = "sobol"\nn = 10\n'
        '[parameters]\n"decisions.move_inertia" = { low = 1, high = 3 }\n',
        ["sampler.n", "power of two"],
    ),
}


@pytest.fixture(scope="module")
def bad_file_results(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    folder = tmp_path_factory.mktemp("bad-files")
    jobs = {}
    for name, (text, _) in BAD_FILES.items():
        path = write(folder, f"{name}.toml", text)
        jobs[name] = (path, ["experiment", path, "--out", folder / f"out-{name}"])
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(run_command, *args) for name, (_, args) in jobs.items()}
        return {name: (jobs[name][0], fut.result()) for name, fut in futures.items()}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_experiment_file_is_a_one_line_error_naming_file_and_field(case, bad_file_results):
    path, done = bad_file_results[case]
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("hsmobility: error: ")
    assert str(path) in lines[0]
    for text in BAD_FILES[case][1]:
        assert text in lines[0]
    assert not (path.parent / f"out-{case}").exists()


def test_a_missing_file_is_an_error_too(tmp_path):
    with pytest.raises(ExperimentError, match="file not found"):
        load_experiment(tmp_path / "nowhere.toml")


# ------------------------------------------------------------------------------ compare
@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp_path_factory.mktemp("compare") / "tuvalu"
    done = run_command(
        "compare", "tuvalu", "--regimes", "status-quo,adaptation-first", "--replicates", 3,
        "--years", 3, "--out", out, "--workers", 2, "--no-progress",
    )  # fmt: skip
    return out, done


def test_compare_prints_a_table_per_indicator_with_bands_and_paired_differences(compared):
    out, done = compared
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for indicator in DEFAULT_OUTCOMES:
        assert f"({indicator})" in text
    assert text.count("diff vs status-quo: median") == len(DEFAULT_OUTCOMES)
    assert text.count("(baseline)") == len(DEFAULT_OUTCOMES)
    block = text.split("(displaced_person_months)")[1].split("\n\n")[0]
    assert "median" in block and "5%" in block and "95%" in block
    assert "adaptation-first" in block
    assert f"report: {out / 'report.md'}" in text


def test_compare_uses_common_seeds_and_reports_per_seed_differences(compared):
    out, _ = compared
    runs = read_runs(out)
    assert len(runs) == 6
    seeds = runs.groupby("regime")["seed"].apply(sorted)
    assert seeds["status-quo"] == seeds["adaptation-first"] == [0, 1, 2]
    diffs = pd.read_csv(out / "differences.csv")
    base = runs[runs["regime"] == "status-quo"].set_index("seed")
    other = runs[runs["regime"] == "adaptation-first"].set_index("seed")
    per_seed = other["displaced_person_months"] - base["displaced_person_months"]
    row = diffs[diffs["outcome"] == "displaced_person_months"].iloc[0]
    assert row["median"] == pytest.approx(float(np.median(per_seed)))
    assert row["p05"] == pytest.approx(float(np.quantile(per_seed, 0.05)))
    assert row["p95"] == pytest.approx(float(np.quantile(per_seed, 0.95)))


def test_compare_writes_a_report_with_figures(compared):
    out, _ = compared
    report = (out / "report.md").read_text()
    pngs = [out / "indicators.png", out / "differences.png"]
    for png in pngs:
        assert f"({png.name})" in report
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    assert "| regime | runs | median | 5% | 95% |" in report
    assert "seeds: 0..2, the same for every regime" in report


# ------------------------------------------------------------------------------ analyse
def test_analyse_reports_sobol_indices_with_confidence_intervals(tmp_path, capsys):
    exp = load_experiment(write(tmp_path, "sobol.toml", SOBOL))
    out = tmp_path / "out"
    done = run_experiment(exp, out, workers=2, progress=False)
    assert done.planned == 8 * (2 + 2)
    assert done.failed == 0, read_runs(out)["error"].iloc[0]
    assert experiment_main(["analyse", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Sobol' indices" in printed and "decisions.move_inertia" in printed
    sens = pd.read_csv(out / "analysis" / "sensitivity.csv")
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(sens)
    assert set(sens["parameter"]) == {"decisions.move_inertia", "cyclone_intensity_shift"}
    assert (sens["ST_conf"] >= 0).all()
    figure = out / "analysis" / "sensitivity-tuvalu-status-quo.png"
    assert figure.read_bytes()[:4] == b"\x89PNG"
    ensemble = pd.read_csv(out / "analysis" / "ensemble.csv")
    assert set(ensemble["outcome"]) == set(exp.outcomes)
    assert (ensemble["n"] == 32).all()
    manifest = json.loads((out / "manifest.json").read_text())
    assert np.asarray(manifest["sample_matrix"]).shape == (32, 2)


def test_compare_reports_each_levers_cost_and_the_cost_per_outcome_avoided(compared):
    out, done = compared
    runs = read_runs(out)
    # the trapped analogue of person-months is the monthly count summed over the run
    monthly = read_monthly(out, columns=["households_trapped"])
    summed = monthly.groupby("run_id")["households_trapped"].sum()
    assert (runs.set_index("run_id")["trapped_household_months"] == summed).all()
    levers = costs_by_lever(runs, ["status-quo", "adaptation-first"])
    lever_columns = [c for c in runs.columns if c.startswith("public_cost_by_lever.")]
    assert len(levers.columns) == len(lever_columns) == 8
    for regime in levers.index:
        mine = runs[runs["regime"] == regime]
        for lever in levers.columns:
            assert levers.loc[regime, lever] == mine[f"public_cost_by_lever.{lever}"].median()
    # retrofits act only under adaptation-first, and are paid only there
    assert levers.loc["status-quo", "resilient_housing"] == 0
    assert levers.loc["adaptation-first", "resilient_housing"] > 0
    report = (out / "report.md").read_text()
    section = report.split("## Public cost and cost-effectiveness")[1]
    assert "| regime | " + " | ".join(levers.columns) + " | total |" in section
    for words in ("displaced person-month", "trapped household-month", "death"):
        assert f"US$ per {words} avoided" in section
    assert "\n| adaptation-first | " in section.split("Cost-effectiveness")[1]
    assert "public cost and cost-effectiveness" in done.stdout
    # each cost per unit avoided is the median extra cost over the median reduction
    tables, _ = read_comparison(out)
    effect = cost_effectiveness(runs, tables).set_index("regime").loc["adaptation-first"]
    for outcome in ("displaced_person_months", "trapped_household_months", "deaths_hazard"):
        both = ["status-quo", "adaptation-first"]
        diffs = paired_differences(runs, [outcome], "status-quo", regimes=both)
        avoided = -diffs.set_index("regime").loc["adaptation-first", "median"]
        per = effect[f"usd_per_{outcome}"]
        if avoided > 0:
            assert per == pytest.approx(effect["extra_cost_median"] / avoided)
        else:
            assert np.isnan(per)


def test_a_regime_that_avoids_harm_for_less_money_is_shown_as_saving_it() -> None:
    """A negative cost per unit avoided (extra cost below 0, harm avoided) would read as a price
    in the report and the app; it is shown in words (seen in the tenth session: free movement
    against the status quo in Tuvalu read "-1.18" US$ per displaced person-month avoided)."""
    assert fmt_per_unit(-1.18) == "saves money"
    assert fmt_per_unit(float("nan")) == "-"
    assert fmt_per_unit(15_363.4) == "15,363"
    assert fmt_per_unit(0.0) == "0"
