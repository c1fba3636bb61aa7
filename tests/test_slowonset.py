"""Issue 9, slow onset and internal migration: overwash makes low-lying land uninhabitable
gradually; the capital's pull falls as it fills; the burn-in removes the first-year wave."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.decisions import wish_internal
from hsmobility.model import MobilityModel
from hsmobility.phases.choices import capital_share, situation, update_crowding
from hsmobility.phases.impacts import habitability, inundation
from hsmobility.world.households import Band, Status
from hsmobility.world.options import Kind
from tests.handbuilt import hand_built_world

N = 400


def overwash_world(rise: float):
    """N low-lying households at home on the capital (an atoll: no high ground, low-lying band
    0.5 m) and N on the outer island (with high ground), the sea ``rise`` m above today."""
    rows = [{"home_island": 0, "island": 0, "band": Band.LOW}] * N
    rows += [{"home_island": 1, "island": 1, "band": Band.LOW}] * N
    world = hand_built_world(rows)
    world.hazards.slr_since_today_m[:] = rise
    return world


def test_habitability_falls_gradually_with_the_sea() -> None:
    world = overwash_world(0.0)
    p = world.params.sea_level
    limit = min(p.overwash_uninhabitable_rise_m, 0.5)  # the capital's low-lying band is 0.5 m
    values = []
    for rise in np.linspace(0.0, limit, 9):
        world.hazards.slr_since_today_m[:] = rise
        values.append(float(habitability(world)[0]))
    assert values[0] == 1.0 and values[-1] == 0.0
    assert np.all(np.diff(values) < 0)  # falls at every step, not in one
    assert sum(0.05 < v < 0.95 for v in values) >= 4
    # (rise / R)^power at half of R
    world.hazards.slr_since_today_m[:] = limit / 2
    assert habitability(world)[0] == pytest.approx(1 - 0.5**p.overwash_loss_power)


def test_islands_with_high_ground_do_not_lose_their_land_to_overwash() -> None:
    world = overwash_world(0.3)
    assert habitability(world)[1] == 1.0 and habitability(world)[0] < 1.0
    flooded = np.zeros(world.households.n, dtype=bool)
    flooded[N:] = True  # only the outer island (with high ground) overwashed
    assert len(inundation(world, flooded)) == 0


def test_no_one_leaves_overwashed_land_at_todays_sea_level() -> None:
    world = overwash_world(0.0)
    moved = inundation(world, np.ones(world.households.n, dtype=bool))
    assert len(moved) == 0
    assert world.counts["moves_forced_inundation"] == 0


def test_overwash_above_the_threshold_displaces_households() -> None:
    rise = 0.3
    world = overwash_world(rise)
    hh = world.households
    flooded = np.zeros(hh.n, dtype=bool)
    flooded[: 3 * N // 4] = True  # three quarters of the atoll capital's households overwashed
    people = int(hh.size.sum())
    moved = inundation(world, flooded)
    chance = 1 - habitability(world)  # R = min(0.4, 0.5 m band) on the capital
    assert chance[0] == pytest.approx((rise / 0.4) ** 2)
    assert set(moved) <= set(np.flatnonzero(flooded))  # only the flooded go
    n = world.counts["moves_forced_inundation"]
    assert n == len(moved) > 0
    assert n == pytest.approx(3 * N // 4 * chance[0], rel=0.2)  # 300 draws at ~0.56
    # the capital has no high ground: its own go to its middle band
    assert np.all(hh.island[moved] == 0) and np.all(hh.band[moved] == Band.MID)
    assert np.all(hh.status[moved] == Status.MOVED_INTERNAL) and hh.forced[moved].all()
    assert int(hh.size.sum()) == people and hh.n == 2 * N
    assert any("overwash on Capital" in text for _, text in world.events)


def test_the_capitals_pull_falls_as_it_fills() -> None:
    rows = [{"home_island": 1, "island": 1}] * N + [{"home_island": 0, "island": 0}] * N
    world = hand_built_world(rows)
    update_crowding(world)
    assert world.context.capital_share_start == pytest.approx(0.5, abs=0.05)
    assert world.context.capital_crowding == pytest.approx(0.0)
    sel = np.arange(N)
    before = wish_internal(situation(world, sel), world.context, world.params.decisions)
    # half the outer island moves to the capital
    hh = world.households
    hh.island[: N // 2] = 0
    hh.home_island[: N // 2] = 0
    update_crowding(world)
    share = capital_share(world)
    assert share > world.context.capital_share_start
    crowding = np.log(share / world.context.capital_share_start)
    assert world.context.capital_crowding == pytest.approx(crowding)
    stay = np.arange(N // 2, N)  # those still on the outer island
    after = wish_internal(situation(world, stay), world.context, world.params.decisions)
    drop = before[Kind.CAPITAL][N // 2 :] - after[Kind.CAPITAL]
    assert np.allclose(drop, world.params.decisions.beta_crowding * crowding)
    assert np.all(drop > 0.5)


def test_the_setting_capital_pull_enters_the_wish() -> None:
    world = hand_built_world([{}] * 10)
    s = situation(world, np.arange(10))
    base = wish_internal(s, world.context, world.params.decisions)[Kind.CAPITAL]
    world.context.capital_pull = -1.5
    assert np.allclose(wish_internal(s, world.context, world.params.decisions)[Kind.CAPITAL],
                       base - 1.5)  # fmt: skip


@pytest.mark.parametrize("setting", ["tuvalu", "kiribati"])
def test_overwash_moves_atoll_households_by_2050_under_ssp5(setting: str) -> None:
    model = MobilityModel(setting, ssp="SSP5-8.5", years=25, seed=1, scale=5,
                          island_table=False).run()  # fmt: skip
    df = model.monthly()
    assert df["moves_forced_inundation"].sum() > 0
    # the land is not lost (the sea is short of every low-lying band): these are overwash moves
    rise = model.hazards.slr_since_today_m[-1]
    assert rise < min(i.lowlying_elevation_m for i in model.setting.islands)
    assert any("overwash on" in text for _, text in model.event_log)
    # gradual, not one step: spread over many years, few at first
    yearly = df["moves_forced_inundation"].to_numpy().reshape(-1, 12).sum(axis=1)
    assert (yearly > 0).sum() >= 8, yearly
    assert yearly[:2].sum() < yearly.max() / 4, yearly


@pytest.mark.parametrize("setting,scale", [("fiji", 20), ("kiribati", 5)])
def test_no_first_year_wave_after_the_burn_in(setting: str, scale: int) -> None:
    yearly = {}
    for burn_in in (0, 12):
        model = MobilityModel(setting, years=6, seed=1, scale=scale, island_table=False,
                              params={"decisions.burn_in_months": burn_in}).run()  # fmt: skip
        moves = model.monthly()["moves_internal"].to_numpy()
        yearly[burn_in] = moves.reshape(-1, 12).sum(axis=1)
    later = yearly[12][1:].mean()
    assert yearly[12][0] <= 2.0 * later, yearly[12]
    assert later <= 2.0 * yearly[12][0]  # nor a first-year lull
    if setting == "kiribati":  # the strongest pull: a wave without the burn-in
        assert yearly[0][0] > 1.5 * yearly[0][1:].mean(), yearly[0]
        # the burn-in took the households who wished to go from the start
        assert yearly[12][0] < yearly[0][0], (yearly[12], yearly[0])


def test_burn_in_keeps_people_dates_and_a_clean_start() -> None:
    plain = MobilityModel("vanuatu", years=1, seed=2, scale=10,
                          params={"decisions.burn_in_months": 0})  # fmt: skip
    model = MobilityModel("vanuatu", years=1, seed=2, scale=10)
    assert model.population_start == plain.population_start
    assert model.households_start == plain.households_start
    assert model.month_index == -1 and model.event_log == []
    assert not np.any(model.households.status == Status.MOVED_INTERNAL)
    capital = model.world.geo.capital
    assert capital_share(model.world) > capital_share(plain.world)  # some moved there
    model.step()
    assert (model.hazards.year[0], model.hazards.month[0]) == (
        model.spec.start_year,
        model.spec.start_month,
    )
    plain.step()
    first, first_plain = model.monthly().iloc[0], plain.monthly().iloc[0]
    assert (first["step"], first["year"], first["month"]) == (
        first_plain["step"],
        first_plain["year"],
        first_plain["month"],
    )
    assert np.all(model.households.island[model.households.home_island == capital] == capital)
