"""Public adaptation works of the month: coastal protection when finished, home retrofits.

* Coastal protection and land raising cover a share of an island's low-lying households from
  the year the works finish: no king-tide flooding, no storm surge, and their land is lost to
  the sea only ``protection_height_m`` later than the rest of the band.
* A public retrofit programme makes a share of homes resilient each year (cyclone-rated and
  raised: the half-damage wind is ``resilient_extra_ms`` higher, king tides stay out), the most
  vulnerable first under participatory targeting.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hsmobility.world.groups import vulnerable_first
from hsmobility.world.households import Band, is_housed
from hsmobility.world.state import World


@dataclass
class Works:
    """What the works did this month."""

    covered: np.ndarray  # rows newly behind coastal protection
    retrofitted: np.ndarray  # rows whose home was made resilient


def public_works(world: World) -> Works:
    """Coastal protection finished this month, and this month's retrofits."""
    keep_early_warning(world)
    return Works(covered=build_protection(world), retrofitted=retrofit_homes(world))


def keep_early_warning(world: World) -> float:
    """The month's cost of early warning and evacuation centres kept ready (``early_warning``
    beyond today's), in proportion to the residents they serve."""
    level = world.policy.levers.adaptation.early_warning
    if level <= 0:
        return 0.0
    hh = world.households
    residents = float(hh.size[hh.island >= 0].sum())
    cost = level * world.params.costs.early_warning_usd_per_person_year / 12.0 * residents
    world.counts.add("early_warning_cost_usd", cost)
    return cost


def retrofit_homes(world: World) -> np.ndarray:
    """The retrofit programme's homes of the month; the cost is public."""
    a = world.policy.levers.adaptation
    if a.retrofit_share_per_year <= 0:
        return np.zeros(0, dtype=np.int64)
    hh, programme = world.households, world.policy.retrofit
    pool = np.flatnonzero(is_housed(hh.status) & ~hh.resilient)
    programme.credit += a.retrofit_share_per_year / 12.0 * len(pool)
    n = min(int(programme.credit), len(pool))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    programme.credit -= n
    order = pool[world.streams["pathways"].permutation(len(pool))]
    order = vulnerable_first(
        hh, world.params, order, world.policy.levers.targeting.vulnerable_first
    )
    done = order[:n]
    hh.resilient[done] = True
    unit = world.params.decisions.resilient_cost_share * world.setting.house_value_usd
    world.counts.add("adaptation_subsidy_usd", n * unit)
    world.counts.add("retrofitted", n)
    return done


def build_protection(world: World) -> np.ndarray:
    """In the month the works finish, cover their share of the islands' low-lying households."""
    a = world.policy.levers.adaptation
    none = np.zeros(0, dtype=np.int64)
    if a.protection_share <= 0 or world.hazards.year[world.t] < a.protection_year:
        return none
    hh, built = world.households, world.policy.works.built
    names = (
        {i.name for i in world.setting.islands}
        if "*" in a.protection_islands
        else set(a.protection_islands)
    )
    todo = [(i, isl) for i, isl in enumerate(world.setting.islands) if isl.name in names]
    todo = [(i, isl) for i, isl in todo if isl.name not in built]
    if not todo:
        return none
    rng = world.streams["pathways"]
    covered_rows, where = [], []
    for i, isl in todo:
        rows = np.flatnonzero((hh.home_island == i) & (hh.band == Band.LOW))
        order = rows[rng.permutation(len(rows))]
        order = vulnerable_first(
            hh, world.params, order, world.policy.levers.targeting.vulnerable_first
        )
        covered = order[: round(a.protection_share * len(rows))]
        hh.protected[covered] = True
        covered_rows.append(covered)
        where.append(isl.name)
        built.add(isl.name)
    covered_all = np.concatenate(covered_rows)
    unit = world.params.costs.coastal_works_usd_per_household
    world.counts.add("coastal_works_cost_usd", len(covered_all) * unit)
    places = ", ".join(where) if len(where) <= 3 else f"{len(where)} islands"
    world.log(
        f"coastal protection and raised land finished on {places}: "
        f"{len(covered_all) * world.scale} low-lying households covered"
    )
    return covered_all
