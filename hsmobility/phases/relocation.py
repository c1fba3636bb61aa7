"""Planned relocation as Pacific communities do it: a village asks, is assessed, consents, is
funded, builds and moves whole, in the stages of Fiji's Planned Relocation Guidelines (2018) and
Standard Operating Procedures (2023).

The unit is the community (``community``: the households of one island and elevation band, in
villages of ``communities.community_households``). A low-lying community asks for relocation
when the sea comes within ``trigger_slr_margin_m`` of its land, or when one storm displaces
``trigger_displaced_share`` of its households; or, where ``request_rate_per_year`` is above 0
(Fiji), each village in its own time, with a monthly chance that grows with its own exposure
(:func:`village_exposure`: its households out of their homes, its homes' damage, the king-tide
floods of an unprotected shore), as Vunidogoloa (2007) and Narikoso (2011) asked years apart for
their own reasons, instead of the storm trigger; the programme lists it if its list
(``listed_sites``) has room or the request is more urgent (a larger share of the village driven
out) than a listed village not yet consulted, which then leaves the list. The stages follow:

1. **assessment** (``assessment_years``): the government assesses whether the village needs to
   move (Nabavatu: cracks after TC Ana, January 2021; a site identified by January 2022);
2. **consultation** (``consultation_years``): consultation, consent and a site with its land
   approved (Nabavatu: Cabinet approved the site in February 2024). At its end the community
   decides: each household is in favour with the chance its own wish to relocate gives it
   (:func:`hsmobility.decisions.wish_relocation` against staying), and the community goes on
   only if at least ``vote_threshold`` of its households are in favour ("without their consent,
   without their approval we cannot relocate the village");
3. **funding**: a consenting village waits until the programme can fund its site
   (``sites_per_year``, the Climate Relocation of Communities Trust Fund's yearly allocation over
   a site's cost), the most urgent first (the 2023 procedures served Nabavatu after Yasa);
4. **building** (``building_years``): houses and services are built (Vunidogoloa: work began in
   2010, the village opened in January 2014), and the community moves as a whole. A site has
   ``site_houses`` houses: a community larger than its site moves its most vulnerable households
   first under participatory targeting and the rest stay (as at Narikoso, where the plan was cut
   from 27 households to 7).

A declined or moved community is never listed again.
"""

from __future__ import annotations

import numpy as np

from hsmobility.decisions import relocation_wish
from hsmobility.phases.moves import relocate
from hsmobility.world.groups import vulnerable_first
from hsmobility.world.households import Band, Status, is_housed
from hsmobility.world.policy import RelocationProgramme
from hsmobility.world.state import World


def villages_per_community(world: World) -> float:
    """Real villages one simulated community stands for (1 unless ``scale`` exceeds a village)."""
    return max(1.0, world.scale / world.params.communities.community_households)


def community_members(world: World) -> np.ndarray:
    """Bool per household: it lives in its low-lying village (housed there or displaced from it)."""
    hh = world.households
    resident = is_housed(hh.status) | (hh.status == Status.DISPLACED)
    return resident & (hh.band == Band.LOW)


def relocation(world: World, displaced: np.ndarray) -> np.ndarray:
    """List the communities that this month's sea level or storm (``displaced`` rows) drove to
    ask; let those whose consultation ends vote; fund the sites the programme can afford; move
    the communities whose site is built. Returns the rows relocated."""
    lever = world.policy.levers.relocation
    none = np.zeros(0, dtype=np.int64)
    if not lever.enabled:
        return none
    member = community_members(world)
    list_requests(world, member, displaced)
    consult_due_sites(world, member)
    fund_sites(world)
    return move_built_sites(world, member)


def consult_months(world: World) -> int:
    """Months from a request to the end of consultation (assessment, then consultation)."""
    lever = world.policy.levers.relocation
    return round(12 * (lever.assessment_years + lever.consultation_years))


