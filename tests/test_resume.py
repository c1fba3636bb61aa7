"""A results folder resumes only runs of the same model: after a change to the model's code or
data (``code_sha256``) a resume is refused in one line naming the folder, both hashes and what
to do, and nothing in the folder changes; ``--restart`` discards the stored runs and starts
afresh; a comparison's default folder is per model version, so the app starts a fresh one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO
from test_bad_input import assert_refused, cli, snapshot

from hsmobility.config.schemas import scenarios_dir
from hsmobility.experiment import compare as compare_module
from hsmobility.experiment.compare import default_out, prepare_compare
from hsmobility.experiment.manifest import code_digest
from hsmobility.experiment.store import read_manifest, read_runs

#: two one-year runs: quick, and enough to have something stored
SMALL = """\
title = "resume across versions"
scenarios = ["tuvalu"]
regimes = ["status-quo"]
replicates = 2
seed = 5
years = 1
"""


@pytest.fixture
def model_copy(tmp_path, monkeypatch) -> Path:
    """A copy of ``scenarios/`` that HSMOBILITY_SCENARIOS points to: editing it changes the
    model's data, hence its code_sha256."""
    copy = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), copy)
    monkeypatch.setenv("HSMOBILITY_SCENARIOS", str(copy))
    return copy


def change_the_model(copy: Path) -> None:
    """A change to the model's data: a comment in the parameters file is enough to change the
    hash (the hash cannot tell a harmless edit from a real one, so it treats both as changes)."""
    path = copy / "parameters.toml"
    path.write_text(path.read_text() + "\n# edited\n")


@pytest.fixture
def stored(tmp_path, model_copy) -> tuple[Path, Path, str]:
    """An experiment file and its results folder with both runs stored by this model."""
    exp = tmp_path / "small.toml"
    exp.write_text(SMALL)
    out = tmp_path / "out"
    code, _, err = cli("experiment", exp, "--out", out, "--executor", "serial", "--no-progress")
    assert code == 0, err
    assert len(read_runs(out)) == 2
    return exp, out, read_manifest(out)["code_sha256"]


def test_a_resume_with_the_same_model_continues_and_reuses_the_stored_runs(stored):
    exp, out, was = stored
    assert was == code_digest()
    code, printed, err = cli("experiment", exp, "--out", out, "--executor", "serial")
    assert code == 0, err
    assert "2 already stored, 0 run now" in printed
    assert "warning" not in err


def test_a_resume_after_a_model_change_is_refused_and_the_folder_left_alone(stored, model_copy):
    exp, out, was = stored
    change_the_model(model_copy)
    now = code_digest()
    assert now != was
    before = snapshot(out)
    line = assert_refused(
        cli("experiment", exp, "--out", out, "--executor", "serial"),
        out,
        was[:12],
        now[:12],
        "another version of the model",
        "--restart",
        "new --out",
    )
    assert "2 stored run(s)" in line
    assert snapshot(out) == before  # not a byte changed, no file added or removed


def test_a_comparison_after_a_model_change_is_refused_then_restarted(tmp_path, model_copy):
    out = tmp_path / "compare"
    args = ("compare", "tuvalu", "--regimes", "status-quo", "--replicates", "1", "--years", "1")
    args += ("--out", out, "--executor", "serial", "--no-progress")
    code, _, err = cli(*args)
    assert code == 0, err
    was = read_manifest(out)["code_sha256"]
    change_the_model(model_copy)
    before = snapshot(out)
    assert (out / "report.md").exists()
    assert_refused(cli(*args), out, was[:12], code_digest()[:12], "--restart")
    assert snapshot(out) == before
    code, printed, err = cli(*args, "--restart")
    assert code == 0, err
    assert read_manifest(out)["code_sha256"] == code_digest()
    assert (out / "report.md").exists()  # the new runs' report


def test_restart_discards_the_old_runs_and_their_reports_and_runs_afresh(stored, model_copy):
    exp, out, was = stored
    (out / "report.md").write_text("a report of the old runs\n")
    (out / "analysis").mkdir()
    (out / "analysis" / "analysis.md").write_text("old\n")
    (out / "notes.txt").write_text("the user's own file\n")
    old_ids = set(read_runs(out)["run_id"])
    change_the_model(model_copy)
    code, printed, err = cli(
        "experiment", exp, "--out", out, "--executor", "serial", "--restart", "--no-progress"
    )
    assert code == 0, err
    assert "0 already stored, 2 run now" in printed
    assert "2 stored run(s) and their reports" in err and "discarded" in err
    manifest = read_manifest(out)
    assert manifest["code_sha256"] == code_digest() != was
    assert manifest["state"] == "complete" and manifest["runs_ok"] == 2
    assert set(read_runs(out)["run_id"]) == old_ids  # the same design, run again
    assert not (out / "report.md").exists() and not (out / "analysis").exists()
    assert (out / "notes.txt").read_text() == "the user's own file\n"
    # and the restarted folder now resumes normally
    code, printed, _ = cli("experiment", exp, "--out", out, "--executor", "serial")
    assert code == 0 and "2 already stored, 0 run now" in printed


def test_a_manifest_without_a_code_hash_is_refused_when_it_has_runs(stored):
    exp, out, _ = stored
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["code_sha256"]
    (out / "manifest.json").write_text(json.dumps(manifest))
    before = snapshot(out)
    assert_refused(cli("experiment", exp, "--out", out), out, "not recorded", "--restart")
    assert snapshot(out) == before


def test_runs_left_without_their_manifest_are_refused_then_restarted(stored):
    exp, out, _ = stored
    (out / "manifest.json").unlink()
    before = snapshot(out)
    assert_refused(cli("experiment", exp, "--out", out), out, "not recorded", "--restart")
    assert snapshot(out) == before
    code, printed, err = cli("experiment", exp, "--out", out, "--executor", "serial", "--restart")
    assert code == 0, err
    assert "0 already stored, 2 run now" in printed
    assert read_manifest(out)["code_sha256"] == code_digest()


def test_a_folder_with_no_run_stored_yet_is_taken_over_by_the_new_model(stored, model_copy):
    exp, out, was = stored
    for path in [*(out / "runs").iterdir(), *(out / "monthly").iterdir()]:
        path.unlink()
    change_the_model(model_copy)
    code, printed, err = cli("experiment", exp, "--out", out, "--executor", "serial")
    assert code == 0, err
    assert "0 already stored, 2 run now" in printed
    assert read_manifest(out)["code_sha256"] == code_digest() != was


def test_a_comparisons_default_folder_is_new_for_a_new_model(tmp_path, monkeypatch):
    exp = prepare_compare("tuvalu", ["status-quo", "free-movement"], replicates=2)
    first = default_out(exp, tmp_path)
    assert default_out(exp, tmp_path) == first  # the same comparison, the same folder
    assert (
        first.name.startswith("compare-tuvalu-") and len(first.name) == len("compare-tuvalu-") + 8
    )
    monkeypatch.setattr(compare_module, "code_digest", lambda: "0" * 64)
    assert default_out(exp, tmp_path) != first  # the app's job then starts a fresh folder
    other = prepare_compare("tuvalu", ["status-quo", "expanded-quotas"], replicates=2)
    monkeypatch.undo()
    assert default_out(other, tmp_path) != first


def test_the_refusal_through_the_command_line_is_one_line_and_exit_2(stored, model_copy):
    exp, out, was = stored
    change_the_model(model_copy)
    before = snapshot(out)
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-m", "hsmobility", "experiment", str(exp), "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("hsmobility: error: --out ")
    assert was[:12] in done.stderr and "--restart" in done.stderr
    assert snapshot(out) == before
