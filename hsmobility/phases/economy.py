"""Income, remittances and savings."""

from __future__ import annotations

import numpy as np

from hsmobility.phases.impacts import Hit
from hsmobility.world.groups import needs_factor
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import Status, consumption_floor_per_person
from hsmobility.world.state import World


def diaspora_remittance_per_member(world: World) -> float:
    """What one member of the older diaspora sends home, US$ per year: ``remit_share`` of its
    earnings abroad (:meth:`Setting.diaspora_earnings`: the destinations' ``earnings_usd``
    weighted by where the diaspora lives), decayed over ``diaspora_years_abroad`` with
    ``remittance_half_life_years``. It does not depend on income at home, so that sourcing
    home incomes from household surveys leaves remittances alone."""
    pe = world.params.economy
    decay = 0.5 ** (pe.diaspora_years_abroad / pe.remittance_half_life_years)
    return pe.remit_share * world.setting.diaspora_earnings() * decay


def remittance_budget_share(world: World) -> float:
    """Share of the remittances a household receives (all sources, as the national
    balance-of-payments total counts them) that reaches its budget as income it spends: the
    setting's ``remittance_budget_share`` (Tonga: the HIES's consumption over the national
    accounts' household consumption, ODD 7.6), else all of it. The rest leaves the household
    account for what the survey's household consumption does not see (church and community
    giving, ceremonies, capital uses); the national-total measure still counts it."""
    share = world.setting.remittance_budget_share
    return 1.0 if share is None else float(share)


def earnings_abroad(world: World) -> np.ndarray:
    """Yearly earnings of a working migrant at each destination, US$ (``earnings_usd``)."""
    return np.array([d.earnings_usd for d in world.setting.destinations], dtype=np.float64)


def earned_abroad(world: World, dest: np.ndarray | int, workers: np.ndarray | float) -> np.ndarray:
    """What a household abroad earns there in a year, US$: its destination's ``earnings_usd``
    x its ``workers``. The one measure of earnings abroad, shared by what emigrants send home
    (:func:`emigrant_remittance`) and what a returning household brings back
    (:func:`phases.returns.return_from_abroad`), so that both follow the destination's wage."""
    earned = earnings_abroad(world)[np.asarray(dest, dtype=np.int64)]
    return earned * np.asarray(workers, dtype=np.float64)


def emigrant_remittance(
    world: World,
    dest: np.ndarray | int,
    people: np.ndarray | float,
    years: np.ndarray | float = 0.0,
) -> np.ndarray:
    """What emigrants of the run send home, US$ per year: ``remit_share`` x :func:`earned_abroad`
    for the people who left (their destination's ``earnings_usd`` x the people), decayed with
    ``years`` abroad at ``remittance_half_life_years``; the same rate per person abroad as the
    older diaspora's (before its decay), so that a member who leaves sends what one already
    there sends."""
    pe = world.params.economy
    decay = 0.5 ** (np.asarray(years, dtype=np.float64) / pe.remittance_half_life_years)
    return pe.remit_share * earned_abroad(world, dest, people) * decay


