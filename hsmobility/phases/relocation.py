"""Planned relocation programme: trigger, years of lag, then offers of a place each month.

A programme is triggered for an island when the sea comes within ``trigger_slr_margin_m`` of its
low-lying band, or a storm displaces ``trigger_displaced_share`` of that band's households. After
``lag_years`` the government offers places to low-lying households each month (a share of the
band per year), the most vulnerable first under participatory targeting; each household decides
whether to go (the relocation option of :mod:`hsmobility.decisions`): relocation with consent.
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.groups import vulnerable_first
from hsmobility.world.households import Band, Status, is_housed
from hsmobility.world.state import World


def relocation(world: World, displaced: np.ndarray) -> np.ndarray:
    """Decide programmes that this month's sea level or ``displaced`` rows trigger, and offer
    the running programmes' places; returns the rows offered a place."""
    lever = world.policy.levers.relocation
    none = np.zeros(0, dtype=np.int64)
    if not lever.enabled:
        return none
    hh, t, programme = world.households, world.t, world.policy.relocation
    setting = world.setting
    n_isl = len(setting.islands)
    rise = world.hazards.slr_since_today_m[t]
    low = (hh.band == Band.LOW) & (is_housed(hh.status) | (hh.status == Status.DISPLACED))
    low_homes = np.bincount(hh.home_island[low], minlength=n_isl)
    shaken = np.bincount(hh.home_island[displaced][hh.band[displaced] == Band.LOW], minlength=n_isl)
    for i in range(n_isl):
        if not programme.eligible[i] or programme.start[i] >= 0:
            continue
        near_sea = rise >= world.geo.lowlying_elevation_m[i] - lever.trigger_slr_margin_m
        storm = low_homes[i] > 0 and shaken[i] >= lever.trigger_displaced_share * low_homes[i]
        if near_sea or storm:
            programme.start[i] = t + round(lever.lag_years * 12)
            world.counts.add("relocation_programmes_decided")
            programme.size[i] = low_homes[i]
            year = int(world.hazards.year[min(programme.start[i], world.n_months - 1)])
            why = (
                "the sea is close to its low-lying land"
                if near_sea
                else "a storm drove out its low-lying households"
            )
            world.log(f"planned relocation decided for {setting.islands[i].name} ({why}); "
                      f"moves from {year}")  # fmt: skip

    # offers: each running programme offers its monthly places
    offered_all = []
    for i in np.flatnonzero((programme.start >= 0) & (programme.start <= t)):
        programme.credit[i] += lever.capacity_share_per_year / 12.0 * programme.size[i]
        places = int(programme.credit[i])
        if places <= 0:
            continue
        pool = np.flatnonzero(low & (hh.home_island == i) & ~hh.relocation_offer)
        if not len(pool):
            continue
        rng = world.streams["pathways"]
        order = pool[rng.permutation(len(pool))]
        order = vulnerable_first(
            hh, world.params, order, world.policy.levers.targeting.vulnerable_first
        )
        offered = order[:places]
        hh.relocation_offer[offered] = True
        programme.credit[i] -= len(offered)
        world.counts.add("relocation_offers", len(offered))
        offered_all.append(offered)
    return np.concatenate(offered_all) if offered_all else none
