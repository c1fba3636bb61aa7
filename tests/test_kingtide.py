"""Unlivable by hazard (issue 9 item 5, kingtide): a storm makes a home unlivable by the wind's own
damage state (HAZUS's moderate state, ``uninhabitable_damage``), a flood or king tide by the water
over the floor (``flood_unlivable_depth_m``, FEMA's 18-inch "major" water line). A king tide wets a
low-lying home to ``king_tide_depth_m`` (plus the rise since today). Below the unlivable depth the
household cleans the home within the month: no lasting damage and no repair bill, so tides alone,
however often they come, neither displace nor drain savings (the kingtide branch's lasting JRC
loss, 0.033 at 5 cm, cost ~US$400 a tide and kept poor atoll households from affording a move
abroad). At or above the depth the home has lost the JRC depth-damage share at that depth."""

from __future__ import annotations

import numpy as np
from handbuilt import calm_month, hand_built_world

from hsmobility.config.params import load_parameters
from hsmobility.phases.impacts import damage, depth_loss, displace, king_tide_depth
from hsmobility.phases.recovery import repair
from hsmobility.run import run_scenario
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import Band, Status

N = 400


def _low_world(n: int = N, params: dict | None = None, **columns):
    """``n`` households at home in the outer island's low-lying band (floor 1.0 m above today's
    high spring tide), without savings to repair faster than the slowest rate."""
    row = {"band": Band.LOW, "savings": 0.0, **columns}
    return hand_built_world([row] * n, params=params)


def _month(world, *, flood_m: float = 0.0, king_tide: bool = False, wind: float = 0.0):
    month = calm_month(wind=wind, king_tide=king_tide)
    if flood_m:
        month = MonthHazards(
            wind_ms=month.wind_ms, king_tide=month.king_tide, drought=False,
            flood_m=np.array([0.0, flood_m]),
        )  # fmt: skip
    return month


def _step(world, month) -> np.ndarray:
    """One month's damage, displacement and repair, as the model orders them."""
    hit = damage(world, month)
    rows = displace(world, month, hit.new_damage, hit.storm_unlivable)
    repair(world)
    return rows


def test_king_tides_every_month_never_make_a_home_unlivable_below_the_depth() -> None:
    """Five years of a king tide every month, at today's depth and at 0.40 m (just under FEMA's
    0.46 m): nobody is displaced, the homes carry no lasting damage and nobody pays for repairs,
    yet every home is flooded each month (what perception and the month's income loss see). (0.02
    compounded each tide, an older rule, passed 0.15 and displaced them by the ninth tide without
    repairs; the JRC loss kept as damage cost US$400 a tide.)"""
    for depth in (None, 0.40):
        params = {} if depth is None else {"sea_level.king_tide_depth_m": depth}
        world = _low_world(params=params, savings=2_000.0)
        hh = world.households
        tide = king_tide_depth(world)
        assert tide == (0.05 if depth is None else depth)  # today: no rise yet
        assert tide < world.params.displacement.flood_unlivable_depth_m
        assert float(depth_loss(world, tide)) > 0.0  # the curve would have charged a loss
        for _ in range(60):
            month = _month(world, king_tide=True)
            hit = damage(world, month)
            assert hit.flooded.all()
            assert len(displace(world, month, hit.new_damage, hit.storm_unlivable)) == 0
            repair(world)
            assert hh.damage.max() == 0.0
        assert np.all(hh.status == Status.HOME)
        assert np.all(hh.savings == 2_000.0)


