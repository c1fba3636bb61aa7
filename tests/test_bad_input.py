"""Bad input, in process: every case the bad-input survey of issue 11 found is refused in one line
naming the file and the field, with exit code 2, no traceback, and nothing written.

Helpers here (``cli``, ``snapshot``, ``scenarios_copy``) are shared with the property-based suite
in ``test_bad_input_property.py``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from helpers import REPO

from hsmobility.cli import main
from hsmobility.config import scenario as scenario_module
from hsmobility.config.scenario import load_scenario
from hsmobility.config.schemas import ScenarioError, scenarios_dir

HEAVY = ("numpy", "pandas", "mesa", "scipy", "matplotlib", "pyarrow", "networkx", "dask", "SALib")


# ------------------------------------------------------------------------------------- helpers
def cli(*args: object) -> tuple[int, str, str]:
    """``hsmobility ARGS`` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder): to compare before/after."""
    if not folder.exists():
        return {}
    found: dict[str, bytes | None] = {}
    for root, dirs, files in os.walk(folder):
        for d in dirs:
            found[os.path.relpath(os.path.join(root, d), folder)] = None
        for f in files:
            path = os.path.join(root, f)
            found[os.path.relpath(path, folder)] = Path(path).read_bytes()
    return found


def assert_refused(result: tuple[int, str, str], *named: object) -> str:
    """Exit 2, one line on stderr in the common format naming each of ``named``, nothing on
    stdout, no traceback; returns the line."""
    code, out, err = result
    assert code == 2, f"exit code {code}; stderr: {err!r}"
    assert "Traceback" not in err, err
    assert err.startswith("hsmobility: error: ") and err.endswith("\n"), repr(err)
    assert err.count("\n") == 1, repr(err)
    assert out == "", repr(out)
    missing = [str(n) for n in named if str(n) not in err]
    assert not missing, f"the message does not name {missing}: {err}"
    return err.strip()


def earlier_results(folder: Path) -> dict[str, bytes | None]:
    """An --out folder holding earlier results (and a file of the user's); its snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "monthly.parquet").write_bytes(b"old table")
    (folder / "summary.json").write_text('{"old": true}\n')
    (folder / "notes.txt").write_text("mine\n")
    return snapshot(folder)


@pytest.fixture
def scenarios_copy(tmp_path, monkeypatch) -> Path:
    """A copy of ``scenarios/`` that HSMOBILITY_SCENARIOS points to, to break files in."""
    copy = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), copy)
    monkeypatch.setenv("HSMOBILITY_SCENARIOS", str(copy))
    return copy


def edit_setting(folder: Path, name: str, old: str, new: str) -> Path:
    path = folder / "settings" / f"{name}.toml"
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))
    return path


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


# ---------------------------------------------------------------- tracebacks (issue 11, 13)
def test_a_deeply_nested_toml_value_is_refused(tmp_path):
    path = write(tmp_path / "deep.toml", 'setting = "tuvalu"\nx = ' + "[" * 5000 + "]" * 5000)
    out = tmp_path / "out"
    assert_refused(cli("run", path, "--out", out), path, "nested")
    assert not out.exists()


def test_a_deeply_nested_set_value_is_refused(tmp_path):
    value = "[" * 5000 + "]" * 5000
    assert_refused(
        cli("run", "tuvalu", "--set", f"recovery.repair_rate={value}", "--out", tmp_path / "o"),
        "recovery.repair_rate",
    )


@pytest.mark.parametrize("value", ["inf", "1e308", "nan", "true", '"3"', "0.5", "-2"])
def test_a_setting_with_a_household_size_out_of_bounds_is_refused(scenarios_copy, tmp_path, value):
    path = edit_setting(
        scenarios_copy, "tuvalu", "household_size = ", f"household_size = {value} #"
    )
    assert_refused(cli("run", "tuvalu", "--out", tmp_path / "o"), path, "household_size")


