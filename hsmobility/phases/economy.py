"""Income, remittances and savings."""

from __future__ import annotations

import numpy as np

from hsmobility.phases.impacts import Hit
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import Status
from hsmobility.world.state import World


def income_and_savings(world: World, month: MonthHazards, hit: Hit) -> None:
    """Residents earn their livelihood less hazard losses, receive remittances, and save.

    Losses: house damage (``damage_income_loss`` per unit), drought months, king-tide flooding
    of low-lying gardens and wells (at most ``max_income_loss`` in all); displacement cuts
    livelihood to ``displaced_income_factor``. Consumption is at least the poverty line; what
    is left is saved. Updates ``income_month``, ``remittances_month`` and ``savings``.
    """
    hh, pe = world.households, world.params.economy
    setting = world.setting
    res = np.flatnonzero(hh.status != Status.ABROAD)
    loss = pe.damage_income_loss * hh.damage[res]
    if month.drought:
        loss = loss + setting.drought.income_loss
    loss = loss + world.params.sea_level.king_tide_income_loss * hit.flooded[res]
    factor = 1.0 - np.clip(loss, 0.0, pe.max_income_loss)
    displaced = hh.status[res] == Status.DISPLACED
    factor = np.where(displaced, factor * pe.displaced_income_factor, factor)
    earned = hh.income[res] / 12.0 * factor
    remit = hh.members_abroad[res] * (setting.remittance_per_member_usd / 12.0)
    # seasonal workers away send their pay home
    away = hh.seasonal_left[res] > 0
    remit = remit + np.where(away, hh.seasonal_pay[res], 0.0)
    hh.seasonal_left[res[away]] -= 1
    world.counts.add("seasonal_workers_away", int(away.sum()))
    total = earned + remit
    subsistence = pe.poverty_income_factor * setting.poverty_line_usd * hh.size[res] / 12.0
    consumption = np.minimum(
        np.maximum(subsistence, pe.consumption_share * total), total + hh.savings[res]
    )
    hh.savings[res] = np.maximum(0.0, hh.savings[res] + total - consumption)
    hh.income_month[res] = total
    hh.remittances_month[res] = remit
    world.counts.add("remittances_usd", float(remit.sum()))