def test_a_tide_at_or_over_the_depth_leaves_the_loss_at_its_depth_and_displaces() -> None:
    """A king tide exactly at ``flood_unlivable_depth_m`` (0.46 m) or 0.50 m over the floors
    leaves each home with the JRC loss at its depth and displaces every household; 1 cm less
    leaves no damage and displaces nobody."""
    limit = load_parameters({}).displacement.flood_unlivable_depth_m
    for depth, unlivable in ((limit, True), (0.5, True), (limit - 0.01, False)):
        world = _low_world(params={"sea_level.king_tide_depth_m": depth})
        month = _month(world, king_tide=True)
        hit = damage(world, month)
        rows = displace(world, month, hit.new_damage, hit.storm_unlivable)
        loss = float(depth_loss(world, depth)) if unlivable else 0.0
        assert np.allclose(world.households.damage, loss), depth
        assert np.allclose(hit.new_damage, loss), depth
        assert len(rows) == (N if unlivable else 0), depth


def test_a_flood_above_the_depth_displaces_and_one_below_does_not() -> None:
    """A scripted flood 0.40 m over the floors loses ~0.26 of each home's value (above the storm
    threshold 0.15) but leaves it livable; one 0.50 m over them (>= 0.46 m) displaces every
    household; a king tide deeper than the threshold displaces too."""
    pd = load_parameters({}).displacement
    assert 0.40 < pd.flood_unlivable_depth_m <= 0.50
    shallow = _low_world()
    rows = _step(shallow, _month(shallow, flood_m=1.0 + 0.40))
    assert len(rows) == 0
    assert np.all(shallow.households.damage > pd.uninhabitable_damage)
    deep = _low_world()
    rows = _step(deep, _month(deep, flood_m=1.0 + 0.50))
    assert set(rows.tolist()) == set(range(N))
    assert np.all(deep.households.status == Status.DISPLACED)
    high = _low_world(n=50, band=Band.MID)  # the same flood leaves higher ground dry
    assert len(_step(high, _month(high, flood_m=1.5))) == 0
    tide = _low_world(params={"sea_level.king_tide_depth_m": 0.5})
    assert len(_step(tide, _month(tide, king_tide=True))) == N


def test_a_storm_displaces_by_its_own_damage_state_not_by_earlier_wetting() -> None:
    """Homes already at 0.2 from floods (above ``uninhabitable_damage``) struck at 50 m/s: those
    the storm draws into the moderate state or worse are displaced, those it leaves untouched or
    in the minor state are not, though their damage is above 0.15."""
    pc = load_parameters({})
    loss = pc.cyclones.damage_state_loss
    world = hand_built_world([{"band": Band.MID, "damage": 0.2}] * 2000)
    hh = world.households
    month = calm_month(wind=50.0)
    hit = damage(world, month)
    assert hit.storm_unlivable is not None
    moderate = hh.damage >= 1.0 - 0.8 * (1.0 - loss[1]) - 1e-6
    assert np.array_equal(hit.storm_unlivable, moderate)
    rows = displace(world, month, hit.new_damage, hit.storm_unlivable)
    assert set(rows.tolist()) == set(np.flatnonzero(moderate).tolist())
    spared = ~moderate & (hh.damage >= pc.displacement.uninhabitable_damage)
    assert spared.sum() > 100 and moderate.sum() > 100
    assert np.all(hh.status[spared] == Status.HOME)


def test_tuvalu_default_run_displaces_nobody_on_tides_alone() -> None:
    """Tuvalu's default run (seed 1, 2025-2054): king tides flood some island in most months and
    ever more often, and displace nobody on their own: every new displacement is in a storm
    month. The run's displaced person-months (the ninth session's figure: 9,191 with the storm
    threshold applied to tides, 1,654 with 0.5) are the storms' alone."""
    r = run_scenario("scenarios/tuvalu-2025.toml", island_table=False)
    m = r.monthly
    storm = m["max_wind_ms"] > load_parameters({}).cyclones.damage_threshold_ms
    assert (m["king_tide_islands"] > 0).sum() > 200
    assert m.loc[~storm, "displaced_new_people"].sum() == 0
    person_months = int(m["displaced_people"].sum())
    print(f"Tuvalu default run, seed 1: displaced person-months {person_months:,}")
    assert 0 < person_months < 3000
