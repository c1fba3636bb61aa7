"""The ``hsmobility`` command: it lists what there is to run, and a run prints one JSON summary
and writes its tables and figure."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from helpers import REQUIRED_SETTINGS, run_cli_many

SUMMARY_KEYS = {
    "setting", "regime", "seed", "years", "population_start", "population_end",
    "displaced_peak", "displaced_person_months", "mean_months_displaced", "returns",
}  # fmt: skip
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def tuvalu_run(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("cli") / "tuvalu"
    out.mkdir()
    (out / "notes.txt").write_text("mine\n")  # a file of the user's, to be kept
    jobs = {
        "run": ["run", "tuvalu", "--years", "2", "--seed", "3", "--json", "--out", out],
        "list": ["list"],
    }
    results = run_cli_many(jobs)
    return {"proc": results["run"], "list": results["list"], "out": out}


def test_list_names_all_ten_settings(tuvalu_run):
    proc = tuvalu_run["list"]
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "settings:"
    section = lines[1 : lines.index("regimes:")] if "regimes:" in lines else lines[1:]
    listed = {line.split()[0] for line in section if line.startswith("  ")}
    assert listed >= set(REQUIRED_SETTINGS), f"missing {set(REQUIRED_SETTINGS) - listed}"
    assert len(listed) == len(section)


def test_list_names_the_ready_made_scenarios(tuvalu_run):
    out = tuvalu_run["list"].stdout
    for name in ("barbuda-irma-2017", "fiji-winston-2016", "vanuatu-pam-2015"):
        assert f"  {name}" in out


def test_run_prints_one_json_summary(tuvalu_run):
    proc = tuvalu_run["proc"]
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    summary = json.loads(lines[0])
    assert isinstance(summary, dict)
    assert set(summary) >= SUMMARY_KEYS, f"missing {SUMMARY_KEYS - set(summary)}"
    assert (summary["setting"], summary["seed"], summary["years"]) == ("tuvalu", 3, 2)
    assert summary["regime"] == "status-quo"
    assert 9_000 < summary["population_start"] < 13_000  # Tuvalu: ~10,600 people
    assert summary["population_end"] > 0
    assert "Traceback" not in proc.stderr


def test_run_writes_tables_and_a_figure(tuvalu_run):
    out = tuvalu_run["out"]
    for name in ("monthly.parquet", "monthly.csv", "islands.parquet", "figure.png"):
        assert (out / name).is_file(), f"{name} not written"
    assert (out / "figure.png").read_bytes()[:8] == PNG_MAGIC
    assert not [p.name for p in out.iterdir() if p.name.startswith(".tmp")]


def test_the_written_tables_cover_every_month_and_island(tuvalu_run):
    out = tuvalu_run["out"]
    monthly = pd.read_parquet(out / "monthly.parquet")
    assert len(monthly) == 24
    assert monthly["step"].tolist() == list(range(1, 25))
    assert (monthly["year"].iloc[0], monthly["month"].iloc[0]) == (2025, 1)
    assert (monthly["year"].iloc[-1], monthly["month"].iloc[-1]) == (2026, 12)
    csv = pd.read_csv(out / "monthly.csv")
    assert len(csv) == 24
    assert list(csv.columns) == list(monthly.columns)
    islands = pd.read_parquet(out / "islands.parquet")
    assert len(islands) == 24 * 9  # Tuvalu's nine islands
    assert islands["island"].nunique() == 9


def test_the_json_summary_agrees_with_the_written_tables(tuvalu_run):
    summary = json.loads(tuvalu_run["proc"].stdout)
    monthly = pd.read_parquet(tuvalu_run["out"] / "monthly.parquet")
    assert summary["population_end"] == monthly["residents"].iloc[-1]
    assert summary["displaced_peak"] == monthly["displaced_people"].max()
    assert summary["displaced_person_months"] == monthly["displaced_people"].sum()
    assert summary["returns"] == monthly["returns"].sum()


def test_run_keeps_other_files_in_the_output_folder(tuvalu_run):
    assert tuvalu_run["proc"].returncode == 0
    assert (tuvalu_run["out"] / "notes.txt").read_text() == "mine\n"


def test_run_scale_makes_one_agent_stand_for_k_households(tmp_path) -> None:
    """``--scale K``: the scenario that ran says K, and one agent stands for K households,
    so a scaled Vanuatu keeps the setting's population while building a K-th of the agents."""
    jobs = {
        k: [
            "run",
            "vanuatu",
            "--years",
            "1",
            "--scale",
            str(k),
            "--json",
            "--out",
            tmp_path / f"s{k}",
        ]
        for k in (1, 10)
    }
    jobs["bad"] = ["run", "vanuatu", "--scale", "0", "--out", tmp_path / "bad"]
    results = run_cli_many(jobs)
    summaries = {}
    for k in (1, 10):
        assert results[k].returncode == 0, results[k].stderr
        summaries[k] = json.loads(results[k].stdout)
        assert json.loads((tmp_path / f"s{k}" / "scenario.json").read_text())["scale"] == k
    start = {k: s["population_start"] for k, s in summaries.items()}
    assert start[10] == pytest.approx(start[1], rel=0.02)
    bad = results["bad"]
    assert bad.returncode == 2 and "scale" in bad.stderr and bad.stderr.count("\n") == 1
    assert not (tmp_path / "bad").exists()
