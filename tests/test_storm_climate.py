"""Drawn storms' headings and forward speeds from the best-track archives (issue 9, sixth session).

Each setting with an archive table draws its storms' headings from its twelve 30-degree sectors
and their speeds log-normal around its median (scripts/best_track_climate.py computed them from
HURDAT2 and IBTrACS SP; docs/validation.md "Storm headings and speeds from the best-track
archives"). The numbers below are the script's output for the storms' passages near each
setting: the drawing must give them back.
"""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Scenario, ScenarioError, Setting, read_toml, scenarios_dir
from hsmobility.config.schemas import validate as validate_schema
from hsmobility.world.hazards import generate_hazards, storm_heading_deg, storm_speed_kmh

PARAMS = load_parameters()

#: setting: (archive storms, circular mean heading, circular sd, median speed km/h, log sd)
ARCHIVE = {
    "fiji": (79, 152, 46, 19.2, 0.45),
    "vanuatu": (107, 165, 49, 16.1, 0.49),
    "tonga": (76, 151, 47, 22.5, 0.47),
    "tuvalu": (22, 178, 76, 13.2, 0.54),
    "dominica": (53, 288, 21, 23.6, 0.39),
    "antigua-barbuda": (51, 295, 33, 20.6, 0.39),
    "st-vincent-grenadines": (40, 283, 10, 27.1, 0.36),
    "grenada": (37, 281, 9, 28.4, 0.35),
}


def _circular(degrees: np.ndarray) -> tuple[float, float]:
    z = np.exp(1j * np.radians(degrees)).mean()
    return float(np.degrees(np.angle(z)) % 360.0), float(np.degrees(np.sqrt(-2 * np.log(abs(z)))))


def _without_tables(setting: Setting) -> Setting:
    cy = setting.cyclones.model_copy(
        update={"heading_shares": None, "speed_median_kmh": None, "speed_log_sd": None}
    )
    return setting.model_copy(update={"cyclones": cy})


@pytest.mark.parametrize("name", sorted(ARCHIVE))
def test_drawn_headings_and_speeds_give_back_the_archives_statistics(name):
    _, mean, sd, median, log_sd = ARCHIVE[name]
    setting = load_setting(name)
    u = np.random.default_rng(11).random((20_000, 2))
    heading = np.array([storm_heading_deg(a, setting, PARAMS) for a in u[:, 0]])
    speed = np.array([storm_speed_kmh(b, setting, PARAMS) for b in u[:, 1]])
    got_mean, got_sd = _circular(heading)
    # sectors drawn uniformly within: the mean within 5 degrees, the spread within 5 (a narrow
    # Lesser Antilles distribution widens by up to ~4 degrees)
    assert abs((got_mean - mean + 180.0) % 360.0 - 180.0) < 5.0, (got_mean, mean)
    assert got_sd == pytest.approx(sd, abs=5.0)
    assert np.median(speed) == pytest.approx(median, rel=0.03)
    assert np.std(np.log(speed)) == pytest.approx(log_sd, rel=0.05)


