"""Starting poverty from the setting's income distribution and poverty line, remittances by
source (issue 10 item 7, issue 8 item 2).

Poverty must follow from the inputs: the share of people below the line at the start is the
share the setting's lognormal income distribution puts below it (in the line's unit), a higher
line gives more poverty, remittances from the diaspora reach the surveyed share of households,
and a seasonal worker's pay reaches the household it comes from.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world
from pydantic import ValidationError

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.model import MobilityModel
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.impacts import Hit, damage
from hsmobility.validate import (
    POVERTY_FITTED,
    POVERTY_SETTINGS,
    REMITTANCES_FITTED,
    _poverty_targets,
    _remittances,
    poverty_without_remittances,
)
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import (
    consumption_floor_per_person,
    draw_members_abroad,
    initial_households,
    poverty_line_per_person,
)
from hsmobility.world.state import World

#: no gaps between groups and no extra needs, so that income is the setting's lognormal alone
_PLAIN = {"groups.female_head_income_factor": 1.0, "groups.disability_extra_cost": 0.0}


def _no_hit(n: int) -> Hit:
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _setting(**update: object) -> Setting:
    """The hand-built setting with 40,000 people on each island (8,000 households each)."""
    islands = [i.model_copy(update={"population": 40_000}) for i in SETTING.islands]
    return SETTING.model_copy(update={"islands": islands, **update})


def _expected_share_below(setting: Setting, line: float) -> float:
    """Share of people in households whose income per person is below ``line``, for household
    income lognormal (mean ``household_income_usd``, ``income_sigma``) and size 1 + Poisson,
    as the starting table draws them: sum over sizes k of k x P(size k) x P(income < k line)."""
    lam, sigma = setting.household_size - 1.0, setting.income_sigma
    mu = math.log(setting.household_income_usd) - sigma**2 / 2
    total = people = 0.0
    for j in range(60):
        k = 1 + j
        pk = math.exp(-lam + j * math.log(lam) - math.lgamma(j + 1))
        z = (math.log(k * line) - mu) / sigma
        total += pk * k * 0.5 * (1 + math.erf(z / math.sqrt(2)))
        people += pk * k
    return total / people


def _first_month_poverty(setting: Setting) -> float:
    """Share of people below the line after one month, starting with no savings and no family
    abroad: consumption is the month's livelihood, as the survey measures it."""
    params = load_parameters(_PLAIN)
    cols = initial_households(setting, params, 1, np.random.default_rng(7))
    n = len(cols["size"])
    keep = ("size", "income", "head_age", "female_head", "home_island", "island")
    w = hand_built_world(
        [{k: cols[k][i] for k in keep} | {"savings": 0.0} for i in range(n)],
        setting=setting,
        params=_PLAIN,
    )
    income_and_savings(w, calm_month(), _no_hit(n))
    hh = w.households
    per_person = hh.consumption_month * 12.0 / hh.size
    below = per_person < poverty_line_per_person(setting, w.params)
    return float(hh.size[below].sum() / hh.size.sum())


@pytest.mark.parametrize("unit", ["person", "adult_equivalent"])
def test_initial_poverty_is_the_share_below_the_line_of_the_income_distribution(
    unit: str,
) -> None:
    """16,000 households: the simulated share equals the distribution's within sampling error
    (about 0.005 for a share near 0.3); a line per adult equivalent is compared with
    consumption per person at ``adult_equivalents_per_person`` times the line."""
    setting = _setting(poverty_line_unit=unit, poverty_line_usd=1500.0)
    params = load_parameters()
    line = poverty_line_per_person(setting, params)
    if unit == "adult_equivalent":
        assert line == pytest.approx(1500.0 * params.economy.adult_equivalents_per_person)
    expected = _expected_share_below(setting, line)
    assert 0.05 < expected < 0.5
    assert _first_month_poverty(setting) == pytest.approx(expected, abs=0.01)


def test_a_higher_poverty_line_gives_more_poverty() -> None:
    low = _first_month_poverty(_setting(poverty_line_usd=1200.0))
    high = _first_month_poverty(_setting(poverty_line_usd=1800.0))
    assert high > low + 0.05


