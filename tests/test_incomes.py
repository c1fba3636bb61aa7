"""Home incomes from household surveys, remittances from earnings abroad (issue 10 item 7,
issue 8 item 3).

The livelihood at home starts at the setting's survey mean (the World Bank PIP mean consumption
per person where the national poverty line is a consumption line), and what the older diaspora sends
home depends on its earnings abroad (``diaspora_earnings_usd``), not on income at home: sourcing
home incomes from the surveys must not move remittances.
"""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world
from scipy.stats import norm

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.phases.economy import diaspora_remittance_per_member, income_and_savings
from hsmobility.phases.impacts import Hit
from hsmobility.run import run_scenario
from hsmobility.validate import (
    _REMITTANCE_SCALE,
    POVERTY_FITTED,
    POVERTY_TOLERANCE,
    TARGETS,
    _kiribati_outer_leave,
    first_year_poverty,
)
from hsmobility.world.households import initial_households, poverty_line_per_person

#: World Bank Poverty and Inequality Platform (release 20220810_2017_01_02_PROD, svy_lkup and
#: dist_stats): mean consumption per person per day in local currency at survey-year prices,
#: the currency's US$ value [approx exchange rate, as in the setting files], and the Gini of
#: consumption per person; with the remittances per household the model adds on top in year 1
#: (all sources, seed 1), as the setting files derive ``household_income_usd`` from them (survey
#: consumption x household size / ``economy.consumption_share``, less these; issue 8, sixth
#: session)
SURVEYS = {
    # setting: (survey_mean_lcu per day, US$ per unit, gini, remittances per household US$)
    # Kiribati: the sixth session's US$531 x 21.9 / 10.6 (seed 1's year-1 totals with seasonal
    # workers away from the start and the pay split over those without; ninth session)
    "kiribati": (6.0946, 0.69, 0.278, 1097.0),
    "marshall-islands": (11.9423, 1.0, 0.355, 5114.0),
    # Tonga: the part of its US$11,794 (year 1: the eighth session's 9,834 of seeds 1-3 x
    # 219.3 / 174.0, seed 1's year-1 totals with seasonal workers away from the start and the
    # pay split over those without, x 200.4 / 219.2, with the seasonal schemes' sourced places
    # by year over the [approx] ones, x 208.5 / 200.3 with the sourced pay a season over the
    # [approx] pay) that reaches household budgets, x remittance_budget_share 0.71 (issue 8,
    # eighth, ninth, eleventh and twelfth sessions)
    "tonga": (17.0692, 0.47, 0.376, 0.71 * 11794.0),
    "vanuatu": (677.87, 1 / 115, 0.323, 718.0),
}
#: Fiji HIES 2019-20 (PIP, consumption): FJ$8.2259 a person a day at ~0.46 US$/FJ$, Gini 0.307;
#: its livelihood is that consumption divided by ``economy.consumption_share`` (so that the
#: model's mean consumption is the survey's), less the ~US$1,449 a household of remittances the
#: model adds on top in year 1 (fiji.toml; issues 8 and 10, fifth session; re-derived with the
#: diaspora dated to 2023, issue 8, eighth session: was 966)
FIJI_SURVEY = (8.2259, 0.46, 0.307, 1449.0)


def survey_consumption_per_person_usd(name: str) -> float:
    """The survey's mean consumption per person, US$ a year."""
    lcu, usd, _, _ = FIJI_SURVEY if name == "fiji" else SURVEYS[name]
    return lcu * 365 * usd


def _no_hit(n: int) -> Hit:
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


