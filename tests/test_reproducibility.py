"""One seed makes one run: the same seed gives the very same outputs, byte for byte, in one
process or in two; another seed gives another run."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import run_cli_many

from hsmobility.run import RunResult, run_scenario, write_outputs

#: vanuatu with its seasonal storms and one scripted storm, one agent for 20 households:
#: storms, displacement, moves whatever the seed
SCENARIO_TOML = """\
title = "reproducibility check"
setting = "vanuatu"
years = 5
seed = {seed}
scale = 20

[[events]]
name = "Scripted"
date = "2026-02"
category = 4
island = "Tanna"
"""

TABLES = ("monthly.parquet", "islands.parquet", "monthly.csv", "islands.csv")


def scenario_file(folder: Path, seed: int) -> Path:
    path = folder / f"vanuatu-seed{seed}.toml"
    path.write_text(SCENARIO_TOML.format(seed=seed))
    return path


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("repro")


@pytest.fixture(scope="module")
def runs(folder) -> dict[str, RunResult]:
    """Two runs with seed 1 and one with seed 2, in this process."""
    one = scenario_file(folder, 1)
    return {
        "a": run_scenario(one),
        "b": run_scenario(one),
        "other": run_scenario(scenario_file(folder, 2)),
    }


@pytest.fixture(scope="module")
def written(runs, folder) -> dict[str, Path]:
    out = {}
    for name, result in runs.items():
        out[name] = folder / f"out-{name}"
        write_outputs(result, out[name])
    return out


@pytest.fixture(scope="module")
def processes(folder) -> dict:
    """The same seed-1 scenario run by the CLI in two separate processes."""
    path = scenario_file(folder, 1)
    jobs = {name: ["run", path, "--json", "--out", folder / f"cli-{name}"] for name in ("p1", "p2")}
    return {"results": run_cli_many(jobs), "folder": folder}


def test_the_runs_compared_here_see_storms_and_displacement(runs):
    for result in runs.values():
        assert result.summary["cyclones"] > 0
        assert result.monthly["displaced_new"].sum() > 0


def test_the_same_seed_gives_identical_monthly_indicators(runs):
    pd.testing.assert_frame_equal(runs["a"].monthly, runs["b"].monthly)
    pd.testing.assert_frame_equal(runs["a"].islands, runs["b"].islands)
    assert runs["a"].events == runs["b"].events
    assert runs["a"].summary == runs["b"].summary


@pytest.mark.parametrize("name", TABLES)
def test_the_same_seed_writes_identical_files(written, name):
    assert (written["a"] / name).read_bytes() == (written["b"] / name).read_bytes()


def test_a_different_seed_gives_a_different_run(runs, written):
    a, other = runs["a"], runs["other"]
    assert not a.monthly.equals(other.monthly)
    assert a.summary["hazard_fingerprint"] != other.summary["hazard_fingerprint"]
    assert a.summary["population_end"] != other.summary["population_end"]
    assert (written["a"] / "monthly.parquet").read_bytes() != (
        written["other"] / "monthly.parquet"
    ).read_bytes()


def test_the_same_seed_gives_identical_output_in_separate_processes(processes, written):
    results, folder = processes["results"], processes["folder"]
    for name, proc in results.items():
        assert proc.returncode == 0, f"{name}: {proc.stderr}"
    p1, p2 = (results[n].stdout for n in ("p1", "p2"))
    assert json.loads(p1) == json.loads(p2)
    for name in TABLES:
        first = (folder / "cli-p1" / name).read_bytes()
        assert first == (folder / "cli-p2" / name).read_bytes(), f"{name} differs across processes"
        # and the same bytes as this process wrote
        assert first == (written["a"] / name).read_bytes(), f"{name} differs from in-process run"


def test_the_summary_printed_by_the_cli_is_the_run_summary(processes, runs):
    printed = json.loads(processes["results"]["p1"].stdout)
    expected = json.loads(json.dumps(runs["a"].summary))
    assert printed == expected
