"""Scripted storms on their tracks (issue 9, tracks): a cyclone event may carry a list of fixes
(time, centre, 1-minute wind in knots); every place feels the strongest wind along the track,
reduced over land by the Kaplan & DeMaria (1995) decay over the hours since landfall; a bad fix
is one line naming the file, the event and the field; the point and line forms are unchanged."""

from __future__ import annotations

import json

import numpy as np
import pytest
from test_bad_input import cli

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_scenario, load_setting
from hsmobility.config.schemas import Scenario, ScenarioError, scenarios_dir
from hsmobility.world.geography import exposure_points
from hsmobility.world.hazards import (
    KNOT_MS,
    TrackSamples,
    generate_hazards,
    holland_wind,
    inland_wind,
    land_decay,
    make_cyclone,
    radius_max_wind_km,
    track_cyclone,
    track_samples,
    track_winds,
)

PARAMS = load_parameters()
FIJI = load_setting("fiji")

#: a storm crossing Viti Levu from north to south through its middle (178.0 E), then on south
ACROSS_VITI_LEVU = [
    ("2016-02-20T00", -16.0, 178.0, 140.0),
    ("2016-02-20T06", -17.8, 178.0, 140.0),
    ("2016-02-20T12", -19.6, 178.0, 140.0),
]

TRACK_FILE = """\
setting = "fiji"
start_year = 2016
start_month = 1
years = 1
stochastic_cyclones = false

[[events]]
name = "Crossing"
date = "2016-02"
category = 5
island = "Viti Levu (rest)"
track = [
    {{ time = "2016-02-20T00", lat = -16.0, lon = 178.0, wind_kt = 140 }},
    {{ time = "2016-02-20T06", lat = -17.8, lon = 178.0, wind_kt = {wind} }},
    {{ time = "2016-02-20T12", lat = -19.6, lon = 178.0, wind_kt = 140 }},
]
"""


def _samples(over_land: bool, hours_ashore: float, vmax: float = 70.0) -> TrackSamples:
    """One sample at the projection's origin, over land or water, ``hours_ashore`` after
    landfall."""
    one = np.array
    return TrackSamples(
        xy_km=np.zeros((1, 2)),
        lat=one([-17.5]),
        vmax_ms=one([vmax]),
        hours=one([0.0]),
        dt_h=one([0.0]),
        speed_kmh=one([20.0]),
        over_land=one([over_land]),
        hours_over_land=one([hours_ashore]),
    )


def _points_at(distances_km: list[float], inland_km: float = 0.0):
    """Fiji's exposure points moved onto a line east of the projection's origin."""
    pts = exposure_points(FIJI)
    n = len(distances_km)
    pts.island, pts.names = pts.island[:n], pts.names[:n]
    pts.xy_km = np.column_stack([distances_km, np.zeros(n)])
    pts.lat = np.full(n, -17.5)
    pts.inland_km = np.full(n, inland_km)
    pts.cum_share = pts.cum_share[:n]
    return pts


# ------------------------------------------------------------------ the wind along a track
def test_wind_at_a_point_falls_with_distance_from_the_track():
    rmax = float(radius_max_wind_km(70.0, -17.5, PARAMS))
    pts = _points_at([rmax, 40.0, 80.0, 160.0, 320.0])
    _, felt = track_winds(FIJI, PARAMS, pts, _samples(False, 0.0))
    exposure = np.array([i.wind_exposure for i in FIJI.islands])[pts.island]
    felt = felt / exposure
    assert np.all(np.diff(felt) < 0)
    # at the radius of maximum wind the storm's wind, less the Coriolis term (r f / 2 ~ 0.5 m/s)
    assert felt[0] == pytest.approx(70.0, abs=0.6)
    # a stationary sample: the symmetric Holland profile
    assert felt[2] == pytest.approx(float(holland_wind(70.0, 80.0, -17.5, 20.0, PARAMS)))


