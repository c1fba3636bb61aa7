"""Pathways: ballot registration and draws, humanitarian visas, seasonal recruitment.

Ballots (PAC, PEV, Falepili): once a year eligible households register and pay the fee. Entering
a cheap ballot is an option, taken by many with no present plan to go: the chance to register is
a logit in the wish to go there, ties to family there, information (living on the capital
island), the fee in months of income, and whether the household was registered last year
(registrations persist: ``ballot_entries``). Places (in people, as the schemes count them) are
drawn at random among registrants; a drawn principal then needs a job offer where the scheme
asks for one and has ``drawn_valid_months`` to go. Humanitarian visas open for an island's
displaced and badly damaged households when a storm displaces enough of it. Seasonal schemes
recruit once a year; a worker is away ``months_away``, sends ``remitted_share`` of the season's
earnings home month by month and brings the rest home when the season ends. A
scheme whose workers are away at least ``returns.usual_residence_months`` (12: the UN's usual
residence, e.g. the Pacific Labour Scheme's one to four years) is long-stay: its worker leaves
the household and is counted as an emigrant (``people_left_setting``) until back.
A pathway with ``opens``/``closes`` dates (or ``windows``) holds no ballot and recruits no one
outside them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hsmobility.config.params import DecisionParams, Parameters
from hsmobility.config.schemas import Pathway
from hsmobility.decisions import wish_abroad
from hsmobility.phases.choices import ballot_eligible, deciders, situation
from hsmobility.world.groups import seasonal_factor
from hsmobility.world.households import Status, can_spare_adult, take_members
from hsmobility.world.state import World


@dataclass
class PathwayNews:
    """What the pathways did this month."""

    drawn: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    recruited: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    visa_islands: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def pathways(world: World, displaced: np.ndarray) -> PathwayNews:
    """The yearly ballots and seasonal recruitment in their months; humanitarian visas for the
    islands that this month's ``displaced`` rows come from, when enough of them."""
    month = world.calendar_month
    p = world.params.decisions
    news = PathwayNews()
    if month == 1:
        world.policy.humanitarian.left = world.policy.humanitarian.quota
    if month == p.registration_month:
        news.drawn = ballots(world)
    if month == p.seasonal_month:
        news.recruited = seasonal(world)
    news.visa_islands = humanitarian(world, displaced)
    return news


def register_prob(
    wants: np.ndarray,
    ties: np.ndarray,
    at_capital: np.ndarray,
    fee_months: np.ndarray,
    renewing: np.ndarray,
    p: DecisionParams,
) -> np.ndarray:
    """Chance that an eligible household enters a ballot this year: a logit in its wish to go
    to the ballot's destination, its ties there, information (on the capital island), the fee
    in months of its income and whether it was registered last year."""
    x = (
        p.register_asc
        + p.register_beta_wish * wants
        + p.register_beta_ties * ties
        + p.register_beta_capital * at_capital
        - p.register_beta_fee * fee_months
        + p.register_beta_renew * renewing
    )
    return 1.0 / (1.0 + np.exp(-x))


def _is_option(path: Pathway) -> bool:
    """Whether entering ``path`` buys an option on a later move: a draw that needs no job
    offer (Falepili) can be taken up whenever the household wants to go, so it is entered by
    households who would go if conditions worsened; a draw that needs a job offer within months
    (PAC, PEV) is entered by those who wish to go now."""
    return not path.job_offer_required