def list_requests(world: World, member: np.ndarray, displaced: np.ndarray) -> list[int]:
    """Communities that ask this month (the sea at their land; a storm that drove out
    ``trigger_displaced_share`` of them, or with ``request_rate_per_year`` a chance from their
    own exposure) and find room on the programme's list."""
    lever, programme = world.policy.levers.relocation, world.policy.relocation
    hh, t, setting = world.households, world.t, world.setting
    rows = np.flatnonzero(member & programme.eligible[hh.home_island])
    if not len(rows):
        return []
    n_comm = int(hh.community[rows].max()) + 1
    size = np.bincount(hh.community[rows], minlength=n_comm)
    hit_rows = displaced[member[displaced] & programme.eligible[hh.home_island[displaced]]]
    hit = np.bincount(hh.community[hit_rows], minlength=n_comm)[:n_comm]
    island = np.full(n_comm, -1)
    island[hh.community[rows]] = hh.home_island[rows]
    rise = world.hazards.slr_since_today_m[t]
    near_sea = rise >= world.geo.lowlying_elevation_m - lever.trigger_slr_margin_m
    sea = near_sea[np.maximum(island, 0)]
    by_exposure = lever.request_rate_per_year > 0
    if by_exposure:  # each village asks in its own time, the more exposed the sooner
        exposure = village_exposure(world, rows, n_comm)
        chance = 1.0 - np.exp(-lever.request_rate_per_year * exposure / 12.0)
        drawn = world.streams["relocation"].random(n_comm) < chance
        asks = (size > 0) & (sea | drawn)
        urgency = np.where(sea, 1.0, exposure)
    else:
        storm = (hit > 0) & (hit >= lever.trigger_displaced_share * size)
        asks = (size > 0) & (storm | sea)
        urgency = np.where(sea, 1.0, hit / np.maximum(size, 1))
    waiting = [*programme.listed, *programme.consented]
    for c in waiting:  # a village hit again while it waits is more urgent
        if c < n_comm and (asks[c] or by_exposure):
            programme.urgency[c] = max(programme.urgency.get(c, 0.0), float(urgency[c]))
    known = set(waiting) | set(programme.building) | set(programme.decided)
    ask = np.array([c for c in np.flatnonzero(asks) if int(c) not in known], dtype=np.int64)
    if not len(ask):
        return []
    ask = ask[world.streams["pathways"].permutation(len(ask))]
    ask = ask[np.argsort(-urgency[ask], kind="stable")]  # the most urgent first
    if lever.listed_sites > 0:
        ask = make_room(world, ask, urgency)
    for c in ask:
        programme.listed[int(c)] = t
        programme.urgency[int(c)] = float(urgency[c])
        programme.rank[int(c)] = programme.listings
        programme.listings += 1
    world.counts.add("relocation_sites_listed", len(ask))
    year = int(world.hazards.year[min(t + consult_months(world), world.n_months - 1)])
    for i in np.unique(island[ask]):
        n = int((island[ask] == i).sum())
        if programme.start[i] < 0:
            programme.start[i] = t
            world.counts.add("relocation_programmes_decided")
        why = (
            "the sea is close to their land"
            if near_sea[i]
            else "their homes flooded and damaged"
            if by_exposure
            else "a storm drove out their households"
        )
        world.log(f"planned relocation: {n} low-lying communit{'y' if n == 1 else 'ies'} of "
                  f"{setting.islands[i].name} listed ({why}); assessed, consulted and to decide by "
                  f"{year}")  # fmt: skip
    return [int(c) for c in ask]