def test_an_island_of_a_billion_people_is_refused_up_front(scenarios_copy, tmp_path):
    path = edit_setting(scenarios_copy, "tuvalu", "population = ", "population = 1000000000 #")
    line = assert_refused(cli("run", "tuvalu", "--out", tmp_path / "o"), path, "population")
    assert "10000000" in line


EXPERIMENT = """\
scenarios = [{{ setting = "tuvalu", years = 1{fixed} }}]
{more}
"""


@pytest.mark.parametrize(
    ("fixed", "more", "named"),
    [
        (', params = { "decisions.beta_income" = nan }', "", "decisions.beta_income"),
        (', params = { "decisions.beta_income" = inf }', "", "decisions.beta_income"),
        (', params = { "recovery.repair_rate" = true }', "", "recovery.repair_rate"),
        (', levers = { "ballots.quota_multiplier" = -inf }', "", "ballots.quota_multiplier"),
        (', levers = { "adaptation.protection_islands" = ["Atlantis"] }', "", "Atlantis"),
        (
            "",
            '[sampler]\nmethod = "grid"\n[parameters]\n"decisions.beta_risk" = { values = [nan] }',
            "decisions.beta_risk",
        ),
        (
            "",
            '[sampler]\nmethod = "latin"\nn = 2\n'
            '[parameters]\n"decisions.beta_risk" = { low = 0.0, high = inf }',
            "decisions.beta_risk",
        ),
        ("", 'outcomes = ["bogus"]', "bogus"),
        ("", "replicates = true", "replicates"),
        ("", 'seed = "3"', "seed"),
    ],
)
def test_a_bad_explicit_experiment_value_is_refused_at_load(tmp_path, fixed, more, named):
    path = write(tmp_path / "exp.toml", EXPERIMENT.format(fixed=fixed, more=more))
    out = tmp_path / "results"
    assert_refused(cli("experiment", path, "--out", out, "--executor", "serial"), path, named)
    assert not out.exists()


def test_a_value_that_fails_inside_a_run_is_a_failed_run_and_the_others_finish(tmp_path):
    from hsmobility.experiment import load_experiment, read_runs, run_experiment

    # each value is a valid weight, but all-zero weights break a check across fields: only the
    # sample holding them fails
    path = write(
        tmp_path / "exp.toml",
        EXPERIMENT.format(
            fixed="",
            more='[sampler]\nmethod = "grid"\n[parameters]\n'
            '"cyclones.category_weights" = { values = [[0, 0, 0, 0, 0], [1, 1, 1, 1, 1]] }',
        ),
    )
    done = run_experiment(load_experiment(path), tmp_path / "out", executor="serial")
    assert (done.ok, done.failed) == (1, 1)
    runs = read_runs(tmp_path / "out")
    error = runs.loc[runs["status"] == "failed", "error"].iloc[0]
    assert "category_weights" in error and "\n" not in error


@pytest.mark.parametrize("name", ["summary.json", "monthly.parquet"])
def test_an_out_whose_output_file_is_a_folder_is_refused_before_running(tmp_path, name):
    out = tmp_path / "out"
    (out / name).mkdir(parents=True)
    (out / "figure.png").write_bytes(b"old figure")
    before = snapshot(out)
    assert_refused(cli("run", "tuvalu", "--years", "1", "--out", out), out, name)
    assert snapshot(out) == before


@pytest.mark.parametrize(
    "address", ["not-an-address", "tcp://host", "tcp://:8786", "host:99999", "tcp://h:p"]
)
def test_a_bad_scheduler_address_is_refused_before_anything_is_written(tmp_path, address):
    out = tmp_path / "results"
    exp = REPO / "experiments" / "tuvalu-sensitivity.toml"
    line = assert_refused(
        cli("experiment", exp, "--out", out, "--executor", "dask", "--scheduler", address),
        "--scheduler",
    )
    assert "HOST:PORT" in line
    assert not out.exists()


