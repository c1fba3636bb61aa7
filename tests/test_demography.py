"""Demography: without storms, people are born at the setting's WPP birth rate and die by its
life table, households keep about the setting's size, and every birth and death is accounted
for."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.config.scenario import load_setting
from hsmobility.model import MobilityModel
from hsmobility.phases.demography import birth_rate
from hsmobility.phases.pathways import long_stay_away
from hsmobility.world.households import Status

YEARS = 20


def quiet_run(setting: str, years: int = YEARS, scale: int = 10) -> dict:
    """A run without storms, stepped monthly, recording all people in the household table and
    the long-stay workers away from their households (ODD 7.9.3)."""
    model = MobilityModel(setting, years=years, seed=1, scale=scale, stochastic_cyclones=False)
    hh = model.households
    away = long_stay_away(model.world).sum()
    people = [int(hh.size.sum() + hh.members_abroad.sum() + away)]
    while model.running:
        model.step()
        hh = model.households
        away = long_stay_away(model.world).sum()
        people.append(int(hh.size.sum() + hh.members_abroad.sum() + away))
    return {"model": model, "monthly": model.monthly(), "people": np.array(people)}


@pytest.fixture(scope="module")
def quiet() -> dict:
    """Quiet runs by setting, made on first use and shared by this module's tests."""
    return {}


def run_for(cache: dict, setting: str) -> dict:
    if setting not in cache:
        cache[setting] = quiet_run(setting)
    return cache[setting]


@pytest.mark.parametrize("setting", ["tuvalu", "kiribati", "vanuatu", "antigua-barbuda"])
def test_resident_population_grows_by_births_less_deaths(setting, quiet):
    # residents grow by births less deaths once the people who emigrated are counted back and the
    # immigrants born abroad taken out (in settings with few emigrants, residents alone do); the
    # births are the setting's WPP birth rate (its life table, ODD 7.1), not natural_increase
    run = run_for(quiet, setting)
    model, df = run["model"], run["monthly"]
    spec = load_setting(setting)
    wpp = float(np.mean([birth_rate(spec, y + 0.5) for y in df["year"].unique()]))
    start, end = model.population_start, df["residents"].iloc[-1]
    emigrated = df["moves_abroad_people"].sum()
    immigrated = df["people_immigrated"].sum()
    growth = ((end + emigrated - immigrated) / start) ** (1 / YEARS) - 1
    resident_growth = (end / start) ** (1 / YEARS) - 1
    mean = df["residents"].mean()
    births = df["births"].sum() / mean / YEARS
    natural = (df["births"].sum() - df["deaths"].sum()) / mean / YEARS
    measured = (
        f"births {births:.2%}/yr (WPP {wpp:.2%}), births - deaths {natural:.2%}/yr; residents "
        f"grew {resident_growth:.2%}/yr, {growth:.2%}/yr counting {emigrated:,} emigrants and "
        f"{immigrated:,} immigrants"
    )
    assert abs(births - wpp) <= 0.002, measured
    assert abs(growth - natural) <= 0.005, measured
    if emigrated < 0.02 * start:
        assert abs(resident_growth - natural) <= 0.005, measured


@pytest.mark.parametrize(
    "setting",
    [
        "tuvalu",
        "kiribati",
        "vanuatu",
        "antigua-barbuda",
        "dominica",
    ],
)
def test_households_keep_about_the_settings_size(setting, quiet):
    run = run_for(quiet, setting)
    hh = run["model"].households
    resident = hh.status != Status.ABROAD
    expected = load_setting(setting).household_size
    mean_size = hh.size[resident].mean()
    start = run["model"].population_start / (run["model"].households_start * run["model"].scale)
    assert abs(start / expected - 1) <= 0.05, f"mean size at start {start:.2f} vs {expected}"
    assert abs(mean_size / expected - 1) <= 0.20, (
        f"mean household size after {YEARS} years {mean_size:.2f} vs the setting's {expected} "
        f"({mean_size / expected - 1:+.0%}); households {run['model'].households_start} -> {hh.n}"
    )


@pytest.mark.parametrize("setting", ["tuvalu", "antigua-barbuda"])
def test_every_birth_and_death_changes_the_number_of_people(setting):
    # all people in the household table (residents, members abroad, households that left)
    # change each month by births minus deaths and immigrants arriving (a new row from abroad):
    # splitting and moving conserve people
    run = quiet_run(setting, years=5, scale=5)
    df, people = run["monthly"], run["people"]
    change = np.diff(people) * run["model"].scale
    flows = (df["births"] - df["deaths"] + df["people_immigrated"]).to_numpy()
    bad = np.flatnonzero(change != flows)
    assert len(bad) == 0, (
        f"{len(bad)} of {len(flows)} months disagree; people change {change[bad][:5]} vs "
        f"births - deaths {flows[bad][:5]}; {int((change - flows).sum())} deaths removed no one"
    )
