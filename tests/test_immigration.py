"""Immigration into a setting (phases/immigration.py, issue 8 item 4): households born abroad
arrive at the rate the setting's foreign-born stock and the parameters say, tied origins follow
free movement both ways, every column of an arrival is valid, the accounts close with arrivals,
and the same seed gives the same arrivals."""

from __future__ import annotations

import math

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world
from helpers import check_accounts, step_checking

from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError, Setting, validate
from hsmobility.model import MobilityModel
from hsmobility.phases.immigration import arrivals_per_year, immigrate, inflow_people_per_year
from hsmobility.world.households import Band, Status

#: a stock that rises by 1,000 a year from 10,000 (9 years): inflow 1,000 + 14,500 x death rate
IMMIGRATION = {
    "stock_start": 10_000, "stock_end": 19_000, "year_start": 2010, "year_end": 2019,
    "island": "Capital",
}  # fmt: skip


def _setting(**fields) -> Setting:
    data = SETTING.model_dump()
    data.update(fields)
    return Setting(**data)


def _months(world, n: int) -> tuple[int, int]:
    """Run the immigration phase for ``n`` months; rows and people that arrived."""
    rows = people = 0
    for k in range(n):
        if k:
            world.begin_month()
        new = immigrate(world)
        rows += len(new)
        people += int(world.households.size[new].sum())
        assert world.counts["households_immigrated"] == len(new)
        assert world.counts["people_immigrated"] == int(world.households.size[new].sum())
    return rows, people


@pytest.mark.parametrize("scale", [1, 3])
def test_arrivals_come_at_the_rate_the_stock_and_parameters_say(scale: int) -> None:
    setting = _setting(immigration=IMMIGRATION)
    w = hand_built_world([{}], setting=setting, years=4, scale=scale)
    death = w.params.demography.crude_death_rate
    per_year = 1000.0 + 14_500 * death
    assert inflow_people_per_year(setting, death) == pytest.approx(per_year)
    assert arrivals_per_year(w) == pytest.approx(per_year)  # no origin tied to a pathway
    months = 48
    rows, people = _months(w, months)
    expected = per_year / 12 / (setting.household_size * scale) * months  # Poisson mean
    assert abs(rows - expected) < 4 * math.sqrt(expected), (rows, expected)
    # each row a household of mean size household_size (1 + Poisson)
    assert people / rows == pytest.approx(setting.household_size, rel=0.1)


def test_a_stock_that_falls_brings_only_the_deaths_it_replaces() -> None:
    setting = _setting(immigration={**IMMIGRATION, "stock_end": 9_000})
    death = 0.01
    assert inflow_people_per_year(setting, death) == pytest.approx(9_500 * death)
    assert inflow_people_per_year(SETTING, death) == 0.0  # no [immigration]: nobody
    w = hand_built_world([{}])
    assert len(immigrate(w)) == 0 and w.counts["people_immigrated"] == 0


def test_origins_tied_to_free_movement_rise_and_fall_with_it_both_ways() -> None:
    tied = {**IMMIGRATION, "origins": [{"name": "nz", "share": 0.4, "destination": "New Zealand"}]}
    f = 2.5
    params = {"immigration.free_movement_factor": f}
    # status quo with free movement to New Zealand (the hand-built setting's): observed rate
    with_fm = _setting(immigration=tied)
    w = hand_built_world([{}], setting=with_fm, params=params)
    total = inflow_people_per_year(with_fm, w.params.demography.crude_death_rate)
    assert arrivals_per_year(w) == pytest.approx(total)
    # the same pathway not yet open (its dates): the tied share comes f times less often
    later = [{**with_fm.pathways[0].model_dump(), "opens": "2030-01"}]
    w = hand_built_world([{}], setting=_setting(immigration=tied, pathways=later), params=params)
    assert arrivals_per_year(w) == pytest.approx(total * (0.6 + 0.4 / f))
    # no free movement in the status quo; a regime that opens it raises the tied share f times
    closed = _setting(immigration=tied, pathways=[])
    sq = hand_built_world([{}], setting=closed, params=params)
    fm = hand_built_world([{}], setting=closed, params=params, regime="free-movement")
    assert arrivals_per_year(sq) == pytest.approx(total)
    assert arrivals_per_year(fm) == pytest.approx(total * (0.6 + 0.4 * f))
    assert arrivals_per_year(fm) > arrivals_per_year(sq)