def village_exposure(world: World, rows: np.ndarray, n_comm: int) -> np.ndarray:
    """Per community (index < ``n_comm``; ``rows`` its members), its exposure this month, 0..1:
    the mean over its households of 1 for one out of its home (displaced), else its home's
    damage (storm wind and surge, coastal floods, king tides deep enough to make a home
    unlivable: the ``damage`` column, which repairs lower) plus, for a home neither protected
    nor resilient, the king-tide floods its low-lying land can expect a year (today's
    ``king_tide_flood_prob`` a month, doubling with every ``king_tide_doubling_m`` of rise; at
    most one). What a village lives through month
    after month: one flooded and damaged again and again asks before a neighbour that is
    spared (Vunidogoloa, inundated each time heavy rain met a high tide, McNamara & Des Combes
    2015; Narikoso, the one village of seven on Ono facing severe erosion, Pasifika News 2020)."""
    hh, p = world.households, world.params
    rise = max(float(world.hazards.slr_since_today_m[world.t]), 0.0)
    tide = world.setting.sea_level.king_tide_flood_prob * 2.0 ** (
        rise / p.climate.king_tide_doubling_m
    )
    floods = min(1.0, 12.0 * tide)
    open_shore = ~(hh.protected[rows] | hh.resilient[rows])
    home = hh.damage[rows].astype(np.float64) + floods * open_shore
    felt = np.where(hh.status[rows] == Status.DISPLACED, 1.0, np.minimum(home, 1.0))
    size = np.bincount(hh.community[rows], minlength=n_comm)[:n_comm]
    lived = np.bincount(hh.community[rows], weights=felt, minlength=n_comm)[:n_comm]
    return lived / np.maximum(size, 1)


def _least_urgent_first(programme: RelocationProgramme, village: int) -> tuple[float, int, int]:
    """Order of a waiting village for losing its place: least urgent, then the last to ask,
    then the last listed."""
    urgency = programme.urgency.get(village, 0.0)
    return urgency, -programme.listed[village], -programme.rank.get(village, village)


def make_room(world: World, ask: np.ndarray, urgency: np.ndarray) -> np.ndarray:
    """The requests ``ask`` (most urgent first) that the programme's list of ``listed_sites``
    takes: those that fit, then each that is more urgent than the least urgent listed village
    whose consultation has not ended, which leaves the list (it may ask again); villages that
    consented, or whose site is funded, keep their place. The list is
    the government's, ordered by urgency, not a queue of requests: Fiji piloted its 2023
    procedures on Nabavatu, hit by Yasa in December 2020, while 42 communities identified earlier
    waited for assessment (ODD 7.12)."""
    lever, programme, t = world.policy.levers.relocation, world.policy.relocation, world.t
    moved = sum(1 for v in programme.decided.values() if v == "moved")
    on_list = len(programme.listed) + len(programme.consented) + len(programme.building)
    room = int(lever.listed_sites / villages_per_community(world)) - on_list - moved
    taken = list(ask[: max(0, room)])
    lag = consult_months(world)
    for c in ask[max(0, room) :]:
        waiting = [v for v, step in programme.listed.items() if step + lag > t]
        if not waiting:
            break
        least = min(waiting, key=lambda v: _least_urgent_first(programme, v))
        if programme.urgency.get(least, 0.0) >= urgency[c]:
            break  # requests come most urgent first: none after this one displaces anybody
        del programme.listed[least]
        programme.urgency.pop(least, None)
        world.counts.add("relocation_sites_delisted")
        taken.append(c)
    return np.array(taken, dtype=np.int64)


def _village_rows(world: World, member: np.ndarray, villages: list[int]) -> dict[int, np.ndarray]:
    """Rows of the members of each of ``villages``, in row order, from one pass over the
    table (not one per village)."""
    if not villages:
        return {}
    hh = world.households
    rows = np.flatnonzero(member & np.isin(hh.community, villages))
    village = hh.community[rows]
    return {c: rows[village == c] for c in villages}


def consult_due_sites(world: World, member: np.ndarray) -> None:
    """Listed communities whose assessment and consultation have ended decide, the most urgent
    first: a community with enough households in favour consents and waits for funds, else it
    declines and leaves the programme."""
    lever, programme = world.policy.levers.relocation, world.policy.relocation
    hh, t = world.households, world.t
    lag = consult_months(world)
    due = sorted(
        (-programme.urgency.get(c, 0.0), step, programme.rank.get(c, c), c)
        for c, step in programme.listed.items()
        if step + lag <= t
    )
    rng = world.streams["pathways"]
    village_rows = _village_rows(world, member, [c for *_, c in due])
    for _, asked, _, c in due:
        del programme.listed[c]
        rows = village_rows[c]
        if not len(rows):
            programme.urgency.pop(c, None)
            programme.decided[c] = "gone"  # nobody left to consult: no site is prepared
            continue
        favour = vote(world, rows, rng)
        world.counts.add("relocation_sites_offered")
        world.counts.add("relocation_offers", len(rows))
        where = world.setting.islands[int(hh.home_island[rows[0]])].name
        if favour < lever.vote_threshold:
            programme.urgency.pop(c, None)
            programme.decided[c] = "declined"
            world.counts.add("relocation_sites_declined")
            world.log(f"a community of {where} declined relocation ({favour:.0%} in favour)")
            continue
        programme.consented[c] = asked
        world.counts.add("relocation_sites_accepted")
        world.log(f"a community of {where} consented to relocation ({favour:.0%} in favour)")


