"""Planned relocation programme: trigger, years of lag, then offers of a place each year.

A programme is triggered for an island when the sea comes within ``trigger_slr_margin_m`` of its
low-lying band, or a storm displaces ``trigger_displaced_share`` of that band's households. After
``lag_years`` the government offers places to low-lying households each month (a share of the
band per year), the most vulnerable first under participatory targeting; each household decides
whether to go (the relocation option of :mod:`hsmobility.decisions`): relocation with consent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.world.groups import vulnerable
from hsmobility.world.households import Band, Status, is_housed

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def relocation_phase(model: MobilityModel) -> None:
    lever = model.regime.levers.relocation
    if not lever.enabled:
        return
    hh, t = model.households, model.month_index
    setting = model.setting
    n_isl = len(setting.islands)
    rise = model.hazards.slr_since_today_m[t]
    low = (hh.band == Band.LOW) & (is_housed(hh.status) | (hh.status == Status.DISPLACED))
    low_homes = np.bincount(hh.home_island[low], minlength=n_isl)
    shaken = np.bincount(
        hh.home_island[model.now.displaced_rows][hh.band[model.now.displaced_rows] == Band.LOW],
        minlength=n_isl,
    )
    for i in range(n_isl):
        if not model.relocation_eligible[i] or model.relocation_start[i] >= 0:
            continue
        near_sea = rise >= model.lowlying_elevation_m[i] - lever.trigger_slr_margin_m
        storm = low_homes[i] > 0 and shaken[i] >= lever.trigger_displaced_share * low_homes[i]
        if near_sea or storm:
            model.relocation_start[i] = t + round(lever.lag_years * 12)
            model.relocation_size[i] = low_homes[i]
            year = int(model.hazards.year[min(model.relocation_start[i], model.n_months - 1)])
            why = (
                "the sea is close to its low-lying land"
                if near_sea
                else "a storm drove out its low-lying households"
            )
            name = setting.islands[i].name
            model.log(f"planned relocation decided for {name} ({why}); moves from {year}")

    # offers: each running programme offers its monthly places
    for i in np.flatnonzero((model.relocation_start >= 0) & (model.relocation_start <= t)):
        model.relocation_credit[i] += (
            lever.capacity_share_per_year / 12.0 * model.relocation_size[i]
        )
        places = int(model.relocation_credit[i])
        if places <= 0:
            continue
        pool = np.flatnonzero(low & (hh.home_island == i) & ~hh.relocation_offer)
        if not len(pool):
            continue
        rng = model.streams["pathways"]
        order = pool[rng.permutation(len(pool))]
        if model.regime.levers.targeting.vulnerable_first:
            order = order[np.argsort(~vulnerable(model, order), kind="stable")]
        offered = order[:places]
        hh.relocation_offer[offered] = True
        model.relocation_credit[i] -= len(offered)
        model.counts["relocation_offers"] += len(offered)
