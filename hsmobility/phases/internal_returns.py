"""Going back from the capital: households whose family land is on another island return there.

A census counts the capital's growth net of those who go back to their home island (issue 9,
seventh session): circular moves between the capital (or a town, ``Island.town``: Ebeye, ninth
session) and the outer islands, the end of a job,
crowding, family land to tend. Each month a household living on the capital (its usual residence,
at home, not displaced) whose family land is on another island (``origin_island``: where it came
from when it moved there, or the island of its outer-island kin at the start) goes back there at
the setting's yearly ``capital_return_rate`` (0 where unset), drawn month by month. It settles
at home as any internal move settles (:func:`~hsmobility.phases.moves.move_within`: its
livelihood moves back towards the island's, a band drawn there). The move is drawn, not chosen
(ODD 7.8.7).
"""

from __future__ import annotations

import numpy as np

from hsmobility.phases.moves import move_within
from hsmobility.world.households import Displacement, Status
from hsmobility.world.state import World

#: statuses of a household at home on the capital (not displaced, not abroad, not relocated)
_AT_HOME = (Status.HOME, Status.MOVED_INTERNAL)


def return_to_home_island(world: World) -> np.ndarray:
    """Households on the capital, or on a town (``Island.town``: Ebeye), with family land
    elsewhere go back there at the setting's yearly ``capital_return_rate`` (as a monthly
    chance); returns their rows. Counts
    ``moves_capital_return`` and its people (they are also internal moves)."""
    hh = world.households
    rate = world.setting.capital_return_rate
    capital = world.geo.capital
    if rate <= 0 or capital < 0:
        return np.zeros(0, dtype=np.int64)
    urban = world.context.urban
    if urban is None:
        urban = np.arange(len(world.setting.islands)) == capital
    can = np.flatnonzero(
        urban[hh.home_island]
        & (hh.island == hh.home_island)
        & np.isin(hh.status, _AT_HOME)
        & (hh.displacement == Displacement.NONE)
        & (hh.origin_island >= 0)
        & (hh.origin_island != hh.home_island)
        & (hh.size > 0)
    )
    if not len(can):
        return np.zeros(0, dtype=np.int64)
    monthly = 1.0 - (1.0 - rate) ** (1.0 / 12.0)
    rows = can[world.streams["capital_return"].random(len(can)) < monthly]
    # land lost to the sea is no home to go back to
    rows = rows[~world.land.inundated[hh.origin_island[rows]]]
    for i in np.unique(hh.origin_island[rows]):
        r = rows[hh.origin_island[rows] == i]
        move_within(world, r, int(i), None, Status.MOVED_INTERNAL)
    world.counts.add("moves_capital_return", len(rows))
    world.counts.add("moves_capital_return_people", int(hh.size[rows].sum()))
    return rows


__all__ = ["return_to_home_island"]
