"""Who counts as most vulnerable, for participatory targeting and for the indicators by group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def vulnerable(model: MobilityModel, rows: np.ndarray | slice = slice(None)) -> np.ndarray:
    """Poorest two income quintiles, female- or elderly-headed, or a member with a disability."""
    hh = model.households
    return (
        (hh.quintile[rows] <= 2)
        | hh.female_head[rows]
        | (hh.head_age[rows] >= model.params.demography.elderly_age)
        | hh.disability[rows]
    )


def groups(model: MobilityModel) -> dict[str, np.ndarray]:
    """Boolean masks over all households for the "leave no one behind" indicators."""
    hh = model.households
    elderly = hh.head_age >= model.params.demography.elderly_age
    out = {f"quintile_{q}": hh.quintile == q for q in range(1, 6)}
    out.update(
        female_headed=hh.female_head,
        male_headed=~hh.female_head,
        elderly_headed=elderly,
        disability=hh.disability,
        vulnerable=vulnerable(model),
    )
    return out