def test_the_diaspora_remits_to_the_surveyed_share_of_households() -> None:
    """Members abroad shared among the surveyed 73% of households: the mean (and so the national
    total) holds, 27% of households receive nothing; a diaspora smaller than the receiving
    share gives one member to as many households as it has members."""
    rng = np.random.default_rng(1)
    m = draw_members_abroad(11.0, 0.73, 200_000, rng)
    assert m.mean() == pytest.approx(11.0, rel=0.01)
    assert (m > 0).mean() == pytest.approx(0.73, abs=0.005)
    small = draw_members_abroad(0.2, 0.73, 200_000, rng)
    assert small.mean() == pytest.approx(0.2, rel=0.03)
    assert small.max() == 1
    everyone = draw_members_abroad(11.0, None, 200_000, rng)
    assert (everyone > 0).mean() > 0.99


def test_households_without_family_abroad_are_poorer_in_tonga() -> None:
    """Tonga's diaspora remits to 73% of households: the others live on their livelihood, and
    poverty falls on them."""
    model = MobilityModel("tonga", years=1, seed=2, scale=2, island_table=False)
    for _ in range(9):
        model.step()
    hh = model.households
    res = hh.status != 4
    per_person = hh.consumption_month * 12.0 / np.maximum(hh.size, 1)
    poor = per_person < poverty_line_per_person(model.setting, model.world.params)
    without = res & (hh.members_abroad == 0) & (hh.parent < 0)
    with_family = res & (hh.members_abroad > 0)
    assert without.mean() == pytest.approx(0.27, abs=0.03)
    assert poor[without].mean() > 3 * poor[with_family].mean()


def test_a_seasonal_workers_earnings_reach_the_household() -> None:
    """While a worker is away, the pay sent home each month enters the household's resources
    and the seasonal remittance count; after the season it stops."""
    w = hand_built_world(
        [
            {"seasonal_left": 2, "seasonal_pay": 600.0, "savings": 0.0},
            {"seasonal_left": 0, "seasonal_pay": 0.0, "savings": 0.0},
        ]
    )
    income_and_savings(w, calm_month(), _no_hit(2))
    hh = w.households
    diaspora = hh.remittances_month[1]  # the same members abroad, without the worker
    assert hh.remittances_month[0] - diaspora == pytest.approx(600.0)
    assert w.counts["remittances_seasonal_usd"] == pytest.approx(600.0)
    assert hh.income_month[0] - hh.income_month[1] == pytest.approx(600.0)
    assert hh.seasonal_left[0] == 1
    for _ in range(2):
        w.begin_month()
        income_and_savings(w, calm_month(), _no_hit(2))
    assert hh.remittances_month[0] == pytest.approx(hh.remittances_month[1])


@pytest.mark.parametrize("seed", [2, 3])
def test_the_fitted_remittance_total_holds_with_remittances_to_the_surveyed_share(
    seed: int,
) -> None:
    """Sharing Tonga's diaspora among 73% of households leaves its national total in range."""
    (name,) = REMITTANCES_FITTED
    assert load_setting(name).remittance_households_share is not None
    assert 1 / 1.5 <= _remittances(name)(seed) <= 1.5


@pytest.mark.parametrize(
    ("name", "line_ec"),
    [("grenada", 5_842), ("dominica", 6_230), ("antigua-barbuda", 6_318),
     ("st-vincent-grenadines", 5_523)],
)  # fmt: skip
def test_caribbean_lines_are_the_cpa_lines_at_the_ec_dollar_peg(name: str, line_ec: int) -> None:
    """Each Caribbean setting's poverty line is its Country Poverty Assessment's line per adult
    a year in EC$ at the Eastern Caribbean Central Bank's peg (EC$2.70 per US$), to the US$10
    the setting file rounds to, and is compared per adult equivalent."""
    setting = load_setting(name)
    assert setting.poverty_line_unit == "adult_equivalent"
    assert setting.poverty_line_usd == pytest.approx(line_ec / 2.7, abs=10.0)


