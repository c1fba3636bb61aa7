"""Building classes (issue 9, sixth session): homes of different construction, each class with
its own damage curve, in the census's shares of the setting; the classes' curves sit about the
regional curve so that, at the setting's mix, the mean value lost at the regional V½ is one
half (Eberenz et al. 2021 calibrate the mix). Weaker classes lose more at every wind; damage
rises with the wind in every class; a setting without a census mix keeps the regional curve;
a retrofit still adds ``resilient_extra_ms``; damage keeps households and people."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError, Setting
from hsmobility.phases.impacts import (
    class_anchor,
    class_half_damage_ms,
    damage,
    home_half_damage_ms,
    wind_damage,
)
from hsmobility.world.households import Band, BuildingClass, building_classes

V_THRESH = 25.7
N = 3000  # households per class in the simulated checks

#: the census mixes in the setting files (engineered, light, traditional), before normalising
CENSUS = {
    # Fiji 1986 census via Nations Encyclopedia: 30% concrete, 30% tin + >25% wood, ~10% bure
    "fiji": (0.30, 0.55, 0.10),
    # Tonga 1986 census via Nations Encyclopedia: 17% brick/cement, 60% + 8% wood, 7% + 4% thatch
    "tonga": (0.17, 0.68, 0.11),
    # St. Vincent and the Grenadines 2001 census (CCDP report, Table 6.5): 71.54% concrete, 19.29%
    # wood
    "st-vincent-grenadines": (0.7154, 0.1929, 0.0),
}


def _classed(shares: dict[str, float] | None, wind_half: float = 64.1) -> Setting:
    """The hand-built setting with a census mix of building classes and a regional V½."""
    data = SETTING.model_dump()
    data.update(building_classes=shares, wind_half_damage_ms=wind_half)
    return Setting.model_validate(data)


def _world(cls: int, n: int = N, setting: Setting | None = None, **columns):
    """``n`` households of building class ``cls`` at home on the outer island's middle band."""
    rows = [{"band": Band.MID, "building_class": cls, **columns}] * n
    return hand_built_world(rows, setting=setting)


@pytest.mark.parametrize("name", sorted(CENSUS))
def test_the_settings_class_shares_are_the_censuss(name: str) -> None:
    setting = load_setting(name)
    raw = np.array(CENSUS[name])
    assert setting.building_classes is not None
    got = setting.building_classes
    assert (got.engineered, got.light, got.traditional) == pytest.approx(tuple(raw))
    assert got.shares() == pytest.approx(tuple(raw / raw.sum()))


@pytest.mark.parametrize("name", sorted(CENSUS))
def test_the_starting_homes_are_in_the_censuss_shares_on_every_island(name: str) -> None:
    """The low-discrepancy assignment puts each island's homes in the census shares to within
    a home or two (no random draw)."""
    setting = load_setting(name)
    shares = np.array(setting.building_classes.shares())
    for n in (37, 500, 12_345):
        cls = building_classes(np.arange(n), setting)
        counts = np.bincount(cls, minlength=3)
        assert np.abs(counts - shares * n).max() <= 2.0
        # a contiguous block of rows (one island's) too
        block = building_classes(np.arange(n, 3 * n), setting)
        assert np.abs(np.bincount(block, minlength=3) - shares * 2 * n).max() <= 2.0


def test_settings_without_a_census_keep_the_regional_curve() -> None:
    """No census mix: every home is LIGHT and its V½ is the regional one (Eberenz et al. 2021:
    64.1 m/s in Oceania), so nothing changes where no mix is sourced."""
    assert load_setting("dominica").building_classes is None
    world = _world(-1, n=5, setting=_classed(None))
    extra = world.params.cyclones.home_half_damage_extra_ms
    assert home_half_damage_ms(world, np.arange(5)) == pytest.approx(np.full(5, 64.1 + extra))
    assert class_half_damage_ms(world) == pytest.approx(np.full(3, 64.1))
    assert (world.households.building_class == BuildingClass.LIGHT).all()


def test_the_class_curves_meet_the_regional_curve_at_the_censuss_mix() -> None:
    """Fiji's mix (0.30 / 0.55 / 0.10, normalised) with the factors 1.0 / 1.0 / 0.75 (HAZUS:
    masonry walls = timber walls): the anchor a = 1.029 puts V½ at 65.2, 65.2 and 55.4 m/s, and
    the homes' mean value lost at the regional V½ (64.1 m/s) is one half, as on the regional
    curve. (With the former priors 1.4 / 1.0 / 0.75: a = 0.927.)"""
    setting = load_setting("fiji")
    world = hand_built_world([{}], setting=setting)
    half = class_half_damage_ms(world)
    assert half == pytest.approx([65.23, 65.23, 55.35], abs=0.02)
    shares = np.array(setting.building_classes.shares())
    mean = (shares * wind_damage(np.full(3, 64.1), half, V_THRESH)).sum()
    assert mean == pytest.approx(0.5, abs=1e-6)
    assert class_anchor(shares, [1.0, 1.0, 0.75]) == pytest.approx(1.029, abs=1e-3)
    assert class_anchor(shares, [1.4, 1.0, 0.75]) == pytest.approx(0.927, abs=1e-3)
    # one class alone: the anchor is the inverse of its factor, its V½ the regional one
    assert class_anchor([0.0, 1.0, 0.0], [1.4, 1.0, 0.75]) == pytest.approx(1.0)
    assert class_anchor([1.0, 0.0, 0.0], [1.4, 1.0, 0.75]) == pytest.approx(1 / 1.4)