def test_a_scheduler_for_local_processes_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "results"
    exp = REPO / "experiments" / "tuvalu-sensitivity.toml"
    assert_refused(cli("experiment", exp, "--out", out, "--scheduler", "tcp://h:1"), "--scheduler")
    assert not out.exists()


@pytest.mark.parametrize(
    "manifest",
    [
        '{"experiment": "a string"}',
        '["not", "an", "object"]',
        "{not json",
        '{"format": 1}',
        '{"experiment": {"sha256": 3}}',
        "[" * 5000 + "]" * 5000,
    ],
)
def test_a_foreign_or_broken_manifest_is_refused_and_left_alone(tmp_path, manifest):
    out = tmp_path / "results"
    out.mkdir()
    (out / "manifest.json").write_text(manifest)
    before = snapshot(out)
    exp = REPO / "experiments" / "tuvalu-sensitivity.toml"
    assert_refused(cli("experiment", exp, "--out", out, "--executor", "serial"), "manifest.json")
    assert snapshot(out) == before  # no .lock, runs/ or monthly/ added
    assert_refused(cli("analyse", out), "manifest.json")
    assert snapshot(out) == before


def test_another_experiments_results_are_refused_and_left_alone(tmp_path):
    out = tmp_path / "results"
    out.mkdir()
    (out / "manifest.json").write_text('{"experiment": {"sha256": "abc", "source": "other"}}')
    before = snapshot(out)
    exp = REPO / "experiments" / "tuvalu-sensitivity.toml"
    assert_refused(cli("experiment", exp, "--out", out), "another experiment")
    assert snapshot(out) == before


def test_analyse_refuses_a_file_that_is_not_parquet_naming_it(tmp_path):
    from hsmobility.experiment import load_experiment, run_experiment

    path = write(tmp_path / "exp.toml", EXPERIMENT.format(fixed="", more=""))
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial")
    bad = out / "runs" / "0000000000000000.parquet"
    bad.write_text("not parquet\n")
    before = snapshot(out)
    assert_refused(cli("analyse", out), bad)
    assert snapshot(out) == before


# -------------------------------------------------------------- accepted nonsense (issue 11)
SCENARIO_CASES = {
    "seed true": ("seed = true", "seed"),
    "years true": ("years = true", "years"),
    "start_year true": ("start_year = true", "start_year"),
    "scale true": ("scale = true", "scale"),
    "quoted years": ('years = "2"', "years"),
    "quoted seed": ('seed = "1"', "seed"),
    "nan shift": ("cyclone_intensity_shift = nan", "cyclone_intensity_shift"),
    "inf frequency": ("cyclone_frequency_change = inf", "cyclone_frequency_change"),
    "category true": (
        '[[events]]\ndate = "2025-03"\ncategory = true\nisland = "Funafuti"',
        "events.0.category",
    ),
    "month 13": ('[[events]]\ndate = "2025-13"\ncategory = 3\nisland = "Funafuti"', "date"),
    "nan distance": (
        '[[events]]\ndate = "2025-03"\ncategory = 3\nisland = "Funafuti"\ndistance_km = nan',
        "distance_km",
    ),
    "huge distance": (
        '[[events]]\ndate = "2025-03"\ncategory = 3\nisland = "Funafuti"\ndistance_km = 1e308',
        "distance_km",
    ),
    "nan param": ('[params]\n"decisions.beta_income" = nan', "decisions.beta_income"),
    "huge param": ('[params]\n"decisions.beta_risk" = 1e308', "decisions.beta_risk"),
    "zero weights": (
        '[params]\n"cyclones.category_weights" = [0, 0, 0, 0, 0]',
        "category_weights",
    ),
    "negative weights": (
        '[params]\n"cyclones.category_weights" = [-1, 1, 1, 1, 1]',
        "category_weights",
    ),
    "zero speeds": ('[params]\n"cyclones.vmax_ms" = [0, 0, 0, 0, 0, 0]', "vmax_ms"),
    "month 13 in a season": (
        '[params]\n"cyclones.south_pacific_months" = { 13 = 1.0 }',
        "south_pacific_months",
    ),
    "empty season": ('[params]\n"cyclones.north_atlantic_months" = {}', "north_atlantic_months"),
    "unknown island": (
        '[levers]\n"adaptation.protection_islands" = ["Atlantis"]',
        "Atlantis",
    ),
    "unknown relocation island": ('[levers]\n"relocation.islands" = ["Atlantis"]', "Atlantis"),
    "unknown destination": ('[levers]\n"humanitarian.destinations" = ["Mars"]', "Mars"),
    "unknown free-movement destination": (
        '[levers]\n"free_movement.destinations" = ["Mars"]',
        "Mars",
    ),
    "bool lever hidden by a regime that does not apply": (
        'regime = "expanded-quotas"\n[levers]\n"ballots.quota_multiplier" = true',
        "quota_multiplier",
    ),
}


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_nonsense_in_a_scenario_file_is_refused(tmp_path, case):
    text, field = SCENARIO_CASES[case]
    head = 'setting = "tuvalu"\n' + ("" if text.startswith("years") else "years = 1\n")
    if text.startswith("regime"):
        head = 'setting = "kiribati"\nyears = 1\n'  # Kiribati has no ballot whose quota changes
    path = write(tmp_path / "bad.toml", head + text + "\n")
    out = tmp_path / "out"
    before = earlier_results(out)
    assert_refused(cli("run", path, "--out", out), path, field)
    assert snapshot(out) == before


