"""Storm rainfall (issue 9 item 2): the R-CLIPER rain-rate profile (Tuleya, DeMaria & Kuligowski
2007) as the source writes it, storm totals that fall with distance and rise with intensity,
a scripted storm's observed total (`rain_mm`) from a scenario file through the CLI, and a bad
`rain_mm` refused in one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from test_bad_input import cli

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_scenario, load_setting
from hsmobility.world.geography import exposure_points
from hsmobility.world.hazards import KNOT_MS, generate_hazards, rain_rate_mm_h, storm_rain_mm

PARAMS = load_parameters()
VMAX = PARAMS.cyclones.vmax_ms  # tropical storm, categories 1-5


def test_the_rain_rate_profile_is_r_cliper_as_published():
    """At Vmax = 35 kt (U = 1): T0 = -1.1 + 3.96 = 2.86 in/day at the centre, Tm = -1.6 + 4.8 =
    3.2 in/day at rm = 64 - 13 = 51 km, Tm e^-1 at rm + re = 51 + 134 km."""
    v = 35.0 * KNOT_MS
    per_day = 25.4 / 24.0  # inch/day -> mm/h
    r = np.array([0.0, 51.0, 51.0 + 134.0])
    got = rain_rate_mm_h(v, r, PARAMS)
    want = np.array([2.86, 3.2, 3.2 * np.exp(-1.0)]) * per_day
    np.testing.assert_allclose(got, want, rtol=1e-9)


def test_storm_rain_falls_with_distance_and_rises_with_intensity():
    d = np.array([0.0, 25.0, 50.0, 100.0, 200.0, 400.0])
    for v in VMAX:
        rain = storm_rain_mm(v, d, PARAMS)
        assert np.all(np.diff(rain) < 0), (v, rain)
    # as R-CLIPER has it, a stronger storm rains harder near its centre (T0 and Tm rise with U)
    # but its rain field is narrower (rm and re shrink): directly under the track the storm
    # total rises with intensity (levelling off at category 5); far from it the weaker, wider
    # storm rains more
    core = np.array([rain_rate_mm_h(v, np.array([0.0, 10.0]), PARAMS) for v in VMAX])
    assert np.all(np.diff(core, axis=0) > 0)
    under = np.array([storm_rain_mm(v, np.array([0.0]), PARAMS)[0] for v in VMAX])
    assert np.all(np.diff(under[:5]) > 0)  # tropical storm to category 4
    assert under[5] == pytest.approx(under[4], rel=0.05)  # the narrowing balances at the top
    far = np.array([storm_rain_mm(v, np.array([300.0]), PARAMS)[0] for v in VMAX])
    assert far[0] > far[5]
    near = np.array([0.0, 25.0, 50.0, 100.0])
    # and a slower storm rains longer: the total is inversely proportional to forward speed
    slow = load_parameters({"cyclones.translation_speed_kmh": 10.0})
    np.testing.assert_allclose(
        storm_rain_mm(VMAX[5], near, slow), 2 * storm_rain_mm(VMAX[5], near, PARAMS)
    )
    # a category 5 over a place: ~180 mm at 20 km/h (R-CLIPER is a climatological profile)
    assert 150 < storm_rain_mm(VMAX[5], np.array([0.0]), PARAMS)[0] < 220


def test_drawn_storms_carry_rain_with_their_wind():
    setting = load_setting("dominica")
    scenario = load_scenario("dominica", years=30, seed=2)
    series = generate_hazards(setting, scenario, PARAMS)
    storms = [c for c in series.cyclones if c.point_rain_mm is not None]
    assert len(storms) == len(series.cyclones) > 5
    windy = series.point_wind_ms.max(axis=1) > 0
    assert (series.point_rain_mm[windy].max(axis=1) > 0).all()
    assert (series.point_rain_mm[~windy] == 0).all()


ERIKA = Path(__file__).parents[1] / "scenarios" / "dominica-erika-2015.toml"


def test_a_scripted_storms_rain_mm_reaches_the_island_and_kills_through_the_cli(tmp_path):
    """Erika (a tropical storm, 321 mm at Canefield, in the Roseau area): the observed total is
    the named island's wettest point's rain (on its best track, which passes north of Dominica,
    the North gets more); deaths are rain deaths, none from wind or surge."""
    scenario = load_scenario(ERIKA)
    setting = load_setting(scenario.setting)
    series = generate_hazards(setting, scenario, PARAMS)
    (storm,) = series.cyclones
    roseau = exposure_points(setting).island == setting.island_index("Roseau area")
    assert storm.category == 0 and storm.point_rain_mm[roseau].max() == pytest.approx(321.0)
    code, _, err = cli("run", ERIKA, "--out", tmp_path / "erika", "--seed", 1)
    assert code == 0, err
    monthly = pd.read_csv(next((tmp_path / "erika").rglob("monthly*.csv")))
    assert monthly["deaths_rain"].sum() > 0
    assert monthly["deaths_wind"].sum() == monthly["deaths_surge"].sum() == 0
    # without the observed total the same storm's climatological rain is far lower
    text = ERIKA.read_text().replace("rain_mm = 321", "# no rain_mm")
    dry = tmp_path / "erika-dry.toml"
    dry.write_text(text)
    (dry_storm,) = generate_hazards(setting, load_scenario(dry), PARAMS).cyclones
    assert dry_storm.point_rain_mm.max() < 100.0


@pytest.mark.parametrize("bad", ["-5", "0", '"lots"', "90000"])
def test_a_bad_rain_mm_is_refused_in_one_line(tmp_path, bad):
    text = ERIKA.read_text().replace("rain_mm = 321", f"rain_mm = {bad}")
    path = tmp_path / "erika-bad.toml"
    path.write_text(text)
    code, out, err = cli("run", path, "--out", tmp_path / "out")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "rain_mm" in err and str(path.name) in err
