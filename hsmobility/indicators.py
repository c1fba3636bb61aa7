"""Human-security indicators: per month, per island and in total, and the run summary.

Counts of households and people are multiplied by the scenario's ``scale`` so that they speak
of real households whatever the number of agents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hsmobility.world.groups import groups
from hsmobility.world.households import (
    DISPLACEMENT_NAMES,
    STATUS_NAMES,
    Displacement,
    Status,
    is_housed,
)

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel

#: per-month totals, in the order of the output table
MONTHLY = [
    "step", "year", "month",
    "residents", "households_total",
    *[f"households_{s}" for s in STATUS_NAMES],
    "displaced_people",
    *[f"displaced_{d}" for d in DISPLACEMENT_NAMES[1:]],
    "mean_months_displaced", "displaced_new", "displaced_new_people", "returns",
    "evacuation_centre_people",
    "births", "deaths", "moves_forced_inundation",
    "severely_damaged_people", "poverty_rate", "mean_income_usd", "mean_savings_usd",
    "remittances_usd",
    "moves_abroad", "moves_abroad_people", "moves_internal", "moves_internal_people",
    "moves_relocation", "moves_forced", "moves_voluntary", "households_adapted_new",
    "households_aspiring", "households_trapped", "voluntary_stayers", "trapped_share",
    "ballot_registrations", "ballot_places", "seasonal_workers_away", "relocation_offers",
    "people_at_risk_in_storm", "households_protected", "households_resilient",
    "protection_paid_usd", "adaptation_subsidy_usd", "relocation_cost_usd",
    "max_wind_ms", "cyclone_category", "slr_m", "drought", "king_tide_islands",
]  # fmt: skip

ISLANDS = [
    "step", "year", "month", "island", "residents", "households_housed",
    "households_displaced", "severely_damaged_people", "poverty_rate", "wind_ms", "king_tide",
]  # fmt: skip


def monthly_record(model: MobilityModel) -> dict[str, Any]:
    """The totals of this month (called at the end of each step)."""
    hh, k, t = model.households, model.scale, model.month_index
    status, size = hh.status, hh.size
    in_setting = (status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    displaced = status == Status.DISPLACED
    housed = is_housed(status)
    severe = housed & (hh.damage >= model.params.displacement.severe_damage)
    by_status = np.bincount(status, minlength=len(STATUS_NAMES))
    by_kind = np.bincount(hh.displacement[displaced], minlength=len(DISPLACEMENT_NAMES))
    poor, people = poverty(model, in_setting)
    deciding = int(np.sum(in_setting))
    storms = [c.category for c in model.hazards.cyclones if c.step == t]
    c = model.counts
    rec = {
        "step": t + 1,
        "year": int(model.hazards.year[t]),
        "month": int(model.hazards.month[t]),
        "residents": int(size[in_setting].sum()) * k,
        "households_total": hh.n * k,
        **{f"households_{s}": int(by_status[i]) * k for i, s in enumerate(STATUS_NAMES)},
        "displaced_people": int(size[displaced].sum()) * k,
        **{f"displaced_{d}": int(by_kind[i]) * k for i, d in enumerate(DISPLACEMENT_NAMES) if i},
        "mean_months_displaced": float(hh.months_displaced[displaced].mean())
        if displaced.any()
        else 0.0,
        "displaced_new": c["displaced_new"] * k,
        "displaced_new_people": c["displaced_new_people"] * k,
        "returns": c["returns"] * k,
        "evacuation_centre_people": c["evacuation_centre_people"] * k,
        "births": c["births"] * k,
        "deaths": c["deaths"] * k,
        "moves_forced_inundation": c["moves_forced_inundation"] * k,
        "severely_damaged_people": int(size[severe].sum()) * k,
        "poverty_rate": poor / people if people else 0.0,
        "mean_income_usd": float(hh.income_month[in_setting].mean() * 12)
        if in_setting.any()
        else 0.0,
        "mean_savings_usd": float(hh.savings[in_setting].mean()) if in_setting.any() else 0.0,
        "remittances_usd": c["remittances_usd"] * k,
        "moves_abroad": c["moves_abroad"] * k,
        "moves_abroad_people": c["moves_abroad_people"] * k,
        "moves_internal": c["moves_internal"] * k,
        "moves_internal_people": c["moves_internal_people"] * k,
        "moves_relocation": c["moves_relocation"] * k,
        "moves_forced": (c["moves_forced"] + c["displaced_new"]) * k,
        "moves_voluntary": c["moves_voluntary"] * k,
        "households_adapted_new": c["adapted"] * k,
        "households_aspiring": int(hh.aspires.sum()) * k,
        "households_trapped": int(hh.trapped.sum()) * k,
        "voluntary_stayers": int(hh.voluntary_stayer.sum()) * k,
        "trapped_share": float(hh.trapped.sum() / deciding) if deciding else 0.0,
        "ballot_registrations": c["ballot_registrations"] * k,
        "ballot_places": round(c["ballot_places"] * k),
        "seasonal_workers_away": c["seasonal_workers_away"] * k,
        "relocation_offers": c["relocation_offers"] * k,
        "people_at_risk_in_storm": c["people_at_risk_in_storm"] * k,
        "households_protected": int(hh.protected.sum()) * k,
        "households_resilient": int(hh.resilient.sum()) * k,
        "protection_paid_usd": c["protection_paid_usd"] * k,
        "adaptation_subsidy_usd": c["adaptation_subsidy_usd"] * k,
        "relocation_cost_usd": c["relocation_cost_usd"] * k,
        "max_wind_ms": float(model.now.wind_ms.max()),
        "cyclone_category": max(storms) if storms else -1,
        "slr_m": float(model.hazards.slr_m[t]),
        "drought": bool(model.now.drought),
        "king_tide_islands": int(model.now.king_tide.sum()),
    }
    return rec


def poverty(model: MobilityModel, mask: np.ndarray) -> tuple[int, int]:
    """People below the poverty line, and people, among households in ``mask``."""
    hh = model.households
    per_person = hh.income_month[mask] * 12.0 / np.maximum(hh.size[mask], 1)
    below = per_person < model.setting.poverty_line_usd
    return int(hh.size[mask][below].sum()), int(hh.size[mask].sum())


def island_records(model: MobilityModel) -> list[dict[str, Any]]:
    """One row per island for this month."""
    hh, k, t = model.households, model.scale, model.month_index
    n_isl = len(model.setting.islands)
    on = hh.island >= 0
    isl = np.where(on, hh.island, 0)
    housed = is_housed(hh.status)
    severe = housed & (hh.damage >= model.params.displacement.severe_damage)
    displaced = hh.status == Status.DISPLACED
    per_person = hh.income_month * 12.0 / np.maximum(hh.size, 1)
    poor = on & (per_person < model.setting.poverty_line_usd)
    residents = np.bincount(isl[on], weights=hh.size[on], minlength=n_isl)
    poor_people = np.bincount(isl[poor], weights=hh.size[poor], minlength=n_isl)
    housed_n = np.bincount(isl[housed], minlength=n_isl)
    displaced_n = np.bincount(hh.home_island[displaced], minlength=n_isl)
    severe_p = np.bincount(isl[severe], weights=hh.size[severe], minlength=n_isl)
    year, month = int(model.hazards.year[t]), int(model.hazards.month[t])
    return [
        {
            "step": t + 1,
            "year": year,
            "month": month,
            "island": model.setting.islands[i].name,
            "residents": int(residents[i]) * k,
            "households_housed": int(housed_n[i]) * k,
            "households_displaced": int(displaced_n[i]) * k,
            "severely_damaged_people": int(severe_p[i]) * k,
            "poverty_rate": float(poor_people[i] / residents[i]) if residents[i] else 0.0,
            "wind_ms": float(model.now.wind_ms[i]),
            "king_tide": bool(model.now.king_tide[i]),
        }
        for i in range(n_isl)
    ]


GROUPS = [
    "step", "year", "month", "group", "households", "residents", "trapped", "voluntary_stayers",
    "displaced_people", "moves", "moves_abroad", "moves_forced", "poverty_rate",
    "severely_damaged_people",
]  # fmt: skip


def group_records(model: MobilityModel) -> list[dict[str, Any]]:
    """One row per group (income quintile, female-, elderly-headed, disability) for this month."""
    hh, k, t = model.households, model.scale, model.month_index
    in_setting = (hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    displaced = hh.status == Status.DISPLACED
    moved = hh.moved_step == t
    severe = is_housed(hh.status) & (hh.damage >= model.params.displacement.severe_damage)
    per_person = hh.income_month * 12.0 / np.maximum(hh.size, 1)
    poor = in_setting & (per_person < model.setting.poverty_line_usd)
    size = hh.size.astype(float)
    # one column per quantity; a matrix product sums each over every group at once
    values = np.column_stack([
        in_setting, size * in_setting, hh.trapped, hh.voluntary_stayer, size * displaced,
        moved, moved & (hh.status == Status.ABROAD), moved & hh.forced, size * poor,
        size * severe,
    ]).astype(float)  # fmt: skip
    masks = groups(model)
    sums = np.stack(list(masks.values())).astype(float) @ values
    year, month = int(model.hazards.year[t]), int(model.hazards.month[t])
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
                "poverty_rate": float(v[8] / v[1]) if v[1] else 0.0,
                "severely_damaged_people": int(v[9]) * k,
            }
        )
    return rows


def by_group(model: MobilityModel) -> dict[str, dict[str, float]]:
    """Run-level indicators per group, from the groups table."""
    g = model.groups_monthly()
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
            name: float(r.trapped / r.households) if r.households else 0.0
            for name, r in agg.iterrows()
        },
        "displaced_person_months_by_group": {
            name: int(r.displaced_person_months) for name, r in agg.iterrows()
        },
        "forced_move_share_by_group": {
            name: float(r.moves_forced / r.moves) if r.moves else 0.0 for name, r in agg.iterrows()
        },
    }


def oversubscription(log: list[dict[str, Any]]) -> float:
    """Ballot registrations per place (FACTS: Tuvalu 334 for 75, Kiribati 1,185 for 75)."""
    places = sum(r["places"] for r in log)
    return sum(r["registrations"] for r in log) / places if places else 0.0


def summarise(model: MobilityModel) -> dict[str, Any]:
    """The run condensed into the figures a policy team reads first."""
    df = model.monthly()
    sc = model.spec
    episodes = int(df["displaced_new"].sum())
    moves = df["moves_forced"].sum() + df["moves_voluntary"].sum()
    hh_months = int(model.totals["displaced_household_months"]) * model.scale
    storms = [c for c in model.hazards.cyclones if c.step < model.month_index + 1]
    hurricane_ms = model.params.cyclones.surge_wind_ms
    return {
        "setting": model.setting.name,
        "regime": sc.regime,
        "ssp": sc.ssp,
        "seed": sc.seed,
        "years": sc.years,
        "start_year": sc.start_year,
        "months": len(df),
        "scale": model.scale,
        "households_start": model.households_start * model.scale,
        "households_end": int(df["households_total"].iloc[-1]) if len(df) else 0,
        "population_start": model.population_start,
        "population_end": int(df["residents"].iloc[-1]) if len(df) else model.population_start,
        "displaced_peak": int(df["displaced_people"].max()) if len(df) else 0,
        "displaced_peak_households": int(df["households_displaced"].max()) if len(df) else 0,
        "displaced_person_months": int(df["displaced_people"].sum()),
        "displacement_episodes": episodes,
        "mean_months_displaced": hh_months / episodes if episodes else 0.0,
        "returns": int(df["returns"].sum()),
        "still_displaced_end": int(df["households_displaced"].iloc[-1]) if len(df) else 0,
        "moves_forced_inundation": int(df["moves_forced_inundation"].sum()),
        "evacuation_centre_people_peak": int(df["evacuation_centre_people"].max())
        if len(df)
        else 0,
        "severely_damaged_people_peak": int(df["severely_damaged_people"].max()) if len(df) else 0,
        "poverty_rate_end": float(df["poverty_rate"].iloc[-1]) if len(df) else 0.0,
        "remittances_total": float(df["remittances_usd"].sum()),
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
        "forced_move_share": float(df["moves_forced"].sum() / moves) if moves else 0.0,
        "trapped_share": float(df["trapped_share"].mean()) if len(df) else 0.0,
        "trapped_households_end": int(df["households_trapped"].iloc[-1]) if len(df) else 0,
        "voluntary_stayers_end": int(df["voluntary_stayers"].iloc[-1]) if len(df) else 0,
        "ballot_registrations": int(df["ballot_registrations"].sum()),
        "ballot_places": int(df["ballot_places"].sum()),
        "ballot_oversubscription": oversubscription(model.ballot_log),
        "ballot_oversubscription_by_pathway": {
            name: oversubscription([r for r in model.ballot_log if r["pathway"] == name])
            for name in sorted({r["pathway"] for r in model.ballot_log})
        },
        "moves_by_pathway": {
            name.split(":", 1)[1]: int(n) * model.scale
            for name, n in sorted(model.totals.items())
            if name.startswith("pathway:")
        },
        "people_at_risk_in_storm": int(df["people_at_risk_in_storm"].sum()),
        "households_resilient_end": int(df["households_resilient"].iloc[-1]) if len(df) else 0,
        "public_cost_usd": float(
            df["protection_paid_usd"].sum()
            + df["adaptation_subsidy_usd"].sum()
            + df["relocation_cost_usd"].sum()
        ),
        **by_group(model),
        "hazard_fingerprint": model.hazards.fingerprint(),
    }


def to_frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)
