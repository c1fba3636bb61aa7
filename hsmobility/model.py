"""MobilityModel: households of one island setting living month by month through hazards.

The model builds the :class:`~hsmobility.world.state.World` and steps it; :meth:`step` is the
monthly schedule and shows what each phase hands to the next.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from hsmobility import indicators
from hsmobility.config.params import load_parameters
from hsmobility.config.regimes import build_regime
from hsmobility.config.scenario import check_event, load_scenario, load_setting
from hsmobility.config.schemas import Scenario, ScenarioError, Setting, parse_event, validate
from hsmobility.phases.channels import channels
from hsmobility.phases.choices import decide_moves
from hsmobility.phases.demography import demography
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.groups import regroup
from hsmobility.phases.hazards import hazards_of_the_month
from hsmobility.phases.immigration import immigrate
from hsmobility.phases.impacts import Hit, damage, displace, inundation
from hsmobility.phases.internal_returns import return_to_home_island
from hsmobility.phases.moves import moves
from hsmobility.phases.pathways import pathways, seasonal_at_start
from hsmobility.phases.perception import update_perception
from hsmobility.phases.protection import payouts
from hsmobility.phases.recovery import repair, return_home
from hsmobility.phases.relocation import relocation
from hsmobility.phases.returns import return_from_abroad, settle_seasonal
from hsmobility.phases.seafarers import seafarers
from hsmobility.phases.works import public_works
from hsmobility.world.geography import island_space
from hsmobility.world.hazards import MonthHazards, add_event, event_step
from hsmobility.world.households import (
    DISPLACEMENT_NAMES,
    STATUS_NAMES,
    Displacement,
    Household,
    Status,
)
from hsmobility.world.options import Kind
from hsmobility.world.policy import build_policy, pathway_remap
from hsmobility.world.state import World, build_world

#: the functions step() calls, in order (docs/ODD.md section 3 names exactly these)
SCHEDULE = (
    "demography",
    "regroup",
    "hazards_of_the_month",
    "evacuate",
    "public_works",
    "damage",
    "payouts",
    "inundation",
    "displace",
    "repair",
    "return_home",
    "seafarers",
    "income_and_savings",
    "update_perception",
    "decide_moves",
    "pathways",
    "channels",
    "moves",
    "return_to_home_island",
    "relocation",
    "settle_seasonal",
    "return_from_abroad",
    "immigrate",
    "record",
)


class MobilityModel(mesa.Model):
    """Households of a Pacific or Caribbean setting, month by month.

    Args:
        setting: a setting's name (``"tuvalu"``), a ready-made scenario's name or file, a
            validated :class:`Scenario`, or a :class:`Setting` object (e.g. a synthetic one).
        scenario_file: a scenario TOML file whose fields are the defaults (replaces ``setting``).
        regime, ssp, seed, years, scale, start_year, start_month, stochastic_cyclones,
            cyclone_intensity_shift, cyclone_frequency_change, events: replace the scenario's
            fields (see :class:`~hsmobility.config.schemas.Scenario`).
        levers: lever overrides ``{"ballots.quota_multiplier": 3}``, on top of the scenario's.
        params: model-parameter overrides ``{"recovery.repair_rate": 0.2}``.
        island_table: collect the per-island monthly table (ensembles that discard it skip it).
    """

    def __init__(
        self,
        setting: str | Path | Scenario | Setting = "tuvalu",
        *,
        scenario_file: str | Path | None = None,
        regime: str | None = None,
        ssp: str | None = None,
        seed: int | None = None,
        years: int | None = None,
        scale: int | None = None,
        start_year: int | None = None,
        start_month: int | None = None,
        stochastic_cyclones: bool | None = None,
        cyclone_intensity_shift: float | None = None,
        cyclone_frequency_change: float | None = None,
        events: list[dict[str, Any]] | None = None,
        levers: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        island_table: bool = True,
    ) -> None:
        fields = dict(
            regime=regime,
            ssp=ssp,
            seed=seed,
            years=years,
            scale=scale,
            start_year=start_year,
            start_month=start_month,
            stochastic_cyclones=stochastic_cyclones,
            cyclone_intensity_shift=cyclone_intensity_shift,
            cyclone_frequency_change=cyclone_frequency_change,
            events=events,
        )
        fields = {k: v for k, v in fields.items() if v is not None}
        setting_obj: Setting | None = None
        if scenario_file is not None:
            spec = load_scenario(scenario_file, **fields)
        elif isinstance(setting, Scenario):
            data = {**setting.model_dump(), **fields}
            spec = validate(Scenario, data, "MobilityModel") if fields else setting
        elif isinstance(setting, Setting):
            setting_obj = setting
            spec = validate(Scenario, {"setting": setting.name, **fields}, "MobilityModel")
        else:
            spec = load_scenario(setting, **fields)
        if levers or params:
            spec = spec.model_copy(
                update={
                    "levers": {**spec.levers, **(levers or {})},
                    "params": {**spec.params, **(params or {})},
                }
            )
        super().__init__(rng=spec.seed)
        self.spec: Scenario = spec  # (Mesa 3.5 reserves `scenario`)
        # the setting as a run starting in its year sees it (diaspora counted then: issue 8)
        setting_obj = (setting_obj or load_setting(spec.setting)).at_year(spec.start_year)
        parameters = load_parameters(spec.params, "scenario params")
        regime_obj = build_regime(spec.regime, setting_obj, spec.levers, "scenario levers")
        self.world: World = build_world(spec, setting_obj, parameters, regime_obj)
        self.island_table = island_table
        # the Mesa Network of islands; households are placed on their island's cell
        self.space = island_space(setting_obj, self.random)
        self._placed = np.full(0, -1, dtype=np.int64)
        self._agents: list[Household] = []
        # seasonal workers already away in the start month (issue 8, ninth session), before
        # the burn-in so that their pay settles their households' savings too
        seasonal_at_start(self.world)
        self._burn_in()
        self._add_agents(np.arange(self.world.households.n))
        #: agents (rows) and real people at the start
        self.households_start = self.world.households.n
        self.population_start = int(self.world.households.size.sum()) * spec.scale
        self.month: MonthHazards | None = None
        self.datacollector = mesa.DataCollector(
            model_reporters={name: _reporter(name) for name in indicators.MONTHLY},
            tables={"islands": indicators.ISLANDS, "groups": indicators.GROUPS},
        )
        self._current: dict[str, Any] = {}

    # ---------------------------------------------------------------- the monthly step
    def step(self) -> None:
        """One month, phase by phase: each phase gets what earlier ones produced."""
        w = self.world
        if w.t + 1 >= w.n_months:
            self.running = False
            return
        w.begin_month()
        formed = demography(w)
        self._add_agents(formed)
        regroup(w)
        month = hazards_of_the_month(w)
        evacuate(w, month)
        public_works(w)
        hit = damage(w, month)
        payouts(w, month, hit.severe_now)
        inundation(w, hit.flooded)
        displaced = displace(w, month, hit.new_damage, hit.storm_unlivable)
        repair(w)
        back = return_home(w)
        if len(back):
            inundation(w)  # a home on land lost to the sea while away: moved on at once
        seafarers(w)
        income_and_savings(w, month, hit)
        update_perception(w, month, hit)
        choices = decide_moves(w, hit)
        pathways(w, displaced)
        channels(w)
        self._add_agents(moves(w, choices).formed)
        return_to_home_island(w)
        relocation(w, displaced)
        settled = settle_seasonal(w)
        self._add_agents(settled)
        return_from_abroad(w)
        self._add_agents(immigrate(w))
        self.record(month)
        if w.t + 1 >= w.n_months:
            self.running = False

    def run(self) -> MobilityModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    def _burn_in(self) -> None:
        """Let the households settle before the first recorded month (issue 9).

        For ``decisions.burn_in_months`` unrecorded months, households reconsider as in
        :func:`decide_moves` with no hazard, choosing among staying and the internal moves (to
        the capital, to high ground: the same options under every regime), and their choices are
        carried out; livelihoods run without hazard so that savings settle to what households
        earn and spend (incomes are put back to their start-year level), and seafarers (where
        the setting has them) sign on and off, so that the record starts with crews at sea whose
        contracts end month by month; seasonal workers away at the start
        (:func:`~hsmobility.phases.pathways.seasonal_at_start`) send their pay each burn-in month
        and stay away as long as at the start (the clock does not move); households on the
        capital with family land elsewhere go back at ``capital_return_rate`` (so the record
        starts with both internal flows running); nothing else happens (no demography, hazard,
        move abroad, ballot or event), and the run's clock, counts and log start afresh after
        it. Those who moved are at home at their new place. Without it, households whose wish
        for the capital the starting population does not reflect all leave in the first year,
        a wave the censuses never show. Events and recorded months keep their dates.
        """
        w = self.world
        n = w.params.decisions.burn_in_months
        if n == 0:
            return
        hh = w.households
        # only staying and the internal moves are on offer, whatever the regime (its pathways
        # and subsidies would otherwise change the start): the initial population stays the
        # same across regimes and pathways
        options = w.policy.options
        w.policy.options = [o for o in options if o.kind in (Kind.STAY, Kind.CAPITAL, Kind.HIGHER)]
        calm = Hit(
            new_damage=np.zeros(hh.n, dtype=np.float32),
            flooded=np.zeros(hh.n, dtype=bool),
            severe_now=np.zeros(0, dtype=np.int64),
        )
        n_isl = len(w.setting.islands)
        calm_month = MonthHazards(
            wind_ms=np.zeros(n_isl), king_tide=np.zeros(n_isl, dtype=bool), drought=False
        )
        # livelihoods run too, so that savings start the record settled to what households
        # earn, spend and owe (drawn savings otherwise drain over the first year, and moves
        # with them); incomes keep their start-year level
        income = hh.income.copy()
        moved = np.zeros(hh.n, dtype=bool)
        seasonal_left = hh.seasonal_left.copy()
        for _ in range(n):
            w.t = -1
            w.begin_month()  # month 0's clock: links, offers and draws as at the start
            seafarers(w)  # crews at sea from the start: their allotments settle savings too
            income_and_savings(w, calm_month, calm)
            hh.seasonal_left[:] = seasonal_left  # the economy counts seasons down; month 0's clock
            moved[moves(w, decide_moves(w, calm)).moved] = True
            moved[return_to_home_island(w)] = True
        hh.income[:] = income
        w.policy.options = options
        hh.status[moved] = Status.HOME
        hh.forced[moved] = False
        hh.moved_step[moved] = -1
        hh.aspires[:] = False
        hh.trapped[:] = False
        hh.voluntary_stayer[:] = False
        hh.barrier[:] = 0
        w.t = -1
        w.begin_month()
        w.t = -1
        w.totals.clear()
        w.events.clear()

    # ---------------------------------------------------------------- between months
    def trigger_cyclone(self, island: str, category: int, distance_km: float = 0.0) -> None:
        """Queue a cyclone of ``category`` (0-5) on ``island``: it strikes in the next step."""
        if isinstance(category, bool) or not isinstance(category, int | np.integer):
            raise ScenarioError(f"cyclone category: expected an integer 0 to 5, got {category!r}")
        if not 0 <= int(category) <= 5:
            raise ScenarioError(f"cyclone category: expected 0 to 5, got {category!r}")
        if not np.isfinite(distance_km) or not 0 <= distance_km <= 2000:
            raise ScenarioError(f"cyclone distance_km: expected 0 to 2000, got {distance_km!r}")
        self.world.setting.island_index(island)  # raises a clear error for an unknown island
        self.trigger_event(
            "cyclone", island=island, category=int(category), distance_km=float(distance_km)
        )

    def trigger_event(self, kind: str, **fields: Any) -> Any:
        """Add an event of any kind to the run, as a scenario file's ``[[events]]`` would.

        ``kind`` is one of ``cyclone``, ``evacuation-order``, ``volcanic-eruption``, ``swell``,
        ``king-tide``, ``drought``; ``fields`` are the event's fields in the scenario file
        (see :mod:`hsmobility.config.schemas`), e.g. ``trigger_event("evacuation-order",
        islands=["Ambae-Maewo"], destinations=[{"island": "Espiritu Santo",
        "capacity_people": 8000}], lifted="2031-09")``. ``date`` defaults to the next month
        (the event happens in the next step) and may not be in the past. Every field is checked
        first: a problem raises a one-line :class:`ScenarioError` naming it. Returns the
        validated event.
        """
        w = self.world
        where = f"trigger_event({kind})"
        if w.t + 1 >= w.n_months:
            raise ScenarioError(f"{where}: the run is over; no month left for an event")
        next_month = f"{int(w.hazards.year[w.t + 1])}-{int(w.hazards.month[w.t + 1]):02d}"
        event = parse_event({"kind": kind, "date": next_month, **fields}, where)
        check_event(event, w.setting, self.spec, where)
        if event_step(event.date, self.spec) <= w.t:
            raise ScenarioError(
                f"{where}.date: {event.date} has passed; expected {next_month} or later"
            )
        add_event(w.hazards, event, w.setting, self.spec, w.params, origin="injected")
        return event

    def set_regime(self, regime: str | None = None, **lever_overrides: Any) -> None:
        """Change the regime, or some of its levers, from the next month on.

        ``regime`` names a regime (default: keep the one in force, with its lever overrides);
        ``lever_overrides`` are ``lever__param=value`` pairs (``ballots__quota_multiplier=3``)
        on top of it. What policies already did stays done (works built, relocation programmes
        decided, visas granted this year); a household drawn in a ballot keeps its draw while
        that ballot exists. The change is written in the event log.
        """
        w = self.world
        old = w.policy
        given = {k.replace("__", ".", 1): v for k, v in lever_overrides.items()}
        name = regime or old.regime.name
        levers = {**(self.spec.levers if regime is None else {}), **given}
        new_regime = build_regime(name, w.setting, levers, "set_regime")
        w.policy = build_policy(new_regime, w.setting, before=old)
        remap = pathway_remap(old.pathway_names, w.policy.pathway_names)
        hh = w.households
        hh.drawn_pathway[:] = remap[hh.drawn_pathway]
        hh.pathway_used[:] = remap[hh.pathway_used]
        hh.seasonal_scheme[:] = remap[hh.seasonal_scheme]
        self.spec = self.spec.model_copy(update={"regime": name, "levers": levers})
        what = f"regime {new_regime.title}" if name != old.regime.name else "levers changed"
        detail = ", ".join(f"{k} = {v}" for k, v in given.items())
        w.log(f"policy: {what}" + (f" ({detail})" if detail else "") + ", from next month")

    # ---------------------------------------------------------------- agents
    def _add_agents(self, rows: np.ndarray) -> None:
        """Mesa agents for new household rows, placed on their island's cell."""
        for row in rows:
            self._agents.append(Household(self, int(row)))
        self._placed = np.concatenate([self._placed, np.full(len(rows), -1, dtype=np.int64)])
        self._place_agents()

    def _place_agents(self) -> None:
        """Move the agents whose household changed island to that island's cell."""
        island = self.world.households.island
        moved = np.flatnonzero(island != self._placed)
        for row in moved:
            agent = self._agents[row]
            if self._placed[row] >= 0:
                self.space[int(self._placed[row])].remove_agent(agent)
            if island[row] >= 0:
                self.space[int(island[row])].add_agent(agent)
        self._placed[moved] = island[moved]

    # ---------------------------------------------------------------- indicators and log
    def record(self, month: MonthHazards) -> None:
        """Collect this month's indicators and write storms into the event log."""
        w = self.world
        self._place_agents()
        self.month = month
        for cyc in month.storms:
            if cyc.wind_ms.max() < w.params.cyclones.damage_threshold_ms:
                continue
            i = cyc.hardest_hit
            what = f"category {cyc.category} cyclone" if cyc.category else "tropical storm"
            n_new = int(w.counts["displaced_new"]) * w.scale
            name = f" {cyc.name}" if cyc.name else ""
            w.log(
                f"{what}{name} hits {w.setting.islands[i].name} "
                f"({cyc.wind_ms[i]:.0f} m/s); "
                f"{n_new} household{'' if n_new == 1 else 's'} displaced this month"
            )
        w.end_month()
        self._current = indicators.monthly_record(w, month)
        self.datacollector.collect(self)
        if self.island_table:
            for row in indicators.island_records(w, month):
                self.datacollector.add_table_row("islands", row)
        for row in indicators.group_records(w):
            self.datacollector.add_table_row("groups", row)

    # ---------------------------------------------------------------- reading the run
    @property
    def households(self):
        """The household table (numpy columns, one row per household)."""
        return self.world.households

    @property
    def setting(self) -> Setting:
        return self.world.setting

    @property
    def params(self):
        return self.world.params

    @property
    def scale(self) -> int:
        return self.world.scale

    @property
    def hazards(self):
        return self.world.hazards

    @property
    def month_index(self) -> int:
        """Index of the last month stepped (-1 before the first)."""
        return self.world.t

    @property
    def event_log(self) -> list[tuple[int, str]]:
        """(month number, plain-words line), oldest first."""
        return self.world.events

    @property
    def ballot_log(self) -> list[dict[str, Any]]:
        return self.world.ballot_log

    @property
    def month_label(self) -> str:
        """The last month stepped, e.g. "March 2031"."""
        return self.world.month_label()

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
        return indicators.summarise(
            self.world,
            self.monthly(),
            self.groups_monthly(),
            self.households_start * self.scale,
            self.population_start,
        )

    def status_counts(self) -> dict[str, int]:
        counts = np.bincount(self.world.households.status, minlength=len(Status))
        return {s.name.lower(): int(counts[s]) * self.scale for s in Status}

    def island_status(self) -> pd.DataFrame:
        """Households by status per home island now, for a map: one row per island with its
        coordinates; displaced households by where they stay; trapped households apart."""
        w = self.world
        hh, k, n_isl = w.households, w.scale, len(w.setting.islands)
        home = hh.home_island.astype(np.int64)
        rows: dict[str, Any] = {
            "island": [i.name for i in w.setting.islands],
            "lon": [i.lon for i in w.setting.islands],
            "lat": [i.lat for i in w.setting.islands],
            "capital": [i.capital for i in w.setting.islands],
        }
        for s, name in enumerate(STATUS_NAMES):
            rows[name] = np.bincount(home[hh.status == s], minlength=n_isl) * k
        displaced = hh.status == Status.DISPLACED
        for d, name in enumerate(DISPLACEMENT_NAMES):
            if d != Displacement.NONE:
                sel = displaced & (hh.displacement == d)
                rows[f"displaced_{name}"] = np.bincount(home[sel], minlength=n_isl) * k
        rows["trapped"] = np.bincount(home[hh.trapped], minlength=n_isl) * k
        live = hh.island >= 0
        rows["living_here"] = np.bincount(hh.island[live], minlength=n_isl) * k
        return pd.DataFrame(rows)


def _reporter(name: str):
    def report(model: MobilityModel) -> Any:
        return model._current[name]

    report.__name__ = f"report_{name}"
    return report