def ballots(world: World) -> np.ndarray:
    """This year's registration and draw for every ballot pathway; returns the rows drawn."""
    hh, p, t = world.households, world.params.decisions, world.t
    rng = world.streams["pathways"]
    rows = deciders(world)
    if not len(rows):
        return rows
    now = situation(world, rows)
    wish = wish_abroad(now, world.context, p)
    worse = None  # the wish if conditions worsened, computed for the first open option ballot
    dest_index = {d.name: k for k, d in enumerate(world.setting.destinations)}
    at_capital = hh.island[rows] == world.context.capital
    monthly_income = np.maximum(hh.income[rows] / 12.0, 1.0)
    hh.registered[:] = False
    drawn_all = []
    for k, path in enumerate(world.policy.regime.pathways):
        if path.kind != "ballot" or path.quota_per_year <= 0:
            continue
        bit = np.int64(1) << k
        if not path.open_in(world.year, world.calendar_month):
            hh.ballot_entries[rows] &= ~bit  # no ballot before it opens or after it closes
            continue
        dest = dest_index[path.destination]
        renewing = (hh.ballot_entries[rows] & bit) != 0
        eligible = ballot_eligible(world, rows, path)
        eligible &= hh.drawn_until[rows] < t  # not holding a live draw
        wants = wish
        if _is_option(path):  # entered by those who would go if conditions worsened (7.9.1)
            if worse is None:
                worse = wish_abroad(now, world.context, p, extra_risk=p.worsened_risk)
            wants = worse
        chance = register_prob(
            wants[:, dest] > p.aspiration_threshold,
            hh.ties[rows, dest],
            at_capital,
            path.registration_fee_usd / monthly_income,
            renewing,
            p,
        )
        enter = eligible & (rng.random(len(rows)) < chance)
        entrants = rows[enter]
        hh.ballot_entries[rows[~enter]] &= ~bit
        hh.ballot_entries[entrants] |= bit
        hh.savings[entrants] -= path.registration_fee_usd
        hh.registered[entrants] = True
        # draw places (people) among the entrants, in random order
        order = entrants[rng.permutation(len(entrants))]
        # a household is drawn while places remain before it (it may fill the last ones)
        before = (np.cumsum(hh.size[order]) - hh.size[order]) * world.scale
        drawn = order[before < path.quota_per_year]
        hh.ballot_entries[drawn] &= ~bit  # a drawn household leaves the ballot
        hh.drawn_pathway[drawn] = k
        hh.drawn_until[drawn] = t + p.drawn_valid_months
        offer = np.ones(len(drawn), dtype=bool)
        if path.job_offer_required:
            chance = p.job_offer_prob * (p.job_offer_skill_base + hh.skills[drawn])
            offer = rng.random(len(drawn)) < chance
        hh.job_offer[drawn] = offer
        people = int(hh.size[entrants].sum())
        world.ballot_log.append(
            {
                "year": world.year,
                "pathway": path.name,
                "registrations": len(entrants) * world.scale,
                "registrations_people": people * world.scale,
                "places": path.quota_per_year,
                "drawn": len(drawn) * world.scale,
                "drawn_people": int(hh.size[drawn].sum()) * world.scale,
                "with_job_offer": int(offer.sum()) * world.scale,
            }
        )
        world.counts.add("ballot_registrations", len(entrants))
        world.counts.add("ballot_registrations_people", people)
        world.counts.add("ballot_places", path.quota_per_year / world.scale)
        drawn_all.append(drawn)
    return np.concatenate(drawn_all) if drawn_all else np.zeros(0, dtype=np.int64)


def humanitarian(world: World, displaced: np.ndarray) -> np.ndarray:
    """Open the visa for islands where this month's storm displaced enough households; returns
    the islands it opened for."""
    h = world.policy.levers.humanitarian
    none = np.zeros(0, dtype=np.int64)
    if not (h.enabled and world.policy.humanitarian.quota > 0 and len(displaced)):
        return none
    hh, t = world.households, world.t
    n_isl = len(world.setting.islands)
    displaced_new = np.bincount(hh.home_island[displaced], minlength=n_isl)
    homes = np.bincount(hh.home_island[hh.status != Status.ABROAD], minlength=n_isl)
    opened = displaced_new >= h.trigger_displaced_share * np.maximum(homes, 1)
    if not opened.any():
        return none
    severe = hh.damage >= world.params.displacement.severe_damage
    eligible = opened[hh.home_island] & (hh.status != Status.ABROAD)
    eligible &= (hh.status == Status.DISPLACED) | severe
    hh.visa_until[eligible] = t + h.open_months
    world.counts.add("humanitarian_visa_openings", int(opened.sum()))
    for i in np.flatnonzero(opened):
        world.log(
            f"humanitarian visas open for {world.setting.islands[i].name} for "
            f"{h.open_months} months"
        )
    return np.flatnonzero(opened)


def is_long_stay(path: Pathway, params: Parameters) -> bool:
    """Whether ``path`` is a seasonal scheme whose workers are away long enough to change their
    usual residence (UN Recommendations on Statistics of International Migration: 12 months),
    so that they are emigrants while away."""
    return path.kind == "seasonal" and path.months_away >= params.returns.usual_residence_months


def long_stay_away(world: World) -> np.ndarray:
    """Whether each household has a long-stay worker away (one at most): a worker outside the
    household table, counted as having left the setting (ODD 7.9.3)."""
    paths = world.policy.regime.pathways
    lut = np.array([is_long_stay(x, world.params) for x in paths] + [False])
    return lut[world.households.seasonal_scheme]


def seasonal(world: World) -> np.ndarray:
    """Once a year each seasonal scheme recruits workers up to its places; returns the rows of
    the households a worker left. A long-stay scheme (:func:`is_long_stay`) takes a working-age
    member out of a household that has one and someone else to stay: the worker leaves the
    setting (``people_left_setting``, ``long_stay_departures``) until the stay ends
    (:func:`hsmobility.phases.returns.settle_seasonal`)."""
    recruited = []
    for path in world.policy.regime.pathways:
        if path.kind != "seasonal" or path.quota_per_year <= 0:
            continue
        if not path.open_in(world.year, world.calendar_month):
            continue  # no recruitment before the scheme opens or after it closes
        chosen = _recruit(world, path, world.year, path.months_away)
        if is_long_stay(path, world.params):
            world.counts.add("long_stay_departures", len(chosen))
            world.counts.add("people_left_setting", len(chosen))
        world.counts.seasonal_by_pathway[path.name] += len(chosen)
        world.counts.add("seasonal_recruited", len(chosen))
        recruited.append(chosen)
    return np.concatenate(recruited) if recruited else np.zeros(0, dtype=np.int64)