def test_a_sector_the_archive_never_saw_is_never_drawn():
    grenada = load_setting("grenada")
    shares = np.asarray(grenada.cyclones.heading_shares)
    u = np.random.default_rng(3).random(20_000)
    heading = np.array([storm_heading_deg(a, grenada, PARAMS) for a in u])
    sector = (heading // 30).astype(int)
    assert set(sector.tolist()) == set(np.flatnonzero(shares > 0).tolist())
    # each sector as often as its share
    counts = np.bincount(sector, minlength=12) / len(sector)
    np.testing.assert_allclose(counts, shares / shares.sum(), atol=0.01)
    # the edges of the uniform draw stay in non-empty sectors
    for edge in (0.0, 1.0 - 1e-12, 1.0):
        assert shares[int(storm_heading_deg(edge, grenada, PARAMS) // 30)] > 0


def test_south_pacific_headings_are_skewed_as_the_archive_says():
    # most storms near Fiji head east-south-east to south (90-180 degrees), a tail to the
    # south-west: a normal around 160 degrees would put as many east of south-east as west of
    # south
    fiji = load_setting("fiji")
    series = [
        generate_hazards(
            fiji,
            Scenario(
                setting="fiji", seed=seed, years=100, start_year=2001, cyclone_frequency_change=0.0
            ),  # fmt: skip
            PARAMS,
        )
        for seed in range(2)
    ]
    heading = np.array([c.heading_deg for s in series for c in s.cyclones])
    assert len(heading) > 300
    shares = np.asarray(fiji.cyclones.heading_shares)
    assert np.mean((heading >= 90) & (heading < 180)) == pytest.approx(shares[3:6].sum(), abs=0.05)
    assert np.mean((heading >= 180) & (heading < 270)) == pytest.approx(shares[6:9].sum(), abs=0.05)
    assert np.mean(heading < 90) < 0.03


@pytest.mark.parametrize("name", sorted(ARCHIVE))
def test_the_settings_carry_their_archive_tables(name):
    cy = load_setting(name).cyclones
    assert cy.heading_shares is not None and len(cy.heading_shares) == 12
    assert sum(cy.heading_shares) == pytest.approx(1.0, abs=0.01)
    assert cy.speed_median_kmh == pytest.approx(ARCHIVE[name][3])
    assert cy.speed_log_sd == pytest.approx(ARCHIVE[name][4])


def test_settings_without_an_archive_table_keep_the_regions_prior():
    # no archive at hand for the Marshall Islands (north-west Pacific) and one storm for Kiribati
    for name in ("marshall-islands", "kiribati"):
        setting = load_setting(name)
        assert setting.cyclones.heading_shares is None
        pc = PARAMS.cyclones
        assert storm_heading_deg(0.5, setting, PARAMS) == pytest.approx(
            pc.south_pacific_heading_deg
        )
        assert storm_speed_kmh(0.5, setting, PARAMS) == pytest.approx(pc.south_pacific_speed_kmh)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("heading_shares", [0.1] * 11, "heading_shares"),
        ("heading_shares", [0.05] * 12, "add up to 0.600"),
        ("heading_shares", [-0.1, 0.2] + [0.9 / 10] * 10, "heading_shares"),
        ("heading_shares", "south-east", "heading_shares"),
        ("speed_median_kmh", 0.0, "speed_median_kmh"),
        ("speed_median_kmh", "fast", "speed_median_kmh"),
        ("speed_log_sd", -0.3, "speed_log_sd"),
    ],
)
def test_a_bad_archive_value_is_refused_in_one_line(field, value, words):
    path = scenarios_dir() / "settings" / "fiji.toml"
    data = read_toml(path)
    data["cyclones"][field] = value
    with pytest.raises(ScenarioError) as err:
        validate_schema(Setting, data, str(path))
    message = str(err.value)
    assert "\n" not in message and words in message and "fiji.toml" in message


def test_the_tables_change_only_headings_and_speeds():
    # one uniform each for the heading and the speed, as before: the same storms in the same
    # months with the same categories, and the other hazard streams untouched
    fiji = load_setting("fiji")
    scenario = Scenario(setting="fiji", seed=4, years=40)
    with_tables = generate_hazards(fiji, scenario, PARAMS)
    prior = generate_hazards(_without_tables(fiji), scenario, PARAMS)
    assert [(c.step, c.category) for c in with_tables.cyclones] == [
        (c.step, c.category) for c in prior.cyclones
    ]
    assert len(with_tables.cyclones) > 40
    assert [c.heading_deg for c in with_tables.cyclones] != [c.heading_deg for c in prior.cyclones]
    np.testing.assert_array_equal(with_tables.drought, prior.drought)
    np.testing.assert_array_equal(with_tables.king_tide, prior.king_tide)


def test_the_same_seed_draws_the_same_headings_and_speeds():
    scenario = Scenario(setting="dominica", seed=9, years=60)
    a = generate_hazards(load_setting("dominica"), scenario, PARAMS)
    b = generate_hazards(load_setting("dominica"), scenario, PARAMS)
    assert [(c.heading_deg, c.speed_kmh) for c in a.cyclones] == [
        (c.heading_deg, c.speed_kmh) for c in b.cyclones
    ]
