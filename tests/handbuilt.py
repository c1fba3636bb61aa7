"""A small hand-built World for phase unit tests: two islands, households written out by hand.

Phases are functions of the World, so each can be checked on a few households whose every
column the test sets, without running a model.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from hsmobility.config.params import load_parameters
from hsmobility.config.regimes import build_regime
from hsmobility.config.schemas import Scenario, Setting
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import Band, Displacement, HouseholdTable, Status
from hsmobility.world.state import World, build_world

SETTING = Setting(
    name="handbuilt",
    title="Two hand-built islands",
    region="pacific",
    household_size=5.0,
    household_income_usd=12000.0,
    diaspora_earnings_usd=7200.0,  # wage premium 3 x income per person at home
    income_sigma=0.5,
    poverty_line_usd=1200.0,
    natural_increase=0.0,
    savings_months=2.0,
    children_share=0.3,
    elders_share=0.06,
    house_value_usd=20000.0,
    wind_half_damage_ms=60.0,
    cyclones={"season": "south-pacific", "per_season": 0.0, "radius_km": 300.0,
              "hurricane_share": 0.5},
    islands=[
        {"name": "Capital", "lon": 179.0, "lat": -8.5, "population": 500, "capital": True,
         "lowlying_share": 0.5, "lowlying_elevation_m": 0.5},
        {"name": "Outer", "lon": 178.5, "lat": -7.5, "population": 500,
         "lowlying_share": 0.5, "highground_share": 0.2, "lowlying_elevation_m": 1.0},
    ],
    destinations=[{"name": "New Zealand", "move_cost_usd": 5000.0, "wage_premium": 3.0,
                   "diaspora": 100, "earnings_usd": 30000.0}],
    links=[{"a": "Capital", "b": "Outer", "capacity_households_per_month": 2}],
    pathways=[{"name": "free-nz", "kind": "free-movement", "destination": "New Zealand"}],
)  # fmt: skip

#: a household that is at home on the outer island, with a little of everything
DEFAULTS: dict[str, Any] = {
    "home_island": 1, "island": 1, "status": Status.HOME, "displacement": Displacement.NONE,
    "band": Band.MID, "size": 5, "head_age": 40, "quintile": 3, "skills": 0.5,
    "income": 12000.0, "savings": 2000.0, "attachment": 0.5, "risk": 0.5,
}  # fmt: skip


def hand_built_world(
    households: list[dict[str, Any]],
    regime: str = "status-quo",
    levers: dict[str, Any] | None = None,
    params: dict[str, Any] | None = None,
    years: int = 2,
    scale: int = 1,
    setting: Setting | None = None,
) -> World:
    """A World on ``setting`` (default :data:`SETTING`) holding exactly ``households`` (each a
    dict of columns over :data:`DEFAULTS`), at its first month."""
    setting = setting or SETTING
    spec = Scenario(setting=setting.name, regime=regime, years=years, seed=1, scale=scale,
                    stochastic_cyclones=False)  # fmt: skip
    world = build_world(
        spec,
        setting,
        load_parameters(params or {}),
        build_regime(regime, setting, levers or {}),
    )
    table = HouseholdTable(len(setting.destinations))
    households = [_with_members({**DEFAULTS, **h}) for h in households]
    cols = {k: np.array([h[k] for h in households]) for k in DEFAULTS}
    extra = {k for h in households for k in h} - set(DEFAULTS)
    for k in extra:
        cols[k] = np.array([h.get(k, 0) for h in households])
    table.append(cols)
    world.households = table
    world.begin_month()
    return world


def _with_members(h: dict[str, Any]) -> dict[str, Any]:
    """A household whose members by age are not given: up to two working-age adults, the rest
    children (size == children + adults + elders, as in a model run)."""
    if not {"children", "adults", "elders"} & set(h):
        adults = min(int(h["size"]), 2)
        h = {**h, "adults": adults, "children": int(h["size"]) - adults, "elders": 0}
    return h


def calm_month(n_islands: int = 2, wind: float = 0.0, king_tide: bool = False) -> MonthHazards:
    """A month with the same wind on every island (0 = none) and optional king tides."""
    return MonthHazards(
        wind_ms=np.full(n_islands, wind),
        king_tide=np.full(n_islands, king_tide),
        drought=False,
    )
