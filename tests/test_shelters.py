"""Leaving shelters (issue 9, seventh session): households with kin leave an evacuation centre
for host families with room and, without room, for their own plot (``centre_to_plot``);
households without kin stay until their home is livable. On the hand-built world, then on
Maria and Gita (centres never above their places; the targets on several seeds)."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import hand_built_world
from helpers import check_accounts

from hsmobility import validate
from hsmobility.model import MobilityModel
from hsmobility.phases.impacts import host_room, in_centres
from hsmobility.phases.recovery import return_home
from hsmobility.world.households import Displacement, Status

CAPITAL, OUTER = 0, 1
N = 1000
#: no kits and no ordinary return: only the centre's leavers move
STILL = {"recovery.shelter_kit_share": 0.0, "recovery.return_prob": 0.0,
         "recovery.members_back_prob": 0.0}  # fmt: skip


def _sheltered(no_kin: bool, damage: float = 0.95, island: int = OUTER) -> dict:
    """A household in a centre since last month, its home (on the outer island) destroyed."""
    return {"status": Status.DISPLACED, "displacement": Displacement.SHELTER,
            "island": island, "home_island": OUTER, "damage": damage,
            "months_displaced": 1, "no_kin": no_kin, "barred_until": -1}  # fmt: skip


def _host(damage: float) -> dict:
    return {"status": Status.HOME, "damage": damage}


def _people(world) -> int:
    hh = world.households
    return int(hh.size.sum())


@pytest.mark.parametrize("leave", [1.0, 0.5])
def test_without_host_room_households_with_kin_leave_a_centre_for_their_plot(leave):
    # every other home on the island severely damaged: no host room anywhere
    rows = [_sheltered(False)] * N + [_sheltered(True)] * 200 + [_host(0.6)] * 300
    world = hand_built_world(rows, params={**STILL, "displacement.leave_shelter_prob": leave})
    hh = world.households
    assert host_room(world)[OUTER] == 0
    people, n = _people(world), hh.n
    back = return_home(world)
    went = np.flatnonzero(hh.status[:N] == Status.RETURNED)
    assert len(back) == len(went) == world.counts["centre_to_plot"] == world.counts["returns"]
    sd = np.sqrt(leave * (1 - leave) / N)
    assert len(went) / N == pytest.approx(leave, abs=4 * sd + 1e-9)
    # they live by their destroyed home, on their own island, no longer displaced
    assert (hh.island[went] == OUTER).all() and np.allclose(hh.damage[went], 0.95)
    assert (hh.displacement[went] == Displacement.NONE).all()
    # those without kin stay in the centre whatever the chance
    assert (hh.status[N : N + 200] == Status.DISPLACED).all()
    assert (hh.displacement[N : N + 200] == Displacement.SHELTER).all()
    assert hh.n == n and _people(world) == people  # households and people conserved


def test_in_the_storm_month_nobody_leaves_the_centre():
    rows = [{**_sheltered(False), "months_displaced": 0}] * N
    world = hand_built_world(rows, params={**STILL, "displacement.leave_shelter_prob": 1.0})
    return_home(world)
    assert (world.households.displacement == Displacement.SHELTER).all()
    assert world.counts["centre_to_plot"] == 0


def test_host_room_first_then_the_plot():
    # 100 hosts with a sound home take 2 people each: 200 people, 40 households of 5
    rows = [_sheltered(False)] * 100 + [_host(0.0)] * 100
    world = hand_built_world(rows, params={**STILL, "displacement.leave_shelter_prob": 1.0})
    hh = world.households
    room = host_room(world)[OUTER]
    return_home(world)
    hosted = (hh.status[:100] == Status.DISPLACED) & (
        hh.displacement[:100] == Displacement.HOST_FAMILY
    )
    assert int(hh.size[:100][hosted].sum()) == room == 200  # the room used, never more
    assert host_room(world)[OUTER] == 0
    plot = hh.status[:100] == Status.RETURNED
    assert np.array_equal(plot, ~hosted)  # the rest went to their plot
    assert world.counts["centre_to_plot"] == 60


def test_a_closed_island_an_order_or_a_centre_across_the_sea_keeps_them_in_the_centre():
    far = [_sheltered(False, island=CAPITAL)] * 50  # in a centre on another island
    barred = [{**_sheltered(False), "barred_until": 5}] * 50
    rows = far + barred + [_sheltered(False)] * 50 + [_host(0.6)] * 10
    world = hand_built_world(rows, params={**STILL, "displacement.leave_shelter_prob": 1.0})
    hh = world.households
    return_home(world)
    assert (hh.displacement[:100] == Displacement.SHELTER).all()
    assert (hh.status[100:150] == Status.RETURNED).all()
    world.access.closed_until[OUTER] = world.t + 3
    hh.status[100:150], hh.displacement[100:150] = Status.DISPLACED, Displacement.SHELTER
    hh.months_displaced[100:150], hh.island[100:150] = 2, OUTER
    world.begin_month()
    return_home(world)
    assert (hh.displacement[100:150] == Displacement.SHELTER).all()  # island closed


def test_maria_centres_never_above_their_places_and_people_conserved():
    model = MobilityModel("dominica-maria-2017", seed=1)
    w = model.world
    for _ in range(6):
        model.step()
        assert np.all(in_centres(w) * w.scale <= w.refuge.shelter_places)
    m = model.monthly().reset_index(drop=True)
    # the centres empty of those with kin within two months; those without kin stay
    assert m["displaced_people_shelter"].iloc[2] < 0.3 * m["displaced_people_shelter"].iloc[1]
    assert m["centre_to_plot"].iloc[2:].sum() > 0
    hh = w.households
    sheltered = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    assert hh.no_kin[sheltered].all()
    check_accounts(model)  # households and people conserved, displaced by kind add up


@pytest.mark.parametrize("seed", [1, 2])
def test_leaving_shelters_targets_on_several_seeds(seed):
    """Maria's centres four months on hold the households without kin (225-900 observed
    range, within 1.5x while Dominica's destruction is 1.4x the count); Gita's centres seven
    weeks on hold far fewer than before (4,200 on main at 9de6815) though its damage is 5x."""
    assert 225 <= validate._maria_shelters(seed) <= 1350
    assert validate._gita_centres_after(seed) < 1000
