"""Human-security indicators: per month, per island and in total, and the run summary.

Counts of households and people are multiplied by the scenario's ``scale`` so that they speak
of real households whatever the number of agents.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from hsmobility.decisions import TRAPPED_BARRIERS, Barrier
from hsmobility.phases.deaths import CAUSES as DEATH_CAUSES
from hsmobility.phases.pathways import long_stay_away
from hsmobility.world.counters import COUNTER_NAMES, COUNTERS, Counter
from hsmobility.world.groups import groups
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import (
    DISPLACEMENT_NAMES,
    STATUS_NAMES,
    Displacement,
    Status,
    is_housed,
    members_back,
    poverty_line_per_person,
)
from hsmobility.world.state import World

#: the public cost of each lever: its monthly column
COST_COLUMNS = {
    "coastal_works": "coastal_works_cost_usd",
    "early_warning": "early_warning_cost_usd",
    "shelters": "shelter_cost_usd",
    "resilient_housing": "adaptation_subsidy_usd",
    "cash_and_payouts": "protection_paid_usd",
    "assisted_travel": "assisted_travel_cost_usd",
    "settlement_support": "settlement_support_cost_usd",
    "relocation": "relocation_cost_usd",
}
NAN = float("nan")  # an undefined value (a share of nobody) is missing, not 0

#: indicators read off the household table at the end of each month
STATE = [
    "residents", "households_total",
    *[f"households_{s}" for s in STATUS_NAMES],
    "displaced_people",
    *[f"displaced_{d}" for d in DISPLACEMENT_NAMES[1:]],
    *[f"displaced_people_{d}" for d in DISPLACEMENT_NAMES[1:]],
    "people_emigrated", "long_stay_workers_away",
    "mean_months_displaced", "severely_damaged_people", "partly_livable_people",
    "members_back_people", "poverty_rate", "mean_income_usd",
    "mean_savings_usd", "households_aspiring", "households_trapped", "voluntary_stayers",
    "trapped_share", *[f"trapped_{b.name.lower()}" for b in TRAPPED_BARRIERS],
    "households_queued", "households_unentered", "households_wanted",
    "households_protected", "households_resilient",
]  # fmt: skip
#: households living in the setting (or displaced within it)
RESIDENT_HOUSEHOLDS = [f"households_{s}" for s in STATUS_NAMES if s != "abroad"]
#: indicators derived from counters
DERIVED = ["moves_total", "moves_forced"]
#: the month's hazards
HAZARDS = ["max_wind_ms", "cyclone_category", "slr_m", "drought", "king_tide_islands"]
#: per-month totals, in the order of the output table: every declared counter is reported
MONTHLY = ["step", "year", "month", *STATE, *COUNTER_NAMES, *DERIVED, *HAZARDS]

ISLANDS = [
    "step", "year", "month", "island", "residents", "households_housed",
    "households_displaced", "severely_damaged_people", "poverty_rate", "wind_ms", "king_tide",
]  # fmt: skip


def people_in_damaged_homes(
    world: World, damage: float, back: np.ndarray | None = None
) -> np.ndarray:
    """Per household, its people living in its home while the home is damaged ``damage`` or
    more (issue 9 item 4): all of a housed household (at home, returned, moved, relocated; back
    with a shelter kit or not), the working-age members back in the home of a displaced one
    (:func:`~hsmobility.world.households.members_back`, or ``back`` when the caller has it),
    nobody of a household displaced away."""
    hh = world.households
    out = np.zeros(hh.n, dtype=np.int64)
    rows = np.flatnonzero(hh.damage >= damage)  # the damaged homes only: few of all rows
    back = members_back(hh) if back is None else back
    out[rows] = np.where(is_housed(hh.status[rows]), hh.size[rows], back[rows])
    return out


def displaced_people(world: World, back: np.ndarray | None = None) -> np.ndarray:
    """Per household, its people displaced: all of a displaced household but its working-age
    members back in its home (they live there again, :func:`people_in_damaged_homes`;
    ``back``: :func:`~hsmobility.world.households.members_back` when the caller has it)."""
    hh = world.households
    back = members_back(hh) if back is None else back
    return np.where(hh.status == Status.DISPLACED, hh.size - back, 0)


def counter_value(counter: Counter, value: float, scale: int) -> float | int:
    """A counter as reported: real households (or people, US$...) for ``scale`` agents."""
    if counter.unit == "usd":
        return float(value * scale)  # float even when nothing was paid: one dtype per column
    if counter.unit == "events":
        return int(value)
    if counter.unit == "places":
        return round(value * scale)
    if counter.unit in ("islands", "villages", "village-months"):
        return int(value)
    return int(value) * scale


def monthly_record(world: World, month: MonthHazards) -> dict[str, Any]:
    """The totals of this month (at the end of each step)."""
    hh, k, t = world.households, world.scale, world.t
    status, size = hh.status, hh.size
    in_setting = (status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    displaced = status == Status.DISPLACED
    dp = world.params.displacement
    back = members_back(hh)
    severe_people = people_in_damaged_homes(world, dp.severe_damage, back)
    # of the severely damaged, those in a home still unlivable (an unlivable home may be only
    # moderately damaged: uninhabitable_damage can lie below severe_damage)
    livable_below = max(dp.uninhabitable_damage, dp.severe_damage)
    partly_livable = people_in_damaged_homes(world, livable_below, back)
    away = displaced_people(world, back)
    by_status = np.bincount(status, minlength=len(STATUS_NAMES))
    by_kind = np.bincount(hh.displacement[displaced], minlength=len(DISPLACEMENT_NAMES))
    people_by_kind = np.bincount(
        hh.displacement[displaced], weights=away[displaced], minlength=len(DISPLACEMENT_NAMES)
    )
    poor, people = poverty(world, in_setting)
    by_barrier = np.bincount(hh.barrier[hh.trapped], minlength=len(Barrier))
    deciding = int(np.sum(in_setting))
    c = world.counts
    rec: dict[str, Any] = {
        "step": t + 1,
        "year": world.year,
        "month": world.calendar_month,
        "residents": int(size[in_setting].sum()) * k,
        "households_total": hh.n * k,
        **{f"households_{s}": int(by_status[i]) * k for i, s in enumerate(STATUS_NAMES)},
        "displaced_people": int(away.sum()) * k,
        **{f"displaced_{d}": int(by_kind[i]) * k for i, d in enumerate(DISPLACEMENT_NAMES) if i},
        **{
            f"displaced_people_{d}": int(people_by_kind[i]) * k
            for i, d in enumerate(DISPLACEMENT_NAMES)
            if i
        },
        "people_emigrated": int(size[status == Status.ABROAD].sum()) * k,
        # long-stay workers away: in no household, emigrants to the UN (ODD 7.9.3)
        "long_stay_workers_away": int(long_stay_away(world).sum()) * k,
        "mean_months_displaced": float(hh.months_displaced[displaced].mean())
        if displaced.any()
        else NAN,
        "severely_damaged_people": int(severe_people.sum()) * k,
        "partly_livable_people": int(partly_livable.sum()) * k,
        "members_back_people": int(back.sum()) * k,
        "poverty_rate": poor / people if people else NAN,
        "mean_income_usd": float(hh.income_month[in_setting].mean() * 12)
        if in_setting.any()
        else NAN,
        "mean_savings_usd": float(hh.savings[in_setting].mean()) if in_setting.any() else NAN,
        "households_aspiring": int(hh.aspires.sum()) * k,
        "households_trapped": int(hh.trapped.sum()) * k,
        "voluntary_stayers": int(hh.voluntary_stayer.sum()) * k,
        "trapped_share": float(hh.trapped.sum() / deciding) if deciding else NAN,
        **{f"trapped_{b.name.lower()}": int(by_barrier[b]) * k for b in TRAPPED_BARRIERS},
        "households_queued": int(hh.queued.sum()) * k,
        "households_unentered": int(hh.unentered.sum()) * k,
        "households_wanted": int(np.sum(hh.wanted_step == t)) * k,
        "households_protected": int(hh.protected.sum()) * k,
        "households_resilient": int(hh.resilient.sum()) * k,
    }
    rec.update({ctr.name: counter_value(ctr, c[ctr.name], k) for ctr in COUNTERS})
    # a move is a change of residence: chosen or forced moves, and displacements
    rec["moves_total"] = (
        int(c["moves_abroad"] + c["moves_internal"] + c["moves_relocation"] + c["displaced_new"])
        * k
    )
    rec["moves_forced"] = int(c["moves_of_displaced"] + c["displaced_new"]) * k
    rec.update(
        max_wind_ms=float(month.wind_ms.max()),
        cyclone_category=max((s.category for s in month.storms), default=-1),
        slr_m=float(world.hazards.slr_m[t]),
        drought=bool(month.drought),
        king_tide_islands=int(month.king_tide.sum()),
    )
    return {name: rec[name] for name in MONTHLY}


def poverty(world: World, mask: np.ndarray) -> tuple[int, int]:
    """People below the poverty line, and people, among households in ``mask``."""
    hh = world.households
    below = below_poverty_line(world)[mask]
    return int(hh.size[mask][below].sum()), int(hh.size[mask].sum())


def below_poverty_line(world: World) -> np.ndarray:
    """Households whose consumption this month, per person and per need, is below the
    setting's poverty line (the HIES measure: consumption, transfers included)."""
    hh = world.households
    per_person = hh.consumption_month * 12.0 / np.maximum(hh.size, 1)
    return per_person < poverty_line_per_person(world.setting, world.params)


