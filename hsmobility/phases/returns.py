"""Return from abroad and circular migration: emigrants who come back, seasonal workers who stay.

Two phases run after the month's moves. :func:`settle_seasonal` ends each seasonal worker's
season: most come home (the share of their pay they remit has been sent home month by month by
the economy phase; they bring the rest, saved abroad, with them), some settle abroad and become a
household abroad that remits to the one they came from.
:func:`return_from_abroad` brings households that emigrated during the run back into the
setting, at a yearly hazard that depends on the head's age, the years abroad and the legal route
they left by (ODD 7.14).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hsmobility.phases.economy import earned_abroad, emigrant_remittance, remittance_budget_share
from hsmobility.phases.pathways import long_stay_away
from hsmobility.world.households import (
    Band,
    Displacement,
    HouseholdTable,
    Status,
    take_members,
)
from hsmobility.world.state import World


@dataclass
class Returned:
    """What the return phase did."""

    rows: np.ndarray  # households back from abroad this month


def settle_seasonal(world: World) -> np.ndarray:
    """Seasonal workers whose season ended this month either come home or, with the scheme's
    ``seasonal_settle_prob``, settle at the scheme's destination: a new household of one abroad
    (its parent is the household it left, which gains a remitting kin), or the whole household
    when it has one member. A long-stay worker (:func:`~hsmobility.phases.pathways.is_long_stay`)
    left the household when recruited and was counted as an emigrant: coming home, it rejoins
    the household (``people_returned_from_abroad`` if the household lives in the setting);
    settling, it forms its household abroad without being counted again. Returns the rows of
    the new households (the model gives them Mesa agents)."""
    hh = world.households
    empty = np.zeros(0, dtype=np.int64)
    # the economy counts down the stays of residents' workers; a long-stay worker whose
    # household has left the setting (emigrated, displaced abroad) ends its stay all the same
    away = long_stay_away(world)
    gone = (hh.status == Status.ABROAD) | (hh.displacement == Displacement.ABROAD)
    out = gone & (hh.seasonal_left > 0) & away
    hh.seasonal_left[out] -= 1
    ended = np.flatnonzero((hh.seasonal_scheme >= 0) & (hh.seasonal_left == 0))
    if not len(ended):
        return empty
    long_stay = away[ended]
    scheme = hh.seasonal_scheme[ended].astype(np.int64)
    hh.seasonal_scheme[ended] = -1
    new = [
        _settle_short(world, ended[~long_stay], scheme[~long_stay]),
        _end_long_stay(world, ended[long_stay], scheme[long_stay]),
    ]
    return np.concatenate(new)


def bring_savings_home(world: World, rows: np.ndarray) -> None:
    """Seasonal workers of ``rows`` (households living in the setting) are home: what they
    saved abroad this season (``seasonal_saved``: the share of the season's earnings they did
    not remit, ``1 - remitted_share``) goes into the household's savings. It counts among the
    month's remittances (``remittances_usd``, ``remittances_seasonal_usd``) and in
    ``seasonal_savings_home_usd``: the balance of payments counts seasonal workers' net earnings
    (IMF BPM6, personal remittances include net compensation of employees), whether sent or
    carried home. As for money sent, the household's budget receives
    :func:`~hsmobility.phases.economy.remittance_budget_share` of it
    (``remittances_household_usd``)."""
    hh = world.households
    brought = hh.seasonal_saved[rows].astype(np.float64)
    budget = brought * remittance_budget_share(world)
    hh.savings[rows] += budget
    hh.seasonal_saved[rows] = 0.0
    total = float(brought.sum())
    world.counts.add("seasonal_savings_home_usd", total)
    world.counts.add("remittances_seasonal_usd", total)
    world.counts.add("remittances_usd", total)
    world.counts.add("remittances_household_usd", float(budget.sum()))


def _savings_join_abroad(hh: HouseholdTable, rows: np.ndarray) -> None:
    """Seasonal workers of ``rows`` whose household has left the setting join it abroad: what
    they saved this season goes into its savings there, not into the setting's remittances."""
    hh.savings[rows] += hh.seasonal_saved[rows]
    hh.seasonal_saved[rows] = 0.0