def test_every_sourced_headcount_is_a_poverty_target_kept_out_of_the_fit() -> None:
    """Grenada's and Antigua's CPA headcounts and the Marshall Islands' census estimate are
    validation targets beside the earlier ones, each out-of-sample but Tuvalu's."""
    names = {t.name: t for t in _poverty_targets()}
    for name in POVERTY_SETTINGS:
        setting = load_setting(name)
        target = names[f"{setting.title}: poverty in the first year (share of people)"]
        assert target.low < setting.poverty_headcount < target.high
        assert target.fitted == (name in POVERTY_FITTED)
    assert {"grenada", "antigua-barbuda", "marshall-islands"} <= set(POVERTY_SETTINGS)


def test_a_storm_raises_poverty_among_the_households_it_damaged() -> None:
    """The mechanism behind the assessments' "people pushed into poverty": 400 like households
    with no savings and no family abroad, with a third more than the line per person; a storm
    (70 m/s; the hand-built homes' half-damage wind is 60, without the homes' extra V½ fitted on
    Winston, which this test is not about) strikes the outer island only.
    In the storm's month the damaged lose livelihood (``damage_income_loss`` per unit of
    damage) and those who lose more than the margin above the line fall below it; the spared
    island's households stay above it, and among the struck the poor are the more damaged."""
    n = 400
    households = [
        {"home_island": i % 2, "island": i % 2, "income": 8000.0, "savings": 0.0,
         "members_abroad": 0}
        for i in range(n)
    ]  # fmt: skip
    w = hand_built_world(households, params={"cyclones.home_half_damage_extra_ms": 0.0})
    storm = MonthHazards(wind_ms=np.array([0.0, 70.0]), king_tide=np.zeros(2, bool), drought=False)
    hit = damage(w, storm)
    income_and_savings(w, storm, hit)
    hh = w.households
    line = poverty_line_per_person(w.setting, w.params)
    poor = hh.consumption_month * 12.0 / hh.size < line
    struck, spared = hh.home_island == 1, hh.home_island == 0
    assert hh.damage[spared].max() == 0.0
    assert not poor[spared].any()
    assert poor[struck].mean() > 0.3
    assert hh.damage[struck & poor].mean() > hh.damage[struck & ~poor].mean()
    # the margin: with no savings a household falls below the line exactly when damage takes
    # more than a quarter of its livelihood (8,000 a year against the line's 5 x 1,200 = 6,000)
    loss = w.params.economy.damage_income_loss * hh.damage
    assert np.array_equal(poor[struck], loss[struck] > 0.25 + 1e-6) or (
        not (poor & (loss < 0.2499)).any() and not (~poor & struck & (loss > 0.2501)).any()
    )


def test_taking_remittances_away_adds_most_poor_where_households_live_on_them() -> None:
    """The static counterfactual of the poverty assessments: without the month's remittances
    more people fall below the line, and more so in Tonga (remittances about 60 % of resources)
    than in Vanuatu (about 7 %), where the ratio stays near one."""
    tonga = poverty_without_remittances("tonga", 1)
    vanuatu = poverty_without_remittances("vanuatu", 1)
    assert 1.0 <= vanuatu < 1.5
    assert tonga > vanuatu + 1.0


def _floor_world(line: float) -> World:
    """Three like households of 5 (no family abroad, no disability) on a setting whose
    consumption floor is US$600 a person and whose line is ``line``: one earning US$2,400 with
    US$2,000 saved, one earning 2,400 with nothing saved, one earning 12,000."""
    setting = _setting(consumption_floor_usd=600.0, poverty_line_usd=line)
    households = [
        {"income": 2400.0, "savings": 2000.0, "members_abroad": 0},
        {"income": 2400.0, "savings": 0.0, "members_abroad": 0},
        {"income": 12000.0, "savings": 2000.0, "members_abroad": 0},
    ]
    return hand_built_world(households, setting=setting, params=_PLAIN)


