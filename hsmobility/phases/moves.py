"""Moves: this month's choices carried out, within quotas and the boats' capacity."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from hsmobility.decisions import abroad_cost
from hsmobility.phases.channels import goes_alone
from hsmobility.phases.choices import Choices, internal_destination, resilient_subsidy
from hsmobility.phases.economy import emigrant_remittance
from hsmobility.phases.kin import pay_capital_move, spread_capital_kin
from hsmobility.world.households import Band, Displacement, Status, take_members
from hsmobility.world.options import Kind, Option
from hsmobility.world.state import World


@dataclass
class Moved:
    """What the moves phase did."""

    moved: np.ndarray  # rows that moved (abroad, within)
    adapted: np.ndarray  # rows that built a resilient home
    blocked: np.ndarray  # rows whose chosen move found no boat
    #: rows of the households formed abroad by members who left alone (the model gives them
    #: Mesa agents); their households stay and are not in ``moved``
    formed: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def moves(world: World, choices: Choices) -> Moved:
    """Carry out the choices: transport first (each outer island's link carries so many
    households a month), then each option; humanitarian visas within the year's places."""
    hh = world.households
    empty = np.zeros(0, dtype=np.int64)
    rows, choice = choices.rows, choices.option
    if not len(rows):
        return Moved(empty, empty, empty)
    options = world.policy.options
    rng = world.streams["moves"]
    order = rng.permutation(len(rows))
    rows, choice = rows[order], choice[order]
    kinds = np.array([options[j].kind for j in choice])

    # transport: households leaving an outer island share its link's monthly capacity
    leaving = np.isin(kinds, (Kind.CAPITAL, Kind.ABROAD))
    origin = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    keep = np.ones(len(rows), dtype=bool)
    for i in np.unique(origin[leaving]):
        if i == world.geo.capital:
            continue
        idx = np.flatnonzero(leaving & (origin == i))
        keep[idx[transport_places(world, i) :]] = False
    blocked = rows[~keep]
    world.counts.add("moves_blocked_transport", len(blocked))
    rows, choice = rows[keep], choice[keep]

    moved, adapted, formed = [], empty, [empty]
    d = world.params.decisions
    for j in np.unique(choice):
        opt = options[j]
        r = rows[choice == j]
        if opt.kind == Kind.ABROAD:
            r = _within_quota(world, opt, r)
            if opt.channel >= 0:
                channel = world.setting.channels[opt.channel]
                alone = goes_alone(world, r, channel)
                formed.append(leave_alone(world, opt, r[alone]))
                r = r[~alone]
            move_abroad(world, opt, r)
            moved.append(r)
        elif opt.kind == Kind.ADAPT:
            cost = d.resilient_cost_share * world.setting.house_value_usd
            share = resilient_subsidy(world, r)
            hh.savings[r] -= cost * (1.0 - share)
            hh.resilient[r] = True
            world.counts.add("households_adapted_new", len(r))
            world.counts.add("adaptation_subsidy_usd", float((cost * share).sum()))
            adapted = r
        elif opt.kind == Kind.CAPITAL:
            # priced on the income the household decided on (before the move changes it);
            # kin on the capital pay what its savings cannot (phases/kin.py); a household
            # displaced to the capital settles where it is: no journey to pay
            journey = hh.island[r] != world.geo.capital
            pay_capital_move(world, r, journey * d.internal_move_cost_months * hh.income[r] / 12)
            # its family land stays on the island it leaves: where it may go back to
            hh.origin_island[r] = hh.home_island[r]
            # the capital, or the home island's town for some (Ebeye for the Ralik chain)
            dest = internal_destination(world, r)
            for i in np.unique(dest):
                move_within(world, r[dest == i], int(i), None, Status.MOVED_INTERNAL)
            spread_capital_kin(world, r[dest == world.geo.capital])
            world.counts.add("moves_capital", len(r))
            world.counts.add("moves_town", int((dest != world.geo.capital).sum()))
            moved.append(r)
        elif opt.kind == Kind.HIGHER:
            move_within(world, r, None, Band.HIGH, Status.MOVED_INTERNAL)
            hh.savings[r] -= d.higher_ground_cost_share * world.setting.house_value_usd
            world.counts.add("moves_higher_ground", len(r))
            moved.append(r)
    hh.savings[:] = np.maximum(hh.savings, 0.0)
    return Moved(
        np.concatenate(moved) if moved else empty, adapted, blocked, np.concatenate(formed)
    )


