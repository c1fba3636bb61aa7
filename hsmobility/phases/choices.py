"""Decisions: each household's wish and means this month, and the choices of those reviewing.

The rule itself is :func:`hsmobility.decisions.decide` (pure functions on arrays); this phase
gathers each household's situation from the World and writes the outcome back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hsmobility.config.schemas import Pathway
from hsmobility.decisions import Barrier, Situation, decide
from hsmobility.phases.impacts import Hit
from hsmobility.world.groups import vulnerable
from hsmobility.world.households import Displacement, Status
from hsmobility.world.kin import capital_kin_help
from hsmobility.world.options import Kind
from hsmobility.world.state import World


@dataclass
class Choices:
    """Households that chose to do something this month, and the option each chose."""

    rows: np.ndarray
    option: np.ndarray  # index into world.policy.options


def resilient_subsidy(world: World, rows: np.ndarray) -> np.ndarray:
    """Share of a resilient home's cost paid by government for each household in ``rows``
    (``nonvulnerable_subsidy_factor`` of it for the not-vulnerable under participatory
    targeting)."""
    levers = world.policy.levers
    reduce = levers.targeting.vulnerable_first & ~vulnerable(world.households, world.params, rows)
    factor = world.params.groups.nonvulnerable_subsidy_factor
    return levers.adaptation.resilient_subsidy * np.where(reduce, factor, 1.0)


def ballot_eligible(world: World, rows: np.ndarray, path: Pathway) -> np.ndarray:
    """Households ``rows`` that may enter the ballot ``path``: a principal of the right age (the
    head, or an adult child of an older head) and the registration fee in savings."""
    hh, p = world.households, world.params.decisions
    age = hh.head_age[rows]
    adult_child = (
        (hh.size[rows] >= p.adult_child_household_size)
        & (age >= p.adult_child_parent_age)
        & (path.min_age <= p.adult_child_age)
    )
    eligible = ((age >= path.min_age) & (age <= path.max_age)) | adult_child
    return eligible & (hh.savings[rows] >= path.registration_fee_usd)


def registered_in(world: World, rows: np.ndarray, pathway: int) -> np.ndarray:
    """Households ``rows`` registered in the ballot of pathway index ``pathway``."""
    return (world.households.ballot_entries[rows] >> pathway) & 1 == 1


def closed_options(world: World) -> np.ndarray:
    """Per option: True where it goes abroad by a pathway or channel that is not open this month
    (before its ``opens`` date or from its ``closes`` date): no legal route that way now."""
    policy, year, month = world.policy, world.year, world.calendar_month
    closed = np.zeros(len(policy.options), dtype=bool)
    for j, opt in enumerate(policy.options):
        if opt.kind != Kind.ABROAD:
            continue
        if opt.channel >= 0:
            closed[j] = not world.setting.channels[opt.channel].open_in(year, month)
        elif opt.pathway >= 0:
            closed[j] = not policy.regime.pathways[opt.pathway].open_in(year, month)
    return closed


def situation(world: World, rows: np.ndarray) -> Situation:
    """The decision-relevant state of households ``rows`` this month."""
    hh, t, policy = world.households, world.t, world.policy
    island = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    legal = np.ones((len(rows), len(policy.options)), dtype=bool)
    reason = np.full(legal.shape, Barrier.ELIGIBILITY, dtype=np.int8)
    pathways = policy.regime.pathways
    for j, opt in enumerate(policy.options):
        if opt.kind == Kind.ABROAD and opt.channel >= 0:
            # a regular channel: open to the households granted one of its places
            granted = hh.channel_granted[rows] == opt.channel
            legal[:, j] = granted & (hh.channel_until[rows] >= t)
        elif opt.kind == Kind.ABROAD:
            path = pathways[opt.pathway]
            if path.kind == "ballot":
                drawn = (hh.drawn_pathway[rows] == opt.pathway) & (hh.drawn_until[rows] >= t)
                ok = drawn & hh.job_offer[rows] if path.job_offer_required else drawn
                legal[:, j] = ok
                # registered in this ballot or holding its draw: queued; able to enter it
                # but not entered: unentered; else not eligible
                queued = drawn | registered_in(world, rows, opt.pathway)
                waiting = ballot_eligible(world, rows, path)
                reason[:, j] = np.where(
                    queued,
                    Barrier.QUEUED,
                    np.where(waiting, Barrier.UNENTERED, Barrier.ELIGIBILITY),
                )
            elif path.kind == "humanitarian":
                visa = hh.visa_until[rows] >= t
                legal[:, j] = visa & (policy.humanitarian.left > 0)
                reason[:, j] = np.where(visa, Barrier.WAITING, Barrier.ELIGIBILITY)
    closed = closed_options(world)
    legal[:, closed] = False
    reason[:, closed] = Barrier.LEGAL
    return Situation(
        island=island,
        band=hh.band[rows],
        income=hh.income[rows],
        savings=hh.savings[rows],
        risk=hh.risk[rows],
        damage=hh.damage[rows],
        displaced=hh.status[rows] == Status.DISPLACED,
        attachment=hh.attachment[rows],
        head_age=hh.head_age[rows],
        ties=hh.ties[rows],
        resilient=hh.resilient[rows],
        subsidy=resilient_subsidy(world, rows),
        legal=legal,
        transport=world.access.links_cut_until[island] < t,
        illegal_reason=reason,
        kin_help=capital_kin_help(
            hh, rows, world.geo.capital, world.params.decisions.kin_help_share
        ),
        home=hh.home_island[rows],
        months_displaced=hh.months_displaced[rows],
        # the island it left for the capital in the run (a household there since the start
        # with kin's land elsewhere took no step: issue 8, step migration)
        origin=np.where(hh.status[rows] == Status.MOVED_INTERNAL, hh.origin_island[rows], -1),
    )


def deciders(world: World) -> np.ndarray:
    """Rows of the households that decide: those living in the setting."""
    hh = world.households
    return np.flatnonzero((hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD))


def town_of(world: World) -> np.ndarray:
    """Per island: the index of its ``town`` (Island.town), -1 for none."""
    setting = world.setting
    return np.array(
        [-1 if i.town is None else setting.island_index(i.town) for i in setting.islands],
        dtype=np.int64,
    )


def internal_destination(world: World, rows: np.ndarray) -> np.ndarray:
    """The island each of households ``rows``, moving to the capital, settles on: the capital,
    or, for a share ``town_share`` of those whose home island names a ``town`` (Ebeye for the
    Ralik chain; issue 8, ninth session), that town, drawn household by household. One
    sheltering on the capital settles where it is. No draw where no island names a town."""
    hh, capital = world.households, world.geo.capital
    dest = np.full(len(rows), capital, dtype=np.int64)
    town = town_of(world)
    if not len(rows) or (town < 0).all():
        return dest
    home = hh.home_island[rows]
    share = np.array([i.town_share for i in world.setting.islands])[home]
    u = world.streams["town"].random(len(rows))
    to_town = (town[home] >= 0) & (u < share) & (hh.island[rows] != capital)
    dest[to_town] = town[home][to_town]
    return dest


def capital_share(world: World) -> float:
    """The capital's share of the setting's residents, each counted at its usual residence.

    Residents are those the monthly accounts count (``residents``: not abroad, not displaced
    abroad); each is counted on its home island (``home_island``), not where it shelters, as a
    census counts people where they usually live: a household displaced to the capital and
    waiting to go home is not the capital's, one that settled there (a move, ``home_island``
    changed) is (issue 9)."""
    on = np.zeros(len(world.setting.islands), dtype=bool)
    on[world.geo.capital] = True
    return residents_share(world, on)


def residents_share(world: World, on: np.ndarray) -> float:
    """The share of the setting's residents whose usual residence (home island) is one of the
    islands marked in ``on`` (one bool per island), counted as :func:`capital_share` counts the
    capital's."""
    hh = world.households
    live = (hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    people = hh.size[live].astype(np.float64)
    total = float(people.sum())
    return float(people[on[hh.home_island[live]]].sum()) / max(total, 1.0)


def update_crowding(world: World) -> None:
    """Set the capital's crowding in the decision context: the log of its share of usual
    residents (:func:`capital_share`) over its share in the first month (the capital's pull
    falls as it fills; the displaced sheltering there for a while do not change it)."""
    ctx = world.context
    share = capital_share(world)
    if np.isnan(ctx.capital_share_start):
        ctx.capital_share_start = share
    ctx.capital_crowding = float(np.log(max(share, 1e-9) / max(ctx.capital_share_start, 1e-9)))


def household_move(world: World, hit: Hit, rows: np.ndarray) -> np.ndarray:
    """Whether a move households ``rows`` wish for is the household's own: it is displaced, its
    home is badly damaged (``severe_damage``) or flooded this month, so all its members would
    go; otherwise the wish concerns its working-age adults (a job, study or family abroad or in
    the capital), as the survey's "people who wanted to move" counts them (issue 10)."""
    hh = world.households
    damaged = hh.damage[rows] >= world.params.displacement.severe_damage
    return (hh.status[rows] == Status.DISPLACED) | damaged | hit.flooded[rows]


def decide_moves(world: World, hit: Hit) -> Choices:
    """Every deciding household's wish and means are assessed; those reconsidering choose.

    Writes ``aspires``, ``trapped``, ``queued``, ``unentered``, ``voluntary_stayer`` and, for
    a household that wanted a move it could not make, ``wanted_step`` (and the step it last
    wanted one before, ``wanted_prev_step``); returns the choices.
    """
    hh, p = world.households, world.params.decisions
    rng = world.streams["decisions"]
    update_crowding(world)
    rows = deciders(world)
    s = situation(world, rows)
    holds_offer = (
        (hh.drawn_until[rows] >= world.t)
        | (hh.visa_until[rows] >= world.t)
        | (hh.channel_until[rows] >= world.t)
    )
    chance = (
        p.review_prob
        + p.review_after_damage * (hit.new_damage[rows] >= world.params.displacement.severe_damage)
        + p.review_with_offer * holds_offer
    )
    u = rng.random((2, len(rows)))
    reviewing = u[0] < np.minimum(chance, 1.0)
    d = decide(s, world.policy.options, world.context, p, reviewing, u[1])
    hh.aspires[:] = False
    hh.trapped[:] = False
    hh.queued[:] = False
    hh.unentered[:] = False
    hh.voluntary_stayer[:] = False
    hh.aspires[rows] = d.aspires
    hh.trapped[rows] = d.trapped
    hh.queued[rows] = d.queued
    hh.unentered[rows] = d.unentered
    wanted = rows[d.blocked]
    hh.wanted_prev_step[wanted] = hh.wanted_step[wanted]
    hh.wanted_step[wanted] = world.t
    hh.wanted_whole[wanted] = household_move(world, hit, wanted)
    hh.voluntary_stayer[rows] = d.voluntary_stayer
    hh.barrier[:] = Barrier.NONE
    hh.barrier[rows] = d.barrier
    chosen = d.choice > 0
    return Choices(rows=rows[chosen], option=d.choice[chosen])
