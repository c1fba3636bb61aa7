"""The results store: a folder of Parquet files written run by run, and a manifest.

Layout of ``OUT/``::

    manifest.json          what was run: experiment file and its SHA-256, versions, seeds,
                           parameters, samples, skipped combinations, progress
    runs/RUN_ID.parquet    one row per run: its coordinates, sampled values, status, error text
                           and the run summary (nested fields flattened to "field.key" columns)
    monthly/RUN_ID.parquet the run's monthly indicators, with its run_id

Each file is written under a temporary name and moved into place (``os.replace``), the monthly
table before the runs row, so a run is stored once its ``runs/`` file exists and an interruption
never leaves a half-written file. Readers sort rows by ``run_id`` (and ``step``), so tables do not
depend on the order in which runs finished.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from hsmobility.experiment.manifest import LOCK, MANIFEST, MONTHLY, RUNS, read_manifest
from hsmobility.experiment.spec import ExperimentError

__all__ = ["MANIFEST", "MONTHLY", "RUNS", "ResultStore", "read_manifest", "read_monthly",
           "read_runs", "stored_ids", "write_parquet"]  # fmt: skip

TMP_PREFIX = ".tmp-"


def _atomic(path: Path, write: Callable[[Path], None]) -> None:
    tmp = path.with_name(f"{TMP_PREFIX}{os.getpid()}-{path.name}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Write ``table`` to ``path`` atomically (same bytes for the same table)."""
    _atomic(path, lambda p: pq.write_table(table, p, compression="zstd"))


class ResultStore:
    """An experiment's output folder; hold it open (``with``) while writing to it."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._lock: Any = None

    # ------------------------------------------------------------------ opening and closing
    def __enter__(self) -> ResultStore:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def open(self) -> None:
        """Create the folder, take its lock and clear temporary files of interrupted writers."""
        if self.root.exists() and not self.root.is_dir():
            raise ExperimentError(f"--out {self.root}: exists and is not a folder")
        ours = {RUNS, MONTHLY, LOCK}
        if (
            self.root.is_dir()
            and not (self.root / MANIFEST).exists()
            and any(p.name not in ours for p in self.root.iterdir())
        ):
            raise ExperimentError(
                f"--out {self.root}: not empty and not an experiment's results folder (no "
                f"{MANIFEST}); choose another folder"
            )
        try:
            for sub in (RUNS, MONTHLY):
                (self.root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ExperimentError(f"--out {self.root}: cannot create ({exc.strerror})") from None
        self._take_lock()
        for sub in (RUNS, MONTHLY):
            for tmp in (self.root / sub).glob(f"{TMP_PREFIX}*"):
                tmp.unlink(missing_ok=True)

    def _take_lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # not on Unix: no lock
            return
        fh = open(self.root / LOCK, "w")  # noqa: SIM115 - held until close()
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            raise ExperimentError(
                f"--out {self.root}: another hsmobility process is writing there"
            ) from None
        self._lock = fh

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    # ---------------------------------------------------------------------------- manifest
    def read_manifest(self) -> dict[str, Any] | None:
        return read_manifest(self.root, missing_ok=True)

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, indent=2, sort_keys=False, default=str) + "\n"
        _atomic(self.root / MANIFEST, lambda p: p.write_text(text))

    # -------------------------------------------------------------------------------- runs
    def stored(self) -> set[str]:
        """run_ids of the runs stored (finished or failed)."""
        return stored_ids(self.root)

    def statuses(self) -> dict[str, str]:
        """run_id -> "ok" or "failed", for the runs stored."""
        paths = _run_files(self.root)
        if not paths:
            return {}
        table = _concat([_read_table(p, ["run_id", "status"]) for p in paths])
        return dict(zip(table["run_id"].to_pylist(), table["status"].to_pylist(), strict=True))

    def write_run(self, row: dict[str, Any], monthly: pa.Table | None) -> None:
        """Store one run: its monthly table (if it has one), then its runs row."""
        run_id = row["run_id"]
        if monthly is not None:
            write_parquet(monthly, self.root / MONTHLY / f"{run_id}.parquet")
        write_parquet(pa.Table.from_pylist([row]), self.root / RUNS / f"{run_id}.parquet")


# ------------------------------------------------------------------------------------ reading
def _read_table(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One Parquet file of the store; an unreadable one is refused in one line naming it."""
    try:
        return pq.read_table(path, columns=columns)
    except (pa.ArrowException, OSError) as exc:
        why = " ".join(str(exc).split())[:200]
        raise ExperimentError(f"{path}: not a readable Parquet file of results ({why})") from None


def _run_files(root: Path) -> list[Path]:
    folder = Path(root) / RUNS
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.parquet") if not p.name.startswith(TMP_PREFIX))


def stored_ids(root: str | Path) -> set[str]:
    """run_ids stored in a results folder."""
    return {p.stem for p in _run_files(Path(root))}


def _concat(tables: list[pa.Table]) -> pa.Table:
    return pa.concat_tables(tables, promote_options="permissive")


def read_runs(root: str | Path) -> pd.DataFrame:
    """The runs table, one row per stored run, sorted by run_id."""
    paths = _run_files(Path(root))
    if not paths:
        return pd.DataFrame({"run_id": pd.Series([], dtype=str)})
    try:
        table = _concat([_read_table(p) for p in paths])
    except pa.ArrowException as exc:
        why = " ".join(str(exc).split())[:200]
        raise ExperimentError(f"{root}/{RUNS}: run files that do not fit ({why})") from None
    for column in ("run_id", "status"):
        if column not in table.column_names:
            raise ExperimentError(f"{root}/{RUNS}: not a runs table (no {column!r} column)")
    df = table.to_pandas()
    return df.sort_values("run_id", kind="stable").reset_index(drop=True)


def read_monthly(
    root: str | Path, columns: Iterable[str] | None = None, run_ids: Iterable[str] | None = None
) -> pd.DataFrame:
    """The monthly indicators of stored runs (all, or ``run_ids``), sorted by run_id and step.

    ``columns`` limits the indicators read (run_id and step are always included).
    """
    root = Path(root)
    ids = sorted(stored_ids(root) if run_ids is None else set(run_ids) & stored_ids(root))
    paths = [root / MONTHLY / f"{i}.parquet" for i in ids]
    paths = [p for p in paths if p.exists()]
    cols = None
    if columns is not None:
        cols = ["run_id", "step", *[c for c in columns if c not in ("run_id", "step")]]
    if not paths:
        return pd.DataFrame({c: [] for c in cols or ["run_id", "step"]})
    try:
        table = _concat([_read_table(p, cols) for p in paths])
    except pa.ArrowException as exc:
        why = " ".join(str(exc).split())[:200]
        raise ExperimentError(
            f"{root}/{MONTHLY}: tables that do not fit together ({why})"
        ) from None
    df = table.to_pandas()
    return df.sort_values(["run_id", "step"], kind="stable").reset_index(drop=True)
