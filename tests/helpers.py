"""Helpers shared by the test modules: the CLI in a subprocess, scripted storms, and the
household-state invariants that must hold at the end of every month."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from hsmobility.config.schemas import Scenario, scenarios_dir
from hsmobility.model import MobilityModel
from hsmobility.world.households import Displacement, Status

#: statuses of households living in a home of their own in the setting (can be damaged, displaced)
HOUSED = (Status.HOME, Status.MOVED_INTERNAL, Status.RELOCATED, Status.RETURNED)

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = scenarios_dir()

#: the ten settings DESIGN.md requires
REQUIRED_SETTINGS = (
    "tuvalu", "kiribati", "fiji", "vanuatu", "tonga", "marshall-islands", "dominica",
    "antigua-barbuda", "grenada", "st-vincent-grenadines",
)  # fmt: skip

STATUS_COLUMNS = [f"households_{s.name.lower()}" for s in Status]
KIND_COLUMNS = [f"displaced_{d.name.lower()}" for d in Displacement if d != Displacement.NONE]
HOUSED_COLUMNS = [f"households_{s.name.lower()}" for s in HOUSED]


# --------------------------------------------------------------------------------- the CLI
def hsmobility_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m hsmobility``."""
    script = Path(sys.executable).parent / "hsmobility"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "hsmobility"]


def run_cli(
    *args: str, cwd: Path | None = None, timeout: float = 240
) -> subprocess.CompletedProcess:
    """Run ``hsmobility ARGS`` in a fresh process (its own hash seed) and capture its output."""
    env = {**os.environ, "PYTHONHASHSEED": "random", "MPLBACKEND": "Agg"}
    return subprocess.run(
        [*hsmobility_command(), *map(str, args)],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_cli_many(jobs: dict[str, list], cwd: Path | None = None) -> dict:
    """Run several CLI invocations side by side (each is mostly interpreter start-up)."""
    workers = max(2, os.cpu_count() or 2)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(run_cli, *args, cwd=cwd) for name, args in jobs.items()}
        return {name: fut.result() for name, fut in futures.items()}


# ------------------------------------------------------------------------------ scenarios
def scripted_scenario(setting: str, island: str, category: int, **fields) -> Scenario:
    """A run without seasonal storms and one scripted storm in February of its first year."""
    base = dict(setting=setting, years=1, seed=1, stochastic_cyclones=False)
    base.update(fields)
    date = f"{base.get('start_year', 2025)}-02"
    event = dict(name="Test", date=date, category=category, island=island)
    return Scenario(**base, events=[event])


# ----------------------------------------------------------------------------- invariants
def household_violations(model: MobilityModel) -> list[str]:
    """Every broken rule of household state, in words (an empty list when all is well).

    Status says where a household is; island, displacement kind and destination must agree.
    """
    hh = model.households
    status, island, kind = hh.status, hh.island, hh.displacement
    home, dest = hh.home_island, hh.destination
    n_isl, n_dest = len(model.setting.islands), len(model.setting.destinations)
    displaced = status == Status.DISPLACED
    housed = np.isin(status, HOUSED)
    away = (status == Status.ABROAD) | (displaced & (kind == Displacement.ABROAD))
    rules = {
        "status is not a known status": ~np.isin(status, [int(s) for s in Status]),
        "abroad but living on an island": (status == Status.ABROAD) & (island >= 0),
        "on no island yet not abroad": (island < 0) & ~away,
        "on an island that does not exist": island >= n_isl,
        "home island does not exist": (home < 0) | (home >= n_isl),
        "displaced without a displacement kind": displaced & (kind == Displacement.NONE),
        "a displacement kind but not displaced": ~displaced & (kind != Displacement.NONE),
        "displaced abroad but on an island": displaced
        & (kind == Displacement.ABROAD)
        & (island >= 0),
        "in a shelter or with a host family off its home island": displaced
        & np.isin(kind, [Displacement.SHELTER, Displacement.HOST_FAMILY])
        & (island != home),
        "displaced to another island but on its own": displaced
        & (kind == Displacement.OTHER_ISLAND)
        & ((island == home) | (island < 0)),
        "abroad without a destination": away & ((dest < 0) | (dest >= n_dest)),
        "a destination while in the setting": ~away & (dest != -1),
        "housed but on no island": housed & (island < 0),
        "at home (or returned) but not on its home island": np.isin(
            status, [Status.HOME, Status.RETURNED]
        )
        & (island != home),
        "household of no one (size < 1)": hh.size < 1,
        "size is not children + adults + elders": hh.size
        != hh.children.astype(np.int64) + hh.adults + hh.elders,
        "a negative count of members by age": (hh.children < 0) | (hh.adults < 0) | (hh.elders < 0),
        "house damage outside 0..1": (hh.damage < 0) | (hh.damage > 1),
        "months displaced counted while not displaced": ~displaced & (hh.months_displaced != 0),
        "displaced for less than the month of the storm": displaced & (hh.months_displaced < 1),
        "displaced but no displacement episode counted": displaced & (hh.episodes < 1),
    }
    out = [f"{name}: {int(mask.sum())} households" for name, mask in rules.items() if mask.any()]
    if len(model.agents) != hh.n:
        out.append(f"{len(model.agents)} Household agents for {hh.n} household rows")
    return out


