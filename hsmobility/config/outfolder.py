"""Checks on an output folder, made before anything is run or written.

An output folder (``--out``) is checked here with the standard library alone, so that a bad one is
refused in one line before the model is even imported, and before anything is created.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from hsmobility.config.schemas import ScenarioError

#: what a single run writes into its output folder (``hsmobility.run.write_outputs``)
RUN_OUTPUTS = (
    "monthly.parquet", "monthly.csv", "islands.parquet", "islands.csv", "groups.parquet",
    "groups.csv", "ballots.csv", "summary.json", "events.txt", "scenario.json", "figure.png",
)  # fmt: skip


def out_path(text: str | os.PathLike[str], option: str = "--out") -> Path:
    """``text`` as an output folder's path; an empty one is refused (not read as ".")."""
    raw = os.fspath(text)
    if not raw.strip():
        raise ScenarioError(f"{option} {raw!r}: empty; expected a folder path")
    if "\0" in raw:
        raise ScenarioError(f"{option} {raw!r}: contains a NUL character; expected a folder path")
    return Path(raw)


def check_out(out: Path, files: Iterable[str] = (), option: str = "--out") -> None:
    """Refuse an output folder that cannot take ``files``: ``out`` a file, one of ``files`` a
    folder inside it, or no way to create it (a parent that is a file, or not writable)."""
    try:
        if out.exists() and not out.is_dir():
            raise ScenarioError(f"{option} {out}: exists and is not a folder")
        if out.is_dir():
            for name in files:
                if (out / name).is_dir():
                    raise ScenarioError(
                        f"{option} {out}: {name} is a folder; the run writes a file by that "
                        "name: move it away or choose another folder"
                    )
        ancestor = out.absolute().parent
        while not ancestor.exists():
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise ScenarioError(f"{option} {out}: {ancestor} is a file, not a folder")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise ScenarioError(f"{option} {out}: cannot write in {ancestor} (permission denied)")
    except OSError as exc:  # a name too long, a loop of links...
        why = exc.strerror or exc
        raise ScenarioError(f"{option} {out}: unusable as a folder ({why})") from None
