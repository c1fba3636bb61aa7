"""Deaths from hazards by cause (issue 9 item 3): wind (destroyed homes), surge and coastal
flood drowning (by depth), rain-driven landslides and floods (by terrain); evacuees spared;
people conserved. Hand-built worlds call ``storm_deaths`` on controlled damage and water."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.config.params import load_parameters
from hsmobility.config.schemas import ScenarioError
from hsmobility.phases.deaths import CAUSES, storm_deaths, surge_height_m, water_depth_m
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.impacts import damage
from hsmobility.run import run_scenario
from hsmobility.world.households import Band
from tests.handbuilt import SETTING, calm_month, hand_built_world

OUTER = 1
#: every cause off unless a test turns it on
OFF = {"deaths.collapse_death_rate": 0.0, "deaths.surge_mortality": 0.0,
       "deaths.rain_death_rate": 0.0, "displacement.warning_reach_base": 0.0}  # fmt: skip


def _toll(world, wind=0.0, before=0.0, dmg=0.0, flood_m=None, rain=None):
    """storm_deaths over every row with one wind, damage and rain for all (or per row)."""
    n = world.households.n
    rows = np.arange(n)
    full = lambda v: np.broadcast_to(np.asarray(v, dtype=float), (n,)).copy()  # noqa: E731
    wet = None if rain is None else full(rain)
    return storm_deaths(world, rows, full(wind), full(before), full(dmg), flood_m, wet)


def _conserved(world, people_before: int, out: dict[str, int]) -> None:
    died = people_before - int(world.households.size.sum())
    assert died == world.counts["deaths_hazard"] == sum(out.values())
    assert all(world.counts[f"deaths_{c}"] == out[c] for c in CAUSES)
    assert world.households.size.min() >= 1  # the last member is spared


def test_destroyed_homes_kill_at_the_collapse_rate_and_merely_damaged_ones_do_not():
    rate = 0.1
    world = hand_built_world([{}] * 800, params={**OFF, "deaths.collapse_death_rate": rate})
    pd = world.params.deaths
    people = int(world.households.size.sum())
    dmg = np.where(np.arange(800) < 400, pd.destroyed_damage + 0.05, pd.destroyed_damage - 0.1)
    size0 = world.households.size.copy()
    out = _toll(world, wind=60.0, dmg=dmg)
    lost = size0 - world.households.size
    assert lost[400:].sum() == 0  # damaged, not destroyed: nobody dies of the wind
    assert out["wind"] == pytest.approx(rate * 5 * 400, rel=0.15)
    assert out["surge"] == out["rain"] == 0
    _conserved(world, people, out)
    assert any("died when the storm destroyed their homes" in t for _, t in world.events)
    # a home destroyed before this month does not collapse on anyone again
    again = _toll(world, wind=60.0, before=dmg, dmg=dmg)
    assert again["wind"] == 0


def test_more_people_at_home_under_the_storm_give_more_deaths():
    deaths = {}
    for n in (200, 800):
        world = hand_built_world([{}] * n, params={**OFF, "deaths.collapse_death_rate": 0.05})
        destroyed = world.params.deaths.destroyed_damage  # HAZUS's destruction state (1.0)
        deaths[n] = _toll(world, wind=60.0, dmg=destroyed)["wind"]
    assert deaths[800] > 2.5 * deaths[200] > 0


def test_deeper_water_drowns_more_in_proportion_to_depth():
    mortality = 0.05
    params = {**OFF, "deaths.surge_mortality": mortality}
    out = {}
    for height in (2.0, 4.0):
        world = hand_built_world([{"band": Band.LOW}] * 1000, params=params)
        people = int(world.households.size.sum())
        flood = np.array([0.0, height])  # on the outer island only
        depth = water_depth_m(world, np.arange(1000), np.zeros(1000), flood)
        # the sea-level rise since today raises the water
        floor = world.geo.lowlying_elevation_m[OUTER] - world.hazards.slr_since_today_m[world.t]
        assert depth == pytest.approx(height - floor, abs=1e-6)
        out[height] = _toll(world, flood_m=flood)
        _conserved(world, people, out[height])
        ref = world.params.deaths.surge_reference_depth_m
        expected = mortality * (height - floor) / ref * 5 * 1000
        assert out[height]["surge"] == pytest.approx(expected, rel=0.15)
    assert out[4.0]["surge"] > 2 * out[2.0]["surge"]
    assert any("died when the sea flooded their low-lying homes" in t for _, t in world.events)


def test_surge_reaches_only_low_lying_homes_not_raised_ones_and_grows_with_wind():
    world = hand_built_world(
        [{"band": Band.LOW}, {"band": Band.LOW, "resilient": True}, {"band": Band.MID}],
        params={**OFF, "deaths.surge_mortality": 0.01},
    )
    pd = world.params.deaths
    assert surge_height_m(world, np.array([20.0]))[0] == 0  # no surge below hurricane force
    h = surge_height_m(world, np.array(pd.surge_table_wind_ms))
    assert np.all(np.diff(h) > 0)
    assert h[-1] == pytest.approx(pd.surge_island_factor * pd.surge_table_height_m[-1])
    depth = water_depth_m(world, np.arange(3), np.full(3, 80.0), None)
    rise = world.hazards.slr_since_today_m[world.t]
    assert depth[0] == pytest.approx(h[-1] + rise - world.geo.lowlying_elevation_m[OUTER])
    assert depth[1] == depth[2] == 0


def test_rain_kills_in_proportion_to_terrain_and_not_on_flat_islands():
    rate = 0.02
    deaths = {}
    for terrain in (0.0, 0.5, 1.0):
        setting = SETTING.model_copy(update={"landslide_terrain": terrain})
        world = hand_built_world(
            [{}] * 1000, setting=setting, params={**OFF, "deaths.rain_death_rate": rate}
        )
        people = int(world.households.size.sum())
        pd = world.params.deaths
        below = _toll(world, wind=60.0, rain=pd.rain_threshold_mm - 1.0)  # no landslides
        assert below["rain"] == 0
        out = _toll(world, wind=0.0, rain=pd.rain_threshold_mm + 100.0)  # wind plays no part
        _conserved(world, people, out)
        deaths[terrain] = out["rain"]
        assert deaths[terrain] == pytest.approx(rate * terrain * 5 * 1000, rel=0.2, abs=1)
    assert deaths[0.0] == 0 and deaths[1.0] > 1.5 * deaths[0.5] > 0


def test_rain_deaths_scale_with_the_rain_above_the_landslide_threshold():
    """rain_death_rate per 100 mm above rain_threshold_mm: 300 mm above kills ~3x what 100 mm
    above does, on the same terrain (hand-built, 2,000 households of 5)."""
    rate = 0.01
    setting = SETTING.model_copy(update={"landslide_terrain": 1.0})
    deaths = {}
    for excess in (100.0, 300.0):
        world = hand_built_world(
            [{}] * 2000, setting=setting, params={**OFF, "deaths.rain_death_rate": rate}
        )
        pd = world.params.deaths
        deaths[excess] = _toll(world, rain=pd.rain_threshold_mm + excess)["rain"]
        assert deaths[excess] == pytest.approx(rate * excess / 100.0 * 5 * 2000, rel=0.2)
    assert 2.2 < deaths[300.0] / deaths[100.0] < 3.8
    # no storm rain at all (None): no rain deaths
    world = hand_built_world(
        [{}] * 200, setting=setting, params={**OFF, "deaths.rain_death_rate": rate}
    )
    assert _toll(world, wind=70.0)["rain"] == 0


def test_evacuees_do_not_die_of_the_storm():
    setting = SETTING.model_copy(update={"landslide_terrain": 1.0})
    rates = {"deaths.collapse_death_rate": 0.3, "deaths.surge_mortality": 0.3,
             "deaths.rain_death_rate": 0.3}  # fmt: skip
    world = hand_built_world(
        [{"band": Band.LOW}] * 400,
        setting=setting,
        params={**rates, "displacement.warning_reach_base": 1.0,
                "displacement.warning_compliance": 0.5},
    )  # fmt: skip
    hh = world.households
    size0, people = hh.size.copy(), int(hh.size.sum())
    month = calm_month(2, wind=world.params.cyclones.vmax_ms[5])
    evacuate(world, month)  # the warning: about half leave before the storm
    left = world.refuge.storm_refuge > 0
    assert 0.3 < left.mean() < 0.7
    damage(world, month)
    assert (hh.size[left] == size0[left]).all()  # nobody who left died
    assert (hh.size[~left] < size0[~left]).any()
    died = people - int(hh.size.sum())
    by_cause = sum(world.counts[f"deaths_{c}"] for c in CAUSES)
    assert died == world.counts["deaths_hazard"] == by_cause > 0


def test_a_decreasing_surge_table_is_one_clear_error():
    with pytest.raises(ScenarioError, match="surge_table_wind_ms must increase"):
        load_parameters({"deaths.surge_table_wind_ms": [33.0, 30.0, 50.0, 59.0, 70.0]})


# ------------------------------------------------------------------ hindcasts and their targets
def _by_cause_adds_up(run) -> None:
    m = run.monthly
    causes = sum(m[f"deaths_{c}"] for c in CAUSES)
    assert (causes <= m["deaths_hazard"]).all()  # exclusion zones are hazard deaths too
    assert int(causes.sum()) == int(m["deaths_hazard"].sum())  # no eruption in the hindcasts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_maria_deaths_fall_in_the_fitted_range_mostly_from_rain(seed):
    from hsmobility.validate import DEATH_TARGETS

    run = run_scenario("dominica-maria-2017", seed=seed)
    _by_cause_adds_up(run)
    _, _, low, high, _, fitted = next(t for t in DEATH_TARGETS if t[0] == "dominica-maria-2017")
    m = run.monthly
    assert fitted and low <= m["deaths_hazard"].sum() <= high
    assert m["deaths_rain"].sum() > m["deaths_wind"].sum()  # landslides and floods, as observed


def test_winston_deaths_fall_in_the_fitted_range(winston):
    from hsmobility.validate import DEATH_TARGETS

    _by_cause_adds_up(winston)
    _, _, low, high, _, _ = next(t for t in DEATH_TARGETS if t[0] == "fiji-winston-2016")
    # one seed: the fitted range widened by two Poisson standard deviations at each end (a
    # change of input income shifts the draws: 34 -> 28 on seed 0 while seeds 4-6 kept theirs);
    # the mean over seeds 1-3 is held to the range itself in the next test
    deaths = winston.monthly["deaths_hazard"].sum()
    assert low - 2 * np.sqrt(low) <= deaths <= high + 2 * np.sqrt(high)
    assert any("died when the storm destroyed their homes" in t for t in winston.events)


def test_winston_deaths_over_seeds_fall_in_the_fitted_range_on_average():
    """Winston (on its IBTrACS track) is in range on average over seeds 1-3 (51, 50, 39 against
    32-59 with the refitted collapse_death_rate, docs/validation.md "Storms on their tracks";
    33, 38, 50 once rain deaths need the 143 mm landslide threshold: Winston's rain is
    near it, "Rain deaths and overwash"), most deaths in destroyed homes."""
    from hsmobility.validate import DEATH_TARGETS

    _, _, low, high, _, _ = next(t for t in DEATH_TARGETS if t[0] == "fiji-winston-2016")
    totals = []
    for seed in (1, 2, 3):
        m = run_scenario("fiji-winston-2016", seed=seed, island_table=False).monthly
        totals.append(int(m["deaths_hazard"].sum()))
        assert m["deaths_wind"].sum() > m["deaths_rain"].sum()
        # 9,134-11,145 counted, met by the homes' extra V½ with HAZUS's damage states on the
        # Holland field (docs/validation.md, eighth session)
        assert 9_134 <= m["homes_destroyed"].sum() <= 11_145
    assert low <= np.mean(totals) <= high
    assert min(totals) >= low - 5  # no seed far out


def test_winston_rain_near_the_landslide_threshold_kills_almost_nobody(winston):
    """Winston's climatological rain over Fiji (R-CLIPER, as observed ~100-150 mm in 24 h) is
    near the 143 mm landslide threshold and on low terrain (0.1): a handful of rain deaths at
    most, against the dozens Maria's observed 453 mm kills on Dominica."""
    assert winston.monthly["deaths_rain"].sum() <= 3


