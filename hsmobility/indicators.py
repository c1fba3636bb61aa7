"""Human-security indicators: per month, per island and in total, and the run summary.

Counts of households and people are multiplied by the scenario's ``scale`` so that they speak
of real households whatever the number of agents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hsmobility.households import DISPLACEMENT_NAMES, STATUS_NAMES, Displacement, Status
from hsmobility.impacts import HOUSED

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
    housed = np.isin(status, HOUSED)
    severe = housed & (hh.damage >= model.params.displacement.severe_damage)
    by_status = np.bincount(status, minlength=len(STATUS_NAMES))
    by_kind = np.bincount(hh.displacement[displaced], minlength=len(DISPLACEMENT_NAMES))
    poor, people = poverty(model, in_setting)
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
    housed = np.isin(hh.status, HOUSED)
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


def summarise(model: MobilityModel) -> dict[str, Any]:
    """The run condensed into the figures a policy team reads first."""
    df = model.monthly()
    sc = model.spec
    episodes = int(df["displaced_new"].sum())
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
        "hazard_fingerprint": model.hazards.fingerprint(),
    }


def to_frame(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(records, columns=columns)
