"""The wind field checked against CLIMADA and the best track (issue 9, eighth session): the
side a moving storm is stronger on in each hemisphere, from fixes in degrees through the
projection; the same magnitude as CLIMADA's vector sum; the best track's radius of maximum wind
(IBTrACS USA_RMW) where the scenario gives it; no decay added to a best track's intensity."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_scenario, load_setting
from hsmobility.config.schemas import Scenario
from hsmobility.world.geography import exposure_points, project_km
from hsmobility.world.hazards import (
    NMI_KM,
    TrackSamples,
    holland_wind,
    radius_max_wind_km,
    station_wind,
    track_rmw_nmi,
    track_samples,
    track_wind_field,
    track_winds,
    wind_radii_nmi,
)

PARAMS = load_parameters()
TONGA = load_setting("tonga")
ANTIGUA = load_setting("antigua-barbuda")
#: a storm far from land in each hemisphere: (setting, latitude, longitude of the track's middle)
HEMISPHERES = {"south": (TONGA, -23.5, -176.0), "north": (ANTIGUA, 15.0, -58.0)}
#: headings as (d lat, d lon) per 6 hours, degrees
HEADINGS = {"west": (0.0, -1.0), "east": (0.0, 1.0), "north": (1.0, 0.0), "south": (-1.0, 0.0)}


def _fixes(lat: float, lon: float, heading: tuple[float, float], kt: float = 110.0):
    """Five 6-hourly fixes of a straight track centred on (lat, lon), ~18 km/h."""
    dlat, dlon = heading
    times = ["2020-02-01T00", "2020-02-01T06", "2020-02-01T12", "2020-02-01T18", "2020-02-02T00"]
    return [(t, lat + (k - 2) * dlat, lon + (k - 2) * dlon, kt) for k, t in enumerate(times)]


@pytest.mark.parametrize("hemisphere", list(HEMISPHERES))
@pytest.mark.parametrize("heading", list(HEADINGS))
def test_the_stronger_side_is_where_the_rotation_runs_with_the_motion(hemisphere, heading):
    """Cyclones turn anticlockwise north of the equator and clockwise south of it, so a storm
    is stronger where its rotation runs with its motion: right of the track in the north, left
    in the south. Checked from fixes in degrees (through the setting's projection: east is +x,
    north +y) at places 40 km either side of the track's middle, on the line across it."""
    setting, lat, lon = HEMISPHERES[hemisphere]
    dlat, dlon = HEADINGS[heading]
    fixes = _fixes(lat, lon, (dlat, dlon))
    # 40 km to each side, across the motion (dlat, dlon are a unit step north or east)
    off = 40.0 / 111.2
    cos_lat = np.cos(np.radians(lat))
    sides = {
        "a": (lat + off * dlon, lon - off * dlat / cos_lat),  # the motion turned +90 degrees
        "b": (lat - off * dlon, lon + off * dlat / cos_lat),
    }
    wind = {k: station_wind(setting, PARAMS, fixes, lo, la) for k, (la, lo) in sides.items()}
    # which side the rotation runs with the motion: the tangential wind there, dotted with it
    motion = np.array([dlon, dlat])  # (east, north)
    turn = 1.0 if lat > 0 else -1.0
    with_motion = {}
    for k, (la, lo) in sides.items():
        rel = np.array([(lo - lon) * cos_lat, la - lat])
        tangential = turn * np.array([-rel[1], rel[0]])  # anticlockwise north, clockwise south
        with_motion[k] = float(tangential @ motion) > 0
    strong, weak = ("a", "b") if with_motion["a"] else ("b", "a")
    assert with_motion[strong] and not with_motion[weak]
    assert wind[strong] > wind[weak] + 5.0  # ~2 vt (R/r) at ~18 km/h, plus the wider turn
    # and the strong side is the right of the motion north of the equator, the left south of it
    right = "b"  # the motion turned -90 degrees (clockwise) is its right
    assert (strong == right) == (lat > 0)


