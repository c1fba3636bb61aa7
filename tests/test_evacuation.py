"""Warnings, evacuation centres with places, hosts with room, evacuation of islands of any size
by damage, and return that follows recovery (issue 9 items 2-4), on the hand-built world."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import calm_month, hand_built_world

from hsmobility.phases.evacuation import evacuate, warning_share
from hsmobility.phases.impacts import damage, displace, host_room
from hsmobility.phases.recovery import repair, return_home
from hsmobility.world.households import Band, Displacement, Status

CAPITAL, OUTER = 0, 1
STORM = 64.0  # category 4 at the islands: hurricane force


def _storm_on_outer(wind: float = STORM):
    month = calm_month()
    month.wind_ms = np.array([0.0, wind])
    return month


def test_a_warning_fills_centres_up_to_their_places_and_sends_the_rest_to_kin():
    world = hand_built_world(
        [{"band": Band.LOW}] * 200,
        params={"displacement.warning_reach_base": 1.0, "displacement.warning_compliance": 1.0},
    )
    places = int(world.refuge.shelter_places[OUTER])
    assert 0 < places < 200 * 5  # 0.12 x 500 residents: far fewer places than people at risk
    evacuate(world, _storm_on_outer())
    refuge, size = world.refuge.storm_refuge, world.households.size
    in_centres = int(size[refuge == 1].sum())
    assert places - 5 < in_centres <= places
    assert np.all(refuge > 0)  # everyone left: the rest with kin
    assert world.counts["evacuation_centre_people"] == in_centres
    assert world.counts["warned_to_kin_people"] == 1000 - in_centres
    # it happens before the storm's damage: homes are still whole
    assert np.all(world.households.damage == 0)


def test_a_warning_moves_only_households_at_risk_and_never_all_of_them():
    world = hand_built_world(
        [{"band": Band.LOW}] * 3000 + [{"band": Band.HIGH, "resilient": True}] * 300,
        levers={"adaptation.early_warning": 1.0},
    )
    world.refuge.shelter_places[:] = 10**9
    evacuate(world, _storm_on_outer(45.0))  # category 2: a high, resilient home is not at risk
    left = world.refuge.storm_refuge > 0
    assert not left[3000:].any()
    share = world.params.displacement.warning_compliance
    assert warning_share(world) == pytest.approx(share) and share < 1
    assert left[:3000].mean() == pytest.approx(share, abs=0.03)


def test_a_warning_lowers_deaths_against_no_warning_on_the_same_seed():
    deaths, at_risk = {}, {}
    for ew in (0.0, 1.0):
        world = hand_built_world(
            [{"band": Band.LOW}] * 1000,
            levers={"adaptation.early_warning": ew},
            params={"deaths.collapse_death_rate": 0.05, "displacement.warning_reach_base": 0},
        )
        people = int(world.households.size.sum())
        month = _storm_on_outer(75.0)
        evacuate(world, month)
        damage(world, month)
        deaths[ew] = world.counts["deaths_hazard"]
        at_risk[ew] = world.counts["people_at_risk_in_storm"]
        assert people - int(world.households.size.sum()) == deaths[ew]
    assert deaths[0.0] > 0 and deaths[1.0] < 0.5 * deaths[0.0]
    # compliance below one: some still ride the storm out at home with full early warning
    assert 0 < at_risk[1.0] < at_risk[0.0]


def test_unlivable_homes_after_the_storm_keep_centres_within_their_places():
    world = hand_built_world(
        [{"band": Band.LOW}] * 300,
        params={"displacement.shelter_share": 1.0, "displacement.abroad_share": 0.0,
                "displacement.other_island_share": 0.0},
    )  # fmt: skip
    world.refuge.shelter_places[:] = 400
    hh = world.households
    hh.damage[:] = 0.9
    displace(world, _storm_on_outer(), new_damage=np.full(hh.n, 0.9))
    sheltered = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    assert 395 < int(hh.size[sheltered].sum()) <= 400
    hosted = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.HOST_FAMILY)
    assert int(hosted.sum()) == 300 - int(sheltered.sum())


def _big_outer_island(capital_households: int, scale: int = 10):
    # 400 rows x 10 households x 5 people = 20,000 people on the outer island, all homes wrecked
    world = hand_built_world(
        [{"home_island": CAPITAL, "island": CAPITAL}] * capital_households + [{}] * 400,
        scale=scale,
    )
    hh = world.households
    hh.damage[hh.home_island == OUTER] = 0.9
    return world


def test_an_island_of_twenty_thousand_people_is_evacuated_by_damage():
    world = _big_outer_island(capital_households=2000)
    hh = world.households
    outer = hh.home_island == OUTER
    assert int(hh.size[outer].sum()) * world.scale == 20_000
    new = np.where(outer, 0.9, 0.0)
    room_before = host_room(world)[CAPITAL]
    rows = displace(world, _storm_on_outer(), new_damage=new)
    assert len(rows) == 400 and world.households.n == 2400
    assert np.all(hh.island[outer] == CAPITAL)
    assert np.all(hh.displacement[outer] == Displacement.OTHER_ISLAND)
    assert int(hh.size[outer].sum()) <= room_before
    assert world.access.closed_until[OUTER] >= world.t
    assert "is evacuated" in world.events[-1][1]


def test_evacuees_go_only_where_hosts_have_room():
    world = _big_outer_island(capital_households=300)  # room for 600 of the 2,000 agents' people
    hh = world.households
    outer = hh.home_island == OUTER
    room = host_room(world)[CAPITAL]
    displace(world, _storm_on_outer(), new_damage=np.where(outer, 0.9, 0.0))
    moved = outer & (hh.island == CAPITAL)
    assert 0 < int(hh.size[moved].sum()) <= room
    assert np.all(hh.status[outer] == Status.DISPLACED)  # the others stay, displaced, on Outer
    assert "found no island with room" in world.events[-1][1]


def _displaced(n: int, dmg: float, **params):
    world = hand_built_world(
        [{"status": Status.DISPLACED, "displacement": Displacement.HOST_FAMILY, "damage": dmg,
          "attachment": 0.5, "head_age": 40}] * n,
        params=params,
    )  # fmt: skip
    world.begin_month()
    return world


def test_returns_wait_for_a_partly_livable_home_and_follow_services():
    n = 4000
    pr_max = 0.8
    wrecked = _displaced(n, 0.9, **{"recovery.return_max_damage": pr_max})
    assert len(return_home(wrecked)) == 0  # not livable at all: nobody goes back yet
    partly = _displaced(
        n, 0.6, **{"recovery.return_max_damage": pr_max, "recovery.shelter_kit_share": 0.0}
    )
    back_all = len(return_home(partly)) / n
    pr = partly.params.recovery
    expected = pr.return_prob * 0.4 * (pr.return_attachment_base + 0.5)
    assert back_all == pytest.approx(expected, abs=4 * np.sqrt(expected / n))
    slow = _displaced(
        n, 0.6, **{"recovery.return_max_damage": pr_max, "recovery.shelter_kit_share": 0.0}
    )
    slow.refuge.services[OUTER] = 0.3
    back_slow = len(return_home(slow)) / n
    assert back_slow == pytest.approx(0.3 * expected, abs=4 * np.sqrt(0.3 * expected / n))


def test_services_and_homes_recover_faster_for_those_back_home():
    world = hand_built_world(
        [{"damage": 0.6, "savings": 0.0},
         {"damage": 0.6, "savings": 0.0, "status": Status.DISPLACED,
          "displacement": Displacement.HOST_FAMILY}],
    )  # fmt: skip
    world.refuge.services[OUTER] = 0.0
    repair(world)
    pr = world.params.recovery
    assert world.refuge.services[OUTER] == pytest.approx(1 / pr.services_restore_months)
    at_home, away = world.households.damage
    assert at_home < away < 0.6


def test_households_and_people_are_conserved_through_warning_storm_and_return():
    world = hand_built_world(
        [{"band": Band.LOW, "size": 1 + i % 7} for i in range(500)]
        + [{"home_island": CAPITAL, "island": CAPITAL}] * 300,
        params={"deaths.collapse_death_rate": 0.01},
    )
    hh = world.households
    rows, people = hh.n, int(hh.size.sum())
    died = 0
    for t in range(6):
        month = _storm_on_outer(75.0) if t == 0 else calm_month()
        evacuate(world, month)
        hit = damage(world, month)
        displace(world, month, hit.new_damage)
        repair(world)
        return_home(world)
        died += world.counts["deaths_hazard"]
        assert hh.n == rows
        assert int(hh.size.sum()) == people - died
        where = np.bincount(hh.status, minlength=6)
        assert where.sum() == rows
        world.end_month()
        world.begin_month()
    assert died > 0 and world.totals["returns"] > 0