def _settle_prob(world: World, scheme: np.ndarray) -> np.ndarray:
    """Chance that a worker of each scheme in ``scheme`` settles abroad when its stay ends:
    the scheme's own ``settle_prob`` where its setting gives one, else the parameters'."""
    p, paths = world.params.returns, world.policy.regime.pathways
    by_scheme = [
        paths[s].settle_prob
        if paths[s].settle_prob is not None
        else p.seasonal_settle_prob_by_scheme.get(paths[s].name, p.seasonal_settle_prob)
        for s in range(len(paths))
    ]
    return np.asarray(by_scheme, dtype=np.float64)[scheme]


def _settle_short(world: World, ended: np.ndarray, scheme: np.ndarray) -> np.ndarray:
    """Workers of short seasons (still members of their households) who settle abroad leave
    the setting now; the others are simply home."""
    hh = world.households
    empty = np.zeros(0, dtype=np.int64)
    if not len(ended):
        return empty
    in_setting = (hh.status[ended] != Status.ABROAD) & (
        hh.displacement[ended] != Displacement.ABROAD
    )
    # a worker whose household has left the setting joins it there with its savings
    _savings_join_abroad(hh, ended[~in_setting])
    ended, scheme = ended[in_setting], scheme[in_setting]
    if not len(ended):
        return empty
    rng = world.streams["moves"]
    stays = rng.random(len(ended)) < _settle_prob(world, scheme)
    # a displaced household of one does not settle abroad from displacement: its worker comes
    # back to it (settling would end a displacement outside the accounts of the displaced)
    stays &= ~((hh.size[ended] == 1) & (hh.status[ended] == Status.DISPLACED))
    bring_savings_home(world, ended[~stays])
    hh.seasonal_saved[ended[stays]] = 0.0  # a settler keeps its savings abroad
    rows, scheme = ended[stays], scheme[stays]
    if not len(rows):
        return empty
    dest = _destinations(world, scheme)
    world.counts.add("seasonal_settled", len(rows))
    world.counts.add("people_left_setting", len(rows))
    alone = hh.size[rows] == 1
    # a household of one: the worker was the household, which is now abroad
    whole = rows[alone]
    if len(whole):
        hh.status[whole] = Status.ABROAD
        hh.island[whole] = -1
        hh.destination[whole] = dest[alone]
        hh.pathway_used[whole] = scheme[alone]
        hh.moved_step[whole] = world.t
        hh.damage[whole] = 0.0
        hh.protected[whole] = False
        hh.drawn_pathway[whole] = -1
    # otherwise the worker leaves the household and forms one of its own abroad
    parents = rows[~alone]
    if not len(parents):
        return empty
    take_members(
        hh, parents, np.ones(len(parents), dtype=np.int64), ("adults", "elders", "children")
    )
    return _household_abroad(world, parents, dest[~alone], scheme[~alone])


def _end_long_stay(world: World, ended: np.ndarray, scheme: np.ndarray) -> np.ndarray:
    """Long-stay workers whose stay ended: most rejoin the household they left (wherever it
    is now; counted back in the setting if it lives there), a few settle abroad (already
    counted as emigrants when they left)."""
    hh = world.households
    empty = np.zeros(0, dtype=np.int64)
    if not len(ended):
        return empty
    rng = world.streams["moves"]
    in_setting = (hh.status[ended] != Status.ABROAD) & (
        hh.displacement[ended] != Displacement.ABROAD
    )
    # a worker whose household has itself left joins it abroad, and does not settle apart
    stays = in_setting & (rng.random(len(ended)) < _settle_prob(world, scheme))
    home = ended[~stays]
    bring_savings_home(world, home[in_setting[~stays]])
    _savings_join_abroad(hh, ended[~in_setting])  # joins its household abroad
    hh.seasonal_saved[ended] = 0.0  # settlers keep theirs abroad
    hh.size[home] += 1
    hh.adults[home] += 1
    world.counts.add("long_stay_returns", len(home))
    world.counts.add("people_returned_from_abroad", int(in_setting[~stays].sum()))
    parents, scheme = ended[stays], scheme[stays]
    if not len(parents):
        return empty
    world.counts.add("seasonal_settled", len(parents))
    return _household_abroad(world, parents, _destinations(world, scheme), scheme)