SET_CASES = [
    "decisions.beta_income=nan",
    "decisions.beta_income=inf",
    "decisions.beta_income=1e308",
    "recovery.repair_rate=true",
    'recovery.repair_rate="0.2"',
    "cyclones.link_cut_months=1.5",
    "demography.head_age_min=true",
    "ballots.quota_multiplier=true",
    'humanitarian.destinations=["Mars"]',
    'adaptation.protection_islands=["Atlantis"]',
    "decisions.registration_month=13",
    "recovery.repair_rate=",
]


@pytest.mark.parametrize("item", SET_CASES)
def test_nonsense_given_with_set_is_refused(tmp_path, item):
    out = tmp_path / "out"
    before = earlier_results(out)
    assert_refused(cli("run", "tuvalu", "--set", item, "--out", out), "--set")
    assert snapshot(out) == before


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("population = ", "population = true #", "population"),
        ("population = ", 'population = "500" #', "population"),
        ("lowlying_elevation_m = ", "lowlying_elevation_m = nan #", "lowlying_elevation_m"),
        ("per_season = ", "per_season = 1e308 #", "per_season"),
        ("max_age = ", "max_age = 1 #", "max_age"),
        ('destination = "New Zealand"', 'destination = "Mars"', "Mars"),
        ("house_value_usd = ", "house_value_usd = inf #", "house_value_usd"),
    ],
)
def test_nonsense_in_a_setting_file_is_refused(scenarios_copy, tmp_path, old, new, field):
    path = edit_setting(scenarios_copy, "tuvalu", old, new)
    assert_refused(cli("run", "tuvalu", "--out", tmp_path / "o"), path, field)


def test_nonsense_in_the_parameters_file_is_refused(scenarios_copy, tmp_path):
    path = scenarios_copy / "parameters.toml"
    path.write_text(path.read_text().replace("enso_persistence = ", "enso_persistence = nan #"))
    assert_refused(cli("run", "tuvalu", "--out", tmp_path / "o"), path, "enso_persistence")


