"""An experiment results folder's manifest, read and checked without the heavy libraries.

Everything here runs before anything is written: an output folder that belongs to another
experiment, that holds runs of another version of the model, that is not a results folder, or whose
manifest is broken or foreign is refused in one line, and the folder is left exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from hsmobility.config.outfolder import check_out
from hsmobility.config.schemas import _describe, scenarios_dir
from hsmobility.experiment.spec import ExperimentError

MANIFEST = "manifest.json"
RUNS = "runs"
MONTHLY = "monthly"
LOCK = ".lock"
#: what ``compare`` and ``analyse`` write beside the runs (computed from them; removed with them
#: by ``--restart``, so that no report of the discarded runs is left)
DERIVED = (
    "report.md", "bands.csv", "differences.csv", "bands_monthly.csv", "indicators.png",
    "differences.png", "analysis",
)  # fmt: skip


class _Loose(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class _ExperimentId(_Loose):
    sha256: str
    source: str = ""


class _Skipped(_Loose):
    scenario: str
    regime: str
    note: str = ""


class ManifestShape(_Loose):
    """The fields of a manifest that hsmobility reads back (others are kept as they are)."""

    experiment: _ExperimentId
    regimes: list[str] = []
    baseline: str | None = None
    outcomes: list[str] | None = None
    skipped: list[_Skipped] = []
    seeds: list[int] = []
    sampler: dict[str, Any] = {}
    parameters: list[dict[str, Any]] = []
    runs_planned: int | None = None
    runs_ok: int | None = None
    runs_failed: int | None = None


def read_manifest(root: str | Path, missing_ok: bool = False) -> dict[str, Any] | None:
    """The manifest of a results folder, checked to be one that hsmobility wrote."""
    path = Path(root) / MANIFEST
    if not path.exists():
        if missing_ok:
            return None
        raise ExperimentError(f"{root}: not an experiment's results folder (no {MANIFEST})")
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, RecursionError, json.JSONDecodeError) as exc:
        why = " ".join(str(exc).split()) or type(exc).__name__
        raise ExperimentError(f"{path}: cannot read ({why})") from None
    if not isinstance(data, dict):
        raise ExperimentError(
            f"{path}: not an hsmobility manifest (expected a JSON object, got "
            f"{type(data).__name__})"
        )
    try:
        ManifestShape.model_validate(data)
    except ValidationError as err:
        raise ExperimentError(_describe(err, f"{path} (not an hsmobility manifest)")) from None
    except RecursionError:
        raise ExperimentError(f"{path}: not an hsmobility manifest (nested too deeply)") from None
    return data


def check_resume(old: dict[str, Any], sha256: str, source: str, out: Path) -> None:
    """Refuse to add runs of one experiment to the results of another."""
    was = old["experiment"]
    if was.get("sha256") != sha256:
        raise ExperimentError(
            f"--out {out}: holds results of another experiment ({was.get('source')}, sha256 "
            f"{str(was.get('sha256'))[:12]}); {source} has sha256 {sha256[:12]}: "
            "choose another --out, or delete the folder to start again"
        )


#: parts of the package that do not change what a run computes: left out of :func:`code_digest`
NOT_THE_MODEL = ("experiment", "app", "bench")


def code_digest() -> str:
    """SHA-256 of the model's code and data files (the package outside :data:`NOT_THE_MODEL`,
    and every scenario, setting, regime and parameter file): whether stored runs came from it."""
    package = Path(__file__).resolve().parent.parent
    files = sorted(
        p for p in package.rglob("*.py") if p.relative_to(package).parts[0] not in NOT_THE_MODEL
    )
    files += sorted(scenarios_dir().rglob("*.toml"))
    h = hashlib.sha256()
    for path in files:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def stored_run_count(out: Path) -> int:
    """Runs stored (finished or failed) in a results folder."""
    folder = Path(out) / RUNS
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.glob("*.parquet") if not p.name.startswith("."))


def check_code(old: dict[str, Any], code_sha256: str, out: Path) -> None:
    """Refuse to add runs of this model to runs stored by another version of it (a different
    ``code_sha256``): the results would mix two models without saying so."""
    was = old.get("code_sha256")
    n = stored_run_count(out)
    if was == code_sha256 or n == 0:
        return
    stored = str(was)[:12] if isinstance(was, str) and was else "not recorded"
    raise ExperimentError(
        f"--out {out}: its {n} stored run(s) came from another version of the model (code "
        f"sha256 {stored} stored, {code_sha256[:12]} now), and resuming would mix the two; "
        "run again with --restart to discard them and start afresh, or choose a new --out"
    )


def check_results_folder(
    out: Path,
    sha256: str,
    source: str,
    code_sha256: str | None = None,
    restart: bool = False,
) -> dict[str, Any] | None:
    """Everything about ``out`` that can be checked before writing: a folder (or nothing yet)
    that is empty, or holds this experiment's results made by this version of the model
    (``code_sha256``; not checked when None or when ``restart`` discards them). Returns its
    manifest, if any."""
    check_out(out, (MANIFEST,))
    if not out.is_dir():
        return None
    for name in (RUNS, MONTHLY):
        if (out / name).exists() and not (out / name).is_dir():
            raise ExperimentError(f"--out {out}: {name} is a file; expected a folder of results")
    old = read_manifest(out, missing_ok=True)
    if old is None:
        ours = {RUNS, MONTHLY, LOCK}
        if any(p.name not in ours for p in out.iterdir()):
            raise ExperimentError(
                f"--out {out}: not empty and not an experiment's results folder (no "
                f"{MANIFEST}); choose another folder"
            )
        if code_sha256 is not None and not restart:
            check_code({}, code_sha256, out)  # runs without a manifest: of no known version
        return None
    check_resume(old, sha256, source, out)
    if code_sha256 is not None and not restart:
        check_code(old, code_sha256, out)
    return old