def test_weaker_classes_lose_more_at_every_wind_and_damage_rises_with_it() -> None:
    """On the curves: engineered ≤ light < traditional at every wind above the threshold (HAZUS:
    masonry and timber walls alike), and each class's mean loss rises with the wind."""
    world = hand_built_world([{}], setting=load_setting("fiji"))
    half = class_half_damage_ms(world)
    winds = np.arange(26.0, 100.0, 1.0)
    curves = np.array([wind_damage(winds, h, V_THRESH) for h in half])
    assert (np.diff(curves, axis=1) > 0).all()
    assert (curves[0] <= curves[1]).all() and (curves[1] < curves[2]).all()


@pytest.mark.parametrize("wind", [35.0, 50.0, 65.0, 80.0])
def test_simulated_homes_of_weaker_classes_lose_more(wind: float) -> None:
    """In a storm the simulated homes' damage follows their class: each class's mean is its
    curve's, and weaker classes have more homes damaged and destroyed (engineered and light
    alike: the same curve, within sampling)."""
    setting = _classed({"engineered": 0.3, "light": 0.6, "traditional": 0.1})
    means, destroyed = [], []
    for cls in BuildingClass:
        world = _world(int(cls), setting=setting)
        damage(world, calm_month(wind=wind))
        d = world.households.damage
        half = home_half_damage_ms(world, np.array([0]))[0]  # the class's V½ + the homes' extra
        mu = float(wind_damage(np.array([wind]), half, V_THRESH)[0])
        assert d.mean() == pytest.approx(mu, abs=0.03)
        means.append(d.mean())
        destroyed.append((d >= world.params.deaths.destroyed_damage).mean())
    assert means[0] == pytest.approx(means[1], abs=0.03) and means[1] < means[2]
    assert destroyed[0] == pytest.approx(destroyed[1], abs=0.03)
    assert destroyed[1] <= destroyed[2]


def test_damage_rises_with_the_wind_within_a_class() -> None:
    setting = _classed({"engineered": 0.3, "light": 0.6, "traditional": 0.1})
    for cls in BuildingClass:
        means = []
        for wind in (20.0, 35.0, 50.0, 65.0, 80.0):
            world = _world(int(cls), setting=setting)
            damage(world, calm_month(wind=wind))
            means.append(world.households.damage.mean())
        assert means[0] == 0.0
        assert np.all(np.diff(means) > 0)


def test_a_retrofit_keeps_its_extra_wind_in_every_class() -> None:
    """A resilient home keeps ``resilient_extra_ms`` on top of its class's V½."""
    setting = _classed({"engineered": 0.3, "light": 0.6, "traditional": 0.1})
    rows = [{"building_class": int(c), "resilient": r} for c in BuildingClass for r in (0, 1)]
    world = hand_built_world(rows, setting=setting)
    half = home_half_damage_ms(world, np.arange(len(rows)))
    extra = load_parameters({}).decisions.resilient_extra_ms
    assert half[1::2] - half[0::2] == pytest.approx(np.full(3, extra))
    home_extra = world.params.cyclones.home_half_damage_extra_ms
    assert half[0::2] == pytest.approx(class_half_damage_ms(world) + home_extra)


def test_households_formed_later_get_a_class_at_their_first_storm() -> None:
    """A row without a class (-1: formed or arrived during the run) gets one from the shares."""
    setting = _classed({"engineered": 0.5, "light": 0.5, "traditional": 0.0})
    world = _world(-1, n=400, setting=setting)
    damage(world, calm_month(wind=50.0))
    cls = world.households.building_class
    assert (cls >= 0).all()
    assert np.bincount(cls, minlength=3)[:2] == pytest.approx([200, 200], abs=2)


def test_damage_keeps_households_and_people() -> None:
    setting = _classed({"engineered": 0.3, "light": 0.6, "traditional": 0.1})
    world = _world(-1, n=600, setting=setting)
    hh = world.households
    n, people = hh.n, int(hh.size.sum())
    damage(world, calm_month(wind=70.0))
    assert hh.n == n and int(hh.size.sum()) == people
    assert ((hh.damage >= 0) & (hh.damage <= 1)).all()


@pytest.mark.parametrize(
    "shares",
    [
        {"engineered": 0.5, "light": 0.2, "traditional": 0.1},  # 0.8 minus a bit
        {"engineered": 0.6, "light": 0.5, "traditional": 0.0},  # over 1
        {"engineered": -0.1, "light": 1.0, "traditional": 0.1},
    ],
)
def test_bad_shares_are_one_clear_error(shares) -> None:
    shares = dict(shares)
    if shares["engineered"] == 0.5:
        shares["light"] = 0.19
    with pytest.raises((ScenarioError, ValueError)):
        _classed(shares)


def test_class_factors_must_not_rise_from_engineered_to_traditional() -> None:
    with pytest.raises((ScenarioError, ValueError), match="non-increasing"):
        load_parameters({"cyclones.class_half_damage_scale": [1.0, 1.2, 0.8]})
