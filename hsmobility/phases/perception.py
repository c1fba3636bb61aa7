"""Perception phase: perceived risk rises with what a household lives through and fades."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def update_perception(model: MobilityModel) -> None:
    """risk <- risk * memory decay + weighted experience of this month.

    Experience: damage suffered, a king-tide flood of one's home, a hurricane-force storm felt
    on one's island even without damage. Memory halves every ``half_life_months``.
    """
    hh, now, pp = model.households, model.now, model.params.perception
    decay = 0.5 ** (1.0 / pp.half_life_months)
    felt = np.zeros(hh.n, dtype=bool)
    on = hh.island >= 0
    felt[on] = now.wind_ms[hh.island[on]] >= model.params.cyclones.surge_wind_ms
    experience = (
        pp.damage_weight * np.maximum(now.new_damage, 0.0)
        + pp.flood_weight * now.flooded
        + pp.cyclone_nearby_weight * felt
    )
    hh.risk[:] = hh.risk * decay + experience
