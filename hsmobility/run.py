"""One function runs one scenario; another writes its outputs (atomically)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hsmobility.config.outfolder import RUN_OUTPUTS, check_out, staged
from hsmobility.config.schemas import Scenario
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


#: ballots.csv: one row per ballot draw; registrations and draws in households and in people,
#: places in people (as the schemes count them)
BALLOT_COLUMNS = [
    "year", "pathway", "registrations", "registrations_people", "places", "drawn",
    "drawn_people", "with_job_offer",
]  # fmt: skip


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
            columns=BALLOT_COLUMNS,
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
    with staged(out) as staging:
        for name, write in files.items():
            write(staging / name)
    return {name: out / name for name in files}
