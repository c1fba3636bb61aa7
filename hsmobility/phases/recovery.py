"""Recovery: reconstruction of damaged homes and of islands' services, and the displaced moving
on and returning once their home is partly livable and services are back."""

from __future__ import annotations

import numpy as np

from hsmobility.phases.impacts import host_room
from hsmobility.world.households import Displacement, Status, members_back
from hsmobility.world.state import World


def repair(world: World) -> np.ndarray:
    """Homes are repaired as savings allow; returns the rows that repaired something.

    A household with the means repairs ``repair_rate`` of its damage a month, one without repairs
    ``repair_rate_without_means``; damage below ``repaired_below_damage`` counts as repaired.
    A displaced household, away from its home, repairs at ``away_repair_factor`` of that rate
    (why households go back to a partly livable home) unless its working-age members are back in
    it (:func:`members_go_back`). Each island's services come back by
    1 / ``services_restore_months`` a month.
    """
    hh, pr = world.households, world.params.recovery
    svc = world.refuge.services
    svc[:] = np.minimum(1.0, svc + 1.0 / pr.services_restore_months)
    rows = np.flatnonzero((hh.damage > 0) & (hh.status != Status.ABROAD))
    if not len(rows):
        return rows
    dmg = hh.damage[rows].astype(float)
    cost = pr.repair_rate * dmg * world.setting.house_value_usd
    means = np.minimum(1.0, hh.savings[rows] / np.maximum(cost, 1e-9))
    rate = means * pr.repair_rate + (1.0 - means) * pr.repair_rate_without_means
    away = (hh.status[rows] == Status.DISPLACED) & (members_back(hh)[rows] == 0)
    rate = np.where(away, pr.away_repair_factor * rate, rate)
    hh.savings[rows] -= means * cost
    dmg = dmg * (1.0 - np.minimum(rate, 1.0))
    dmg[dmg < pr.repaired_below_damage] = 0.0
    hh.damage[rows] = dmg
    return rows


def return_home(world: World) -> np.ndarray:
    """The displaced move on from evacuation centres and return home; returns the rows back.

    Evacuation centres empty quickly (``leave_shelter_prob`` a month) to host families while
    the island, or a region linked to it by road, has host room (:func:`_to_hosts`); without
    room, or without kin (``no_kin``), people stay in the centres until they can go home.
    Shelter kits reach households whose home still stands (:func:`shelter_kits`); with one,
    the chance of return falls with damage no lower than ``kit_return_factor``, and a household
    displaced near home (:func:`near_home`) goes back to its plot with it from the month after
    it left. The monthly chance of return falls with the damage left, rises with attachment
    and with the share of the home island's services restored; young heads return less and old
    heads more (FACTS, Puerto Rico); nobody returns to an island still closed after an
    evacuation, while an evacuation order or exclusion zone still bars it, or to a home damaged
    ``return_max_damage`` or more (one partly livable is repaired from inside it). Working-age
    members go back first (:func:`members_go_back`); the rest of their household follows once
    the home is no longer severely damaged (below ``severe_damage``), with the share of the home
    island's services restored as its monthly chance.
    """
    hh, t, pr = world.households, world.t, world.params.recovery
    rng = world.streams["recovery"]
    displaced = np.flatnonzero(hh.status == Status.DISPLACED)
    if not len(displaced):
        return displaced
    hh.months_displaced[displaced] += 1
    world.counts.add("displaced_household_months", len(displaced))

    sheltered = displaced[
        (hh.displacement[displaced] == Displacement.SHELTER)
        & (hh.months_displaced[displaced] > 1)
        & ~hh.no_kin[displaced]  # without kin with room they stay (impacts.displace)
    ]
    leave = sheltered[rng.random(len(sheltered)) < world.params.displacement.leave_shelter_prob]
    unhosted = _to_hosts(world, leave)
    kits = shelter_kits(world, displaced)

    home = hh.home_island[displaced]
    livable = hh.damage[displaced] < pr.return_max_damage
    open_ = (world.access.closed_until[home] < t) & livable & (hh.barred_until[displaced] < t)
    age = hh.head_age[displaced]
    # a kit covers the roof: the chance no longer falls with damage below kit_return_factor
    damage_term = (1.0 - hh.damage[displaced]) ** pr.return_damage_power
    damage_term = np.where(
        hh.shelter_kit[displaced], np.maximum(damage_term, pr.kit_return_factor), damage_term
    )
    p = (
        pr.return_prob
        * damage_term
        * (pr.return_attachment_base + hh.attachment[displaced])
        * np.where(age < pr.young_head_age, pr.young_head_return_factor, 1.0)
        * np.where(age >= world.params.demography.elderly_age, pr.old_head_return_factor, 1.0)
        * np.where(hh.displacement[displaced] == Displacement.ABROAD, pr.abroad_return_factor, 1.0)
        * world.refuge.services[home]
    )
    drawn = rng.random(len(displaced)) < p
    # displaced near home with a kit over a standing home go back to their plot (issue 9)
    plot = near_home(world, displaced) & hh.shelter_kit[displaced]
    plot &= (hh.months_displaced[displaced] > 1) & ~drawn
    drawn |= plot
    # the children and elders of members back follow once the home is no longer severely damaged
    already = members_back(hh)[displaced]
    follow = (
        (already > 0)
        & (hh.damage[displaced] < world.params.displacement.severe_damage)
        & (rng.random(len(displaced)) < world.refuge.services[home])
    )
    back = displaced[open_ & (drawn | follow)]
    world.counts.add("kit_returns", int(np.sum(open_ & plot & ~follow)))
    stay = open_ & ~drawn & ~follow
    members_go_back(world, displaced[stay])
    if len(back):
        from_abroad = back[hh.displacement[back] == Displacement.ABROAD]
        world.counts.add("people_back_in_setting", int(hh.size[from_abroad].sum()))
        go_home(world, back)
    to_plot = centre_to_plot(world, unhosted[hh.status[unhosted] == Status.DISPLACED])
    hh.members_back[hh.status != Status.DISPLACED] = 0
    world.counts.add("shelter_kits", len(kits))
    return np.concatenate([back, to_plot])


