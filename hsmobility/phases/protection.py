"""Social protection after a storm: cash transfers and parametric insurance payouts.

Cash goes once to each household whose home a storm has just severely damaged; a parametric
payout goes to every household of an island where the wind passes the trigger. Under
participatory targeting the vulnerable get ``vulnerable_top_up`` times as much. The money is
part of the month's resources (``transfers_month``): it pays for the consumption a household
needs and cannot otherwise afford, and what is left is saved, where it speeds reconstruction
(:func:`economy.income_and_savings`).
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.groups import vulnerable
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.state import World


def payouts(world: World, month: MonthHazards, severe_now: np.ndarray) -> float:
    """Pay this month's transfers and payouts; returns the US$ paid (one agent's worth)."""
    lever = world.policy.levers.protection
    if lever.cash_transfer_usd <= 0 and lever.parametric_payout_usd <= 0:
        return 0.0
    hh, params = world.households, world.params
    top = world.policy.levers.targeting
    paid = 0.0
    if lever.cash_transfer_usd > 0 and len(severe_now):
        amount = lever.cash_transfer_usd * np.where(
            vulnerable(hh, params, severe_now), top.vulnerable_top_up, 1.0
        )
        hh.transfers_month[severe_now] += amount
        paid += float(amount.sum())
        world.counts.add("cash_transfers", len(severe_now))
    trigger = month.wind_ms >= lever.parametric_trigger_ms
    if lever.parametric_payout_usd > 0 and trigger.any():
        on = np.flatnonzero(hh.island >= 0)
        rows = on[trigger[hh.island[on]]]
        amount = lever.parametric_payout_usd * np.where(
            vulnerable(hh, params, rows), top.vulnerable_top_up, 1.0
        )
        hh.transfers_month[rows] += amount
        paid += float(amount.sum())
        world.counts.add("parametric_payouts", len(rows))
    world.counts.add("protection_paid_usd", paid)
    return paid
