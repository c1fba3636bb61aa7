"""Output folders: checked before anything is run or written, and written whole or not at all.

An output folder (``--out``) is checked here with the standard library alone, so that a bad one is
refused in one line before the model is even imported, and before anything is created. It is then
written through :func:`staged`: into a staging folder beside it, swapped in at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
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


@contextmanager
def staged(out: Path, keep_others: bool = True, option: str = "--out") -> Iterator[Path]:
    """A staging folder beside ``out`` to write into; on leaving the block it takes the place of
    ``out`` (with the other files already in ``out`` carried over, if ``keep_others``). If the
    block or the swap fails, ``out`` is left exactly as it was and the staging folder removed."""
    target = Path(os.path.abspath(out))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    except OSError as exc:
        raise ScenarioError(f"{option} {out}: cannot create the folder ({exc.strerror})") from None
    try:
        yield staging
        if target.is_dir():
            shutil.copymode(target, staging)
            if keep_others:
                for entry in target.iterdir():
                    if not os.path.lexists(staging / entry.name):
                        carry_over(entry, staging / entry.name)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(staging, 0o777 & ~umask)
        swap_in(staging, target)
    except OSError as exc:
        raise ScenarioError(
            f"{option} {out}: cannot write the outputs ({exc.strerror or exc}); "
            "the folder is left as it was"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def carry_over(src: Path, dst: Path) -> None:
    """``src`` at ``dst`` too, as hard links where the file system allows (else copies)."""

    def link(a: str, b: str) -> None:
        try:
            os.link(a, b, follow_symlinks=False)
        except OSError:
            shutil.copy2(a, b, follow_symlinks=False)

    if src.is_symlink() or not src.is_dir():
        link(str(src), str(dst))
    else:
        shutil.copytree(src, dst, symlinks=True, copy_function=link)


def swap_in(staging: Path, out: Path) -> None:
    """Put the folder ``staging`` in the place of ``out`` (which may not exist yet)."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = staging.with_name(staging.name.replace(".tmp-", ".old-", 1))
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)