def centre_to_plot(world: World, rows: np.ndarray) -> np.ndarray:
    """Households with kin that left a centre this month (``rows``) and found no host room go
    back to their own plot: they live by their damaged or destroyed home, in a repaired room,
    under a tarpaulin or an improvised shelter, while they repair it (issue 9, seventh session).
    After Maria, Dominica's collective centres held ~3,000 people two to three weeks on and 742
    six weeks on (IOM DTM round 2, 24 Oct - 2 Nov 2017) while 62 % of homes were destroyed or
    severely damaged, far more than hosts with a sound home could take in; those who stayed
    were those with "no relatives, houses or employment" (IOM, 28 May 2018): the households
    without kin (``no_kin``), who stay until their home is livable. Only households in a centre
    near home (:func:`near_home`), on an open island that no order bars, go; the others stay.
    Returns the rows that went (counted as returns, and as ``centre_to_plot``)."""
    hh, t = world.households, world.t
    if not len(rows):
        return rows
    home = hh.home_island[rows]
    ok = near_home(world, rows) & (hh.displacement[rows] == Displacement.SHELTER)
    ok &= (world.access.closed_until[home] < t) & (hh.barred_until[rows] < t)
    rows = rows[ok]
    if len(rows):
        world.counts.add("centre_to_plot", len(rows))
        go_home(world, rows)
        world.log(
            f"{len(rows) * world.scale:,} households left evacuation centres for their own "
            "plots (no host room), to live by their damaged homes while they repair"
        )
    return rows


def near_home(world: World, rows: np.ndarray) -> np.ndarray:
    """Per displaced row of ``rows``: displaced near home, with kin or in a centre on its own
    island or on a region linked to it by road (:func:`road_groups`), not on another island or
    abroad. Such a household can walk back to its plot: once a shelter kit covers its standing
    home it goes back to live there while it repairs (issue 9, fifth session: after Gita "the
    vast majority" of Tonga's displaced were back in their damaged homes within weeks, IOM, 13
    March 2018; Winston's evacuees went back to their plots under tarpaulins when the schools
    reopened), whereas one evacuated to another island returns at the ordinary chance."""
    hh = world.households
    group = road_groups(world)
    where = np.maximum(hh.island[rows], 0)
    return (
        np.isin(hh.displacement[rows], (Displacement.HOST_FAMILY, Displacement.SHELTER))
        & (hh.island[rows] >= 0)
        & (group[where] == group[hh.home_island[rows]])
    )