def income_and_savings(world: World, month: MonthHazards, hit: Hit) -> None:
    """Residents earn their livelihood less hazard losses, receive remittances, and save.

    Losses: house damage (``damage_income_loss`` per unit), drought months, king-tide flooding
    of low-lying gardens and wells (at most ``max_income_loss`` in all); displacement cuts
    livelihood to ``displaced_income_factor``. Remittances come from four sources: the older
    diaspora (``members_abroad`` x :func:`diaspora_remittance_per_member`), kin who emigrated
    during the run (``remit_kin_usd``, :func:`emigrant_remittance`, which decays with their
    years abroad), seasonal workers' pay and seafarers' allotments (``seafarers.
    remit_usd_per_year`` / 12 for each month a member is at sea); family abroad sends
    ``1 + remittance_disaster_boost x damage`` times more to a damaged home. Of what they send
    (all counted in ``remittances_usd``, the national total's measure) the household's budget
    receives :func:`remittance_budget_share` (``remittances_household_usd``,
    ``remittances_month``). Cash transfers
    and payouts received this month (``transfers_month``) pay for the consumption a household
    needs and cannot otherwise afford; the rest of them is saved.
    Consumption is at least the consumption floor per person (:func:`consumption_floor_per_person`:
    the setting's food or basic-needs floor, else its poverty line; times the household's needs,
    ``disability_extra_cost`` more with a disabled member) while savings last; it is recorded per
    need in ``consumption_month``, on which poverty is measured against the line. Out
    of what is left households meet their obligations (``obligations_share`` of income: church,
    community, school) and the calls on their savings (``savings_call_rate``: family events,
    debts). Every livelihood grows at the setting's real ``income_growth``. Updates ``income``,
    ``income_month``, ``remittances_month``, ``consumption_month``, ``savings`` and
    ``remit_kin_usd``; spends ``transfers_month``.
    """
    hh, pe = world.households, world.params.economy
    setting = world.setting
    hh.income[:] *= (1.0 + setting.income_growth) ** (1.0 / 12.0)
    res = np.flatnonzero(hh.status != Status.ABROAD)
    loss = pe.damage_income_loss * hh.damage[res]
    if month.drought:
        loss = loss + setting.drought.income_loss
    loss = loss + world.params.sea_level.king_tide_income_loss * hit.flooded[res]
    factor = 1.0 - np.clip(loss, 0.0, pe.max_income_loss)
    displaced = hh.status[res] == Status.DISPLACED
    factor = np.where(displaced, factor * pe.displaced_income_factor, factor)
    earned = hh.income[res] / 12.0 * factor
    # family abroad: the older diaspora and kin who left during the run, more after a disaster
    boost = 1.0 + pe.remittance_disaster_boost * hh.damage[res]
    from_diaspora = hh.members_abroad[res] * diaspora_remittance_per_member(world) / 12.0 * boost
    from_kin = hh.remit_kin_usd[res] / 12.0 * boost
    # seasonal workers away send their pay home
    away = hh.seasonal_left[res] > 0
    from_seasonal = np.where(away, hh.seasonal_pay[res], 0.0)
    hh.seasonal_left[res[away]] -= 1
    world.counts.add("seasonal_workers_away", int(away.sum()))
    # seafarers at sea send their allotments home (phases.seafarers signs them on and off)
    at_sea = hh.seafarer_left[res] > 0
    sea = world.setting.seafarers
    allotment = sea.remit_usd_per_year / 12.0 if sea is not None else 0.0
    from_seafarers = np.where(at_sea, allotment, 0.0)
    hh.seafarer_left[res[at_sea]] -= 1
    world.counts.add("seafarers_away", int(at_sea.sum()))
    remit = from_diaspora + from_kin + from_seasonal + from_seafarers
    # the part of them that reaches the household budget (the rest leaves the household
    # account: church and community giving, ceremonies, capital uses; ODD 7.6)
    budget = remit * remittance_budget_share(world)
    total = earned + budget
    # a member with a disability raises what the household needs for the same living standard
    needs = needs_factor(hh, world.params, res)
    # the consumption floor (subsistence), not the poverty line, which only measures (ODD 7.6)
    subsistence = consumption_floor_per_person(setting, world.params) * hh.size[res] / 12.0
    # social protection paid this month (phases.protection) pays for what the household needs
    # and cannot otherwise afford; what is left of it is saved (for repairs)
    transfers = hh.transfers_month[res]
    consumption = np.minimum(
        np.maximum(subsistence * needs, pe.consumption_share * total),
        total + hh.savings[res] + transfers,
    )
    # obligations and calls on savings come out of what is left after consumption
    left = hh.savings[res] + total + transfers - consumption
    outflows = np.minimum(pe.obligations_share * total + pe.savings_call_rate * left, left)
    hh.savings[res] = np.maximum(0.0, left - outflows)
    hh.income_month[res] = total + transfers
    # poverty is measured on consumption per need (ODD 7.6), as the HIES measure it
    hh.consumption_month[res] = consumption / needs
    hh.transfers_month[:] = 0.0
    hh.remittances_month[res] = budget
    # remittance decay: kin abroad send less with every month away
    hh.remit_kin_usd[:] *= 0.5 ** (1.0 / (12.0 * pe.remittance_half_life_years))
    world.counts.add("remittances_usd", float(remit.sum()))
    world.counts.add("remittances_household_usd", float(budget.sum()))
    world.counts.add("remittances_diaspora_usd", float(from_diaspora.sum()))
    world.counts.add("remittances_new_emigrants_usd", float(from_kin.sum()))
    world.counts.add("remittances_seasonal_usd", float(from_seasonal.sum()))
    world.counts.add("remittances_seafarers_usd", float(from_seafarers.sum()))