def transport_places(world: World, island: int) -> int:
    """Agents that can leave ``island`` this month: its link's capacity in agents, with the
    fraction of a place carried over from month to month (a link never silently carries
    nobody because ``scale`` exceeds its capacity); places left unused are not saved up."""
    credit = world.access.transport_credit
    available = credit[island] + world.geo.exit_capacity[island] / world.scale
    places = int(available)
    credit[island] = available - places
    return places


def _within_quota(world: World, opt: Option, rows: np.ndarray) -> np.ndarray:
    """Humanitarian visas are capped by the year's places left (in people); a regular channel's
    places were counted against its cap when they were granted."""
    if opt.channel >= 0:
        return rows
    path = world.policy.regime.pathways[opt.pathway]
    if path.kind != "humanitarian":
        return rows
    quota = world.policy.humanitarian
    people = np.cumsum(world.households.size[rows]) * world.scale
    rows = rows[people <= quota.left]
    quota.left -= int(world.households.size[rows].sum()) * world.scale
    return rows


def move_abroad(world: World, opt: Option, rows: np.ndarray) -> None:
    """Households leave the setting by the option's pathway or regular channel; their island
    gains family abroad, and their kin at home start to receive remittances from them
    (:func:`economy.emigrant_remittance`: their destination's earnings, per member)."""
    hh = world.households
    if not len(rows):
        return
    sponsor_paid = 0.0
    if opt.channel >= 0:
        channel = world.setting.channels[opt.channel]
        path_kind, path_name = "channel", channel.name
        if opt.sponsored:  # the sponsor at the destination pays the fees and the move
            sponsor_paid = channel.cost_usd + float(world.context.move_cost[opt.destination])
        else:
            hh.savings[rows] -= channel.cost_usd
        world.counts.add("moves_channel", len(rows))
        world.counts.add("moves_channel_people", int(hh.size[rows].sum()))
        world.counts.by_channel[channel.name] += len(rows)
    else:
        path = world.policy.regime.pathways[opt.pathway]
        path_kind, path_name = path.kind, path.name
    dest = opt.destination
    was_displaced = hh.status[rows] == Status.DISPLACED
    origin = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    in_setting = hh.displacement[rows] != Displacement.ABROAD
    world.counts.add("people_left_setting", int(hh.size[rows][in_setting].sum()))
    cost = abroad_cost(opt, world.context)
    _count_paid_by_others(world, rows, cost)
    world.counts.add("abroad_move_paid_by_others_usd", sponsor_paid * len(rows))
    hh.savings[rows] = np.maximum(0.0, hh.savings[rows] - cost)
    assisted = world.context.move_cost[dest] * max(0.0, 1.0 - opt.cost_multiplier)
    world.counts.add("assisted_travel_cost_usd", assisted * len(rows))
    if path_kind == "humanitarian":
        unit = world.params.costs.settlement_support_usd_per_household
        world.counts.add("settlement_support_cost_usd", unit * len(rows))
    hh.status[rows] = Status.ABROAD
    hh.island[rows] = -1
    hh.destination[rows] = dest
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.pathway_used[rows] = opt.pathway if opt.channel < 0 else -1
    hh.channel_used[rows] = opt.channel
    hh.channel_granted[rows] = -1
    hh.channel_until[rows] = -1
    hh.forced[rows] = was_displaced
    hh.drawn_pathway[rows] = -1
    _count_move(world, rows, was_displaced, "abroad", None if opt.channel >= 0 else path_name)
    sends = emigrant_remittance(world, dest, hh.size[rows])
    _spread_ties(world, rows, origin, dest, sends)


