"""Evacuation: orders to leave islands, exclusion zones around eruptions, and their lifting.

An evacuation order (or an eruption's exclusion zone) moves the households living in the area
to refuge islands with room, filled in the order the event lists them; a share of households do
not comply and stay (``displacement.order_compliance``), and those for whom no refuge has room
stay too. Evacuees may not go home before the order is lifted or the zone reopens (their
``barred_until`` step); after that they return at the rates of :func:`recovery.return_home`.

A cyclone is forecast a few days ahead: before the month's storm strikes, :func:`warn` moves a
share of the households at risk where they live (low-lying, or a home the forecast wind would
wreck) to their island's evacuation centres, up to the centres' capacity, or to kin (they go
home after the storm unless their home is unlivable); households without kin go to centres.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hsmobility.phases.deaths import survive
from hsmobility.phases.impacts import household_wind, in_centres, wind_damage
from hsmobility.phases.recovery import go_home
from hsmobility.world.groups import evacuation_factor
from hsmobility.world.hazards import Eruption, MonthHazards
from hsmobility.world.households import Band, Displacement, Status, is_housed
from hsmobility.world.state import World


@dataclass
class Evacuation:
    """What one order or exclusion zone did (rows and counts in agents)."""

    moved: np.ndarray  # rows taken out of the area
    by_destination: dict[int, int]  # island index -> households received
    stayed: np.ndarray  # rows that did not comply
    no_room: np.ndarray  # rows that complied but found no refuge with room


def evacuate(world: World, month: MonthHazards) -> np.ndarray:
    """Carry out this month's evacuation orders and eruptions; log orders lifted.

    Then warns the islands this month's storm will strike (:func:`warn`). Returns the rows
    moved this month by orders and eruptions.
    """
    moved: list[np.ndarray] = []
    names = [i.name for i in world.setting.islands]
    for order in month.orders:
        area = np.isin(world.households.island, order.islands)
        until = world.n_months if order.lifted_step is None else order.lifted_step - 1
        ev = move_out(world, np.flatnonzero(area), order.destinations, until)
        moved.append(ev.moved)
        where = _and([names[i] for i in order.islands])
        name = f" ({order.name})" if order.name else ""
        lifted = (
            f"; lifted {world.month_label(order.lifted_step)}"
            if order.lifted_step is not None
            else "; until further notice"
        )
        world.counts.add("evacuation_orders")
        world.log(f"evacuation order{name} for {where}: {_outcome(world, ev)}{lifted}")
    for order in month.lifted:
        back = (
            (world.households.status == Status.DISPLACED)
            & np.isin(world.households.home_island, order.islands)
            & (world.households.island != world.households.home_island)
        )
        world.counts.add("evacuation_orders_lifted")
        world.log(
            f"evacuation order for {_and([names[i] for i in order.islands])} lifted: "
            f"{int(back.sum()) * world.scale:,} evacuated households may go home"
        )
    for eruption in month.eruptions:
        ev = erupt(world, eruption)
        moved.append(ev.moved)
        name = f" ({eruption.name})" if eruption.name else ""
        world.log(
            f"volcanic eruption{name} on {names[eruption.island]}: exclusion zone over "
            f"{eruption.exclusion_share:.0%} of the island for {eruption.months} months; "
            f"{_outcome(world, ev, eruption.island)}"
        )
    close_centres(world)
    warn(world, month)
    return np.concatenate(moved) if moved else np.zeros(0, dtype=np.int64)


#: days in a month, to compare months in a centre with ``centres_close_days``
DAYS_PER_MONTH = 30.44


def close_centres(world: World) -> np.ndarray:
    """Evacuation centres that are schools close when the schools reopen.

    Where the setting gives ``centres_close_days``, a household that has spent that many days
    in a centre (whole months since it went there, ``months_displaced``) leaves it for its own
    plot: it lives by its damaged home, under a tarpaulin or tent, while it repairs, as
    Winston's evacuees did when Fiji's schools reopened nine days after the storm (ODD 7.2.6).
    Those who came this month (the storm's) stay. Returns the rows that left.
    """
    days = world.setting.centres_close_days
    hh = world.households
    if days is None:
        return np.zeros(0, dtype=np.int64)
    there = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    there &= hh.months_displaced.astype(np.float64) * DAYS_PER_MONTH >= days
    there &= hh.months_displaced > 0
    rows = np.flatnonzero(there)
    if not len(rows):
        return rows
    go_home(world, rows)
    world.log(
        f"evacuation centres closed (the schools reopened): {len(rows) * world.scale:,} "
        "households went back to their plots"
    )
    return rows


def warning_share(world: World) -> float:
    """Share of at-risk households that leave before a forecast storm: the warning's reach
    (``warning_reach_base``, all of them with the ``early_warning`` lever at 1) times
    ``warning_compliance``, so never all of them."""
    pd = world.params.displacement
    reach = pd.warning_reach_base + world.policy.levers.adaptation.early_warning * (
        1.0 - pd.warning_reach_base
    )
    return reach * pd.warning_compliance


def warn(world: World, month: MonthHazards) -> np.ndarray:
    """Households at risk from this month's storm leave home before it strikes.

    At risk: housed households whose exposure point the storm will strike at hurricane force
    (``surge_wind_ms``, the forecast wind where they live, :func:`impacts.household_wind`) and
    whose home is low-lying or would be severely damaged at that wind (mean Emanuel damage ≥
    ``severe_damage``). Each leaves with :func:`warning_share`. A leaver has no kin with room
    with chance ``no_kin_share`` (``no_kin``) and goes to a centre; one with kin goes to a
    centre with ``warning_centre_share``, else to kin. On each island they fill the centres up
    to the places left (``shelter_places`` less the displaced already there), those without
    kin first; the others go to kin (or neighbours). Their place for the storm is kept in
    ``world.refuge.storm_refuge`` (1 centre, 2 kin), read by ``damage`` (nobody dies in a home
    they left) and ``displace``. Returns the rows warned.
    """
    hh, pc, pd = world.households, world.params.cyclones, world.params.displacement
    refuge = world.refuge
    refuge.storm_refuge = np.zeros(hh.n, dtype=np.int8)
    warned = month.wind_ms >= pc.surge_wind_ms  # islands under a hurricane warning
    if not warned.any():
        return np.zeros(0, dtype=np.int64)
    rng, k = world.streams["impacts"], world.scale
    rows = np.flatnonzero(is_housed(hh.status) & (hh.island >= 0))
    rows = rows[warned[hh.island[rows]]]
    wind = household_wind(world, month, rows)
    half = (
        world.setting.wind_half_damage_ms
        + world.params.decisions.resilient_extra_ms * (hh.resilient[rows])
    )
    expected = wind_damage(wind, half, pc.damage_threshold_ms)
    at_risk = (hh.band[rows] == Band.LOW) | (expected >= pd.severe_damage)
    rows = rows[at_risk]
    share = warning_share(world) * evacuation_factor(hh, world.params, rows)  # disability
    going = rows[rng.random(len(rows)) < share]
    hh.no_kin[going] = rng.random(len(going)) < pd.no_kin_share
    wants_centre = hh.no_kin[going] | (rng.random(len(going)) < pd.warning_centre_share)
    free = refuge.shelter_places - in_centres(world) * k
    names = [i.name for i in world.setting.islands]
    for i in np.unique(hh.island[going]):
        here = np.flatnonzero(hh.island[going] == i)
        centre_first = rng.permutation(here[wants_centre[here]])
        centre_first = going[
            centre_first[np.argsort(~hh.no_kin[going[centre_first]], kind="stable")]
        ]
        people = np.cumsum(hh.size[centre_first].astype(np.int64) * k)
        n = int(np.searchsorted(people, max(int(free[i]), 0), "right"))
        refuge.storm_refuge[going[here]] = 2
        refuge.storm_refuge[centre_first[:n]] = 1
        centre = int(people[n - 1]) // k if n else 0  # counters are in agents' people
        kin = int(hh.size[going[here]].sum()) - centre
        world.counts.add("evacuation_centre_people", centre)
        world.counts.add("shelter_cost_usd", centre * world.params.costs.shelter_usd_per_person)
        world.counts.add("warned_people", centre + kin)
        world.counts.add("warned_to_kin_people", kin)
        world.log(
            f"cyclone warning for {names[i]}: {centre * k:,} people to evacuation centres "
            f"({int(refuge.shelter_places[i]):,} places), {kin * k:,} to kin, before the storm"
        )
    return going


def erupt(world: World, eruption: Eruption) -> Evacuation:
    """Households in the exclusion zone (a share of those living on the island) leave it for
    the eruption's refuges; without any, for host families elsewhere on the island or, when the
    whole island is closed, for the island's refuge. People who stay in the zone die at
    ``exclusion_zone_death_rate`` in the eruption month."""
    hh, rng = world.households, world.streams["impacts"]
    on_island = np.flatnonzero(hh.island == eruption.island)
    zone = on_island[rng.random(len(on_island)) < eruption.exclusion_share]
    refuges = eruption.destinations
    if not refuges:
        whole = eruption.exclusion_share >= 1.0
        refuge = int(world.geo.refuge_island[eruption.island]) if whole else eruption.island
        refuges = [(refuge, -1)]  # -1: no stated capacity
    ev = move_out(world, zone, refuges, eruption.step + eruption.months - 1)
    in_zone = np.concatenate([ev.stayed, ev.no_room])
    rate = world.params.displacement.exclusion_zone_death_rate
    survive(
        world,
        in_zone,
        rate,
        f"in the exclusion zone on {world.setting.islands[eruption.island].name}",
    )
    return ev


def move_out(
    world: World, area: np.ndarray, refuges: list[tuple[int, int]], barred_until: int
) -> Evacuation:
    """Households of ``area`` (rows) that comply go to ``refuges`` (island, people it can take
    in, -1 = no limit), filled in turn; they may not return before ``barred_until`` has passed.
    """
    hh, k = world.households, world.scale
    rng = world.streams["impacts"]
    comply = rng.random(len(area)) < world.params.displacement.order_compliance * (
        evacuation_factor(hh, world.params, area)  # a disabled member slows a household
    )
    leaving = rng.permutation(area[comply])
    by_destination: dict[int, int] = {}
    placed: list[np.ndarray] = []
    for island, capacity in refuges:
        if not len(leaving):
            break
        people = np.cumsum(hh.size[leaving].astype(np.int64) * k)
        n = len(leaving) if capacity < 0 else int(np.searchsorted(people, capacity, "right"))
        rows, leaving = leaving[:n], leaving[n:]
        if not n:
            continue
        by_destination[island] = by_destination.get(island, 0) + n
        newly = rows[is_housed(hh.status[rows])]
        hh.status[newly] = Status.DISPLACED
        hh.months_displaced[newly] = 0
        hh.displaced_step[newly] = world.t
        hh.episodes[newly] += 1
        world.counts.add("displaced_new", len(newly))
        world.counts.add("displaced_new_people", int(hh.size[newly].sum()))
        same_island = hh.home_island[rows] == island
        hh.displacement[rows] = np.where(
            same_island, Displacement.HOST_FAMILY, Displacement.OTHER_ISLAND
        )
        hh.island[rows] = island
        hh.forced[rows] = True
        hh.barred_until[rows] = np.maximum(hh.barred_until[rows], barred_until)
        world.counts.add("evacuated_people", int(hh.size[rows].sum()))
        placed.append(rows)
    stayed = area[~comply]
    world.counts.add("evacuation_stayed_people", int(hh.size[stayed].sum()))
    world.counts.add("evacuation_no_room_people", int(hh.size[leaving].sum()))
    moved = np.concatenate(placed) if placed else np.zeros(0, dtype=np.int64)
    return Evacuation(moved, by_destination, stayed, leaving)


def _outcome(world: World, ev: Evacuation, home: int = -1) -> str:
    """ "2,300 households to Espiritu Santo and Pentecost; 40 households stayed" """
    k, names = world.scale, [i.name for i in world.setting.islands]
    dest = _and([names[i] for i in ev.by_destination if i != home])
    if home in ev.by_destination:
        dest = _and([*filter(None, [dest]), f"host families elsewhere on {names[home]}"])
    text = f"{len(ev.moved) * k:,} households to {dest or 'nowhere'}"
    if len(ev.stayed):
        text += f"; {len(ev.stayed) * k:,} households stayed"
    if len(ev.no_room):
        text += f"; {len(ev.no_room) * k:,} households found no refuge with room and stayed"
    return text


def _and(names: list[str]) -> str:
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