def test_maria_carries_its_observed_rain_from_the_scenario_file():
    """Maria's `rain_mm` (453 mm at Canefield, in the Roseau area) is the Roseau area's rain;
    the rest of Dominica gets R-CLIPER's field scaled alike, all far above the threshold."""
    from hsmobility.config.scenario import load_scenario, load_setting
    from hsmobility.world.geography import exposure_points
    from hsmobility.world.hazards import generate_hazards

    params = load_parameters()
    scenario = load_scenario("dominica-maria-2017")
    setting = load_setting(scenario.setting)
    (storm,) = generate_hazards(setting, scenario, params).cyclones
    roseau = exposure_points(setting).island == setting.island_index("Roseau area")
    assert storm.point_rain_mm[roseau].max() == pytest.approx(453.0)
    dominica = exposure_points(setting).island < 4  # the four areas, not the diaspora places
    assert storm.point_rain_mm[dominica].min() > 2 * params.deaths.rain_threshold_mm


def test_erika_out_of_sample_deaths_follow_its_observed_rain():
    """Erika (321 mm at Canefield, no warning, a tropical storm) is out-of-sample: the rate fitted
    on Maria's 453 mm puts its deaths in 20-43 on average over seeds 1-3 (30 observed), every one
    of them a rain death; 191 when the rate was fitted on R-CLIPER's 175 mm for Maria."""
    from hsmobility.validate import DEATH_TARGETS

    _, _, low, high, _, fitted = next(t for t in DEATH_TARGETS if t[0] == "dominica-erika-2015")
    assert not fitted
    totals = []
    for seed in (1, 2, 3):
        m = run_scenario("dominica-erika-2015", seed=seed, island_table=False).monthly
        totals.append(int(m["deaths_hazard"].sum()))
        assert m["deaths_rain"].sum() == m["deaths_hazard"].sum() > 0
    assert low <= np.mean(totals) <= high


def test_out_of_sample_events_are_kept_out_of_the_fit(pam, irma):
    from hsmobility.validate import DEATH_TARGETS, TARGETS

    fitted = {t[0]: t[5] for t in DEATH_TARGETS}
    assert not fitted["vanuatu-pam-2015"] and not fitted["barbuda-irma-2017"]
    assert not fitted["dominica-erika-2015"] and not fitted["grenada-ivan-2004"]
    assert fitted["fiji-winston-2016"] and fitted["dominica-maria-2017"]
    assert sum("deaths" in t.name and not t.fitted for t in TARGETS) >= 2
    for run in (pam, irma):
        _by_cause_adds_up(run)
    # Pam killed 11 and the model's Pam kills; Irma killed 1 on Barbuda, and since its field is
    # fitted through HURDAT2's radii (ninth session) the model's Irma kills 0 to a few
    assert pam.monthly["deaths_hazard"].sum() > 0
    low, high = next((t.low, t.high) for t in TARGETS if t.name.startswith("Irma: deaths"))
    assert low <= irma.monthly["deaths_hazard"].sum() <= high