@pytest.mark.parametrize("hours", [0.0, 3.0, 6.0, 12.0])
def test_over_land_the_wind_decays_with_the_hours_since_landfall_as_kaplan_and_demaria(hours):
    """V(t) = Vb + (R V0 - Vb) exp(-alpha t): R = 0.9, Vb = 13.7 m/s, alpha = 0.095 per hour
    (Kaplan & DeMaria 1995), for a place in the eyewall."""
    pc = PARAMS.cyclones
    pts = _points_at([float(radius_max_wind_km(70.0, -17.5, PARAMS))])
    exposure = FIJI.islands[int(pts.island[0])].wind_exposure
    _, water = track_winds(FIJI, PARAMS, pts, _samples(False, 0.0))
    _, land = track_winds(FIJI, PARAMS, pts, _samples(True, hours))
    v0 = water[0] / exposure
    expected = pc.inland_floor_ms + (pc.landfall_wind_factor * v0 - pc.inland_floor_ms) * np.exp(
        -pc.inland_decay_per_hour * hours
    )
    assert v0 == pytest.approx(70.0, abs=0.6)
    assert land[0] / exposure == pytest.approx(expected)


def test_a_longer_time_over_land_leaves_less_wind():
    pts = _points_at([float(radius_max_wind_km(70.0, -17.5, PARAMS)), 60.0])
    felt = [track_winds(FIJI, PARAMS, pts, _samples(True, h))[1] for h in (0.0, 2.0, 5.0, 10.0)]
    assert all(np.all(b < a) for a, b in zip(felt, felt[1:], strict=False))


def test_the_land_decay_is_the_inland_decay_of_the_point_and_line_forms():
    """The inland decay of places (point and line storms) is the same formula over the hours
    the storm takes to reach them, unchanged."""
    pc = PARAMS.cyclones
    wind, inland = np.array([60.0, 60.0, 30.0]), np.array([0.0, 20.0, 40.0])
    hours = inland / pc.translation_speed_kmh
    np.testing.assert_allclose(
        inland_wind(wind, inland, PARAMS),
        np.where(inland > 0, land_decay(wind, hours, PARAMS), wind),
    )
    assert inland_wind(wind, inland, PARAMS)[0] == 60.0  # the shore keeps the over-water wind


def test_a_track_crossing_viti_levu_comes_ashore_and_decays_over_land():
    pts = exposure_points(FIJI)
    track = track_samples(FIJI, pts, ACROSS_VITI_LEVU)
    assert track.over_land.any() and not track.over_land.all()
    assert track.hours_over_land.max() > 1.0  # ~90 km of land at ~33 km/h
    assert np.all(np.diff(track.hours) >= 0) and track.hours[-1] == pytest.approx(12.0)
    speed = 2 * 1.8 * 111.2 / 12.0  # 400 km in 12 hours
    assert np.median(track.speed_kmh) == pytest.approx(speed, rel=0.02)
    assert track.vmax_ms.max() == pytest.approx(140 * KNOT_MS)


def test_a_track_crossing_an_island_hits_both_its_sides_harder_than_a_distant_line():
    pts = exposure_points(FIJI)
    crossing = track_cyclone(FIJI, PARAMS, 1, 5, "Viti Levu (rest)", ACROSS_VITI_LEVU)
    distant = make_cyclone(FIJI, PARAMS, 1, 5, "Viti Levu (rest)", 300.0, heading_deg=180.0)
    west = pts.names.index("Viti Levu (rest): Ba: Nadi-Lautoka")
    east = pts.names.index("Viti Levu (rest): Tailevu-Rewa rural")
    for side in (west, east):
        assert crossing.point_wind_ms[side] > distant.point_wind_ms[side] + 5.0
        assert crossing.point_rain_mm[side] > 0
    # far from the crossing (Rotuma, ~390 km north of its first fix) the wind is light
    far = pts.names.index("Rotuma")
    assert crossing.point_wind_ms[far] < crossing.point_wind_ms[west] / 2


def test_rain_falls_with_distance_and_rises_with_a_slower_storm():
    pts = exposure_points(FIJI)
    fast = track_cyclone(FIJI, PARAMS, 1, 5, "Viti Levu (rest)", ACROSS_VITI_LEVU)
    slow_fixes = [("2016-02-20T00", -16.0, 178.0, 140.0), ("2016-02-21T00", -17.8, 178.0, 140.0),
                  ("2016-02-22T00", -19.6, 178.0, 140.0)]  # fmt: skip
    slow = track_cyclone(FIJI, PARAMS, 1, 5, "Viti Levu (rest)", slow_fixes)
    near = pts.names.index("Viti Levu (rest): Naitasiri interior")
    far = pts.names.index("Rotuma")
    assert fast.point_rain_mm[near] > fast.point_rain_mm[far]
    assert slow.point_rain_mm[near] == pytest.approx(4 * fast.point_rain_mm[near], rel=0.01)


