"""Demography phase: births, deaths, ageing of heads, and household formation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.households import Status

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def demography(model: MobilityModel) -> None:
    """Members are born and die in resident households; large households split in two.

    Births are set so that births minus deaths give the setting's natural increase. Heads age
    each January; a head older than ``head_age_max`` is succeeded by a member 30 years younger.
    """
    hh, rng = model.households, model.streams["demography"]
    p = model.params.demography
    resident = np.flatnonzero(hh.status != Status.ABROAD)
    size = hh.size[resident]
    birth_rate = model.setting.natural_increase + p.crude_death_rate
    births = rng.poisson(np.maximum(birth_rate, 0.0) / 12.0 * size)
    deaths = rng.binomial(size, p.crude_death_rate / 12.0)
    hh.size[resident] = np.maximum(1, size + births - deaths)
    model.counts["births"] += int(births.sum())
    model.counts["deaths"] += int(deaths.sum())

    if model.calendar_month == 1:
        hh.head_age[:] += 1
        old = hh.head_age > p.head_age_max
        hh.head_age[old] -= 30

    # household formation: a large settled household splits off a young household
    settled = resident[hh.status[resident] != Status.DISPLACED]
    big = settled[hh.size[settled] > p.split_factor * model.setting.household_size]
    parents = big[rng.random(len(big)) < p.split_prob]
    if len(parents):
        model.form_households(parents, rng)
