"""Who counts as most vulnerable, for participatory targeting and for the indicators by group."""

from __future__ import annotations

import numpy as np

from hsmobility.config.params import Parameters
from hsmobility.world.households import HouseholdTable, income_quintiles

__all__ = ["groups", "income_quintiles", "vulnerable", "vulnerable_first"]


def vulnerable(
    hh: HouseholdTable, params: Parameters, rows: np.ndarray | slice = slice(None)
) -> np.ndarray:
    """Poorest income quintiles, female- or elderly-headed, or a member with a disability."""
    return (
        (hh.quintile[rows] <= params.groups.vulnerable_max_quintile)
        | hh.female_head[rows]
        | (hh.head_age[rows] >= params.demography.elderly_age)
        | hh.disability[rows]
    )


def groups(hh: HouseholdTable, params: Parameters) -> dict[str, np.ndarray]:
    """Boolean masks over all households for the "leave no one behind" indicators."""
    elderly = hh.head_age >= params.demography.elderly_age
    out = {f"quintile_{q}": hh.quintile == q for q in range(1, 6)}
    out.update(
        female_headed=hh.female_head,
        male_headed=~hh.female_head,
        elderly_headed=elderly,
        disability=hh.disability,
        vulnerable=vulnerable(hh, params),
    )
    return out


def vulnerable_first(
    hh: HouseholdTable, params: Parameters, order: np.ndarray, targeted: bool
) -> np.ndarray:
    """``order`` with the vulnerable moved to the front (stable) when targeting is in force."""
    if not targeted:
        return order
    return order[np.argsort(~vulnerable(hh, params, order), kind="stable")]
