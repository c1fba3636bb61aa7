"""Perception: perceived risk rises with what a household lives through and fades."""

from __future__ import annotations

import numpy as np

from hsmobility.phases.impacts import Hit
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.state import World


def update_perception(world: World, month: MonthHazards, hit: Hit) -> None:
    """risk <- risk * memory decay + weighted experience of this month.

    Experience: damage suffered, a king-tide flood of one's home, a hurricane-force storm felt
    on one's island even without damage. Memory halves every ``half_life_months``.
    """
    hh, pp = world.households, world.params.perception
    decay = 0.5 ** (1.0 / pp.half_life_months)
    felt = np.zeros(hh.n, dtype=bool)
    on = hh.island >= 0
    felt[on] = month.wind_ms[hh.island[on]] >= world.params.cyclones.surge_wind_ms
    experience = (
        pp.damage_weight * np.maximum(hit.new_damage, 0.0)
        + pp.flood_weight * hit.flooded
        + pp.cyclone_nearby_weight * felt
    )
    hh.risk[:] = hh.risk * decay + experience
