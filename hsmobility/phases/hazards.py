"""Hazards of the month: the drawn series plus events injected since the last month."""

from __future__ import annotations

from hsmobility.world.hazards import MonthHazards, make_cyclone
from hsmobility.world.state import World


def hazards_of_the_month(world: World, injected: list[tuple[int, str, float]]) -> MonthHazards:
    """This month's hazards; ``injected`` cyclones (category, island, distance km) strike now
    and join the run's hazard series."""
    for category, island, distance_km in injected:
        world.hazards.add(
            make_cyclone(world.setting, world.params, world.t, category, island, distance_km)
        )
    return world.hazards.at(world.t)