def island_records(world: World, month: MonthHazards) -> list[dict[str, Any]]:
    """One row per island for this month."""
    hh, k, t = world.households, world.scale, world.t
    n_isl = len(world.setting.islands)
    on = hh.island >= 0
    isl = np.where(on, hh.island, 0)
    housed = is_housed(hh.status)
    # people living in a severely damaged home are on its island (members back: their home's)
    severe = people_in_damaged_homes(world, world.params.displacement.severe_damage)
    displaced = hh.status == Status.DISPLACED
    poor = on & below_poverty_line(world)
    residents = np.bincount(isl[on], weights=hh.size[on], minlength=n_isl)
    poor_people = np.bincount(isl[poor], weights=hh.size[poor], minlength=n_isl)
    housed_n = np.bincount(isl[housed], minlength=n_isl)
    displaced_n = np.bincount(hh.home_island[displaced], minlength=n_isl)
    severe_isl = np.where(housed, isl, hh.home_island)
    severe_p = np.bincount(severe_isl, weights=severe, minlength=n_isl)
    year, cal = world.year, world.calendar_month
    return [
        {
            "step": t + 1,
            "year": year,
            "month": cal,
            "island": world.setting.islands[i].name,
            "residents": int(residents[i]) * k,
            "households_housed": int(housed_n[i]) * k,
            "households_displaced": int(displaced_n[i]) * k,
            "severely_damaged_people": int(severe_p[i]) * k,
            "poverty_rate": float(poor_people[i] / residents[i]) if residents[i] else 0.0,
            "wind_ms": float(month.wind_ms[i]),
            "king_tide": bool(month.king_tide[i]),
        }
        for i in range(n_isl)
    ]