@pytest.mark.parametrize("out", ["", " "])
def test_an_empty_out_is_refused_not_read_as_the_default_folder(tmp_path, monkeypatch, out):
    monkeypatch.chdir(tmp_path)
    assert_refused(cli("run", "tuvalu", "--years", "1", "--out", out), "--out")
    assert_refused(cli("experiment", REPO / "experiments" / "tuvalu-sensitivity.toml", "--out",
                       out), "--out")  # fmt: skip
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------ argparse, in the same format
@pytest.mark.parametrize(
    "args",
    [
        [],
        ["bogus"],
        ["run"],
        ["run", "tuvalu", "--years", "ten"],
        ["run", "tuvalu", "--years", "true"],
        ["run", "tuvalu", "--ssp", "SSP9"],
        ["run", "tuvalu", "--unknown"],
        ["experiment", "x.toml", "--executor", "cloud"],
        ["experiment", "x.toml", "--workers", "two"],
        ["compare", "tuvalu"],
        ["compare", "tuvalu", "--regimes", "a", "--replicates", "1.5"],
    ],
)
def test_argparse_refusals_are_one_line_exit_2(args):
    assert_refused(cli(*args))


@pytest.mark.parametrize(
    "args",
    [
        ["experiment", "{exp}", "--workers", "0"],
        ["experiment", "{exp}", "--workers", "-3"],
        ["compare", "tuvalu", "--regimes", ",", "--out", "{out}"],
        ["compare", "tuvalu", "--regimes", "status-quo", "--replicates", "0", "--out", "{out}"],
        ["compare", "tuvalu", "--regimes", "status-quo", "--workers", "0", "--out", "{out}"],
        ["analyse", "{out}"],
        ["analyse", ""],
        ["run", "tuvalu", "--regime", "{out}/missing.toml", "--out", "{out}"],
    ],
)
def test_bad_options_are_refused_before_anything_is_written(tmp_path, args):
    out = tmp_path / "o"
    subs = {"{exp}": str(REPO / "experiments" / "tuvalu-sensitivity.toml"), "{out}": str(out)}
    args = [subs.get(a, a).replace("{out}", str(out)) for a in args]
    if args[0] == "experiment":
        args += ["--out", str(out)]
    assert_refused(cli(*args))
    assert not out.exists()


# -------------------------------------------------------------------------- regime files
REGIME = """\
title = "Mine"
[levers.ballots]
quota_multiplier = {value}
"""


def test_a_regime_file_is_accepted_by_path(tmp_path):
    path = write(tmp_path / "mine.toml", REGIME.format(value="3.0"))
    out = tmp_path / "out"
    code, stdout, err = cli("run", "tuvalu", "--regime", path, "--years", "1", "--json", "--out",
                            out)  # fmt: skip
    assert code == 0, err
    assert json.loads(stdout)["regime"] == str(path)
    assert (out / "summary.json").is_file()


@pytest.mark.parametrize("value", ["true", "nan", "-1.0", '"3"', "1e308"])
def test_a_bad_regime_file_is_refused_naming_it(tmp_path, value):
    path = write(tmp_path / "mine.toml", REGIME.format(value=value))
    assert_refused(
        cli("run", "tuvalu", "--regime", path, "--out", tmp_path / "o"), path, "quota_multiplier"
    )
    assert not (tmp_path / "o").exists()


def test_a_regime_file_with_an_unknown_lever_is_refused(tmp_path):
    path = write(tmp_path / "mine.toml", 'title = "x"\n[levers.bogus]\nx = 1\n')
    assert_refused(cli("run", "tuvalu", "--regime", path, "--out", tmp_path / "o"), path, "bogus")


# -------------------------------------------------------------------------------- memory
def test_a_run_too_big_for_memory_is_refused_with_an_estimate_and_the_field(monkeypatch):
    monkeypatch.setattr(scenario_module, "available_memory", lambda: 2**29)  # 512 MiB
    with pytest.raises(ScenarioError) as err:
        load_scenario("fiji")
    line = str(err.value)
    assert "scale" in line and "GiB" in line and "set scale = " in line, line
    load_scenario("fiji", scale=20)  # the advice holds


# ------------------------------------------------------------- an output folder, whole or not
@pytest.fixture(scope="module")
def small_result():
    from hsmobility.run import run_scenario

    return run_scenario("tuvalu", years=1, seed=2)