def leave_alone(world: World, opt: Option, rows: np.ndarray) -> np.ndarray:
    """One working-age member of each household of ``rows`` emigrates alone by the option's
    regular channel (a route that admits individuals, :func:`channels.goes_alone`): the
    household stays, one adult fewer, pays the fees and the fare, and gains a member abroad who
    remits to it (``remit_share`` x the destination's ``earnings_usd``,
    :func:`economy.emigrant_remittance`, as a seasonal worker who settles does) and a tie to
    the destination. The emigrant
    is a new household of one abroad (``parent`` = the household it left). Returns its rows."""
    hh = world.households
    if not len(rows):
        return np.zeros(0, dtype=np.int64)
    channel = world.setting.channels[opt.channel]
    dest, n = opt.destination, len(rows)
    cost = channel.cost_usd + world.context.move_cost[dest] * opt.cost_multiplier
    _count_paid_by_others(world, rows, cost)
    hh.savings[rows] = np.maximum(0.0, hh.savings[rows] - cost)
    assisted = world.context.move_cost[dest] * max(0.0, 1.0 - opt.cost_multiplier)
    world.counts.add("assisted_travel_cost_usd", assisted * n)
    per_person = hh.income[rows] / np.maximum(hh.size[rows], 1)
    take_members(hh, rows, np.ones(n, dtype=np.int64), ("adults",))
    hh.channel_granted[rows] = -1
    hh.channel_until[rows] = -1
    age = world.streams["moves"].integers(max(channel.min_age, 15), min(channel.max_age, 64) + 1, n)
    ties = hh.ties[rows].copy()
    ties[:, dest] = 1.0
    new = hh.append(
        {
            "home_island": hh.home_island[rows],
            "island": np.full(n, -1),
            "destination": np.full(n, dest),
            "status": np.full(n, Status.ABROAD),
            "displacement": np.full(n, Displacement.NONE),
            "band": hh.band[rows],
            "size": np.ones(n),
            "adults": np.ones(n),
            "head_age": age,
            "quintile": hh.quintile[rows],
            "skills": hh.skills[rows],
            "income": per_person,
            "attachment": hh.attachment[rows],
            "risk": hh.risk[rows],
            "formed_step": np.full(n, world.t),
            "channel_used": np.full(n, opt.channel),
            "parent": rows,
            "community": hh.community[rows],
            "ties": ties,
        }
    )
    world.counts.add("members_left_alone", n)
    world.counts.add("people_left_setting", n)
    world.counts.add("moves_channel", n)
    world.counts.add("moves_channel_people", n)
    world.counts.by_channel[channel.name] += n
    _count_move(world, new, np.zeros(n, dtype=bool), "abroad", None)
    sends = emigrant_remittance(world, np.full(n, dest), np.ones(n))
    np.add.at(hh.remit_kin_usd, rows, sends)
    np.add.at(hh.kin_abroad, rows, 1)
    hh.ties[rows, dest] = 1.0
    return new


def _count_paid_by_others(world: World, rows: np.ndarray, cost: float | np.ndarray) -> None:
    """Count the part of a move abroad beyond the movers' savings
    (``abroad_move_paid_by_others_usd``): paid by family at the destination (``tie_support_usd``
    per tie) or by credit with an offer (``offer_credit_months``), money from outside the
    setting, not from its households. A sponsor who pays a family route's fees and move
    (``Channel.sponsor_pays``) is counted there too, by :func:`move_abroad`."""
    short = np.maximum(cost - np.maximum(world.households.savings[rows], 0.0), 0.0)
    world.counts.add("abroad_move_paid_by_others_usd", float(short.sum()))


def move_within(
    world: World, rows: np.ndarray, island: int | None, band: Band | None, status: Status
) -> None:
    """Settle households on ``island`` (None = where they are) in ``band`` (None = drawn)."""
    hh = world.households
    if not len(rows):
        return
    was_displaced = hh.status[rows] == Status.DISPLACED
    target = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    if island is not None:
        target = np.full(len(rows), island)
    if band is None:
        isl = world.setting.islands[int(target[0])]
        u = world.streams["moves"].random(len(rows))
        band_new = np.where(
            u < isl.lowlying_share,
            Band.LOW,
            np.where(u < isl.lowlying_share + isl.highground_share, Band.HIGH, Band.MID),
        )
        if world.land.inundated[int(target[0])]:  # no one settles on land lost to the sea
            band_new = np.where(band_new == Band.LOW, Band.MID, band_new)
    else:
        band_new = np.full(len(rows), band)
    # livelihood moves towards the new island's level from its home's (a move up the same
    # island keeps it; a displaced household's livelihood is still its home island's)
    before = hh.home_island[rows]
    ratio = world.context.island_income[target] / world.context.island_income[before]
    c = world.params.economy.internal_move_income_convergence
    hh.income[rows] *= 1.0 + c * (ratio - 1.0)
    hh.status[rows] = status
    hh.island[rows] = target
    hh.home_island[rows] = target
    hh.band[rows] = band_new
    hh.damage[rows] = 0.0
    hh.protected[rows] = False
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.forced[rows] = was_displaced
    kind = "relocation" if status == Status.RELOCATED else "internal"
    _count_move(world, rows, was_displaced, kind, None)