def months_left_at_start(
    path: Pathway, recruit_year: int, recruit_month: int, start_year: int, start_month: int
) -> int:
    """Months of pay still to come, at the start of month ``start_year``-``start_month``, for a
    worker of ``path`` recruited in ``recruit_year``-``recruit_month`` (0 if not away then).

    A worker recruited in a month is paid from the next month on, one month of pay each month
    (the economy phase), for ``months_away`` months: recruited in September for seven months,
    it is paid October to April and home at the end of April. The months paid before the start
    are those strictly between the recruitment month and the start month."""
    since = (start_year * 12 + start_month) - (recruit_year * 12 + recruit_month)
    if since < 1:
        return 0  # recruited in the start month or later: the run recruits it
    return max(path.months_away - (since - 1), 0)


def seasonal_at_start(world: World) -> np.ndarray:
    """The seasonal workers already away when the run starts: for each scheme, each past
    season (recruited in ``decisions.seasonal_month`` of an earlier year, while the scheme was
    open, with that season's places, :meth:`Pathway.quota_in`) whose workers are still away in
    the run's first month sends them away now, as :func:`seasonal` would have, with the months
    of the season still to come (:func:`months_left_at_start`). The pay of the months already
    past was sent before the run; what workers save is brought home at the season's end, as
    for any season (``seasonal_saved``: the whole season's saving, part of it made before the
    run). A long-stay worker leaves its household as when recruited, but left before the run:
    no departure is counted, and its coming home counts as a return from abroad. Recruitment
    counters (``seasonal_recruited``, ``seasonal_by_pathway``) are left alone: these workers
    were recruited before the record. The seasons are the setting's own schemes
    (``Setting.pathways``), not the regime's: the regime starts with the run. Without it a run
    starting in January has no worker away until the first recruitment, and the first seasons'
    savings come home only at the end of its first year (issue 8, ninth session). Returns the
    rows of the households a worker left."""
    start_year, start_month = int(world.hazards.year[0]), int(world.hazards.month[0])
    recruit_month = world.params.decisions.seasonal_month
    # the past is the setting's own: its schemes as they were, whatever the regime does to them
    # (a scheme the regime adds had no season before the run), so every regime starts alike
    history = {x.name: x for x in world.setting.pathways}
    recruited = []
    for path in world.policy.regime.pathways:
        path = history.get(path.name)
        if path is None or path.kind != "seasonal" or path.quota_per_year <= 0:
            continue
        # the seasons that may still be away, the most recent first (it was recruited last)
        for back in range(0, path.months_away // 12 + 2):
            year = start_year - back
            left = months_left_at_start(path, year, recruit_month, start_year, start_month)
            if left < 1 or not path.open_in(year, recruit_month):
                continue
            recruited.append(_recruit(world, path, year, left))
    return np.concatenate(recruited) if recruited else np.zeros(0, dtype=np.int64)


def _recruit(world: World, path: Pathway, year: int, months_left: int) -> np.ndarray:
    """Recruit the workers of ``path``'s season starting in ``year`` among the resident
    households with an eligible worker and none away (its places, less what rounding carries
    over in ``seasonal_credit``); each is away ``months_left`` more months. Returns the rows of
    the households a worker left."""
    hh, p = world.households, world.params.decisions
    rng = world.streams["pathways"]
    rows = deciders(world)
    age_ok = (hh.head_age[rows] >= path.min_age) & (hh.head_age[rows] <= path.max_age)
    has_worker = age_ok | (hh.size[rows] >= p.seasonal_worker_household_size)
    # no worker away, nor one whose stay ends this month (settle_seasonal runs later)
    free = (hh.seasonal_left[rows] == 0) & (hh.seasonal_scheme[rows] < 0)
    poor = hh.quintile[rows] <= p.seasonal_poor_max_quintile
    boost = np.where(poor, p.seasonal_poor_boost, 1.0)
    boost = boost * seasonal_factor(hh, world.params, rows)  # few women are recruited
    long_stay = is_long_stay(path, world.params)
    if long_stay:  # the worker (an adult) leaves; an adult or an elder stays to head the home
        has_worker &= can_spare_adult(hh, rows)
    apply = has_worker & free & (rng.random(len(rows)) < p.seasonal_apply_prob * boost)
    applicants = rows[apply]
    credit = world.policy.seasonal_credit
    available = credit.get(path.name, 0.0) + path.quota_in(year) / world.scale
    places = int(available)
    credit[path.name] = available - places
    chosen = applicants[rng.permutation(len(applicants))[:places]]
    hh.seasonal_left[chosen] = months_left
    # what the worker sends home month by month, and what it saves to bring home at the
    # end (remitted_share of the season's earnings is sent; Section 7.9.3)
    sent = path.earnings_per_season_usd * path.remitted_share
    hh.seasonal_pay[chosen] = sent / max(path.months_away, 1)
    hh.seasonal_saved[chosen] = path.earnings_per_season_usd - sent
    hh.seasonal_scheme[chosen] = world.policy.pathway_names.index(path.name)
    if long_stay:
        take_members(hh, chosen, np.ones(len(chosen), dtype=np.int64), ("adults",))
    return chosen
