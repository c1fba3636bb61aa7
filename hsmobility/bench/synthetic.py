"""Synthetic settings of a chosen size for the benchmark, and building a model on one.

A synthetic setting is a valid :class:`~hsmobility.config.schemas.Setting` with a capital, a
road-linked main island, outer islands (one a low atoll that triggers a relocation programme at
once), three destinations with a ballot, a free-movement and a seasonal pathway, frequent storms,
king tides and drought: every phase of the monthly step has work to do. The benchmark scenario
adds the integrated human-security regime (cash, insurance, retrofits, coastal works, humanitarian
visas, relocation) and scripted storms early in the year.
"""

from __future__ import annotations

import math
from typing import Any

from hsmobility.config.schemas import Setting

HOUSEHOLD_SIZE = 4.5
#: regime of the benchmark: every lever in force, so every phase works
REGIME = "integrated-human-security"
#: lever overrides: coastal works finished and relocation offers from the first month
LEVERS = {
    "adaptation.protection_year": 2025,
    "relocation.assessment_years": 0.0,
    "relocation.consultation_years": 0.0,
    "relocation.building_years": 0.0,
}


def synthetic_setting(households: int, islands: int = 8, name: str | None = None) -> Setting:
    """A setting of about ``households`` households (at scale 1) on ``islands`` islands."""
    if islands < 3:
        raise ValueError("a synthetic setting needs at least 3 islands")
    people = households * HOUSEHOLD_SIZE
    # capital 35%, main island 30%, the outer islands share the rest, bigger ones first
    outer = [1.0 / (k + 1) for k in range(islands - 2)]
    shares = [0.35, 0.30] + [0.35 * w / sum(outer) for w in outer]
    isl: list[dict[str, Any]] = []
    for k, share in enumerate(shares):
        angle = 2 * math.pi * k / islands
        radius_deg = 0.0 if k == 0 else 0.5 + 1.5 * k / islands
        atoll = k == islands - 1
        isl.append(
            {
                "name": "Capital" if k == 0 else ("Main" if k == 1 else f"Outer {k - 1}"),
                "lon": round(178.4 + radius_deg * math.cos(angle), 3),
                "lat": round(-18.1 + radius_deg * math.sin(angle), 3),
                "population": max(1, round(people * share)),
                "capital": k == 0,
                "lowlying_share": 0.9 if atoll else 0.3,
                "highground_share": 0.0 if atoll else 0.3,
                # the atoll's low band is within the relocation trigger margin from the start
                "lowlying_elevation_m": 0.2 if atoll else 2.5,
                "income_factor": 1.3 if k == 0 else 0.9 - 0.3 * k / islands,
                "wind_exposure": 1.1 if k % 2 else 1.0,
            }
        )
    names = [i["name"] for i in isl]
    links = [{"a": "Capital", "b": "Main", "mode": "road", "capacity_households_per_month": 2000}]
    links += [
        {"a": "Capital", "b": n, "mode": "sea", "capacity_households_per_month": 50}
        for n in names[2:]
    ]
    data = {
        "name": name or f"bench-{households}",
        "title": f"Synthetic benchmark setting, {households:,} households",
        "region": "pacific",
        "household_size": HOUSEHOLD_SIZE,
        "household_income_usd": 15000,
        "diaspora_earnings_usd": 9400,  # wage premium 2.82 x income per person at home, as before
        "income_sigma": 0.6,
        "poverty_line_usd": 1200,
        "natural_increase": 0.015,
        "savings_months": 2.0,
        "children_share": 0.29,  # a Pacific age structure (Tuvalu, Tonga: CIA Factbook 2024)
        "elders_share": 0.07,
        "house_value_usd": 25000,
        "wind_half_damage_ms": 55,
        "cyclones": {
            "season": "south-pacific",
            "per_season": 4.0,
            "radius_km": 555,
            "hurricane_share": 0.6,
        },
        "sea_level": {"local_rate_mm_per_year": 2.0, "king_tide_flood_prob": 0.1},
        "drought": {"enso_phase": "el-nino", "prob_in_phase": 0.2, "income_loss": 0.1},
        "islands": isl,
        "destinations": [
            {
                "name": "Australia",
                "move_cost_usd": 6000,
                "wage_premium": 3.0,
                "diaspora": 60000,
                "earnings_usd": 35000,
            },
            {
                "name": "New Zealand",
                "move_cost_usd": 5000,
                "wage_premium": 2.5,
                "diaspora": 50000,
                "earnings_usd": 30000,
            },
            {
                "name": "USA",
                "move_cost_usd": 8000,
                "wage_premium": 3.0,
                "diaspora": 30000,
                "earnings_usd": 32000,
            },
        ],
        "links": links,
        "pathways": [
            {
                "name": "ballot-nz",
                "kind": "ballot",
                "destination": "New Zealand",
                "quota_per_year": max(1, households // 100),
                "registration_fee_usd": 50,
                "min_age": 18,
                "max_age": 45,
                "job_offer_required": True,
            },
            {"name": "compact-usa", "kind": "free-movement", "destination": "USA"},
            {
                "name": "seasonal-au",
                "kind": "seasonal",
                "destination": "Australia",
                "quota_per_year": max(1, households // 20),
                "min_age": 18,
                "max_age": 55,
                "families": False,
                "months_away": 6,
                "earnings_per_season_usd": 5000,
            },
        ],
        "levers": {"relocation": {"enabled": True}},
    }
    return Setting.model_validate(data)


def storms(setting: Setting) -> list[dict[str, Any]]:
    """Scripted storms: a category 4 on the main island in February and a category 5 on the
    largest outer island in March (displacement, recovery and humanitarian visas all run)."""
    return [
        {"name": "Bench A", "date": "2025-02", "category": 4, "island": setting.islands[1].name},
        {"name": "Bench B", "date": "2025-03", "category": 5, "island": setting.islands[2].name},
    ]


def bench_kwargs(setting: Setting, *, seed: int = 1, years: int = 1) -> dict[str, Any]:
    """The benchmark scenario on ``setting`` as :class:`MobilityModel` keywords: 2025 onwards,
    SSP2-4.5, every lever in force, the scripted storms."""
    return {
        "regime": REGIME,
        "seed": seed,
        "years": years,
        "events": storms(setting),
        "levers": LEVERS,
    }
