"""Demography phase: births, deaths, ageing of heads, and household formation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.world.households import Status

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def demography(model: MobilityModel) -> None:
    """Members are born and die in resident households; large households split in two.

    Births are set so that births minus deaths give the setting's natural increase; a household's
    last member does not die (rows are never removed, so deaths are capped at size - 1 and only
    deaths that happen are counted). Heads age each January; a head older than ``head_age_max`` is
    succeeded by a member 30 years younger. Households form as fast as needed to keep the mean
    size of resident households at the setting's ``household_size``: each month the shortfall of
    households is made up by splitting large settled households, chosen at random.
    """
    hh, rng = model.households, model.streams["demography"]
    p = model.params.demography
    resident = np.flatnonzero(hh.status != Status.ABROAD)
    size = hh.size[resident]
    birth_rate = model.setting.natural_increase + p.crude_death_rate
    births = rng.poisson(np.maximum(birth_rate, 0.0) / 12.0 * size)
    deaths = np.minimum(rng.binomial(size, p.crude_death_rate / 12.0), size - 1 + births)
    hh.size[resident] = size + births - deaths
    model.counts["births"] += int(births.sum())
    model.counts["deaths"] += int(deaths.sum())

    if model.calendar_month == 1:
        hh.head_age[:] += 1
        old = hh.head_age > p.head_age_max
        hh.head_age[old] -= 30

    # household formation: make up the shortfall of households at the setting's mean size
    target = model.setting.household_size
    shortfall = int(hh.size[resident].sum() / target) - len(resident)
    settled = resident[hh.status[resident] != Status.DISPLACED]
    big = settled[hh.size[settled] > max(p.split_factor * target, 2)]
    if shortfall > 0 and len(big):
        parents = rng.permutation(big)[:shortfall]
        model.form_households(parents, rng)