# ------------------------------------------------------------------ scenario files and the CLI
def test_a_track_in_a_scenario_file_runs_through_the_cli(tmp_path):
    path = tmp_path / "crossing.toml"
    path.write_text(TRACK_FILE.format(wind=150))
    code, out, err = cli("run", path, "--scale", "20", "--json", "--out", tmp_path / "out")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["displaced_peak"] > 0
    scenario = load_scenario(path)
    hz = generate_hazards(FIJI, scenario, PARAMS)
    (storm,) = hz.cyclones
    assert storm.name == "Crossing" and storm.step == 1 and storm.origin == "scripted"
    assert storm.wind_ms.max() > 60.0


def test_a_bad_fix_is_one_line_naming_the_file_the_event_and_the_field(tmp_path):
    path = tmp_path / "bad-fix.toml"
    path.write_text(TRACK_FILE.format(wind=-5))
    code, out, err = cli("run", path, "--out", tmp_path / "out")
    assert code == 2 and out == "" and err.count("\n") == 1
    for part in (str(path), "events.0.track.1.wind_kt (Crossing)", "-5"):
        assert part in err, err


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"time": "2016-02-20 06:00"}, "track.1.time"),
        ({"time": "2016-02-30T06"}, "track.1"),
        ({"lat": 95.0}, "track.1.lat"),
        ({"wind": 1}, "track.1"),
    ],
)
def test_bad_fixes_are_refused_when_loaded(tmp_path, change, named):
    fix = {"time": "2016-02-20T06", "lat": -17.8, "lon": 178.0, "wind_kt": 140.0}
    fix.update({k: v for k, v in change.items() if k != "wind"})
    if "wind" in change:
        fix.pop("wind_kt")
    data = {
        "setting": "fiji", "start_year": 2016, "years": 1,
        "events": [{"name": "Crossing", "date": "2016-02", "category": 5,
                    "island": "Viti Levu (rest)",
                    "track": [{"time": "2016-02-20T00", "lat": -16.0, "lon": 178.0,
                               "wind_kt": 140.0}, fix]}],
    }  # fmt: skip
    from hsmobility.config.schemas import validate

    with pytest.raises(ScenarioError, match=named.replace(".", r"\.")) as err:
        validate(Scenario, data, "x.toml")
    assert "\n" not in str(err.value) and "(Crossing)" in str(err.value)


def test_a_track_with_a_heading_or_fixes_out_of_order_is_refused():
    base = {"kind": "cyclone", "name": "T", "date": "2016-02", "category": 5, "island": "Ra"}
    fixes = [{"time": "2016-02-20T06", "lat": -17.0, "lon": 178.0, "wind_kt": 100.0},
             {"time": "2016-02-20T00", "lat": -18.0, "lon": 178.0, "wind_kt": 100.0}]  # fmt: skip
    from hsmobility.config.schemas import parse_event

    with pytest.raises(ScenarioError, match="must increase"):
        parse_event({**base, "track": fixes}, "x.toml")
    with pytest.raises(ScenarioError, match="one or the other"):
        parse_event({**base, "track": fixes[::-1], "heading_deg": 90.0}, "x.toml")
    with pytest.raises(ScenarioError, match="event's month"):
        parse_event({**base, "date": "2016-03", "track": fixes[::-1]}, "x.toml")


def test_the_hindcasts_carry_their_ibtracs_tracks():
    for name, sid in (
        ("fiji-winston-2016", "2016041S14170"),
        ("vanuatu-pam-2015", "2015066S08170"),
    ):
        scenario = load_scenario(name)
        (event,) = scenario.events
        assert event.track is not None and len(event.track) >= 5
        text = (scenarios_dir() / f"{name}.toml").read_text()
        assert sid in text