GROUPS = [
    "step", "year", "month", "group", "households", "residents", "trapped", "voluntary_stayers",
    "displaced_people", "moves", "moves_abroad", "moves_forced", "poverty_rate",
    "severely_damaged_people",
    *[f"trapped_{b.name.lower()}" for b in TRAPPED_BARRIERS],
    "mean_income_usd",
]  # fmt: skip


def group_records(world: World) -> list[dict[str, Any]]:
    """One row per group (income quintile, female-, male-, elderly-, young-headed, disability,
    vulnerable) for this month."""
    hh, k, t = world.households, world.scale, world.t
    in_setting = (hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    # moves as in the monthly total: chosen, relocated, flooded out, and displacements
    displaced_now = hh.displaced_step == t
    moves = hh.moves_month + displaced_now
    forced = hh.forced_moves_month + displaced_now
    abroad_now = (hh.moved_step == t) & (hh.status == Status.ABROAD)
    back = members_back(hh)
    severe = people_in_damaged_homes(world, world.params.displacement.severe_damage, back)
    poor = in_setting & below_poverty_line(world)
    size = hh.size.astype(float)
    quantities = [
        in_setting, size * in_setting, hh.trapped, hh.voluntary_stayer,
        displaced_people(world, back), moves, abroad_now, forced, size * poor,
        severe,
        *[hh.trapped & (hh.barrier == b) for b in TRAPPED_BARRIERS],
        hh.income_month * 12.0 * in_setting,
    ]  # fmt: skip
    # one column per quantity; a matrix product sums each over every group at once. The
    # matrix must be households x quantities in row order (BLAS sums the income column in
    # another order on its transpose): written one quantity a row, then transposed in one copy
    # (writing each column in place touches every cache line once per column)
    by_row = np.empty((len(quantities), hh.n))
    for i, q in enumerate(quantities):
        by_row[i] = q
    values = np.ascontiguousarray(by_row.T)
    masks = groups(hh, world.params)
    sums = np.stack(list(masks.values())).astype(float) @ values
    year, month = world.year, world.calendar_month
    rows = []
    for name, v in zip(masks, sums, strict=True):
        rows.append(
            {
                "step": t + 1,
                "year": year,
                "month": month,
                "group": name,
                "households": int(v[0]) * k,
                "residents": int(v[1]) * k,
                "trapped": int(v[2]) * k,
                "voluntary_stayers": int(v[3]) * k,
                "displaced_people": int(v[4]) * k,
                "moves": int(v[5]) * k,
                "moves_abroad": int(v[6]) * k,
                "moves_forced": int(v[7]) * k,
                "poverty_rate": float(v[8] / v[1]) if v[1] else NAN,
                "severely_damaged_people": int(v[9]) * k,
                **{
                    f"trapped_{b.name.lower()}": int(v[10 + i]) * k
                    for i, b in enumerate(TRAPPED_BARRIERS)
                },
                # the last column: income of the group's households in the setting, US$ a year
                "mean_income_usd": float(v[-1] / v[0]) if v[0] else NAN,
            }
        )
    return rows


def by_group(g: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Run-level indicators per group, from the groups table."""
    if g.empty:
        return {}
    agg = g.groupby("group", sort=False).agg(
        trapped=("trapped", "sum"),
        households=("households", "sum"),
        displaced_person_months=("displaced_people", "sum"),
        moves=("moves", "sum"),
        moves_forced=("moves_forced", "sum"),
    )
    return {
        "trapped_share_by_group": {
            name: float(r.trapped / r.households) if r.households else None
            for name, r in agg.iterrows()
        },
        "displaced_person_months_by_group": {
            name: int(r.displaced_person_months) for name, r in agg.iterrows()
        },
        "forced_move_share_by_group": {
            name: float(r.moves_forced / r.moves) if r.moves else None for name, r in agg.iterrows()
        },
    }


def oversubscription(log: list[dict[str, Any]]) -> float | None:
    """People registered in a ballot per place (places are people, as the schemes count them;
    FACTS counts registrations, i.e. households, against places: Tuvalu 334 for 75); None where
    there was no ballot."""
    places = sum(r["places"] for r in log)
    return sum(r["registrations_people"] for r in log) / places if places else None


def survey_trapped_share(world: World) -> float | None:
    """Share of the people living in the setting who wanted to move in the last
    ``survey_window_years`` and could not (UNU-EHS 2015: "attempted to migrate between 2005 and
    2015 but were unable to do so", asked of the people at home): households whose blocked wish
    recurred (``wanted_min_reviews`` reviews in the window) and that have not moved since; the
    members the blocked wish concerned, all of them when it was the household's own move off
    damaged or flooded land (``wanted_whole``), else its working-age adults (at least the head:
    a household's wish is someone's); None when nobody lives there. The household-level trapped
    indicators count whole households stuck this month: a different question (ODD 7.8.6)."""
    hh = world.households
    here = (hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    people = hh.size[here].sum()
    if not people:
        return None
    p = world.params.decisions
    window = 12 * p.survey_window_years
    # the survey's "attempted to migrate ... but were unable" is an intention held, not a
    # passing wish: with ``wanted_min_reviews`` = 2 the blocked wish must have recurred, the
    # earlier review also in the window and both since the household's last move
    first = hh.wanted_step if p.wanted_min_reviews == 1 else hh.wanted_prev_step
    wanted = here & (first >= 0) & (first > world.t - window)
    wanted &= hh.moved_step < first  # one that made a move since did not fail to
    who = np.where(hh.wanted_whole, hh.size, np.maximum(hh.adults, 1))
    return float(who[wanted].sum() / people)


def _defined(value: float) -> float | None:
    """A float for the summary; None where it is undefined (NaN)."""
    return None if value != value else float(value)


def summarise(
    world: World,
    df: pd.DataFrame,
    groups_table: pd.DataFrame,
    households_start: int,
    population_start: int,
) -> dict[str, Any]:
    """The run condensed into the figures a policy team reads first (``df``: the monthly table,
    ``groups_table``: the groups table; counts at the start in real households and people)."""
    sc = world.spec
    episodes = int(df["displaced_new"].sum())
    moves = df["moves_total"].sum()
    hh_months = int(world.totals["displaced_household_months"]) * world.scale
    storms = [c for c in world.hazards.cyclones if c.step < world.t + 1]
    hurricane_ms = world.params.cyclones.surge_wind_ms
    return {
        "setting": world.setting.name,
        "regime": world.policy.regime.name,
        "ssp": sc.ssp,
        "seed": sc.seed,
        "years": sc.years,
        "start_year": sc.start_year,
        "months": len(df),
        "scale": world.scale,
        "households_start": households_start,
        "households_end": int(df[RESIDENT_HOUSEHOLDS].iloc[-1].sum()) if len(df) else 0,
        "households_abroad_end": int(df["households_abroad"].iloc[-1]) if len(df) else 0,
        "population_start": population_start,
        "population_end": int(df["residents"].iloc[-1]) if len(df) else population_start,
        "displaced_peak": int(df["displaced_people"].max()) if len(df) else 0,
        "displaced_peak_households": int(df["households_displaced"].max()) if len(df) else 0,
        "displaced_person_months": int(df["displaced_people"].sum()),
        "displacement_episodes": episodes,
        "mean_months_displaced": hh_months / episodes if episodes else None,
        "returns": int(df["returns"].sum()),
        "still_displaced_end": int(df["households_displaced"].iloc[-1]) if len(df) else 0,
        "moves_forced_inundation": int(df["moves_forced_inundation"].sum()),
        "evacuation_centre_people_peak": int(df["evacuation_centre_people"].max())
        if len(df)
        else 0,
        "severely_damaged_people_peak": int(df["severely_damaged_people"].max()) if len(df) else 0,
        "poverty_rate_end": _defined(df["poverty_rate"].iloc[-1]) if len(df) else None,
        # the monthly rate averaged over the run and over its last year (the end month is noisy)
        "poverty_rate_mean": _defined(df["poverty_rate"].mean()) if len(df) else None,
        "poverty_rate_last_year": _defined(df["poverty_rate"].iloc[-12:].mean())
        if len(df)
        else None,
        # the monthly rate averaged over each calendar year of the run (a yearly series)
        "poverty_rate_by_year": {
            str(int(y)): _defined(v) for y, v in df.groupby("year")["poverty_rate"].mean().items()
        }
        if len(df)
        else {},
        "remittances_total": float(df["remittances_usd"].sum()),
        "remittances_by_source": {
            source: float(df[f"remittances_{source}_usd"].sum())
            for source in ("diaspora", "new_emigrants", "seasonal", "seafarers")
        },
        # return from abroad and circular migration (phases/returns.py)
        "returns_from_abroad": int(df["returns_from_abroad"].sum()),
        "returns_from_abroad_by_pathway": {
            name.split(":", 1)[1]: int(n) * world.scale
            for name, n in sorted(world.totals.items())
            if name.startswith("return:")
        },
        "seasonal_settled": int(df["seasonal_settled"].sum()),
        "cyclones": len(storms),
        "cyclones_hurricane_force": sum(bool(c.wind_ms.max() >= hurricane_ms) for c in storms),
        "slr_end_m": float(df["slr_m"].iloc[-1]) if len(df) else 0.0,
        "drought_months": int(df["drought"].sum()),
        "moves_abroad": int(df["moves_abroad"].sum()),
        "moves_abroad_people": int(df["moves_abroad_people"].sum()),
        "moves_internal": int(df["moves_internal"].sum()),
        "relocated_households": int(df["moves_relocation"].sum()),
        "moves_forced": int(df["moves_forced"].sum()),
        "moves_voluntary": int(df["moves_voluntary"].sum()),
        "forced_move_share": float(df["moves_forced"].sum() / moves) if moves else None,
        "trapped_share": _defined(df["trapped_share"].mean()) if len(df) else None,
        "trapped_households_end": int(df["households_trapped"].iloc[-1]) if len(df) else 0,
        # households trapped, summed over the months (the trapped analogue of person-months)
        "trapped_household_months": int(df["households_trapped"].sum()),
        "voluntary_stayers_end": int(df["voluntary_stayers"].iloc[-1]) if len(df) else 0,
        "trapped_survey_share": survey_trapped_share(world),
        "queued_households_end": int(df["households_queued"].iloc[-1]) if len(df) else 0,
        "ballot_registrations": int(df["ballot_registrations"].sum()),
        "ballot_registrations_people": int(df["ballot_registrations_people"].sum()),
        "ballot_places": int(df["ballot_places"].sum()),
        "ballot_oversubscription": oversubscription(world.ballot_log),
        "ballot_oversubscription_by_pathway": {
            name: oversubscription([r for r in world.ballot_log if r["pathway"] == name])
            for name in sorted({r["pathway"] for r in world.ballot_log})
        },
        "moves_by_pathway": {
            name.split(":", 1)[1]: int(n) * world.scale
            for name, n in sorted(world.totals.items())
            if name.startswith("pathway:")
        },
        "moves_by_channel": {
            name.split(":", 1)[1]: int(n) * world.scale
            for name, n in sorted(world.totals.items())
            if name.startswith("channel:")
        },
        "seasonal_recruitments_by_pathway": {
            name.split(":", 1)[1]: int(n) * world.scale
            for name, n in sorted(world.totals.items())
            if name.startswith("seasonal:")
        },
        "people_at_risk_in_storm": int(df["people_at_risk_in_storm"].sum()),
        "deaths_hazard": int(df["deaths_hazard"].sum()),
        "deaths_by_cause": {c: int(df[f"deaths_{c}"].sum()) for c in DEATH_CAUSES},
        "households_resilient_end": int(df["households_resilient"].iloc[-1]) if len(df) else 0,
        "public_cost_usd": float(sum(df[c].sum() for c in COST_COLUMNS.values())),
        "public_cost_by_lever": {lever: float(df[c].sum()) for lever, c in COST_COLUMNS.items()},
        **by_group(groups_table),
        **regime_activity(world, df),
        "hazard_fingerprint": world.hazards.fingerprint(),
    }


def to_frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)


def regime_activity(world: World, df: pd.DataFrame) -> dict[str, Any]:
    """What the regime's levers did in the run, and the triggers that never fired: a regime
    that changed nothing must say so rather than look like a result."""
    levers = world.policy.levers
    total = {c: int(df[c].sum()) if c in df else 0 for c in df.columns if c in COUNTER_NAMES}
    by_pathway = {
        name.split(":", 1)[1]: int(n) * world.scale
        for name, n in world.totals.items()
        if name.startswith("pathway:")
    }
    humanitarian = sum(n for name, n in by_pathway.items() if name == "humanitarian-visa")
    activity = {
        "humanitarian_visa_openings": total.get("humanitarian_visa_openings", 0),
        "humanitarian_visa_moves": humanitarian,
        "relocation_programmes_decided": total.get("relocation_programmes_decided", 0),
        "relocation_offers": total.get("relocation_offers", 0),
        "relocation_sites_listed": total.get("relocation_sites_listed", 0),
        "relocation_sites_offered": total.get("relocation_sites_offered", 0),
        "relocation_sites_accepted": total.get("relocation_sites_accepted", 0),
        "relocation_sites_declined": total.get("relocation_sites_declined", 0),
        "relocation_sites_funded": total.get("relocation_sites_funded", 0),
        "relocation_sites_moved": total.get("relocation_sites_moved", 0),
        "households_relocated": total.get("moves_relocation", 0),
        "cash_transfers": total.get("cash_transfers", 0),
        "parametric_payouts": total.get("parametric_payouts", 0),
        "protection_paid_usd": float(df["protection_paid_usd"].sum()) if len(df) else 0.0,
        "homes_retrofitted": total.get("retrofitted", 0),
        "households_protected_end": int(df["households_protected"].iloc[-1]) if len(df) else 0,
    }
    never: list[str] = []
    if levers.humanitarian.enabled and not activity["humanitarian_visa_openings"]:
        never.append(
            "humanitarian visas: no storm displaced "
            f"{levers.humanitarian.trigger_displaced_share:.0%} of an island's households"
        )
    if levers.relocation.enabled and not activity["relocation_programmes_decided"]:
        never.append("planned relocation: no community reached its sea-level or storm trigger")
    if levers.protection.cash_transfer_usd > 0 and not activity["cash_transfers"]:
        never.append("cash transfers: no home was severely damaged")
    if levers.protection.parametric_payout_usd > 0 and not activity["parametric_payouts"]:
        trigger = levers.protection.parametric_trigger_ms
        never.append(f"parametric insurance: the wind never reached {trigger:g} m/s on an island")
    return {"regime_activity": activity, "triggers_never_fired": never}
