"""Groups: each January, income quintiles are recomputed on current incomes.

A household's quintile (who counts as poorest, for targeting and for the indicators by group) is
its place in the income distribution of the households living in the setting now, not the one
it had when it was formed.
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.groups import income_quintiles
from hsmobility.world.households import Displacement, Status
from hsmobility.world.state import World


def regroup(world: World) -> np.ndarray:
    """In January, the income quintiles of the households in the setting; returns the rows whose
    quintile changed."""
    if world.calendar_month != 1:
        return np.zeros(0, dtype=np.int64)
    hh = world.households
    rows = np.flatnonzero((hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD))
    new = income_quintiles(hh.income[rows])
    changed = rows[new != hh.quintile[rows]]
    hh.quintile[rows] = new
    return changed
