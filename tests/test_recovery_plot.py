"""Back to the plot with a shelter kit (issue 9, fifth session): households displaced near home
(kin or a centre on their own island, or on a region linked to it by road) go back to live by
their standing home once a kit covers it, from the month after they left; those evacuated to
another island return at the ordinary chance. On the hand-built world, then on Gita."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world
from helpers import check_accounts

from hsmobility.config.schemas import Link
from hsmobility.model import MobilityModel
from hsmobility.phases.recovery import near_home, return_home
from hsmobility.world.households import Displacement, Status

CAPITAL, OUTER = 0, 1
N = 2000
#: no new kits drawn in these tests: only the kits the households are given
NO_KITS = {"recovery.shelter_kit_share": 0.0}


def _world(rows: list[dict], setting=None):
    return hand_built_world(rows, params=NO_KITS, setting=setting)


def _displaced(kind: int, island: int, kit: bool, months: int, damage: float = 0.6) -> dict:
    return {"status": Status.DISPLACED, "displacement": kind, "island": island,
            "home_island": OUTER, "damage": damage, "shelter_kit": kit,
            "months_displaced": months, "attachment": 0.5, "head_age": 40}  # fmt: skip


def _ordinary(world, damage: float, kit: bool) -> float:
    """The ordinary monthly chance of return (ODD 7.5) of the rows built by ``_displaced``."""
    pr = world.params.recovery
    term = (1.0 - damage) ** pr.return_damage_power
    if kit:
        term = max(term, pr.kit_return_factor)
    return pr.return_prob * term * (pr.return_attachment_base + 0.5)


@pytest.mark.parametrize("kind", [Displacement.HOST_FAMILY, Displacement.SHELTER])
def test_near_home_with_a_kit_all_go_back_to_their_plot_the_month_after(kind):
    world = _world([_displaced(kind, OUTER, True, 1)] * N)
    back = return_home(world)
    assert len(back) == N  # every one: the kit covers a standing home a walk away
    hh = world.households
    assert (hh.status == Status.RETURNED).all() and (hh.island == OUTER).all()
    assert np.allclose(hh.damage, 0.6)  # back before repair: they live in a damaged home
    assert world.counts["returns"] == N
    # counted as back to the plot: those the ordinary chance did not already bring home
    q = _ordinary(world, 0.6, True)
    assert world.counts["kit_returns"] / N == pytest.approx(1 - q, abs=4 * np.sqrt(q / N))


def test_in_the_storm_month_they_stay_and_return_only_at_the_ordinary_chance():
    # months_displaced 0: displaced this month (return_home counts it to 1)
    world = _world([_displaced(Displacement.HOST_FAMILY, OUTER, True, 0)] * N)
    expected = _ordinary(world, 0.6, True)
    back = return_home(world)
    assert len(back) / N == pytest.approx(expected, abs=4 * np.sqrt(expected / N))
    assert world.counts["kit_returns"] == 0


@pytest.mark.parametrize(
    "case",
    [
        "no kit",  # near home, but nothing over the roof
        "other island",  # evacuated across the sea (Barbuda to Antigua)
        "abroad",
    ],
)
def test_without_a_kit_or_away_from_home_the_ordinary_chance_holds(case):
    if case == "no kit":
        row = _displaced(Displacement.HOST_FAMILY, OUTER, False, 1)
    elif case == "other island":
        row = _displaced(Displacement.OTHER_ISLAND, CAPITAL, True, 1)
    else:
        row = {**_displaced(Displacement.ABROAD, -1, False, 1)}
    world = _world([row] * N)
    expected = _ordinary(world, 0.6, row["shelter_kit"])
    if case == "abroad":
        expected *= world.params.recovery.abroad_return_factor
    back = return_home(world)
    assert len(back) / N == pytest.approx(expected, abs=4 * np.sqrt(expected / N) + 1e-9)
    assert world.counts["kit_returns"] == 0


def test_nobody_goes_back_to_a_wrecked_home_or_a_closed_island_even_with_a_kit():
    world = _world([_displaced(Displacement.HOST_FAMILY, OUTER, True, 1, damage=0.85)] * 50)
    assert len(return_home(world)) == 0  # past return_max_damage: no room stands
    world = _world([_displaced(Displacement.HOST_FAMILY, OUTER, True, 1)] * 50)
    world.access.closed_until[OUTER] = world.t + 3
    assert len(return_home(world)) == 0
    world = _world([{**_displaced(Displacement.HOST_FAMILY, OUTER, True, 1),
                     "barred_until": 99}] * 50)  # fmt: skip
    assert len(return_home(world)) == 0  # an evacuation order still in force


def test_a_region_linked_by_road_is_near_home_one_across_the_sea_is_not():
    rows = [_displaced(Displacement.HOST_FAMILY, CAPITAL, True, 1)] * 10
    road = SETTING.model_copy(
        update={
            "links": [Link(a="Capital", b="Outer", mode="road", capacity_households_per_month=2)]
        }  # fmt: skip
    )
    by_road, by_sea = _world(rows, setting=road), _world(rows)
    idx = np.arange(10)
    assert near_home(by_road, idx).all()
    assert not near_home(by_sea, idx).any()
    assert len(return_home(by_road)) == 10


@pytest.fixture(scope="module")
def gita():
    model = MobilityModel("tonga-gita-2018", seed=3, scale=2)
    while model.running:
        model.step()
    return model


def test_gita_kit_returns_close_the_accounts_and_empty_the_centres(gita):
    model = gita
    check_accounts(model)  # households and people conserved, displaced by kind add up
    df = model.monthly().reset_index(drop=True)
    storm = int(df["displaced_people"].idxmax())
    assert df["kit_returns"].iloc[storm] == 0  # nobody back to the plot in the storm month
    assert df["kit_returns"].iloc[storm + 1] > 0
    # the returns are people coming home to damaged homes: they are counted there
    assert df["people_back_home"].iloc[storm + 1] > 0
    # the mechanism is what brings most of the displaced home within weeks (IOM, 13 Mar 2018)
    share = df["displaced_people"].iloc[storm + 1] / df["displaced_people"].iloc[storm]
    assert share < 0.6