def island_recount(model: MobilityModel) -> dict[str, np.ndarray]:
    """Per-island counts this month, recounted from the household rows (independently of the
    indicators module): housed households by the island they live on, displaced households by
    their home island, residents by the island they are on."""
    hh, k = model.households, model.scale
    n_isl = len(model.setting.islands)
    on = hh.island >= 0
    housed = np.isin(hh.status, HOUSED) & on
    displaced = hh.status == Status.DISPLACED
    return {
        "households_housed": np.bincount(hh.island[housed], minlength=n_isl) * k,
        "households_displaced": np.bincount(hh.home_island[displaced], minlength=n_isl) * k,
        "residents": np.bincount(hh.island[on], weights=hh.size[on], minlength=n_isl).astype(int)
        * k,
    }


def step_checking(model: MobilityModel) -> dict:
    """Run ``model`` to its end, checking the invariants after every month.

    Returns the model, the violations by month, per-island recounts by month and the number of
    household rows after each month.
    """
    violations: dict[int, list[str]] = {}
    recounts: list[dict[str, np.ndarray]] = []
    rows: list[int] = []
    while model.running:
        model.step()
        broken = household_violations(model)
        if broken:
            violations[model.month_index] = broken
        recounts.append(island_recount(model))
        rows.append(model.households.n)
    return {"model": model, "violations": violations, "recounts": recounts, "rows": rows}


# --------------------------------------------------------------------------------- accounts
def check_accounts(model: MobilityModel) -> None:
    """The monthly accounts close: households by status, people by where they are, moves by
    kind and by forced/voluntary, residents by births, deaths, departures and arrivals (back
    from displacement abroad, back from abroad after emigrating, immigrants born abroad), and
    every group pair (male/female-headed) adds up to the totals."""
    df = model.monthly().reset_index(drop=True)
    status_cols = [f"households_{s.name.lower()}" for s in Status]
    assert (df[status_cols].sum(axis=1) == df["households_total"]).all()
    kinds = [d.name.lower() for d in Displacement if d != Displacement.NONE]
    people_kinds = df[[f"displaced_people_{k}" for k in kinds]].sum(axis=1)
    assert (people_kinds == df["displaced_people"]).all()
    households_kinds = df[[f"displaced_{k}" for k in kinds]].sum(axis=1)
    assert (households_kinds == df["households_displaced"]).all()
    by_kind = df["moves_abroad"] + df["moves_internal"] + df["moves_relocation"]
    assert (by_kind + df["displaced_new"] == df["moves_total"]).all()
    assert (df["moves_forced"] + df["moves_voluntary"] == df["moves_total"]).all()
    barriers = [c for c in df.columns if c.startswith("trapped_") and c != "trapped_share"]
    assert (df[barriers].sum(axis=1) == df["households_trapped"]).all()
    # residents change only by births, deaths, departures and arrivals
    before = np.concatenate([[model.population_start], df["residents"].to_numpy()[:-1]])
    change = (
        df["births"] - df["births_displaced_abroad"] - df["deaths"] + df["deaths_displaced_abroad"]
        - df["people_left_setting"] + df["people_back_in_setting"]
        + df["people_returned_from_abroad"] + df["people_immigrated"]
    )  # fmt: skip
    assert (df["residents"] - before == change).all(), np.flatnonzero(
        df["residents"] - before != change
    )
    # people by where they are: living in the setting, displaced abroad, emigrated
    people = int(model.households.size.sum()) * model.scale
    last = df.iloc[-1]
    assert last["residents"] + last["displaced_people_abroad"] + last["people_emigrated"] == people
    # groups aggregate to the totals
    g = model.groups_monthly()
    both = (
        g[g["group"].isin(["male_headed", "female_headed"])].groupby("step").sum(numeric_only=True)
    )
    total = df.set_index("step")
    in_setting = total["households_total"] - total["households_abroad"] - total["displaced_abroad"]
    assert (both["households"] == in_setting).all()
    for group_col, total_col in (
        ("residents", "residents"),
        ("trapped", "households_trapped"),
        ("displaced_people", "displaced_people"),
        ("moves", "moves_total"),
        ("moves_forced", "moves_forced"),
        *[(b, b) for b in barriers],
    ):
        assert (both[group_col] == total[total_col]).all(), group_col


#: a household keen to relocate with its village (high perceived risk, a damaged home, little
#: attachment): the relocation tests' villagers
KEEN_TO_RELOCATE = {"risk": 5.0, "damage": 0.9, "attachment": 0.1}
#: Fiji's relocation stages and capacity (scenarios/settings/fiji.toml), as lever overrides
FIJI_RELOCATION = {
    "relocation.enabled": True,
    "relocation.assessment_years": 1.0,
    "relocation.consultation_years": 2.0,
    "relocation.building_years": 4.0,
    "relocation.sites_per_year": 0.85,
    "relocation.trigger_displaced_share": 0.25,
    "relocation.trigger_slr_margin_m": 0.0,
}