@pytest.mark.parametrize("name", sorted(SURVEYS))
def test_mean_starting_livelihood_is_the_survey_consumption_net_of_remittances(name: str) -> None:
    """All households of the setting at scale 1: the mean livelihood they start with is the
    survey's mean consumption per person x household size / ``economy.consumption_share``, less
    the remittances the model adds on top, times the island income factors' mean over people,
    within four standard errors (plus the setting file's rounding to US$100); and the spread is
    the Gini's sigma."""
    setting = load_setting(name)
    _, _, gini, remittances = SURVEYS[name]
    share = load_parameters({}).economy.consumption_share
    per_household = survey_consumption_per_person_usd(name) * setting.household_size
    expected = per_household / share - remittances
    assert setting.household_income_usd == pytest.approx(expected, abs=60.0)
    assert setting.income_sigma == pytest.approx(np.sqrt(2) * norm.ppf((gini + 1) / 2), abs=0.006)
    pop = sum(i.population for i in setting.islands)
    factor = sum(i.population * i.income_factor for i in setting.islands) / pop
    cols = initial_households(setting, load_parameters({}), 1, np.random.default_rng(3))
    income = cols["income"]
    standard_error = income.std() / np.sqrt(len(income))
    # households, not people, weight the island factors: allow 1 % for the difference
    tolerance = 4 * standard_error + 60.0 + 0.01 * expected
    assert abs(income.mean() - expected * factor) < tolerance


#: the basic-needs lines backed out of the headcounts (issue 10 item 7, docs/validation.md,
#: sixth session): no source gives Tonga's HIES 2021 line, so its line is the one at which its
#: first-year poverty on seeds 1-3 is its sourced headcount, with the livelihood re-derived as
#: Fiji's (survey consumption x size / ``consumption_share`` - remittances, branch ``migadm``).
#: Kiribati's (no line found) and the Marshall Islands' (the ADB's census line puts 0.5 % below
#: it) were backed out with their consumption floors fixed (seventh session). Tonga's refitted
#: 2140 -> 1820 with its receivers' remittances rising with their livelihood
#: (``remittance_income_elasticity`` 0.5, issue 8, seventh session), and 1820 -> 1860 with the
#: livelihood re-derived from the remittances that reach household budgets (eighth session);
#: Tonga's 1860 -> 2130 with seasonal workers away from the start and the pay split (ninth
#: session), 2130 -> 2020 with the seasonal schemes' places by year (eleventh), 2020 -> 1960
#: with the pay a season from sources (twelfth); Kiribati's 760
#: kept, its livelihood re-derived for the same reason; the Marshall Islands' 2600 -> 2680 with
#: Kwajalein's livelihood as Majuro's (ninth session)
FITTED_LINES = {"tonga": 1960.0, "kiribati": 760.0, "marshall-islands": 2680.0}


def rederived_livelihood(name: str) -> float:
    """Fiji's arithmetic on a PIP setting: the survey's mean consumption per person x household
    size / ``economy.consumption_share``, less the remittances the model adds on top in year 1,
    to the US$100 the setting files round to (Tonga 10,200)."""
    setting = load_setting(name)
    share = load_parameters({}).economy.consumption_share
    per_household = survey_consumption_per_person_usd(name) * setting.household_size
    return round((per_household / share - SURVEYS[name][3]) / 100.0) * 100.0


def _first_year_poverty_with(name: str, seed: int, **update: float) -> float:
    """:func:`first_year_poverty` with the setting's inputs updated."""
    setting = load_setting(name).model_copy(update=update)
    r = run_scenario(setting, seed=seed, years=1, scale=_REMITTANCE_SCALE.get(name, 1),
                     island_table=False)  # fmt: skip
    return float(r.monthly["poverty_rate"].iloc[6:12].mean())


@pytest.mark.parametrize("name", sorted(FITTED_LINES))
def test_a_fitted_line_gives_the_sourced_headcount_with_the_rederived_livelihood(
    name: str,
) -> None:
    """The file's line is the backed-out one, and it does what it was fitted for: with the
    livelihood re-derived over ``consumption_share``, the mean first-year poverty of seeds 1-3
    is the setting's headcount within 0.01 (the bisection stopped within 0.003). The line is
    a fitted number, and its target is marked fitted; the old lines gave 0.065 (Tonga's
    [approx] US$1,000, seed 1), 0.436 (Kiribati's [approx] 1,200) and 0.005 (the Marshall
    Islands' ADB 740), seeds 1-3."""
    setting = load_setting(name)
    assert setting.poverty_line_usd == FITTED_LINES[name]
    assert name in POVERTY_FITTED
    assert setting.poverty_headcount is not None
    income = rederived_livelihood(name)
    mean = np.mean([_first_year_poverty_with(name, s, household_income_usd=income)
                    for s in (1, 2, 3)])  # fmt: skip
    assert mean == pytest.approx(setting.poverty_headcount, abs=0.01)