def test_an_arriving_household_has_every_column_valid() -> None:
    setting = _setting(immigration={**IMMIGRATION, "stock_end": 100_000})
    residents = [{"home_island": 0, "island": 0, "band": b, "community": 7 + b} for b in range(3)]
    w = hand_built_world([*residents, {"community": 20}], setting=setting)
    _months(w, 3)
    hh = w.households
    new = np.arange(4, hh.n)
    assert len(new) > 100
    assert (hh.status[new] == Status.HOME).all()
    assert (hh.island[new] == 0).all() and (hh.home_island[new] == 0).all()  # the capital
    assert (hh.destination[new] == -1).all() and (hh.ties[new] == 0).all()
    assert (hh.size[new] >= 1).all()
    assert (hh.size[new] == hh.children[new] + hh.adults[new] + hh.elders[new]).all()
    assert (hh.adults[new] + hh.elders[new] >= 1).all()  # a head
    p = w.params.immigration
    assert ((hh.head_age[new] >= p.head_age_min) & (hh.head_age[new] <= p.head_age_max)).all()
    assert (hh.income[new] > 0).all() and (hh.savings[new] >= 0).all()
    assert np.isin(hh.quintile[new], [1, 2, 3, 4, 5]).all()
    assert len(set(hh.quintile[new])) == 5  # drawn from the whole distribution
    assert np.isin(hh.band[new], [Band.LOW, Band.MID, Band.HIGH]).all()
    # shares of the island's bands: low-lying 0.5 on the hand-built capital
    assert np.mean(hh.band[new] == Band.LOW) == pytest.approx(0.5, abs=0.1)
    # a village of the capital in its band (not the outer island's community 20)
    assert (hh.community[new] == 7 + hh.band[new]).all()
    assert ((hh.attachment[new] >= 0) & (hh.attachment[new] <= 1)).all()
    assert ((hh.skills[new] >= 0) & (hh.skills[new] <= 1)).all()
    assert (hh.formed_step[new] >= 0).all() and (hh.parent[new] == -1).all()
    assert (hh.moved_step[new] == -1).all() and (hh.pathway_used[new] == -1).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"island": "Atlantis"}, "island 'Atlantis' is not one of"),
        ({"year_end": 2005}, "year_end"),
        ({"origins": [{"name": "x", "share": 0.5, "destination": "Mars"}]}, "'Mars'"),
        ({"origins": [{"name": "a", "share": 0.6}, {"name": "b", "share": 0.6}]}, "more than 1"),
        ({"stock_start": "10000"}, "immigration.stock_start"),
        ({"stock_end": -1}, "immigration.stock_end"),
        ({"origins": [{"name": "a", "share": 1.5}]}, "immigration.origins.0.share"),
    ],
)
def test_bad_immigration_input_gives_one_clear_error(change: dict, message: str) -> None:
    data = {**SETTING.model_dump(), "immigration": {**IMMIGRATION, **change}}
    with pytest.raises(ScenarioError, match=message) as err:
        validate(Setting, data, "handbuilt.toml")
    assert "\n" not in str(err.value)


@pytest.fixture(scope="module")
def antigua() -> dict:
    return step_checking(MobilityModel("antigua-barbuda", years=2, seed=1, start_year=2010))


def test_households_and_people_are_conserved_with_arrivals(antigua) -> None:
    model = antigua["model"]
    assert antigua["violations"] == {}
    m = model.monthly()
    assert m["people_immigrated"].sum() > 0
    check_accounts(model)  # residents change by births - deaths - left + back + immigrated
    assert m["households_total"].iloc[-1] == model.households.n * model.scale


def test_the_caribbean_settings_receive_immigrants_at_their_sourced_rate(antigua) -> None:
    for name in ("antigua-barbuda", "grenada", "st-vincent-grenadines", "dominica"):
        assert load_setting(name).immigration is not None
    # Antigua and Barbuda: (29,207 - 26,412) / 9 + 27,810 x death rate people a year, the OECS
    # quarter at half the rate before free movement opened (August 2011)
    model = antigua["model"]
    m = model.monthly()
    setting, w = model.setting, model.world
    total = inflow_people_per_year(setting, w.params.demography.crude_death_rate)
    f = w.params.immigration.free_movement_factor
    closed_months = 19  # January 2010 to July 2011
    people = total / 12 * (closed_months * (0.75 + 0.25 / f) + (24 - closed_months))
    rows = people / setting.household_size
    got = m["households_immigrated"].sum()
    assert abs(got - rows) < 4 * math.sqrt(rows), (got, rows)


def test_same_seed_same_arrivals() -> None:
    def run() -> tuple:
        m = MobilityModel("grenada", years=1, seed=4, start_year=2012).run()
        hh = m.households
        return m.monthly()["people_immigrated"].tolist(), hh.income.copy(), hh.community.copy()

    a, b = run(), run()
    assert a[0] == b[0] and sum(a[0]) > 0
    assert np.array_equal(a[1], b[1]) and np.array_equal(a[2], b[2])