def _destinations(world: World, scheme: np.ndarray) -> np.ndarray:
    """Destination index of each scheme in ``scheme``."""
    names = [d.name for d in world.setting.destinations]
    paths = world.policy.regime.pathways
    return np.array([names.index(paths[s].destination) for s in scheme], dtype=np.int64)


def _household_abroad(
    world: World, parents: np.ndarray, d: np.ndarray, s: np.ndarray
) -> np.ndarray:
    """A settled worker, no longer a member of ``parents``, becomes a household of one abroad
    at destinations ``d`` (left by schemes ``s``) that remits to the household it came from;
    returns the new rows."""
    hh, p = world.households, world.params.returns
    rng = world.streams["moves"]
    per_person = hh.income[parents] / np.maximum(hh.size[parents] + 1, 1)
    age = rng.integers(p.settler_age_min, p.settler_age_max + 1, len(parents))
    ties = hh.ties[parents].copy()
    ties[np.arange(len(parents)), d] = 1.0
    new = hh.append(
        {
            "home_island": hh.home_island[parents],
            "island": np.full(len(parents), -1),
            "destination": d,
            "status": np.full(len(parents), Status.ABROAD),
            "displacement": np.full(len(parents), Displacement.NONE),
            "band": hh.band[parents],
            "size": np.ones(len(parents)),
            "adults": np.ones(len(parents)),  # the worker: a working-age adult
            "head_age": age,
            "female_head": np.zeros(len(parents), dtype=bool),
            "disability": np.zeros(len(parents), dtype=bool),
            "quintile": hh.quintile[parents],
            "skills": hh.skills[parents],
            "income": per_person,
            "attachment": hh.attachment[parents],
            "risk": hh.risk[parents],
            "formed_step": np.full(len(parents), world.t),
            "moved_step": np.full(len(parents), world.t),
            "pathway_used": s,
            "parent": parents,
            "community": hh.community[parents],  # stays in its parent's village, as a split does
            "ties": ties,
        }
    )
    # the settler remits to the household it came from, which now has family there
    sends = emigrant_remittance(world, d, np.ones(len(parents)))
    np.add.at(hh.remit_kin_usd, parents, sends)
    np.add.at(hh.kin_abroad, parents, 1)
    hh.ties[parents, d] = 1.0
    return new


def return_hazard(world: World, rows: np.ndarray) -> np.ndarray:
    """Yearly return hazard of households abroad: ``base_rate_per_year`` x ``early_factor``
    in the first ``early_years`` abroad x the head's age factor (``older_factor`` from
    ``older_age``, ``retiree_factor`` from ``retiree_age``) x the factor of the pathway it left by
    (``pathway_factor`` by name, else ``kind_factor`` by kind, else 1)."""
    hh, p = world.households, world.params.returns
    years = (world.t - hh.moved_step[rows]) / 12.0
    early = np.where(years < p.early_years, p.early_factor, 1.0)
    age = hh.head_age[rows]
    by_age = np.where(
        age >= p.retiree_age, p.retiree_factor, np.where(age >= p.older_age, p.older_factor, 1.0)
    )
    paths = world.policy.regime.pathways
    lut = np.array(
        [p.pathway_factor.get(x.name, p.kind_factor.get(x.kind, 1.0)) for x in paths] + [1.0]
    )
    by_path = lut[hh.pathway_used[rows]]  # -1 (no pathway known) takes the last entry, 1
    return p.base_rate_per_year * early * by_age * by_path