def members_go_back(world: World, rows: np.ndarray) -> np.ndarray:
    """Working-age members go back first (issue 9 item 4): of the displaced households ``rows``
    (home open and partly livable; not displaced abroad) whose adults are not back yet, those
    with adults and children or elders send their adults home with chance ``members_back_prob``
    a month, to repair the home from inside it (at the home rate, :func:`repair`) while the
    children and elders stay where the household is displaced (``members_back``); a household
    of adults only is whole and returns by the ordinary chance. Returns the rows whose adults
    went back (draws from the ``recovery`` stream)."""
    hh, pr = world.households, world.params.recovery
    rows = rows[
        (hh.displacement[rows] != Displacement.ABROAD)
        & (members_back(hh)[rows] == 0)
        & (hh.adults[rows] > 0)
        & (hh.children[rows].astype(np.int64) + hh.elders[rows] > 0)
    ]
    go = rows[world.streams["recovery"].random(len(rows)) < pr.members_back_prob]
    hh.members_back[go] = hh.adults[go]
    world.counts.add("members_went_back", int(hh.adults[go].sum()))
    world.counts.add("people_back_home", int(hh.adults[go].sum()))
    return go


def shelter_kits(world: World, displaced: np.ndarray) -> np.ndarray:
    """Emergency shelter kits (tarpaulins, fixings) reach displaced households whose home still
    stands (D < ``return_max_damage``; not those displaced abroad), so that they can go back and
    repair it from inside (issue 9 item 4). Over the first ``shelter_kit_months`` months of an
    episode each such household without one gets a kit with the monthly chance that reaches
    ``shelter_kit_share`` of them by the end (1 - (1 - share)^(1/months)); returns the rows that
    got one this month (draws from the ``recovery`` stream)."""
    hh, pr = world.households, world.params.recovery
    rows = displaced[
        ~hh.shelter_kit[displaced]
        & (hh.damage[displaced] < pr.return_max_damage)
        & (hh.displacement[displaced] != Displacement.ABROAD)
        & (hh.months_displaced[displaced] <= pr.shelter_kit_months)
    ]
    q = 1.0 - (1.0 - pr.shelter_kit_share) ** (1.0 / pr.shelter_kit_months)
    got = rows[world.streams["recovery"].random(len(rows)) < q]
    hh.shelter_kit[got] = True
    return got


def road_groups(world: World) -> np.ndarray:
    """Per island, the index of the group of islands (regions) it is linked to by road: the
    regions of one large island share their host families."""
    n = len(world.setting.islands)
    group = np.arange(n)
    for link in world.setting.links:
        if link.mode != "road":
            continue
        a, b = world.setting.island_index(link.a), world.setting.island_index(link.b)
        ga, gb = group[a], group[b]
        group[group == gb] = ga
    return group


def _to_hosts(world: World, leave: np.ndarray) -> np.ndarray:
    """Households leaving evacuation centres (``leave``) go to host families while there is
    host room (:func:`impacts.host_room`): on their own island first, then on the regions
    linked to it by road, those with most room first (kin across a large island take in
    families from its wrecked coast). Returns the rows that found no room (still in the
    centres; :func:`centre_to_plot` decides where they go)."""
    hh = world.households
    if not len(leave):
        return leave
    unhosted: list[np.ndarray] = []
    room = host_room(world)
    group = road_groups(world)
    where = hh.island[leave].copy()  # before anyone moves to another region
    for i in np.unique(where):
        left = leave[where == i]
        others = [int(j) for j in np.argsort(-room, kind="stable") if group[j] == group[i]]
        for j in [int(i)] + [j for j in others if j != i]:
            if not len(left):
                break
            n = int(np.searchsorted(np.cumsum(hh.size[left].astype(np.int64)), room[j], "right"))
            placed, left = left[:n], left[n:]
            hh.displacement[placed] = Displacement.HOST_FAMILY
            hh.island[placed] = j
            room[j] -= hh.size[placed].sum()
        unhosted.append(left)
    return np.concatenate(unhosted)


def go_home(world: World, rows: np.ndarray) -> None:
    """Displaced households ``rows`` end their displacement at home (counted as returns, with
    the months they were away and the people back beyond members already there)."""
    hh = world.households
    world.counts.add("returns", len(rows))
    world.counts.add("returned_episode_months", int(hh.months_displaced[rows].sum()))
    world.counts.add("people_back_home", int((hh.size[rows] - members_back(hh)[rows]).sum()))
    hh.status[rows] = Status.RETURNED
    hh.island[rows] = hh.home_island[rows]
    hh.destination[rows] = -1
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.members_back[rows] = 0
    hh.shelter_kit[rows] = False
