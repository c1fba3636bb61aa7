"""Bad input is refused by the CLI with exit code 2 and one line on stderr that names the file
and the field at fault, never a traceback; and a failed run leaves earlier results alone.

The cases run in this process (no model import, no interpreter start-up); a few of them also run
in a fresh process, to check the exit code and the absence of a traceback end to end."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers import run_cli_many
from test_bad_input import cli

from hsmobility.config.scenario import load_scenario
from hsmobility.config.schemas import ScenarioError
from hsmobility.model import MobilityModel

IRMA_AT = """\
setting = "antigua-barbuda"
start_year = 2017
start_month = 8
years = 2
stochastic_cyclones = false

[[events]]
name = "Irma"
date = "{date}"
category = {category}
island = "{island}"
"""

#: name -> (scenario file text, extra CLI arguments, what the one line must name)
CASES: dict[str, tuple[str, list[str], list[str]]] = {
    "malformed TOML": ('setting = "tuvalu"\nyears = \n', [], ["{file}", "line 2"]),
    "unknown field": ('setting = "tuvalu"\nyeers = 2\n', [], ["{file}", "yeers", "unknown"]),
    "wrong type": ('setting = "tuvalu"\nyears = "ten"\n', [], ["{file}", "years", "'ten'"]),
    "years out of range": ('setting = "tuvalu"\nyears = 500\n', [], ["{file}", "years", "500"]),
    "negative seed": ('setting = "tuvalu"\nseed = -1\n', [], ["{file}", "seed", "-1"]),
    "category 9 storm": (
        IRMA_AT.format(date="2017-09", category=9, island="Barbuda"),
        [],
        ["{file}", "events.0.category", "9"],
    ),
    "unknown setting": ('setting = "atlantis"\n', [], ["{file}", "setting", "atlantis"]),
    "unknown island in an event": (
        IRMA_AT.format(date="2017-09", category=5, island="Atlantis"),
        [],
        ["{file}", "island", "Atlantis"],
    ),
    "event outside the run": (
        IRMA_AT.format(date="2030-09", category=5, island="Barbuda"),
        [],
        ["{file}", "events", "2030-09"],
    ),
    "unknown parameter in the file": (
        'setting = "tuvalu"\nyears = 1\n[params]\n"recovery.nonsense" = 1\n',
        [],
        ["{file}", "recovery.nonsense"],
    ),
    "unknown --set parameter": (
        'setting = "tuvalu"\nyears = 1\n',
        ["--set", "recovery.nonsense=1"],
        ["--set", "recovery.nonsense"],
    ),
    "--set with a wrong type": (
        'setting = "tuvalu"\nyears = 1\n',
        ["--set", "recovery.repair_rate=fast"],
        ["--set", "recovery.repair_rate", "fast"],
    ),
    "--out is an existing file": (
        'setting = "tuvalu"\nyears = 1\n',
        ["--out", "{existing_file}"],
        ["--out", "{existing_file}"],
    ),
}

SENTINEL = "results of an earlier run\n"
#: this case writes to an --out folder that does not exist, instead of one of earlier results
NO_FOLDER_CASE = "unknown setting"
#: the cases also run in a fresh process
SUBPROCESS_CASES = ("malformed TOML", "--set with a wrong type", NO_FOLDER_CASE)


def case_params() -> list:
    return [pytest.param(name, id=name) for name in CASES]


@pytest.fixture(scope="module")
def refused(tmp_path_factory) -> dict:
    """Every bad case run by the CLI, side by side; each writes into a folder of earlier
    results (a sentinel file and an old monthly table) that must come out untouched."""
    base = tmp_path_factory.mktemp("bad-input")
    existing_file = base / "not-a-folder.txt"
    existing_file.write_text("keep me\n")
    jobs, info = {}, {}
    for k, (name, (text, extra, expected)) in enumerate(CASES.items()):
        path = base / f"case{k}.toml"
        path.write_text(text)
        out = base / f"out{k}"
        out.mkdir()
        (out / "sentinel.txt").write_text(SENTINEL)
        (out / "monthly.parquet").write_bytes(b"old table")
        subs = {"{file}": str(path), "{existing_file}": str(existing_file)}
        args = [subs.get(a, a) for a in extra]
        if "--out" not in args:
            args += ["--out", str(out)]
        jobs[name] = ["run", str(path), *args]
        info[name] = {
            "file": path,
            "out": out,
            "expected": [subs.get(e, e) for e in expected],
            "listing": sorted(os.listdir(out)),
        }
    # one bad case writes to an --out folder that does not exist yet: it must not be created
    never = base / "never-created"
    jobs[NO_FOLDER_CASE][-1] = str(never)
    results = {name: _Completed(*cli(*args)) for name, args in jobs.items()}
    fresh = run_cli_many({name: jobs[name] for name in SUBPROCESS_CASES})
    return {
        "results": results,
        "fresh": fresh,
        "info": info,
        "existing_file": existing_file,
        "never": never,
    }


class _Completed:
    """An in-process CLI call, read like a finished subprocess."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.mark.parametrize("case", case_params())
def test_bad_input_is_refused_in_one_line_naming_file_and_field(refused, case):
    proc, info = refused["results"][case], refused["info"][case]
    assert proc.returncode == 2, f"exit code {proc.returncode}; stderr: {proc.stderr}"
    assert "Traceback" not in proc.stderr
    assert proc.stderr.endswith("\n") and proc.stderr.count("\n") == 1, repr(proc.stderr)
    assert proc.stdout == ""
    line = proc.stderr.strip()
    missing = [e for e in info["expected"] if e not in line]
    assert not missing, f"the message does not name {missing}: {line}"


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_in_a_fresh_process_the_refusal_is_the_same_line_and_exit_code(refused, case):
    proc, inproc = refused["fresh"][case], refused["results"][case]
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr == inproc.stderr and proc.stdout == ""


@pytest.mark.parametrize("case", [c for c in CASES if c != NO_FOLDER_CASE])
def test_a_failed_run_leaves_earlier_results_alone(refused, case):
    info = refused["info"][case]
    out: Path = info["out"]
    assert refused["results"][case].returncode != 0
    assert sorted(os.listdir(out)) == info["listing"], "files were added or removed"
    assert (out / "sentinel.txt").read_text() == SENTINEL
    assert (out / "monthly.parquet").read_bytes() == b"old table"
    assert refused["existing_file"].read_text() == "keep me\n"


def test_a_failed_run_creates_no_output_folder(refused):
    assert refused["results"][NO_FOLDER_CASE].returncode == 2
    assert not refused["never"].exists()


def test_a_scenario_naming_an_unknown_island_is_refused_when_loaded(tmp_path):
    path = tmp_path / "atlantis.toml"
    path.write_text(IRMA_AT.format(date="2017-09", category=5, island="Atlantis"))
    with pytest.raises(ScenarioError, match="atlantis.toml"):
        load_scenario(path)


def test_an_unknown_island_never_reaches_a_running_model(tmp_path):
    # wherever it is caught, a storm on an island that does not exist stops the run at build
    path = tmp_path / "atlantis.toml"
    path.write_text(IRMA_AT.format(date="2017-09", category=5, island="Atlantis"))
    with pytest.raises(ScenarioError, match="Atlantis"):
        MobilityModel(load_scenario(path))
