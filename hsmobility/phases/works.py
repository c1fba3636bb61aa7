"""Public adaptation works of the month: coastal protection when finished, home retrofits.

* Coastal protection and land raising cover a share of an island's low-lying households from
  the year the works finish: no king-tide flooding, no storm surge, and their land is lost to
  the sea only ``protection_height_m`` later than the rest of the band.
* A public retrofit programme makes a share of the homes the hazard reaches resilient each year
  (cyclone-rated and raised: the half-damage wind is ``resilient_extra_ms`` higher, king tides
  stay out): low-lying homes not behind works, and homes at a place a storm has damaged and
  that is not yet repaired (build back better); the most exposed first (both, then one), the
  weakest building class first among equals, and the most vulnerable first within those under
  participatory targeting. A home no storm, surge or king tide reaches is never retrofitted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hsmobility.phases.impacts import building_class, class_half_damage_ms
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


def retrofit_exposure(world: World, rows: np.ndarray) -> np.ndarray:
    """How much the setting's hazard reaches the homes of ``rows``: 1 for a low-lying home not
    behind coastal works (surge, king tides, the rising sea), + 1 for a home at a place (its
    exposure point, or its island where the setting has none) where some home is storm-damaged
    and not yet repaired, + its building class's weakness, 1 - its V½ / the strongest class's
    (0 for the strongest; under 1, so it orders homes within a level, never across). A home
    scoring under 1 is one no storm, surge or king tide reaches now."""
    hh = world.households
    low_open = (hh.band[rows] == Band.LOW) & ~hh.protected[rows]
    points = world.geo.points
    n_islands = len(world.setting.islands)
    if points is None:
        place, n_places = hh.home_island.astype(np.int64), n_islands
    else:
        place, n_places = points.point_of(hh.home_island, hh.site_u), len(points.island)
    damaged = (hh.damage > 0) & (hh.home_island >= 0)
    struck = np.bincount(place[damaged], minlength=n_places)[:n_places] > 0
    v_half = class_half_damage_ms(world)
    weakness = 1.0 - v_half[building_class(world, rows)] / v_half.max()
    return low_open + struck[place[rows]] + np.clip(weakness, 0.0, 0.99)


def retrofit_homes(world: World) -> np.ndarray:
    """The retrofit programme's homes of the month, among those the hazard reaches
    (:func:`retrofit_exposure` at least 1), the most exposed first; the cost is public and
    falls only on the homes retrofitted."""
    a = world.policy.levers.adaptation
    if a.retrofit_share_per_year <= 0:
        return np.zeros(0, dtype=np.int64)
    hh, programme = world.households, world.policy.retrofit
    pool = np.flatnonzero(is_housed(hh.status) & ~hh.resilient)
    exposure = retrofit_exposure(world, pool)
    reached = exposure >= 1.0
    pool, exposure = pool[reached], exposure[reached]
    programme.credit += a.retrofit_share_per_year / 12.0 * len(pool)
    n = min(int(programme.credit), len(pool))
    if n <= 0:
        return np.zeros(0, dtype=np.int64)
    programme.credit -= n
    perm = world.streams["pathways"].permutation(len(pool))
    order = vulnerable_first(
        hh, world.params, pool[perm], world.policy.levers.targeting.vulnerable_first
    )
    ranked = exposure[np.searchsorted(pool, order)]  # pool is sorted (flatnonzero)
    done = order[np.argsort(-ranked, kind="stable")][:n]
    hh.resilient[done] = True
    unit = world.params.decisions.resilient_cost_share * world.setting.house_value_usd
    world.counts.add("adaptation_subsidy_usd", n * unit)
    world.counts.add("retrofitted", n)
    return done


def build_protection(world: World) -> np.ndarray:
    """In the month a project finishes, cover its share of its islands' low-lying households.

    Coastal works are a list of projects (the status quo's, then the regime's): each covers its
    own share of an island's low-lying households not yet behind works, and an island's
    effective protection height is the highest of the projects finished on it, so a regime's
    works add to the status quo's and never lower them."""
    none = np.zeros(0, dtype=np.int64)
    projects = world.policy.regime.works
    year = world.hazards.year[world.t]
    if not projects:
        return none
    hh, works = world.households, world.policy.works
    rng = world.streams["pathways"]
    unit = world.params.costs.coastal_works_usd_per_household
    covered_all = []
    for project in projects:
        if year < project.year:
            continue
        names = (
            {i.name for i in world.setting.islands}
            if "*" in project.islands
            else set(project.islands)
        )
        where, covered_here = [], []
        for i, isl in enumerate(world.setting.islands):
            if isl.name not in names or (project.label, isl.name) in works.built:
                continue
            works.built.add((project.label, isl.name))
            works.height[i] = max(works.height[i], project.height_m)
            rows = np.flatnonzero((hh.home_island == i) & (hh.band == Band.LOW))
            pool = rows[~hh.protected[rows]]
            order = pool[rng.permutation(len(pool))]
            order = vulnerable_first(
                hh, world.params, order, world.policy.levers.targeting.vulnerable_first
            )
            covered = order[: round(project.share * len(rows))]
            hh.protected[covered] = True
            covered_here.append(covered)
            where.append(isl.name)
        if not where:
            continue
        covered = np.concatenate(covered_here)
        world.counts.add("coastal_works_cost_usd", len(covered) * unit)
        covered_all.append(covered)
        places = ", ".join(where) if len(where) <= 3 else f"{len(where)} islands"
        world.log(
            f"coastal protection and raised land ({project.height_m:g} m) finished on "
            f"{places}: {len(covered) * world.scale} low-lying households covered"
        )
    return np.concatenate(covered_all) if covered_all else none
