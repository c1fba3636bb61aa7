"""Behaviour: stronger cyclones displace more people, storm-prone settings more than quiet
ones, and a storm damages the homes it strikes."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import scripted_scenario

from hsmobility.config.schemas import Scenario
from hsmobility.model import MobilityModel
from hsmobility.world.households import Status

SEEDS = (1, 2, 3, 4)


def displaced_by(scenario) -> int:
    df = MobilityModel(scenario).run().monthly()
    return int(df["displaced_new"].sum())


@pytest.mark.parametrize(
    ("setting", "island", "scale"),
    [("tuvalu", "Funafuti", 1), ("vanuatu", "Efate", 5), ("antigua-barbuda", "Antigua", 2)],
)
def test_a_stronger_cyclone_displaces_more(setting, island, scale):
    # the very same scripted storm on the same island and seed, at category 3 and 5
    cat3 = displaced_by(scripted_scenario(setting, island, 3, scale=scale))
    cat5 = displaced_by(scripted_scenario(setting, island, 5, scale=scale))
    assert 0 < cat3 < cat5, f"category 3 displaced {cat3} households, category 5 {cat5}"
    assert cat5 > 1.5 * cat3


def test_displacement_rises_with_the_category_of_a_storm():
    by_category = [
        displaced_by(scripted_scenario("vanuatu", "Efate", c, scale=5)) for c in range(6)
    ]
    assert by_category[0] == 0, "a tropical storm below damaging winds displaced households"
    assert by_category == sorted(by_category), by_category
    assert by_category[5] > 0


@pytest.fixture(scope="module")
def episodes_by_shift() -> dict[float, list[int]]:
    """Displacement episodes in Vanuatu over ten years, per seed, for two intensity shifts."""
    out = {}
    for shift in (-0.5, 1.0):
        out[shift] = [
            MobilityModel(
                "vanuatu", years=10, seed=seed, scale=20, cyclone_intensity_shift=shift
            ).run().summary()["displacement_episodes"]
            for seed in SEEDS
        ]  # fmt: skip
    return out


def test_stronger_storms_displace_more_over_several_seeds(episodes_by_shift):
    weak, strong = episodes_by_shift[-0.5], episodes_by_shift[1.0]
    assert sum(strong) > 1.5 * sum(weak), f"shift -0.5: {weak}; shift 1.0: {strong}"
    assert sum(s > w for w, s in zip(weak, strong, strict=True)) >= len(SEEDS) - 1


def test_kiribati_has_fewer_cyclone_displacements_than_vanuatu():
    # displacement episodes per household over the same ten years and seeds
    rates = {}
    for setting in ("kiribati", "vanuatu"):
        episodes = households = 0
        for seed in SEEDS[:3]:
            s = MobilityModel(setting, years=10, seed=seed, scale=20).run().summary()
            episodes += s["displacement_episodes"]
            households += s["households_start"]
        rates[setting] = episodes / households
    assert rates["vanuatu"] > 0.05, rates
    assert rates["kiribati"] < rates["vanuatu"] / 5, rates


def barbudan_homes_after_a_storm_on_antigua(second_storm: bool):
    """Irma evacuates Barbuda to Antigua; two months later a category 1 storm passes 50 km
    south of Antigua heading west (35 m/s there, ~24 m/s on Barbuda with the Holland profile:
    below the damage threshold; at 30 km Barbuda would feel 27 m/s). Returns the damage of the
    Barbudan homes whose households shelter on Antigua, before and after that month."""
    events = [
        dict(name="Irma", date="2017-09", category=5, island="Barbuda"),
        # Barbuda was evacuated by order (FACTS fact 1): with HAZUS's damage states the point
        # storm alone no longer makes 60 % of homes unlivable (issue 9, seventh session)
        dict(kind="evacuation-order", name="Barbuda", date="2017-09", islands=["Barbuda"],
             destinations=[dict(island="Antigua", capacity_people=5000)]),
    ]  # fmt: skip
    if second_storm:
        events.append(
            dict(name="Second", date="2017-11", category=1, island="Antigua", distance_km=50,
                 heading_deg=270)
        )  # fmt: skip
    scenario = Scenario(
        setting="antigua-barbuda", start_year=2017, start_month=8, years=1, seed=0,
        stochastic_cyclones=False, events=events,
    )  # fmt: skip
    model = MobilityModel(scenario)
    for _ in range(3):
        model.step()
    hh = model.households
    barbuda, antigua = (model.setting.island_index(n) for n in ("Barbuda", "Antigua"))
    rows = np.flatnonzero(
        (hh.home_island == barbuda) & (hh.status == Status.DISPLACED) & (hh.island == antigua)
    )
    before = hh.damage[rows].copy()
    model.step()
    assert model.month.wind_ms[barbuda] < model.params.cyclones.damage_threshold_ms
    # a household that moved for good this month (a new home, damage 0) is no longer comparable
    after = np.where(hh.home_island[rows] == barbuda, hh.damage[rows], np.nan)
    return rows, before, after


def test_a_storm_where_the_displaced_shelter_does_not_damage_their_homes():
    rows, before, quiet = barbudan_homes_after_a_storm_on_antigua(False)
    rows2, before2, stormy = barbudan_homes_after_a_storm_on_antigua(True)
    # some of Barbuda's ~600 households settle on Antigua where they shelter (issue 9): they
    # have a new home there and drop out; several hundred are still displaced
    assert len(rows) > 300
    np.testing.assert_array_equal(rows, rows2)
    np.testing.assert_array_equal(before, before2)
    both = ~np.isnan(quiet) & ~np.isnan(stormy)  # still Barbudan homes in both runs
    assert both.sum() > 300
    damaged = int(np.sum(stormy[both] > quiet[both] + 1e-6))
    assert damaged == 0, (
        f"{damaged} of {len(rows)} Barbudan homes took damage from a storm on Antigua: mean "
        f"damage {quiet[both].mean():.3f} without it, {stormy[both].mean():.3f} with it"
    )
