"""One function runs one scenario; another writes its outputs (atomically)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hsmobility.config.outfolder import RUN_OUTPUTS, check_out
from hsmobility.config.schemas import Scenario, ScenarioError
from hsmobility.model import MobilityModel
from hsmobility.report import run_figure


@dataclass
class RunResult:
    """Everything one run produced: its summary, monthly totals, per-island table and log."""

    summary: dict[str, Any]
    monthly: pd.DataFrame
    islands: pd.DataFrame
    groups: pd.DataFrame
    ballots: pd.DataFrame
    events: list[str]
    scenario: Scenario


def run_scenario(
    scenario: Scenario | str | Path, *, island_table: bool = True, **overrides: Any
) -> RunResult:
    """Build the model for ``scenario`` and run it to its horizon (``island_table=False`` skips
    the per-island table, for ensembles that do not keep it)."""
    model = MobilityModel(scenario, island_table=island_table, **overrides).run()
    return RunResult(
        summary=model.summary(),
        monthly=model.monthly().reset_index(drop=True),
        islands=model.islands_monthly(),
        groups=model.groups_monthly(),
        ballots=pd.DataFrame(
            model.ballot_log,
            columns=["year", "pathway", "registrations", "places", "drawn", "with_job_offer"],
        ),
        events=[text for _, text in model.event_log],
        scenario=model.spec,
    )


def write_outputs(result: RunResult, out: Path) -> dict[str, Path]:
    """Write tables (Parquet and CSV), summary, event log, scenario and figure into ``out``,
    whole or not at all.

    Everything is written into a staging folder beside ``out``, with the other files already in
    ``out`` (the user's) carried over as hard links; the staging folder then takes the place of
    ``out``. Any failure before that leaves ``out`` exactly as it was.
    """
    out = Path(out)
    check_out(out, RUN_OUTPUTS)
    target = Path(os.path.abspath(out))
    s = result.summary
    title = f"{s['setting']} - {s['regime']} - {s['ssp']} - seed {s['seed']}"
    files: dict[str, Callable[[Path], Any]] = {
        "monthly.parquet": lambda p: result.monthly.to_parquet(p, index=False),
        "monthly.csv": lambda p: result.monthly.to_csv(p, index=False),
        "islands.parquet": lambda p: result.islands.to_parquet(p, index=False),
        "islands.csv": lambda p: result.islands.to_csv(p, index=False),
        "groups.parquet": lambda p: result.groups.to_parquet(p, index=False),
        "groups.csv": lambda p: result.groups.to_csv(p, index=False),
        "ballots.csv": lambda p: result.ballots.to_csv(p, index=False),
        "summary.json": lambda p: p.write_text(json.dumps(s, indent=2) + "\n"),
        "events.txt": lambda p: p.write_text("".join(f"{e}\n" for e in result.events)),
        "scenario.json": lambda p: p.write_text(result.scenario.model_dump_json(indent=2)),
        "figure.png": lambda p: run_figure(result.monthly, title, p),
    }
    assert set(files) == set(RUN_OUTPUTS)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    except OSError as exc:
        raise ScenarioError(f"--out {out}: cannot create the folder ({exc.strerror})") from None
    try:
        for name, write in files.items():
            write(staging / name)
        if target.is_dir():
            shutil.copymode(target, staging)
            for entry in target.iterdir():
                if entry.name not in files:
                    _carry_over(entry, staging / entry.name)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(staging, 0o777 & ~umask)
        _swap_in(staging, target)
    except OSError as exc:
        raise ScenarioError(
            f"--out {out}: cannot write the outputs ({exc.strerror or exc}); "
            "the folder is left as it was"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {name: out / name for name in files}


def _carry_over(src: Path, dst: Path) -> None:
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


def _swap_in(staging: Path, out: Path) -> None:
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
