"""In-situ adaptation and social protection: what they change in the hazard phases.

* Coastal protection and land raising cover a share of an island's low-lying households from
  the year the works finish: no king-tide flooding, no storm surge, and their land is lost to
  the sea only ``protection_height_m`` later than the rest of the band.
* Resilient housing (chosen by households, subsidised by the lever, or built by a public retrofit
  programme): the house's half-damage wind is ``resilient_extra_ms`` higher and its raised floor
  keeps king tides out.
* Early warning raises the share of exposed people who shelter in evacuation centres in a storm.
* Cash transfers after a storm to severely damaged households and parametric insurance payouts
  per household on islands where the wind passes the trigger, topped up for the vulnerable under
  participatory targeting: money that speeds reconstruction and keeps families out of poverty.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.world.groups import vulnerable
from hsmobility.world.households import Band, is_housed

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def adaptation_works(model: MobilityModel) -> None:
    """Public works of the month: coastal protection when finished, and home retrofits."""
    build_protection(model)
    retrofit_homes(model)


def retrofit_homes(model: MobilityModel) -> None:
    """A public programme makes a share of homes resilient each year, most vulnerable first
    under participatory targeting; the cost is public."""
    a = model.regime.levers.adaptation
    if a.retrofit_share_per_year <= 0:
        return
    hh = model.households
    pool = np.flatnonzero(is_housed(hh.status) & ~hh.resilient)
    model.retrofit_credit += a.retrofit_share_per_year / 12.0 * len(pool)
    n = min(int(model.retrofit_credit), len(pool))
    if n <= 0:
        return
    model.retrofit_credit -= n
    order = pool[model.streams["pathways"].permutation(len(pool))]
    if model.regime.levers.targeting.vulnerable_first:
        order = order[np.argsort(~vulnerable(model, order), kind="stable")]
    hh.resilient[order[:n]] = True
    unit = model.params.decisions.resilient_cost_share * model.setting.house_value_usd
    model.counts["adaptation_subsidy_usd"] += n * unit
    model.counts["retrofitted"] += n


def build_protection(model: MobilityModel) -> None:
    """In the month the works finish, cover their share of the islands' low-lying households."""
    a = model.regime.levers.adaptation
    if a.protection_share <= 0 or model.protection_built:
        return
    if model.hazards.year[model.month_index] < a.protection_year:
        return
    model.protection_built = True
    hh = model.households
    names = (
        {i.name for i in model.setting.islands}
        if "*" in a.protection_islands
        else set(a.protection_islands)
    )
    rng = model.streams["pathways"]
    covered_total, where = 0, []
    for i, isl in enumerate(model.setting.islands):
        if isl.name not in names:
            continue
        rows = np.flatnonzero((hh.home_island == i) & (hh.band == Band.LOW))
        order = rows[rng.permutation(len(rows))]
        if model.regime.levers.targeting.vulnerable_first:
            order = order[np.argsort(~vulnerable(model, order), kind="stable")]
        covered = order[: round(a.protection_share * len(rows))]
        hh.protected[covered] = True
        covered_total += len(covered)
        where.append(isl.name)
    places = ", ".join(where) if len(where) <= 3 else f"{len(where)} islands"
    model.log(
        f"coastal protection and raised land finished on {places}: "
        f"{covered_total * model.scale} low-lying households covered"
    )


def shelter_share(model: MobilityModel) -> float:
    """Share of exposed people who spend a storm in an evacuation centre."""
    base = model.params.displacement.shelter_seek_share
    return base + model.regime.levers.adaptation.early_warning * (1.0 - base)


def pay_protection(model: MobilityModel, severe_now: np.ndarray) -> None:
    """Cash to newly severely damaged households; parametric payouts on islands over the trigger.

    ``severe_now``: rows of households pushed past severe damage this month.
    """
    lever = model.regime.levers.protection
    if lever.cash_transfer_usd <= 0 and lever.parametric_payout_usd <= 0:
        return
    hh = model.households
    top = model.regime.levers.targeting
    paid = 0.0
    if lever.cash_transfer_usd > 0 and len(severe_now):
        amount = lever.cash_transfer_usd * np.where(
            vulnerable(model, severe_now), top.vulnerable_top_up, 1.0
        )
        hh.savings[severe_now] += amount
        paid += float(amount.sum())
    trigger = model.now.wind_ms >= lever.parametric_trigger_ms
    if lever.parametric_payout_usd > 0 and trigger.any():
        on = np.flatnonzero(hh.island >= 0)
        rows = on[trigger[hh.island[on]]]
        amount = lever.parametric_payout_usd * np.where(
            vulnerable(model, rows), top.vulnerable_top_up, 1.0
        )
        hh.savings[rows] += amount
        paid += float(amount.sum())
    model.counts["protection_paid_usd"] += paid
