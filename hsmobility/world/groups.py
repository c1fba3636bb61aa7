"""Who counts as most vulnerable, for participatory targeting and for the indicators by group,
and what being in a group changes (issue 10 item 8): each factor is one number per household
that the phase concerned multiplies in, so that a group's mechanism lives here, in one place."""

from __future__ import annotations

import numpy as np

from hsmobility.config.params import Parameters
from hsmobility.world.households import HouseholdTable, income_factor, income_quintiles

__all__ = [
    "death_factor",
    "evacuation_factor",
    "groups",
    "income_factor",
    "income_quintiles",
    "needs_factor",
    "seasonal_factor",
    "vulnerable",
    "vulnerable_first",
]


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
        young_headed=hh.head_age < params.groups.young_head_age,
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


def needs_factor(hh: HouseholdTable, params: Parameters, rows: np.ndarray) -> np.ndarray:
    """What a household needs for a given standard of living, relative to others: a member
    with a disability costs ``disability_extra_cost`` more (care, transport, aids)."""
    return 1.0 + params.groups.disability_extra_cost * hh.disability[rows]


def seasonal_factor(hh: HouseholdTable, params: Parameters, rows: np.ndarray) -> np.ndarray:
    """Chance of applying to a seasonal scheme relative to others: seasonal workers are mostly
    men, so a female-headed household whose only possible worker is the head (fewer members
    than ``seasonal_worker_household_size``) applies ``female_head_seasonal_factor`` as often."""
    only_head = hh.size[rows] < params.decisions.seasonal_worker_household_size
    female_alone = hh.female_head[rows] & only_head
    return np.where(female_alone, params.groups.female_head_seasonal_factor, 1.0)


def evacuation_factor(hh: HouseholdTable, params: Parameters, rows: np.ndarray) -> np.ndarray:
    """Chance of getting out under an evacuation order relative to others: a household with a
    disabled member manages ``disability_evacuation_factor`` as often."""
    return np.where(hh.disability[rows], params.groups.disability_evacuation_factor, 1.0)


def death_factor(hh: HouseholdTable, params: Parameters, rows: np.ndarray) -> np.ndarray:
    """Death risk in a hazard relative to others: ``disability_death_factor`` in households
    with a disabled member (who could not leave or shelter in time)."""
    return np.where(hh.disability[rows], params.groups.disability_death_factor, 1.0)