def test_the_consumption_floor_binds_consumption_and_the_line_only_measures() -> None:
    """ODD 7.6: a household consumes at least the floor (US$600 a person a year: 250 a month
    for 5 people) while its savings last, whatever the line. The first household's 0.9 x 200 a
    month is below the floor, so it consumes 250 and draws 50 from its savings; the second,
    with nothing saved, consumes its 200; the third, above, consumes 0.9 of its 1,000. With
    the line at 1,200 and at 2,000 every household consumes and saves the same; only the
    measure moves (at 1,200 the two poor households are below it, the third is not; at 2,000
    the third, consuming 2,160 a person, is still above it, and 600 a person is below both)."""
    worlds = {line: _floor_world(line) for line in (1200.0, 2000.0)}
    for w in worlds.values():
        assert consumption_floor_per_person(w.setting, w.params) == 600.0
        income_and_savings(w, calm_month(), _no_hit(3))
    low, high = worlds[1200.0].households, worlds[2000.0].households
    assert low.consumption_month[0] == pytest.approx(250.0)
    assert low.consumption_month[1] == pytest.approx(200.0)
    assert low.consumption_month[2] == pytest.approx(900.0)
    assert np.array_equal(low.consumption_month, high.consumption_month)
    assert np.array_equal(low.savings, high.savings)
    # the first household drew on its savings to reach the floor: 2,000 - 50, less the month's
    # obligations and calls
    assert low.savings[0] < 2000.0 - 50.0 + 1e-9
    for w in worlds.values():
        line = poverty_line_per_person(w.setting, w.params)
        per_person = w.households.consumption_month * 12.0 / w.households.size
        assert list(per_person < line) == [True, True, False]


def test_without_a_floor_of_its_own_a_setting_consumes_at_least_its_line() -> None:
    """The fallback: a setting without ``consumption_floor_usd`` (Fiji, Tonga, Tuvalu, the
    Caribbean CPAs) keeps the line as its floor, so there a line does decide consumption."""
    setting = _setting(poverty_line_usd=1200.0)
    params = load_parameters(_PLAIN)
    assert setting.consumption_floor_usd is None
    assert consumption_floor_per_person(setting, params) == poverty_line_per_person(setting, params)
    ae = setting.model_copy(update={"poverty_line_unit": "adult_equivalent"})
    assert consumption_floor_per_person(ae, params) == pytest.approx(
        1200.0 * params.economy.adult_equivalents_per_person
    )


def _kiribati_run(line: float, floor: float | None) -> MobilityModel:
    setting = load_setting("kiribati").model_copy(
        update={"poverty_line_usd": line, "consumption_floor_usd": floor}
    )
    model = MobilityModel(setting, years=2, seed=4, scale=20, island_table=False)
    for _ in range(24):
        model.step()
    return model


def test_changing_the_line_changes_the_poverty_measure_and_nothing_else() -> None:
    """Kiribati, two years at scale 20, seed 4, its floor fixed: the line at US$690 or 1,200 a
    person gives the same households, savings, moves and monthly totals, month for month, and
    only the poverty rate differs. Without a floor of its own (the line decides consumption,
    as before the seventh session), the same change of line moves savings."""
    floor = load_setting("kiribati").consumption_floor_usd
    assert floor is not None
    a, b = _kiribati_run(690.0, floor), _kiribati_run(1200.0, floor)
    assert np.array_equal(a.households.savings, b.households.savings)
    assert np.array_equal(a.households.status, b.households.status)
    assert np.array_equal(a.households.island, b.households.island)
    da, db = a.monthly(), b.monthly()
    others = [c for c in da.columns if c != "poverty_rate"]
    assert da[others].equals(db[others])
    assert (db["poverty_rate"] > da["poverty_rate"] + 0.1).all()
    c, d = _kiribati_run(690.0, None), _kiribati_run(1200.0, None)
    assert not np.array_equal(c.households.savings, d.households.savings)


@pytest.mark.parametrize("value", [-1.0, 0.0, float("nan"), "600", True, 1e308])
def test_a_bad_consumption_floor_is_refused_naming_it(value: object) -> None:
    data = SETTING.model_dump() | {"consumption_floor_usd": value}
    with pytest.raises(ValidationError, match="consumption_floor_usd"):
        Setting.model_validate(data)
    Setting.model_validate(data | {"consumption_floor_usd": 600.0})