def _lognormal_poor_share(name: str, gini: float) -> float:
    """Share of people below the setting's line (per person) if consumption were log-normal
    with the survey's mean and the sigma of its Gini."""
    sigma = np.sqrt(2) * norm.ppf((gini + 1) / 2)
    line = poverty_line_per_person(load_setting(name), load_parameters({}))
    mean = survey_consumption_per_person_usd(name)
    return float(norm.cdf((np.log(line / mean) + sigma**2 / 2) / sigma))


#: Kiribati Food Security Profile (KNSO, FAO and SPC, from HIES 2019-20): the lowest dietary
#: energy consumption, kcal a person a day; the lowest expenditure tercile's cost of 1,000 kcal,
#: AUD; the average spent on food, AUD a person a day
KIRIBATI_FOOD = (2090.0, 1.0, 3.5)


def test_kiribatis_floor_is_the_food_cost_over_the_food_share() -> None:
    """Kiribati's consumption floor is its food (2,090 kcal at the poorest tercile's price)
    over the share of food in the survey's mean consumption, in US$ at the file's rate; and it
    is, within 2 %, the line below which a log-normal with the survey's mean and Gini puts the
    21.8 % headcount (US$914): the floor built from the food data is where the survey's own
    distribution puts its basic-needs line. The model's backed-out line is lower (its resources
    per person are more spread) and so sits below the floor."""
    kcal, price, food = KIRIBATI_FOOD
    lcu, usd, gini, _ = SURVEYS["kiribati"]
    floor = kcal / 1000.0 * price * 365 / (food / lcu) * usd
    setting = load_setting("kiribati")
    assert setting.consumption_floor_usd == pytest.approx(floor, abs=1.0)
    sigma = np.sqrt(2) * norm.ppf((gini + 1) / 2)
    mean = survey_consumption_per_person_usd("kiribati")
    lognormal_line = mean * np.exp(sigma * norm.ppf(setting.poverty_headcount) - sigma**2 / 2)
    assert floor == pytest.approx(lognormal_line, rel=0.02)
    assert setting.poverty_line_usd < floor


def test_fijis_livelihood_is_the_survey_consumption_over_the_consumption_share() -> None:
    """All of Fiji's ~192,000 households at scale 1: the mean livelihood they start with is the
    HIES 2019-20 mean consumption per person x household size / ``consumption_share``, less the
    remittances the model adds on top (within four standard errors plus the file's rounding to
    US$100), and its spread is the consumption Gini's sigma. Without the division by the share
    the model's mean consumption would be a tenth below the survey's; the HIES mean income it
    had before (US$11,300) is far above."""
    setting = load_setting("fiji")
    params = load_parameters({})
    _, _, gini, remittances = FIJI_SURVEY
    per_household = survey_consumption_per_person_usd("fiji") * setting.household_size
    expected = per_household / params.economy.consumption_share - remittances
    assert setting.household_income_usd == pytest.approx(expected, abs=60.0)
    assert setting.income_sigma == pytest.approx(np.sqrt(2) * norm.ppf((gini + 1) / 2), abs=0.006)
    cols = initial_households(setting, params, 1, np.random.default_rng(3))
    income = cols["income"]
    standard_error = income.std() / np.sqrt(len(income))
    assert abs(income.mean() - expected) < 4 * standard_error + 60.0 + 0.01 * expected
    assert income.mean() < 0.75 * 11_300


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fijis_first_year_poverty_follows_its_survey_and_is_its_headcount(seed: int) -> None:
    """Out-of-sample (nothing was fitted to it): with its livelihood from the survey's
    consumption, Fiji's first-year poverty lies between the log-normal share below its line (the
    BNPL per adult equivalent x ``adult_equivalents_per_person``, the survey's mean and Gini)
    and 0.12 above it, and within the target's range of the HIES 2019-20 headcount as revised
    (24.1 %; 29.9 % first released: the revision changed the consumption, not the line); with
    the HIES income it had before it was 0.12."""
    setting = load_setting("fiji")
    analytic = _lognormal_poor_share("fiji", FIJI_SURVEY[2])
    simulated = first_year_poverty("fiji", seed)
    # the model's first year carries the seasonal pay of workers away at the start (ninth
    # session), which the livelihood's derivation predates: 0.236 / 0.232 / 0.235 on seeds 1-3
    # against 0.242 (fiji.toml; was within 0.01 below)
    assert analytic - 0.02 <= simulated <= analytic + 0.12
    assert setting.poverty_headcount is not None
    assert abs(simulated - setting.poverty_headcount) <= POVERTY_TOLERANCE