def return_from_abroad(world: World) -> Returned:
    """Households that emigrated during the run come back with monthly chance
    1 - exp(-hazard / 12) (:func:`return_hazard`): to the capital (``capital_share``) or to
    their home island, in a band drawn from the island's shares (never onto land lost to the
    sea), as ``RETURNED``. They bring ``savings_months_abroad`` months (at most the months they
    spent abroad) of what their working-age members earned there (:func:`economy.earned_abroad`:
    the destination's ``earnings_usd`` x ``adults``), not of their income at home;
    what they were sending home stops (the household they split from loses its share and one
    kin abroad; the rest is taken pro rata from their island's remittance receivers)."""
    hh, p = world.households, world.params.returns
    abroad = np.flatnonzero((hh.status == Status.ABROAD) & (hh.moved_step >= 0))
    abroad = abroad[hh.moved_step[abroad] < world.t]  # not in the month they left
    if not len(abroad):
        return Returned(np.zeros(0, dtype=np.int64))
    rng = world.streams["moves"]
    chance = 1.0 - np.exp(-return_hazard(world, abroad) / 12.0)
    rows = abroad[rng.random(len(abroad)) < chance]
    if not len(rows):
        return Returned(rows)
    dest = hh.destination[rows].astype(np.int64)
    # what they send home now (as they started to, decayed), and who receives it
    pe = world.params.economy
    years = (world.t - hh.moved_step[rows]) / 12.0
    sends = emigrant_remittance(world, dest, hh.size[rows], years)
    _stop_remittances(world, rows, sends)
    # where they settle
    to_capital = rng.random(len(rows)) < p.capital_share
    target = np.where(to_capital, world.geo.capital, hh.home_island[rows]).astype(np.int64)
    low = np.array([i.lowlying_share for i in world.setting.islands])[target]
    high = np.array([i.highground_share for i in world.setting.islands])[target]
    u = rng.random(len(rows))
    band = np.where(u < low, Band.LOW, np.where(u < low + high, Band.HIGH, Band.MID))
    band = np.where((band == Band.LOW) & world.land.inundated[target], Band.MID, band)
    # income moves to the new island's level as an internal move's does
    before = hh.home_island[rows].astype(np.int64)
    ratio = world.context.island_income[target] / world.context.island_income[before]
    c = pe.internal_move_income_convergence
    hh.income[rows] *= 1.0 + c * (ratio - 1.0)
    # savings from the earnings abroad of its workers, over no more months than it was away
    months = np.minimum(p.savings_months_abroad, world.t - hh.moved_step[rows])
    brought = months / 12.0 * earned_abroad(world, dest, hh.adults[rows])
    hh.savings[rows] += brought
    hh.status[rows] = Status.RETURNED
    hh.island[rows] = target
    hh.home_island[rows] = target
    hh.destination[rows] = -1
    hh.band[rows] = band
    hh.damage[rows] = 0.0
    hh.protected[rows] = False
    hh.displacement[rows] = Displacement.NONE
    hh.forced[rows] = False
    hh.returned_step[rows] = world.t
    c_ = world.counts
    c_.add("returns_from_abroad", len(rows))
    c_.add("people_returned_from_abroad", int(hh.size[rows].sum()))
    c_.add("savings_brought_home_usd", float(brought.sum()))
    names = world.policy.pathway_names
    for k in hh.pathway_used[rows]:
        c_.returns_by_pathway[names[k] if k >= 0 else "unknown"] += 1
    return Returned(rows)


def _stop_remittances(world: World, rows: np.ndarray, sends: np.ndarray) -> None:
    """Remittances that ``rows`` were sending (``sends``, US$ a year) stop: the household each
    split from, if it lives in the setting, loses ``parent_remit_share`` of it (all of it for a
    seasonal settler) and one kin abroad; the rest is taken from the receivers on its home
    island in proportion to what they receive (who exactly received it is not recorded)."""
    hh, pe = world.households, world.params.economy
    parent = hh.parent[rows]
    home = parent >= 0
    home[home] = hh.status[parent[home]] != Status.ABROAD
    # a seasonal settler sent everything to the household it came from (settle_seasonal)
    kinds = np.array([x.kind for x in world.policy.regime.pathways] + [""])
    settler = kinds[hh.pathway_used[rows]] == "seasonal"
    share = np.where(settler, 1.0, pe.parent_remit_share)
    to_parent = np.where(home, share * sends, 0.0)
    np.subtract.at(hh.remit_kin_usd, parent[home], to_parent[home])
    np.subtract.at(hh.kin_abroad, parent[home], 1)
    n_isl = len(world.setting.islands)
    rest = np.bincount(hh.home_island[rows], weights=sends - to_parent, minlength=n_isl)
    on = np.flatnonzero(hh.island >= 0)
    received = np.bincount(hh.island[on], weights=hh.remit_kin_usd[on], minlength=n_isl)
    cut = np.where(received > 0, np.minimum(1.0, rest / np.maximum(received, 1e-9)), 0.0)
    hh.remit_kin_usd[on] *= 1.0 - cut[hh.island[on]]
    np.maximum(hh.remit_kin_usd, 0.0, out=hh.remit_kin_usd)
    np.maximum(hh.kin_abroad, 0, out=hh.kin_abroad)
