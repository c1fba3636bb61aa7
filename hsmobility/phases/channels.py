"""Regular emigration channels: family and partner sponsorship, skilled and student visas, the
US diversity lottery (a setting's ``[[channels]]``), beside the regime's ballots and free movement.

Once a year (``channels.grant_month``) each channel takes applications from the households that
qualify (age of the principal, skills, income quintile, the fees in savings, and for a family
route kin at the destination) and grants its places, counted in people as the schemes count
them, in random order among the applicants until the year's places are used: a channel never
admits more than its ``places_per_year``. A household granted a place holds it for
``channels.valid_months`` and takes the move up, or not, through the decision rule (an offer in
hand, like a drawn visa); the move itself is :func:`hsmobility.phases.moves.move_abroad`. On a
route whose sponsor pays (``Channel.sponsor_pays``), or whose cap counts places used
(``Channel.regrant_lapsed``), the places that lapsed unused are granted again the next year
(:func:`lapsed_places`). A channel with ``opens``/``closes`` dates grants
nothing outside them.
"""

from __future__ import annotations

import numpy as np

from hsmobility.config.schemas import Channel
from hsmobility.decisions import wish_abroad
from hsmobility.phases.choices import deciders, situation
from hsmobility.world.households import can_spare_adult
from hsmobility.world.state import World


def channel_eligible(world: World, rows: np.ndarray, channel: Channel, dest: int) -> np.ndarray:
    """Households ``rows`` that qualify for ``channel``: a principal of the right age (the head,
    or an adult child of an older head), the skills and income quintile it asks, the means to pay
    the fees and the move, and to show the funds the channel asks beside them
    (``Channel.funds_shown_usd``: a student visa's living costs), from savings, help from kin at
    the destination and credit on the offer, as the decision rule counts them (none where the
    sponsor pays, ``Channel.sponsor_pays``), and for a family route kin at the destination
    (ties, or kin who left in the run)."""
    hh, p = world.households, world.params.decisions
    age = hh.head_age[rows]
    adult_child = (
        (hh.size[rows] >= p.adult_child_household_size)
        & (age >= p.adult_child_parent_age)
        & (channel.min_age <= p.adult_child_age <= channel.max_age)
    )
    ok = ((age >= channel.min_age) & (age <= channel.max_age)) | adult_child
    ok &= hh.skills[rows] >= channel.min_skills
    ok &= hh.quintile[rows] >= channel.min_quintile
    # the fees and the move paid from savings, kin at the destination and credit on the offer;
    # on a route whose sponsor pays them, nothing of the household's
    funds = (
        hh.savings[rows]
        + p.tie_support_usd * hh.ties[rows, dest]
        + p.offer_credit_months * hh.income[rows] / 12.0
    )
    if not channel.sponsor_pays:
        ok &= funds >= channel.cost_usd + world.context.move_cost[dest] + channel.funds_shown_usd
    if channel.route == "family":
        ok &= (hh.ties[rows, dest] > 0) | (hh.kin_abroad[rows] > 0)
    return ok


#: routes that admit a person, not a household: a student goes alone (issue 10)
INDIVIDUAL_ROUTES = ("student",)


def goes_alone(world: World, rows: np.ndarray, channel: Channel) -> np.ndarray:
    """Whether the place ``channel`` grants households ``rows`` takes one working-age member
    alone: a route for individuals, and a household with a working-age adult and an adult or an
    elder to stay (:func:`can_spare_adult`; otherwise the household goes whole)."""
    individual = channel.route in INDIVIDUAL_ROUTES
    return individual & can_spare_adult(world.households, rows)


def admitted(world: World, rows: np.ndarray, channel: Channel) -> np.ndarray:
    """People a place of ``channel`` admits from each of households ``rows``."""
    size = world.households.size[rows].astype(np.int64)
    return np.where(goes_alone(world, rows, channel), 1, size)


def apply_chance(world: World, rows: np.ndarray, channel: Channel, dest: int, wants: np.ndarray):
    """Yearly chance that each of ``rows`` applies: ``apply_prob`` if it wishes to go to the
    destination, else ``apply_prob_other``; a family route multiplies it by
    1 + ``family_ties_boost`` x ties to the destination (kin sponsor, pay and house)."""
    c = world.params.channels
    chance = np.where(wants, c.apply_prob, c.apply_prob_other)
    if channel.route == "family":
        chance = chance * (1.0 + c.family_ties_boost * world.households.ties[rows, dest])
    return np.minimum(chance, 1.0)


def lapsed_places(world: World, k: int, channel: Channel) -> int:
    """People of the places channel ``k`` granted that lapsed unused (held past
    ``channel_until`` without the move), which a sponsored route grants again this year; 0 on
    other routes. A sponsored route's yearly places are visas issued (the State Department's
    counts), that is places used: a household that let its place lapse was never issued one,
    so the place goes to another household whose sponsor pays (issues 8 and 10, eighth session).
    The lapsed households' places are cleared, so each lapse is counted once. A channel whose
    cap counts places used in another way (``Channel.regrant_lapsed``: admissions, a stock's
    rise) grants its lapsed places again too (issue 8 item 1, ninth session)."""
    if not (channel.sponsor_pays or channel.regrant_lapsed):
        return 0
    hh = world.households
    gone = (hh.channel_granted == k) & (hh.channel_until < world.t)
    rows = np.flatnonzero(gone)
    hh.channel_granted[rows] = -1
    hh.channel_until[rows] = -1
    people = int(admitted(world, rows, channel).sum()) * world.scale
    world.counts.add("channel_places_regranted", people)
    return people


def channels(world: World) -> np.ndarray:
    """In ``grant_month``: every channel's applications and grants; returns the rows granted."""
    none = np.zeros(0, dtype=np.int64)
    if not world.setting.channels or world.calendar_month != world.params.channels.grant_month:
        return none
    hh, t = world.households, world.t
    extra = [lapsed_places(world, k, c) for k, c in enumerate(world.setting.channels)]
    rng = world.streams["pathways"]
    rows = deciders(world)
    rows = rows[hh.channel_until[rows] < t]  # not holding a live place
    if not len(rows):
        return none
    wish = wish_abroad(situation(world, rows), world.context, world.params.decisions)
    threshold = world.params.decisions.aspiration_threshold
    dest_index = {d.name: k for k, d in enumerate(world.setting.destinations)}
    valid = world.params.channels.valid_months
    granted_all = []
    free = np.ones(len(rows), dtype=bool)  # one application a year per household
    for k, channel in enumerate(world.setting.channels):
        if not channel.open_in(world.year, world.calendar_month):
            continue  # no grants before the channel opens or after it closes
        dest = dest_index[channel.destination]
        eligible = free & channel_eligible(world, rows, channel, dest)
        chance = apply_chance(world, rows, channel, dest, wish[:, dest] > threshold)
        apply = eligible & (rng.random(len(rows)) < chance)
        free &= ~apply
        applicants = rows[apply]
        order = applicants[rng.permutation(len(applicants))]
        # whole households while the year's places (people) last; a route that admits
        # individuals (a student) takes one person of a household that has others to stay
        people = np.cumsum(admitted(world, order, channel)) * world.scale
        granted = order[people <= channel.places_per_year + extra[k]]
        hh.channel_granted[granted] = k
        hh.channel_until[granted] = t + valid
        world.counts.add("channel_applications", len(applicants))
        world.counts.add("channel_grants", len(granted))
        world.counts.add("channel_grants_people", int(admitted(world, granted, channel).sum()))
        granted_all.append(granted)
    return np.concatenate(granted_all) if granted_all else none