def _climada_speed(rel_km: np.ndarray, v_ang: float, vtrans: np.ndarray, c: float, lat: float):
    """CLIMADA v6.1.0's ``_compute_windfields`` for one centroid, written as it is: vectors in
    (v, u) = (north, east) order, ``latsign * [1, -1] * v_centr_normed[::-1]`` times the
    angular speed (less vtrans c), plus vtrans c."""
    v_centr_normed = np.array([rel_km[1], rel_km[0]]) / np.hypot(*rel_km)  # (v, u)
    latsign = 1.0 if lat > 0 else -1.0
    wind = latsign * np.array([1.0, -1.0]) * v_centr_normed[::-1] * v_ang
    wind = wind + vtrans * c
    return float(np.hypot(*wind))


@pytest.mark.parametrize("lat", [-17.0, 17.0])
def test_the_field_is_climadas_vector_sum_at_every_bearing(lat):
    """At 16 bearings and three distances from a storm moving north-west at 25 km/h, the
    model's speed is CLIMADA's: the symmetric profile less vt c, turned with ``latsign``, plus
    the motion's vector (v, u) times c = min(1, R / r)."""
    speed, vmax = 25.0, 55.0
    heading = np.array([-1.0, 1.0]) / np.sqrt(2.0)  # (east, north): north-west
    n = 41
    xy = np.outer(np.linspace(-40.0, 40.0, n), heading)
    track = TrackSamples(
        xy_km=xy,
        lat=np.full(n, lat),
        vmax_ms=np.full(n, vmax),
        hours=np.linspace(0.0, 80.0 / speed, n),
        dt_h=np.full(n, 2.0 / speed),
        speed_kmh=np.full(n, speed),
        over_land=np.zeros(n, dtype=bool),
        hours_over_land=np.zeros(n),
    )
    rmax = float(radius_max_wind_km(vmax, lat, PARAMS))
    vt = speed / 3.6
    vtrans_vu = vt * np.array([heading[1], heading[0]])  # CLIMADA's (v, u)
    angles = np.radians(np.arange(16) * 22.5)
    for r in (0.5 * rmax, rmax, 3.0 * rmax):
        rel = r * np.column_stack([np.cos(angles), np.sin(angles)])
        model = track_wind_field(PARAMS, rel, track)[:, n // 2]
        c = min(1.0, rmax / r)
        sym = float(holland_wind(vmax, r, lat, speed, PARAMS))
        ref = [_climada_speed(p, max(sym - vt * c, 0.0), vtrans_vu, c, lat) for p in rel]
        np.testing.assert_allclose(model, ref, rtol=1e-9)


def test_a_best_track_radius_of_maximum_wind_sets_where_the_wind_peaks():
    """With the best track's R (IBTrACS USA_RMW, nautical miles) the profile peaks there, not
    at Willoughby's R: a stalled storm's wind at 0.8 R, R and 1.25 R."""
    lat, vmax = -21.3, 62.0
    kt = vmax / 0.514444
    fixes = [("2018-02-12T06", lat, -175.5, kt), ("2018-02-12T12", lat, -175.5, kt)]
    centre = project_km(TONGA, [-175.5], [lat])[0]
    points = exposure_points(TONGA)
    rmw = 20.0  # Gita near Tongatapu
    track = track_samples(TONGA, points, fixes, [rmw, rmw])
    r_bt = rmw * NMI_KM
    assert float(radius_max_wind_km(vmax, lat, PARAMS)) < 0.75 * r_bt  # Willoughby's is ~25 km
    places = centre + np.outer([0.8 * r_bt, r_bt, 1.25 * r_bt], [0.0, 1.0])
    inner, at_r, outer = track_wind_field(PARAMS, places, track).max(axis=1)
    assert at_r > inner and at_r > outer
    # without it, Willoughby's narrower R: weaker at the best track's R
    narrow = track_wind_field(PARAMS, places, track_samples(TONGA, points, fixes)).max(axis=1)
    assert narrow[1] < at_r - 3.0


def test_the_hindcasts_radii_are_the_best_tracks():
    """Winston, Pam and Gita carry IBTrACS USA_RMW at every fix (12, 12 and 20 nm at the
    islands); the Caribbean hindcasts none (Willoughby's R)."""
    rmw = {}
    for name in ("fiji-winston-2016", "vanuatu-pam-2015", "tonga-gita-2018", "dominica-maria-2017"):
        sc = load_scenario(name)
        track = next(e for e in sc.events if getattr(e, "track", None)).track
        rmw[name] = track_rmw_nmi(track)
    assert set(rmw["fiji-winston-2016"]) == {12.0}
    assert rmw["vanuatu-pam-2015"][:5] == [12.0] * 5
    assert rmw["tonga-gita-2018"][4:6] == [20.0, 20.0]
    assert rmw["dominica-maria-2017"] is None


def test_a_track_with_radii_on_some_fixes_only_is_refused():
    fixes = [
        {"time": "2018-02-12T06", "lat": -21.5, "lon": -174.1, "wind_kt": 125, "rmw_nmi": 20},
        {"time": "2018-02-12T12", "lat": -21.3, "lon": -175.8, "wind_kt": 120},
    ]
    event = {"date": "2018-02", "category": 4, "island": "Tongatapu", "track": fixes}
    with pytest.raises(ValueError, match="rmw_nmi on every fix or on none"):
        Scenario.model_validate({"title": "t", "setting": "tonga", "events": [event]})


def test_a_best_tracks_intensity_over_land_gets_no_added_decay():
    """A best track's wind is observed over land as over water (CLIMADA computes historical
    tracks' fields with no land decay): under a track crossing Viti Levu's middle, every
    coastal place feels the over-water field's maximum; the same samples as a drawn storm's
    (a constant intensity) decay ashore, and a coastal place the centre passes after landfall
    feels less."""
    fiji = load_setting("fiji")
    points = exposure_points(fiji)
    fixes = [
        ("2016-02-20T00", -16.0, 178.0, 140.0),
        ("2016-02-20T06", -17.8, 178.0, 140.0),
        ("2016-02-20T12", -19.6, 178.0, 140.0),
    ]
    samples = track_samples(fiji, points, fixes)
    assert samples.observed and samples.over_land.any()
    exposure = np.array([i.wind_exposure for i in fiji.islands])[points.island]
    coast = points.inland_km == 0
    _, felt = track_winds(fiji, PARAMS, points, samples)
    field = track_wind_field(PARAMS, points.xy_km, samples).max(axis=1)
    np.testing.assert_allclose(felt[coast], (field * exposure)[coast])
    samples.observed = False
    _, drawn = track_winds(fiji, PARAMS, points, samples)
    assert np.all(drawn[coast] <= felt[coast] + 1e-9)
    assert np.any(drawn[coast] < felt[coast] - 1.0)


def test_the_wind_radii_are_where_the_field_falls_to_64_kt():
    """A stalled storm's radius of 64-kt wind is the same in its four quadrants and is where
    the symmetric profile falls to 64 kt; a westward storm's is larger on its strong (southern)
    side south of the equator."""
    lat, kt = -17.5, 140.0
    stalled = [("2016-02-20T00", lat, 178.0, kt), ("2016-02-20T06", lat, 178.0, kt)]
    fiji = load_setting("fiji")
    radii = wind_radii_nmi(fiji, PARAMS, stalled, "2016-02-20T00", rmw_nmi=[12.0, 12.0])
    assert max(radii) - min(radii) <= 0.5 / NMI_KM + 1e-9
    r_km = radii[0] * NMI_KM
    v = float(holland_wind(kt * 0.514444, r_km, lat, 1.0, PARAMS, 12.0 * NMI_KM))
    assert v == pytest.approx(64 * 0.514444, abs=0.3)
    moving = [("2016-02-20T00", lat, 179.0, kt), ("2016-02-20T06", lat, 178.0, kt)]
    ne, se, sw, nw = wind_radii_nmi(fiji, PARAMS, moving, "2016-02-20T00")
    assert se > ne + 2 and sw > nw + 2
