"""One function runs one scenario; another writes its outputs (atomically)."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

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
    """Write tables (Parquet and CSV), summary, event log, scenario and figure into ``out``.

    Files are written into a temporary folder beside ``out`` and moved into place one by one, so
    an interruption never leaves a half-written file, and other files in ``out`` are kept.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ScenarioError(f"--out {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScenarioError(f"--out {out}: cannot create the folder ({exc.strerror})") from None
    s = result.summary
    title = f"{s['setting']} - {s['regime']} - {s['ssp']} - seed {s['seed']}"
    written: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(dir=out, prefix=".tmp-") as tmp:
        tmpdir = Path(tmp)
        files = {
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
        for name, write in files.items():
            write(tmpdir / name)
        for name in files:
            os.replace(tmpdir / name, out / name)
            written[name] = out / name
    shutil.rmtree(tmpdir, ignore_errors=True)
    return written
