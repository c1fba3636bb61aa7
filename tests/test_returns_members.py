"""Working-age members go back first to repair a partly livable home; the rest of the household
follows once it is no longer severely damaged; what the damage indicators count (issue 9
item 4), on the hand-built world and on the Gita hindcast."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import hand_built_world
from helpers import check_accounts

from hsmobility.indicators import displaced_people, people_in_damaged_homes
from hsmobility.model import MobilityModel
from hsmobility.phases.recovery import repair, return_home
from hsmobility.validate import TARGETS
from hsmobility.world.households import Displacement, Status, members_back

N = 4000
#: no whole-household return by the ordinary chance and no kits: only the members' rule acts
QUIET = {"recovery.return_prob": 0.0, "recovery.shelter_kit_share": 0.0}


def _displaced(dmg: float, params: dict | None = None, **cols):
    row = {"status": Status.DISPLACED, "displacement": Displacement.HOST_FAMILY, "damage": dmg,
           "months_displaced": 1, "episodes": 1, "size": 5, "adults": 2, "children": 2,
           "elders": 1, **cols}  # fmt: skip
    return hand_built_world([row] * N, params={**QUIET, **(params or {})})


def test_working_age_members_go_back_to_a_partly_livable_home_at_the_rate_the_parameters_say():
    world = _displaced(0.6, {"recovery.members_back_prob": 0.3})
    hh = world.households
    back = return_home(world)
    assert len(back) == 0  # the household is not back: its children and elders are not
    went = hh.members_back > 0
    assert went.mean() == pytest.approx(0.3, abs=4 * np.sqrt(0.3 * 0.7 / N))
    assert (hh.members_back[went] == hh.adults[went]).all()  # all its adults, nobody else
    assert (hh.status == Status.DISPLACED).all()
    # they live in their home again: no longer displaced, living in a partly livable home
    assert displaced_people(world)[went].tolist() == [3] * int(went.sum())
    assert people_in_damaged_homes(world, 0.5)[went].tolist() == [2] * int(went.sum())
    assert world.counts["members_went_back"] == 2 * int(went.sum())
    # people are conserved: displaced + back = the household
    assert (displaced_people(world) + members_back(hh) == hh.size).all()


@pytest.mark.parametrize(
    "cols",
    [
        {"damage": 0.85},  # a wrecked home (>= return_max_damage) is not partly livable
        {"displacement": Displacement.ABROAD, "island": -1, "destination": 0},  # abroad
        {"adults": 5, "children": 0, "elders": 0},  # nobody to leave behind: the household is whole
        {"barred_until": 10},  # an evacuation order still bars the island
    ],
)
def test_no_members_go_back_where_the_rule_says_they_cannot(cols):
    world = _displaced(cols.pop("damage", 0.6), {"recovery.members_back_prob": 1.0}, **cols)
    return_home(world)
    assert (world.households.members_back == 0).all()


def test_the_rest_follow_once_the_home_is_no_longer_severely_damaged():
    severe = 0.3  # displacement.severe_damage
    for dmg, follow in ((severe - 0.05, True), (severe + 0.05, False)):
        world = _displaced(dmg, {"recovery.members_back_prob": 0.0}, members_back=2)
        world.refuge.services[:] = 1.0
        hh = world.households
        back = return_home(world)
        assert (len(back) == N) is follow and (len(back) == 0) is not follow
        if follow:
            assert (hh.status == Status.RETURNED).all() and (hh.members_back == 0).all()
            # the people who came home this month: the three who had stayed away, not all five
            assert world.counts["people_back_home"] == 3 * N
    # without services back on the home island, they wait
    world = _displaced(severe - 0.05, {"recovery.members_back_prob": 0.0}, members_back=2)
    world.refuge.services[:] = 0.0
    assert len(return_home(world)) == 0


def test_members_back_repair_at_the_home_rate_not_the_away_rate():
    params = {"recovery.away_repair_factor": 0.5, "recovery.services_restore_months": 1.0}
    away = _displaced(0.6, params, savings=0.0)
    there = _displaced(0.6, params, savings=0.0, members_back=2)
    home = hand_built_world([{"damage": 0.6, "savings": 0.0}] * 10, params=params)
    for w in (away, there, home):
        repair(w)
    rate = away.params.recovery.repair_rate_without_means
    assert home.households.damage[0] == pytest.approx(0.6 * (1 - rate))
    assert there.households.damage[0] == pytest.approx(0.6 * (1 - rate))
    assert away.households.damage[0] == pytest.approx(0.6 * (1 - 0.5 * rate))


def test_a_kit_returner_lives_in_a_partly_livable_and_severely_damaged_home():
    """The definition: people living in a home damaged severe_damage (0.3) or more are in a
    severely damaged home, those in one damaged uninhabitable_damage (0.5) or more in a partly
    livable home (back before it is livable: with a kit, or working-age members back)."""
    world = hand_built_world(
        [{"status": Status.RETURNED, "damage": 0.6, "size": 4},  # back with a kit
         {"status": Status.RETURNED, "damage": 0.4, "size": 3},  # repaired past livable
         {"status": Status.HOME, "damage": 0.1, "size": 5},
         {"status": Status.DISPLACED, "displacement": Displacement.HOST_FAMILY, "damage": 0.6,
          "size": 5, "adults": 2, "children": 3, "elders": 0, "members_back": 2},
         {"status": Status.DISPLACED, "displacement": Displacement.SHELTER, "damage": 0.9,
          "size": 6}],
    )  # fmt: skip
    assert people_in_damaged_homes(world, 0.3).tolist() == [4, 3, 0, 2, 0]
    assert people_in_damaged_homes(world, 0.5).tolist() == [4, 0, 0, 2, 0]
    assert displaced_people(world).tolist() == [0, 0, 0, 3, 6]


@pytest.fixture(scope="module")
def gita():
    model = MobilityModel("tonga-gita-2018", seed=2, scale=2)
    people = [int(model.households.size.sum())]
    while model.running:
        model.step()
        hh = model.households
        # every month: each household's people are displaced, back in their home, or neither
        assert (displaced_people(model.world) + members_back(hh) <= hh.size).all()
        assert (members_back(hh) <= hh.adults).all()
        people.append(int(hh.size.sum()))
    return model


def test_gita_accounts_close_and_the_displaced_by_where_they_stay_add_up(gita):
    check_accounts(gita)  # displaced people by kind add up to displaced_people every month
    df = gita.monthly()
    assert df["members_back_people"].max() > 0
    assert (df["partly_livable_people"] <= df["severely_damaged_people"]).all()


def test_gita_severely_damaged_people_rise_only_by_people_coming_home_or_born(gita):
    df = gita.monthly().reset_index(drop=True)
    storm = int(df["max_wind_ms"].idxmax())
    after = df.iloc[storm:]
    rise = after["severely_damaged_people"].diff().iloc[1:]
    cause = (after["people_back_home"] + after["births"]).iloc[1:]
    assert (rise <= cause).all(), after[["severely_damaged_people", "people_back_home"]]
    # and it does rise while people come home to damaged homes: the cause is counted
    assert after["people_back_home"].iloc[1:].sum() > 0


@pytest.mark.parametrize("seed", [2, 3])
def test_barbuda_return_targets_hold_on_other_seeds(seed):
    """The targets `members_back_prob` was fitted to, on seeds other than validate's: within
    the tolerance tests/test_validate.py allows (error <= 0.2)."""
    targets = [t for t in TARGETS if t.name.startswith("Barbuda back")]
    assert len(targets) == 2
    for t in targets:
        assert t.score(t.measure(seed)) <= 0.2, (t.name, seed)
