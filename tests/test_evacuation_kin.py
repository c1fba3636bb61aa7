"""Who goes to an evacuation centre on a warning, households without kin who stay in centres,
and Tongatapu's exposure points under Gita's sourced track (issue 9 items 2-3, shelters)."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world

from hsmobility import validate
from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.model import MobilityModel
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.impacts import displace
from hsmobility.phases.recovery import return_home
from hsmobility.world.hazards import KNOT_MS
from hsmobility.world.households import Band, Displacement, Status

OUTER = 1
ALL_LEAVE = {"displacement.warning_reach_base": 1.0, "displacement.warning_compliance": 1.0}


def _two_points() -> Setting:
    """The hand-built setting with the outer island split into a coast that the storm's eyewall
    crosses (first half of its people) and a far shore it passes at a distance."""
    data = SETTING.model_dump()
    data["islands"][OUTER]["points"] = [
        {"name": "Eyewall coast", "lon": 178.5, "lat": -7.5, "population": 250},
        {"name": "Far shore", "lon": 178.7, "lat": -7.3, "population": 250},
    ]
    return Setting.model_validate(data)


def _storm(near: float, far: float):
    month = calm_month()
    month.wind_ms = np.array([0.0, max(near, far)])
    month.point_wind_ms = np.array([0.0, near, far])  # capital, then the outer island's points
    return month


def test_a_warning_moves_households_the_forecast_threatens_where_they_live_and_not_others():
    # mid-band timber homes on both shores, and low-lying homes on the far shore
    rows = [{"band": Band.MID, "site_u": 0.2}] * 400 + [{"band": Band.MID, "site_u": 0.8}] * 400
    rows += [{"band": Band.LOW, "site_u": 0.8}] * 400
    world = hand_built_world(rows, params=ALL_LEAVE, setting=_two_points())
    world.refuge.shelter_places[:] = 10**9
    evacuate(world, _storm(near=64.0, far=35.0))  # 64 m/s wrecks a home, 35 m/s does not
    left = world.refuge.storm_refuge > 0
    assert left[:400].all()  # their homes would be wrecked where they live
    assert not left[400:800].any()  # the same homes on the far shore are sheltered enough
    assert left[800:].all()  # low-lying homes leave under the island's hurricane warning
    # those with kin go to a centre at warning_centre_share, the others to kin
    to_centre = (world.refuge.storm_refuge[left] == 1).mean()
    assert to_centre == pytest.approx(world.params.displacement.warning_centre_share, abs=0.05)


def test_households_without_kin_go_to_centres_first_and_centres_never_overflow():
    world = hand_built_world(
        [{"band": Band.LOW}] * 300,
        params={**ALL_LEAVE, "displacement.no_kin_share": 0.2,
                "displacement.warning_centre_share": 0.5},
    )  # fmt: skip
    world.refuge.shelter_places[:] = 250  # 50 households of 5: fewer than the ~60 without kin
    evacuate(world, _storm(near=64.0, far=64.0))
    hh, refuge = world.households, world.refuge.storm_refuge
    assert 245 < int(hh.size[refuge == 1].sum()) <= 250
    assert np.all(hh.no_kin[refuge == 1])  # the places went to those without kin
    assert 0.15 < hh.no_kin.mean() < 0.25


def test_households_without_kin_stay_in_centres_until_their_home_is_livable():
    hosts = [{"band": Band.HIGH}] * 600  # whole homes on the island: room for everyone
    world = hand_built_world(
        [{"band": Band.LOW}] * 400 + hosts,
        params={"displacement.no_kin_share": 0.25, "displacement.shelter_share": 0.0,
                "displacement.abroad_share": 0.0, "displacement.other_island_share": 0.0,
                "displacement.leave_shelter_prob": 1.0},
    )  # fmt: skip
    world.refuge.shelter_places[:] = 10**9
    hh = world.households
    hh.damage[:400] = 0.95  # destroyed: nobody can go back yet
    displace(world, calm_month(), new_damage=np.where(np.arange(hh.n) < 400, 0.95, 0.0))
    shelter = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    assert np.array_equal(shelter, hh.no_kin & (np.arange(hh.n) < 400))
    assert 0.2 < shelter[:400].mean() < 0.3  # shelter_share 0: only those without kin
    for _ in range(4):
        world.begin_month()
        return_home(world)
    still = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    assert np.array_equal(still, shelter)  # hosts have room, but they have no kin to go to
    # once the home is livable again they go home at the return rates
    hh.damage[:400] = 0.1
    for _ in range(24):
        world.begin_month()
        return_home(world)
    still = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    assert still.sum() < 0.2 * shelter.sum()


def test_tongatapu_points_add_up_to_its_census_population():
    tonga = load_setting("tonga")
    tongatapu = next(i for i in tonga.islands if i.name == "Tongatapu")
    assert len(tongatapu.points) >= 4
    assert sum(p.population for p in tongatapu.points) == tongatapu.population == 74_679


def test_gita_passes_south_of_tongatapu_with_the_eyewall_on_eua():
    world = MobilityModel("tonga-gita-2018", seed=1, scale=50).world
    month = world.hazards.at(1)  # February 2018
    names = [i.name for i in world.setting.islands]
    wind = dict(zip(names, month.wind_ms, strict=True))
    hurricane = world.params.cyclones.surge_wind_ms
    # the eyewall: on its IBTrACS track Gita passed over 'Eua at ~122 kt (JTWC, 1-minute);
    # with the storm's motion (issue 9, seventh session) a place on the weak side of the eye
    # feels up to 2 vt less (Gita moved west at ~30 km/h, 8.2 m/s, near Tonga): 54.6 m/s
    assert 122 * KNOT_MS - 2 * 8.2 - 1.5 <= wind["'Eua"] <= 122 * KNOT_MS + 1.5
    # all of Tongatapu at hurricane force, the centre ~25 km south of it: below the eyewall's
    felt = month.point_wind_ms[world.geo.points.island == names.index("Tongatapu")]
    assert np.all((felt >= hurricane) & (felt < wind["'Eua"]))
    assert wind["Vava'u"] < hurricane and wind["Niuas"] < hurricane  # far to the north


@pytest.mark.parametrize("seed", [1, 2])
def test_shelter_targets_on_several_seeds(seed):
    """Winston's centres at the peak in their fitted range; Maria's centres still hold those
    without kin four months on (no longer empty), within a factor 8 of the range (3x since the
    regional damage curve destroys 35 % of Dominica's homes against 18.5-23 % counted:
    docs/validation.md "Damage functions and centres that close"; 7x since Maria's best track
    crosses the island and gives the North 73 m/s instead of 57: "Hindcasts on their best
    tracks"; in range again with HAZUS's damage states and the homes' extra V½, 759 / 773 / 863
    on seeds 1-3: "Damage states on the Holland field"); Gita's centres never above Tongatapu's
    and 'Eua's places."""
    assert 0.05 <= validate._winston_shelter(seed) <= 0.09
    assert 225 <= validate._maria_shelters(seed) <= 7200
    per_person = load_parameters({}).displacement.shelter_places_per_person
    places = sum(
        round(per_person * i.population)
        for i in load_setting("tonga").islands
        if i.name in ("Tongatapu", "'Eua")
    )
    assert 0 < validate._gita_centres(seed) <= places
