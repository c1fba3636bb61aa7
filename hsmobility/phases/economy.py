"""Income, remittances and savings phase."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.world.households import Status

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def income_and_savings(model: MobilityModel) -> None:
    """Residents earn their livelihood less hazard losses, receive remittances, and save.

    Losses: house damage (``damage_income_loss`` per unit), drought months, king-tide flooding
    of low-lying gardens and wells; displacement cuts livelihood to ``displaced_income_factor``.
    Consumption is at least the poverty line; what is left is saved.
    """
    hh, now, pe = model.households, model.now, model.params.economy
    setting = model.setting
    res = np.flatnonzero(hh.status != Status.ABROAD)
    loss = pe.damage_income_loss * hh.damage[res]
    if now.drought:
        loss = loss + setting.drought.income_loss
    loss = loss + model.params.sea_level.king_tide_income_loss * now.flooded[res]
    factor = 1.0 - np.clip(loss, 0.0, 0.9)
    displaced = hh.status[res] == Status.DISPLACED
    factor = np.where(displaced, factor * pe.displaced_income_factor, factor)
    earned = hh.income[res] / 12.0 * factor
    remit = hh.members_abroad[res] * (setting.remittance_per_member_usd / 12.0)
    # seasonal workers away send their pay home
    away = hh.seasonal_left[res] > 0
    remit = remit + np.where(away, hh.seasonal_pay[res], 0.0)
    hh.seasonal_left[res[away]] -= 1
    model.counts["seasonal_workers_away"] += int(away.sum())
    total = earned + remit
    subsistence = pe.poverty_income_factor * setting.poverty_line_usd * hh.size[res] / 12.0
    consumption = np.minimum(
        np.maximum(subsistence, pe.consumption_share * total), total + hh.savings[res]
    )
    hh.savings[res] = np.maximum(0.0, hh.savings[res] + total - consumption)
    hh.income_month[res] = total
    hh.remittances_month[res] = remit
    model.counts["remittances_usd"] += float(remit.sum())