def fund_sites(world: World) -> None:
    """While consenting communities wait, the programme accrues ``sites_per_year`` sites a year
    (per real village) and funds one site per whole credit, the most urgent community first,
    then the one that asked first, then the one listed first (a month's requests are listed in
    a random order, so villages equally hit are not served by their index); building starts the
    month it is funded."""
    lever, programme, t = world.policy.levers.relocation, world.policy.relocation, world.t
    if not programme.consented:
        return
    programme.credit += lever.sites_per_year / villages_per_community(world) / 12.0
    waiting = sorted(
        (-programme.urgency.get(c, 0.0), asked, programme.rank.get(c, c), c)
        for c, asked in programme.consented.items()
    )
    for _, asked, _, c in waiting:
        if programme.credit < 1.0:
            break
        programme.credit -= 1.0
        del programme.consented[c]
        programme.building[c] = (asked, t)
        world.counts.add("relocation_sites_funded")


def move_built_sites(world: World, member: np.ndarray) -> np.ndarray:
    """Communities whose site has been ``building_years`` in building move as a whole (up to
    the site's houses, the most vulnerable first); returns the rows relocated."""
    lever, programme = world.policy.levers.relocation, world.policy.relocation
    hh, t = world.households, world.t
    build = round(12 * lever.building_years)
    houses = max(1, round(lever.site_houses / world.scale))
    moved_all = []
    built = [c for c, (_, began) in programme.building.items() if began + build <= t]
    village_rows = _village_rows(world, member, built)
    for c, (asked, began) in sorted(programme.building.items(), key=lambda kv: kv[1][1]):
        if began + build > t:
            continue
        del programme.building[c]
        programme.urgency.pop(c, None)
        rows = village_rows[c]
        if not len(rows):
            programme.decided[c] = "gone"  # everybody left while the site was built
            continue
        programme.decided[c] = "moved"
        order = vulnerable_first(
            hh, world.params, rows, world.policy.levers.targeting.vulnerable_first
        )
        movers = order[:houses]
        world.counts.add("relocation_households_left_behind", len(rows) - len(movers))
        relocate(world, movers)
        world.counts.add("relocation_sites_moved")
        world.counts.add("relocation_wait_months", t - asked)
        moved_all.append(movers)
        where = world.setting.islands[int(hh.home_island[rows[0]])].name
        world.log(f"a community of {where} relocated together: "
                  f"{len(movers) * world.scale} households")  # fmt: skip
    return np.concatenate(moved_all) if moved_all else np.zeros(0, dtype=np.int64)


def vote(world: World, rows: np.ndarray, rng: np.random.Generator) -> float:
    """Share of the community's households in favour: each is, with the binary-logit chance
    that its own wish to relocate (perceived risk, damage, displacement against attachment)
    beats staying. Each agent stands for ``scale`` households, and each of them votes: a
    village of 26 households is 3 agents at scale 10, and three coin tosses would make the
    outcome a lottery that a village's 26 votes are not. Only the four columns the wish weighs
    are read (:func:`hsmobility.decisions.relocation_wish`), not a whole situation."""
    hh = world.households
    displaced = hh.status[rows] == Status.DISPLACED
    wish = relocation_wish(
        hh.risk[rows], hh.damage[rows], displaced, hh.attachment[rows], world.params.decisions
    )
    p = 1.0 / (1.0 + np.exp(-np.clip(wish, -50.0, 50.0)))
    voters = max(1, int(world.scale))
    return float(rng.binomial(voters, p).sum() / (voters * len(rows)))
