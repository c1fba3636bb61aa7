"""The World: all state a phase may touch, separate from the model that steps it.

Phases are functions of the World and of what earlier phases produced this month; they change
the World's household table and policy state, add to this month's declared counts, and write
the event log. Nothing else is shared between them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hsmobility.config.params import Parameters
from hsmobility.config.regimes import Regime
from hsmobility.config.schemas import Scenario, Setting
from hsmobility.world.counters import COUNTER_NAMES, Counts
from hsmobility.world.geography import Geography, build_geography
from hsmobility.world.hazards import HazardSeries, generate_hazards, stable_key
from hsmobility.world.households import HouseholdTable, initial_households, initial_members
from hsmobility.world.kin import start_capital_kin, start_origins
from hsmobility.world.options import Context, build_context
from hsmobility.world.policy import Policy, build_policy

#: independent random streams for household draws, one per phase (hazards have their own)
#: (a new stream goes at the end: spawned streams keep their index, so earlier ones are unchanged)
STREAMS = ("init", "demography", "impacts", "recovery", "decisions", "pathways", "moves",
           "survival", "slowonset", "members", "immigration", "kin", "seafarers",
           "relocation", "capital_return", "town")  # fmt: skip
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass
class Land:
    """Islands whose low-lying land the sea has taken (and, behind works, overtopped)."""

    inundated: np.ndarray
    inundated_behind_works: np.ndarray
    #: per island, the habitability its low-lying households lived through at the last
    #: wash-over (or the run's start): those still there tolerate it (issue 9, slow onset);
    #: for land behind works, and for open land (set at the first month, NaN until then)
    overwash_seen_works: np.ndarray | None = None
    overwash_seen: np.ndarray | None = None


@dataclass
class Access:
    """Islands cut off: links down after a storm, or closed after an evacuation."""

    links_cut_until: np.ndarray  # last step its links are cut (-1 = open)
    closed_until: np.ndarray  # last step it is closed to returns (-1 = open)
    #: fraction of an agent's place on each island's link carried to next month (with
    #: ``scale`` > 1 a link's capacity is rarely a whole number of agents)
    transport_credit: np.ndarray


@dataclass
class Refuge:
    """Where people can shelter on each island, whether its services work, and where each
    household spends this month's storm (set by ``evacuation.warn`` before the damage)."""

    #: people each island's evacuation centres hold (``shelter_places_per_person`` x residents)
    shelter_places: np.ndarray
    #: share of each island's services (water, power, clinics, schools) working, 0..1
    services: np.ndarray
    #: per household row, this month: 0 at home, 1 in a centre, 2 with kin (warned ahead)
    storm_refuge: np.ndarray

    def refuge_of(self, n: int) -> np.ndarray:
        """This month's ``storm_refuge`` for a table of ``n`` rows (0 for rows added since)."""
        out = np.zeros(n, dtype=np.int8)
        m = min(n, len(self.storm_refuge))
        out[:m] = self.storm_refuge[:m]
        return out


@dataclass
class World:
    """Everything a run's phases read and change."""

    spec: Scenario
    setting: Setting
    params: Parameters
    geo: Geography
    context: Context
    policy: Policy
    hazards: HazardSeries
    households: HouseholdTable
    streams: dict[str, np.random.Generator]
    land: Land
    access: Access
    refuge: Refuge
    scale: int
    n_months: int
    #: index of the month in progress (-1 before the first step)
    t: int = -1
    counts: Counts = field(default_factory=Counts)
    #: counts summed over the run so far, and moves by pathway
    totals: Counter[str] = field(default_factory=Counter)
    #: (step, plain-words line)
    events: list[tuple[int, str]] = field(default_factory=list)
    #: one row per ballot draw
    ballot_log: list[dict[str, Any]] = field(default_factory=list)

    @property
    def calendar_month(self) -> int:
        return int(self.hazards.month[self.t])

    @property
    def year(self) -> int:
        return int(self.hazards.year[self.t])

    def month_label(self, t: int | None = None) -> str:
        """ "March 2031" for step ``t`` (default: the month in progress)."""
        t = max(self.t if t is None else t, 0)
        return f"{MONTH_NAMES[int(self.hazards.month[t]) - 1]} {int(self.hazards.year[t])}"

    def log(self, text: str) -> None:
        """Add a plain-words line to the event log, dated with the current month."""
        self.events.append((max(self.t, 0) + 1, f"{self.month_label()}: {text}"))

    def begin_month(self) -> int:
        """Advance the clock and start this month's counts; returns the month's index."""
        self.t += 1
        self.counts = Counts()
        self.households.moves_month[:] = 0
        self.households.forced_moves_month[:] = 0
        return self.t

    def end_month(self) -> None:
        """Add this month's counts to the run's totals."""
        self.totals.update(dict(self.counts.items()))
        self.totals.update({f"pathway:{k}": v for k, v in self.counts.by_pathway.items()})
        self.totals.update({f"seasonal:{k}": v for k, v in self.counts.seasonal_by_pathway.items()})
        self.totals.update({f"channel:{k}": v for k, v in self.counts.by_channel.items()})
        self.totals.update({f"return:{k}": v for k, v in self.counts.returns_by_pathway.items()})


def build_world(spec: Scenario, setting: Setting, params: Parameters, regime: Regime) -> World:
    """The World at the start of a run: hazards drawn, households placed, policies in force."""
    # household streams depend on seed and setting only, one per phase
    seq = np.random.SeedSequence([spec.seed, stable_key(setting.name), 1])
    streams = dict(
        zip(STREAMS, (np.random.default_rng(s) for s in seq.spawn(len(STREAMS))), strict=True)
    )
    n_isl = len(setting.islands)
    households = HouseholdTable(len(setting.destinations))
    world = World(
        spec=spec,
        setting=setting,
        params=params,
        geo=build_geography(setting),
        context=build_context(setting),
        policy=build_policy(regime, setting),
        # hazards: their own stream (seed, setting, pathway), never the regime's
        hazards=generate_hazards(setting, spec, params),
        households=households,
        streams=streams,
        land=Land(np.zeros(n_isl, dtype=bool), np.zeros(n_isl, dtype=bool)),
        access=Access(np.full(n_isl, -1), np.full(n_isl, -1), np.zeros(n_isl)),
        refuge=Refuge(
            shelter_places=np.array(
                [
                    round(params.displacement.shelter_places_per_person * i.population)
                    for i in setting.islands
                ],
                dtype=np.int64,
            ),
            services=np.ones(n_isl),
            storm_refuge=np.zeros(0, dtype=np.int8),
        ),
        scale=spec.scale,
        n_months=spec.years * 12,
    )
    start = initial_households(setting, params, spec.scale, streams["init"])
    start.update(
        initial_members(start["size"], start["head_age"], setting, params, streams["members"])
    )
    households.append(start)
    start_capital_kin(
        households, world.geo.capital, params.decisions.kin_capital_share, streams["kin"]
    )
    start_origins(households, world.geo.capital)
    return world


__all__ = ["COUNTER_NAMES", "MONTH_NAMES", "STREAMS", "World", "build_world"]