def test_outputs_replace_a_folder_whole_and_keep_the_users_files(small_result, tmp_path):
    from hsmobility.run import write_outputs

    out = tmp_path / "out"
    earlier_results(out)
    (out / "mine").mkdir()
    (out / "mine" / "deep.txt").write_text("deep\n")
    write_outputs(small_result, out)
    assert (out / "notes.txt").read_text() == "mine\n"
    assert (out / "mine" / "deep.txt").read_text() == "deep\n"
    assert (out / "monthly.parquet").read_bytes() != b"old table"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def test_a_failure_while_writing_leaves_the_earlier_folder_as_it_was(
    small_result, tmp_path, monkeypatch
):
    import hsmobility.run as run_module

    def broken_figure(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(run_module, "run_figure", broken_figure)
    out = tmp_path / "out"
    before = earlier_results(out)
    with pytest.raises(ScenarioError, match="left as it was"):
        run_module.write_outputs(small_result, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failure_while_writing_a_new_folder_creates_nothing(small_result, tmp_path, monkeypatch):
    import hsmobility.run as run_module

    monkeypatch.setattr(run_module, "run_figure", lambda *a, **k: (_ for _ in ()).throw(OSError()))
    with pytest.raises(ScenarioError):
        run_module.write_outputs(small_result, tmp_path / "new")
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------ the contract, end to end, in a subprocess
def _subprocess(*args: str, code: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run(
        [sys.executable, "-c", code or "import sys; from hsmobility.cli import main; "
         "sys.exit(main(sys.argv[1:]))", *args],
        capture_output=True, text=True, env=env, cwd=REPO, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        ["run", "{bad}", "--out", "{out}"],
        ["run", "tuvalu", "--years", "x"],
        ["experiment", "{bad}", "--out", "{out}"],
    ],
)
def test_a_refusal_in_a_fresh_process_is_one_line_exit_2_without_heavy_imports(tmp_path, args):
    bad = write(tmp_path / "bad.toml", 'setting = "tuvalu"\nyears = true\n')
    args = [{"{bad}": str(bad), "{out}": str(tmp_path / "o")}.get(a, a) for a in args]
    code = (
        "import sys\nfrom hsmobility.cli import main\n"
        "try:\n    rc = main(sys.argv[1:])\nexcept SystemExit as e:\n    rc = e.code\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(','.join(heavy)); sys.exit(rc)"
    )
    proc = _subprocess(*args, code=code)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("hsmobility: error: ") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip() == "", f"imported before refusing: {proc.stdout}"
    assert not (tmp_path / "o").exists()


def test_the_outcomes_an_experiment_may_name_are_the_run_summarys_fields(small_result):
    from hsmobility.experiment.runner import COORDINATES
    from hsmobility.experiment.spec import DEFAULT_OUTCOMES, OUTCOME_TABLES, OUTCOMES

    summary = small_result.summary
    # a mean over no episodes is None (mean_months_displaced when nobody was displaced): a number
    numbers = {
        k
        for k, v in summary.items()
        if (v is None or isinstance(v, int | float)) and k not in COORDINATES
    }
    tables = {k for k, v in summary.items() if isinstance(v, dict)}
    assert set(OUTCOMES) == numbers, "update OUTCOMES in hsmobility/experiment/spec.py"
    assert set(OUTCOME_TABLES) == tables, "update OUTCOME_TABLES in hsmobility/experiment/spec.py"
    assert set(DEFAULT_OUTCOMES) <= set(OUTCOMES)


def test_analyse_replaces_its_folder_whole(tmp_path, monkeypatch):
    import hsmobility.experiment.analyse as analyse_module
    from hsmobility.experiment import load_experiment, run_experiment

    path = write(tmp_path / "exp.toml", EXPERIMENT.format(fixed="", more=""))
    out = tmp_path / "out"
    run_experiment(load_experiment(path), out, executor="serial")
    assert cli("analyse", out)[0] == 0
    before = snapshot(out)

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(analyse_module, "write_report", broken)
    assert_refused(cli("analyse", out), out, "left as it was")
    assert snapshot(out) == before
    assert not [p for p in out.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