def relocate(world: World, rows: np.ndarray) -> None:
    """Move a community's households together: to high ground on their island; from an island
    with none (an atoll) to the capital or, when the regime offers cross-border community
    relocation (``relocation.abroad_destinations``), abroad as a community. The programme pays
    ``cost_per_household_usd`` per household, and the travel of those who cross a border."""
    hh = world.households
    if not len(rows):
        return
    lever = world.policy.levers.relocation
    dests = [d.name for d in world.setting.destinations]
    abroad = next((dests.index(d) for d in lever.abroad_destinations if d in dests), None)
    cost = len(rows) * lever.cost_per_household_usd
    for i in np.unique(hh.home_island[rows]):
        r = rows[hh.home_island[rows] == i]
        if world.setting.islands[int(i)].highground_share > 0:
            move_within(world, r, int(i), Band.HIGH, Status.RELOCATED)
        elif abroad is not None:
            cost += len(r) * world.context.move_cost[abroad]
            _relocate_abroad(world, r, abroad)
        else:
            move_within(world, r, world.geo.capital, Band.MID, Status.RELOCATED)
    world.counts.add("relocation_cost_usd", cost)


def _relocate_abroad(world: World, rows: np.ndarray, dest: int) -> None:
    """A community settles abroad together (land bought or granted there: Banaba to Rabi, 1945;
    Vaitupu to Kioa, 1947); the programme pays the travel."""
    hh = world.households
    was_displaced = hh.status[rows] == Status.DISPLACED
    origin = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    in_setting = hh.displacement[rows] != Displacement.ABROAD
    world.counts.add("people_left_setting", int(hh.size[rows][in_setting].sum()))
    hh.status[rows] = Status.ABROAD
    hh.island[rows] = -1
    hh.destination[rows] = dest
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.pathway_used[rows] = -1
    hh.forced[rows] = was_displaced
    hh.drawn_pathway[rows] = -1
    _count_move(world, rows, was_displaced, "abroad", "community-relocation")
    sends = emigrant_remittance(world, dest, hh.size[rows])
    _spread_ties(world, rows, origin, dest, sends)


def _count_move(
    world: World, rows: np.ndarray, forced: np.ndarray, kind: str, pathway: str | None
) -> None:
    c, n = world.counts, len(rows)
    hh = world.households
    hh.moved_step[rows] = world.t
    hh.moves_month[rows] += 1
    hh.forced_moves_month[rows] += forced
    c.add(f"moves_{kind}", n)
    c.add(f"moves_{kind}_people", int(world.households.size[rows].sum()))
    c.add("moves_of_displaced", int(forced.sum()))
    c.add("moves_voluntary", n - int(forced.sum()))
    if pathway:
        c.by_pathway[pathway] += n


def _spread_ties(
    world: World, rows: np.ndarray, origin: np.ndarray, dest: int, sends: np.ndarray
) -> None:
    """Emigrants become family abroad for households left on their island (chain migration),
    and remit to them: ``parent_remit_share`` of what each sends (``sends``, US$ per year) goes
    to the household it split from if that one lives in the setting, the rest (all of it when
    there is no such household) is shared among the households of its island that gain the tie.
    Every household that gains remitting kin counts one more ``kin_abroad``."""
    hh = world.households
    rng = world.streams["moves"]
    n_isl = len(world.setting.islands)
    parent = hh.parent[rows]
    at_home = parent >= 0
    at_home[at_home] = hh.status[parent[at_home]] != Status.ABROAD
    to_parent = np.where(at_home, world.params.economy.parent_remit_share * sends, 0.0)
    np.add.at(hh.remit_kin_usd, parent[at_home], to_parent[at_home])
    np.add.at(hh.kin_abroad, parent[at_home], 1)
    # kin on the emigrants' islands gain a tie to the destination (the movers are abroad now)
    movers = np.bincount(origin, minlength=n_isl)
    on = np.flatnonzero(hh.island >= 0)
    per_island = np.bincount(hh.island[on], minlength=n_isl)
    p = np.minimum(1.0, world.params.decisions.tie_spread * movers / np.maximum(per_island, 1))
    gain = on[rng.random(len(on)) < p[hh.island[on]]]
    hh.ties[gain, dest] = 1.0
    hh.kin_abroad[gain] += 1
    # what is not sent to parents is shared among the island's new kin
    pool = np.bincount(origin, weights=sends - to_parent, minlength=n_isl)
    kin_per_island = np.bincount(hh.island[gain], minlength=n_isl)
    share = pool / np.maximum(kin_per_island, 1)
    hh.remit_kin_usd[gain] += share[hh.island[gain]]
