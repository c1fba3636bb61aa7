"""MobilityModel: households of one island setting living month by month through hazards."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from hsmobility import indicators
from hsmobility.config.params import Parameters, load_parameters
from hsmobility.config.regimes import build_regime
from hsmobility.config.scenario import load_scenario, load_setting
from hsmobility.config.schemas import Scenario, ScenarioError, Setting
from hsmobility.phases.adaptation import adaptation_works
from hsmobility.phases.demography import demography
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.impacts import damage_and_displacement
from hsmobility.phases.moves import build_context, build_options, decisions_phase, moves_phase
from hsmobility.phases.pathways import pathways_phase
from hsmobility.phases.perception import update_perception
from hsmobility.phases.recovery import recover_and_return
from hsmobility.phases.relocation import relocation_phase
from hsmobility.world.geography import island_distances_km, island_space
from hsmobility.world.hazards import generate_hazards, make_cyclone, stable_key
from hsmobility.world.households import Household, HouseholdTable, Status, initial_households

#: independent random streams for household draws, one per phase (hazards have their own)
STREAMS = ("init", "demography", "impacts", "recovery", "decisions", "pathways", "moves")
MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass
class Now:
    """Hazards and transient per-household flags of the month in progress."""

    wind_ms: np.ndarray
    king_tide: np.ndarray
    drought: bool
    flooded: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    new_damage: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))
    #: rows displaced this month
    displaced_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    #: rows that chose to do something this month, and the option each chose
    chooser: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    choice: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


class MobilityModel(mesa.Model):
    """Households of a Pacific or Caribbean setting, month by month.

    Args:
        scenario: a validated :class:`Scenario`, a scenario file, or a setting's name.
        island_table: collect the per-island monthly table (ensembles that discard it skip it).
        **overrides: scenario fields to replace (``years=10``, ``seed=3``, ``regime=...``).
    """

    def __init__(
        self,
        scenario: Scenario | str | Path = "tuvalu",
        *,
        island_table: bool = True,
        **overrides: Any,
    ) -> None:
        if not isinstance(scenario, Scenario):
            scenario = load_scenario(scenario, **overrides)
        elif overrides:
            scenario = scenario.model_copy(update=overrides)
        super().__init__(rng=scenario.seed)
        self.spec: Scenario = scenario  # (Mesa 3.5 reserves `scenario`)
        self.setting: Setting = load_setting(scenario.setting)
        self.params: Parameters = load_parameters(scenario.params, "scenario params")
        self.regime = build_regime(
            scenario.regime, self.setting, scenario.levers, "scenario levers"
        )
        self.options = build_options(self.regime, self.setting)
        self.context = build_context(self.setting)
        self.destination_index = {d.name: k for k, d in enumerate(self.setting.destinations)}
        self.scale = scenario.scale
        self.island_table = island_table
        self.n_months = scenario.years * 12

        # household streams depend on seed and setting only, one per phase
        seq = np.random.SeedSequence([scenario.seed, stable_key(self.setting.name), 1])
        self.streams = dict(
            zip(STREAMS, (np.random.default_rng(s) for s in seq.spawn(len(STREAMS))), strict=True)
        )

        # hazards: their own stream (seed, setting, pathway), never the regime's
        self.hazards = generate_hazards(self.setting, scenario, self.params)

        # islands: the Network space, and per-island state arrays
        islands = self.setting.islands
        self.space = island_space(self.setting, self.random)
        self.capital = self.setting.capital_index
        dist = island_distances_km(self.setting)
        np.fill_diagonal(dist, np.inf)
        self.refuge_island = np.array(
            [
                self.capital if i != self.capital or len(islands) == 1 else int(np.argmin(dist[i]))
                for i in range(len(islands))
            ]
        )
        road_linked = {
            self.setting.island_index(e)
            for link in self.setting.links
            if link.mode == "road"
            for e in (link.a, link.b)
        }
        self.separate_island = np.array([i not in road_linked for i in range(len(islands))])
        self.lowlying_elevation_m = np.array([i.lowlying_elevation_m for i in islands])
        self.inundated = np.zeros(len(islands), dtype=bool)
        self.inundated_behind_works = np.zeros(len(islands), dtype=bool)
        self.exit_capacity = exit_capacity(self.space.G, self.capital)
        # policy state
        self.protection_built = False
        self.retrofit_credit = 0.0
        reloc = self.regime.levers.relocation
        self.relocation_eligible = np.array(
            [not reloc.islands or i.name in reloc.islands for i in islands]
        )
        self.relocation_start = np.full(len(islands), -1)
        self.relocation_size = np.zeros(len(islands))
        self.relocation_credit = np.zeros(len(islands))
        self.humanitarian_quota = sum(
            p.quota_per_year for p in self.regime.pathways if p.kind == "humanitarian"
        )
        self.humanitarian_left = self.humanitarian_quota
        self.ballot_log: list[dict[str, Any]] = []
        self.links_cut_until = np.full(len(islands), -1)
        self.island_closed_until = np.full(len(islands), -1)

        # households: columns and their agent views
        self.households = HouseholdTable(len(self.setting.destinations))
        rows = self.households.append(
            initial_households(self.setting, self.params, self.scale, self.streams["init"])
        )
        for row in rows:
            Household(self, int(row))
        self.households_start = self.households.n
        self.population_start = int(self.households.size.sum()) * self.scale

        self.month_index = -1
        self.counts: Counter[str] = Counter()
        self.totals: Counter[str] = Counter()
        self.pending_events: list[Any] = []
        self.event_log: list[tuple[int, str]] = []
        self.now = Now(np.zeros(len(islands)), np.zeros(len(islands), bool), False)
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in indicators.MONTHLY},
            tables={"islands": indicators.ISLANDS, "groups": indicators.GROUPS},
        )
        self._current: dict[str, Any] = {}

    # ---------------------------------------------------------------- the monthly step
    def step(self) -> None:
        """One month, phase by phase (DESIGN.md section 2)."""
        if self.month_index + 1 >= self.n_months:
            self.running = False
            return
        self.month_index += 1
        self.counts = Counter()
        demography(self)
        self.hazards_arrive()
        adaptation_works(self)
        damage_and_displacement(self)
        recover_and_return(self)
        income_and_savings(self)
        update_perception(self)
        decisions_phase(self)
        pathways_phase(self)
        moves_phase(self)
        relocation_phase(self)
        self.record()
        if self.month_index + 1 >= self.n_months:
            self.running = False

    def run(self) -> MobilityModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    # ---------------------------------------------------------------- phases kept here
    def hazards_arrive(self) -> None:
        """This month's hazards: the drawn series plus any events injected since last month."""
        t = self.month_index
        for category, island, distance_km in self.pending_events:
            cyc = make_cyclone(self.setting, self.params, t, category, island, distance_km)
            self.hazards.add(cyc)
        self.pending_events = []
        hz = self.hazards
        self.now = Now(hz.wind_ms[t].copy(), hz.king_tide[t].copy(), bool(hz.drought[t]))

    def trigger_cyclone(self, island: str, category: int, distance_km: float = 0.0) -> None:
        """Queue a cyclone of ``category`` (0-5) on ``island``: it strikes in the next step."""
        if not 0 <= int(category) <= 5:
            raise ScenarioError(f"cyclone category: expected 0 to 5, got {category!r}")
        self.setting.island_index(island)  # raises a clear error for an unknown island
        self.pending_events.append((int(category), island, float(distance_km)))

    def form_households(self, parents: np.ndarray, rng: np.random.Generator) -> None:
        """Large households split: the young household keeps island, band, ties and attachment."""
        hh = self.households
        size = hh.size[parents]
        child_size = size // 2
        hh.size[parents] = size - child_size
        gift = hh.savings[parents] * 0.1
        hh.savings[parents] -= gift
        island_mean = (
            self.setting.household_income_usd
            * np.array([i.income_factor for i in self.setting.islands])[hh.home_island[parents]]
        )
        sigma = self.setting.income_sigma
        income = rng.lognormal(np.log(island_mean) - sigma**2 / 2, sigma)
        same = (
            "home_island", "island", "destination", "status", "displacement", "band",
            "attachment", "quintile", "female_head", "disability", "skills", "forced",
            "protected",
        )  # fmt: skip
        cols = {name: getattr(hh, name)[parents] for name in same}
        cols["ties"] = hh.ties[parents]
        cols.update(
            size=child_size,
            head_age=rng.integers(20, 31, len(parents)),
            income=income,
            savings=gift,
            risk=hh.risk[parents],
            damage=hh.damage[parents],
            formed_step=np.full(len(parents), self.month_index),
        )
        rows = self.households.append(cols)
        for row in rows:
            Household(self, int(row))
        self.counts["households_formed"] += len(rows)

    # ---------------------------------------------------------------- indicators and log
    def record(self) -> None:
        """Collect this month's indicators and write storms into the event log."""
        t = self.month_index
        for cyc in (c for c in self.hazards.cyclones if c.step == t):
            if cyc.wind_ms.max() < self.params.cyclones.damage_threshold_ms:
                continue
            i = cyc.hardest_hit
            what = f"category {cyc.category} cyclone" if cyc.category else "tropical storm"
            name = f" {cyc.name}" if cyc.name else ""
            self.log(
                f"{what}{name} hits {self.setting.islands[i].name} "
                f"({cyc.wind_ms[i]:.0f} m/s); "
                f"{self.counts['displaced_new'] * self.scale} households displaced this month"
            )
        self.totals.update(self.counts)
        self._current = indicators.monthly_record(self)
        self.datacollector.collect(self)
        if self.island_table:
            for row in indicators.island_records(self):
                self.datacollector.add_table_row("islands", row)
        for row in indicators.group_records(self):
            self.datacollector.add_table_row("groups", row)

    def log(self, text: str) -> None:
        """Add a plain-words line to the event log, dated with the current month."""
        t = max(self.month_index, 0)
        date = f"{MONTH_NAMES[int(self.hazards.month[t]) - 1]} {int(self.hazards.year[t])}"
        self.event_log.append((t + 1, f"{date}: {text}"))

    @property
    def calendar_month(self) -> int:
        return int(self.hazards.month[self.month_index])

    def monthly(self) -> pd.DataFrame:
        """Monthly totals, one row per simulated month."""
        if not self._current:
            return pd.DataFrame(columns=indicators.MONTHLY)
        return self.datacollector.get_model_vars_dataframe()[indicators.MONTHLY]

    def islands_monthly(self) -> pd.DataFrame:
        """Monthly indicators per island."""
        return self.datacollector.get_table_dataframe("islands")

    def groups_monthly(self) -> pd.DataFrame:
        """Monthly indicators per group of households (leave no one behind)."""
        return self.datacollector.get_table_dataframe("groups")

    def summary(self) -> dict[str, Any]:
        return indicators.summarise(self)

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self.households.status, minlength=len(Status))
        return {s.name.lower(): int(counts[s]) * self.scale for s in Status}


def exit_capacity(graph: Any, capital: int) -> np.ndarray:
    """Households a month that can leave each island: its first link towards the capital."""
    import networkx as nx

    cap = np.zeros(graph.number_of_nodes())
    paths = nx.single_source_shortest_path(graph, capital)
    for node, path in paths.items():
        if node != capital:
            cap[node] = graph.edges[path[-1], path[-2]]["capacity"]
    cap[capital] = np.inf
    return cap


def _reporter(name: str):
    def report(model: MobilityModel) -> Any:
        return model._current[name]

    report.__name__ = f"report_{name}"
    return report