def test_remittances_per_member_do_not_change_with_income_at_home() -> None:
    """Doubling (or halving) income at home leaves what each member of the diaspora sends, and
    what a household with four members abroad receives in a month, unchanged; earnings abroad
    move it in proportion."""
    richer = SETTING.model_copy(update={"household_income_usd": 2 * SETTING.household_income_usd})
    poorer = SETTING.model_copy(update={"household_income_usd": SETTING.household_income_usd / 2})
    abroad = SETTING.model_copy(update={"diaspora_earnings_usd": 2 * SETTING.diaspora_earnings_usd})
    received = {}
    per_member = {}
    for key, setting in {
        "base": SETTING,
        "richer": richer,
        "poorer": poorer,
        "abroad": abroad,
    }.items():
        w = hand_built_world([{"members_abroad": 4, "income": 6000.0}], setting=setting)
        per_member[key] = diaspora_remittance_per_member(w)
        income_and_savings(w, calm_month(), _no_hit(1))
        received[key] = float(w.households.remittances_month[0])
    assert per_member["richer"] == per_member["base"] == per_member["poorer"]
    assert received["richer"] == received["base"] == received["poorer"] > 0
    assert per_member["abroad"] == pytest.approx(2 * per_member["base"])
    assert received["abroad"] == pytest.approx(2 * received["base"])


@pytest.mark.parametrize("name", ["fiji", "tonga"])
def test_a_settings_diaspora_remittance_rate_ignores_its_home_income(name: str) -> None:
    """On the real settings: Fiji's switch from its HIES income to its survey consumption, or any
    other home income, leaves the diaspora's rate per member where it was."""
    setting = load_setting(name)
    other = setting.model_copy(update={"household_income_usd": 1.5 * setting.household_income_usd})
    a = hand_built_world([{}], setting=setting)
    b = hand_built_world([{}], setting=other)
    assert diaspora_remittance_per_member(a) == diaspora_remittance_per_member(b)
    assert diaspora_remittance_per_member(a) > 0


def test_kiribatis_outer_island_leaving_holds_with_the_livelihood_over_the_share() -> None:
    """Kiribati's `capital_pull` was refitted (1.2 -> 0.0) when its livelihood was divided by
    ``consumption_share`` (8,700 -> 9,700; issue 8, sixth session): with 1.2 the richer
    outer-island households left faster than the survey says (0.28 within 5 years against
    0.11-0.25). On seeds 1-3 every run is in the fitted range. Since the consumption floor is
    its own (US$916 a person, food and basic needs; seventh session) the mean is 0.234, in the
    upper part of the range (0.184 with the [approx] line of US$1,200 as the floor: a lower
    floor leaves poor households more to save for the move), so the mean must stay 0.01 inside
    the range's upper end. Refitted again (0.0 -> -0.8) once households go back from South
    Tarawa (``capital_return_rate``; issue 9, seventh session): 0.180 on seeds 1-3; -0.8 -> -0.9
    once a king tide that leaves a home livable costs no repair (twelfth session): 0.179."""
    target = next(t for t in TARGETS if t.measure is _kiribati_outer_leave)
    assert target.fitted and (target.low, target.high) == (0.11, 0.25)
    assert load_setting("kiribati").capital_pull == -0.9
    shares = [_kiribati_outer_leave(seed) for seed in (1, 2, 3)]
    assert all(target.low <= s <= target.high for s in shares), shares
    assert 0.15 < np.mean(shares) < target.high - 0.01, shares
