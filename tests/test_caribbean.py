"""The Caribbean settings' livelihoods backed out of their Country Poverty Assessments (issues 8
and 10, seventh session; issue 10 item 7).

No survey mean consumption of the four CPAs (Kairi Consultants for the CDB: St Vincent 2007-08,
Dominica 2008-09, Grenada 2007-08, Antigua and Barbuda 2005-06) could be read, so each setting's
``household_income_usd`` is the one number at which a log-normal of the setting's sigma puts the
CPA's headcount below the CPA's line: mean consumption per person m = line per person x
exp(sigma^2 / 2 - sigma Phi^-1(headcount)), times household size, over
``economy.consumption_share``, less the remittances the model adds on top in year 1 (Fiji's
arithmetic, fifth session). The poverty target is then fitted; remittances, net migration and
the hurricane hindcasts stay out-of-sample.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.model import MobilityModel
from hsmobility.run import run_scenario
from hsmobility.validate import POVERTY_FITTED, TARGETS, first_year_poverty, net_migration_per_1000
from hsmobility.world.households import poverty_line_per_person

#: remittances (all sources) per resident household the model adds in year 1, US$, seed 1, as
#: netted out of each livelihood in its setting file (measured with the backed-out livelihood)
REMITTANCES_YEAR1 = {
    "grenada": 1600.0,
    "st-vincent-grenadines": 1220.0,
    "dominica": 1658.0,
    "antigua-barbuda": 1092.0,
}
#: the livelihoods they replace: GDP per capita x household size x 0.6 [approx]
GDP_BASED = {
    "grenada": 20400.0,
    "st-vincent-grenadines": 19000.0,
    "dominica": 16000.0,
    "antigua-barbuda": 36000.0,
}
CARIBBEAN = tuple(sorted(REMITTANCES_YEAR1))


def backed_out_mean_consumption(name: str) -> float:
    """Mean consumption per person, US$ a year, of the log-normal (the setting's sigma) that puts
    the CPA headcount below the CPA line per person."""
    s = load_setting(name)
    assert s.poverty_headcount is not None
    line = poverty_line_per_person(s, load_parameters({}))
    sigma = s.income_sigma
    return float(line * np.exp(sigma**2 / 2 - sigma * norm.ppf(s.poverty_headcount)))


def backed_out_livelihood(name: str) -> float:
    """The livelihood the arithmetic gives: m x household size / consumption_share, less the
    model's year-1 remittances per household."""
    s = load_setting(name)
    share = load_parameters({}).economy.consumption_share
    return backed_out_mean_consumption(name) * s.household_size / share - REMITTANCES_YEAR1[name]


@pytest.mark.parametrize("name", CARIBBEAN)
def test_livelihood_is_backed_out_of_the_cpa_headcount_at_its_line(name: str) -> None:
    """Each file's livelihood is the arithmetic's, to the US$100 the files round to, its
    poverty target is marked fitted, and it is well below the GDP-based prior it replaces
    (half or less: survey consumption is far below GDP per capita x 0.6 here)."""
    s = load_setting(name)
    assert s.household_income_usd == pytest.approx(backed_out_livelihood(name), abs=50.0)
    assert name in POVERTY_FITTED
    assert s.household_income_usd < 0.7 * GDP_BASED[name]
    title = f"{s.title}: poverty in the first year (share of people)"
    target = next(t for t in TARGETS if t.name == title)
    assert target.fitted


@pytest.mark.parametrize("name", CARIBBEAN)
def test_first_year_poverty_is_the_lognormal_share_and_remittances_are_as_netted(name: str) -> None:
    """Seed 1, a run from the survey's year (``income_year``, as the target runs): the model's
    remittances per household in year 1 are the ones netted out of the livelihood (within 5 %),
    and its first-year poverty (months 7-12, as the target) is the log-normal's share below the
    line, the CPA headcount, less at most 0.04 (remittances reach
    some households and lift the bottom of the distribution) and at most 0.01 above it. With the
    GDP-based livelihoods it was 0.06-0.15, against headcounts of 0.18-0.38."""
    s = load_setting(name)
    r = run_scenario(name, seed=1, years=1, scale=1, island_table=False, start_year=s.income_year)
    m = r.monthly
    remittances = float(m["remittances_usd"].iloc[:12].sum()) / r.summary["households_start"]
    assert remittances == pytest.approx(REMITTANCES_YEAR1[name], rel=0.05)
    sigma = s.income_sigma
    line = poverty_line_per_person(s, load_parameters({}))
    analytic = norm.cdf((np.log(line / backed_out_mean_consumption(name)) + sigma**2 / 2) / sigma)
    assert analytic == pytest.approx(s.poverty_headcount, abs=1e-9)
    poverty = float(m["poverty_rate"].iloc[6:12].mean())
    assert analytic - 0.04 <= poverty <= analytic + 0.01, (poverty, analytic)


def test_grenadas_net_migration_is_in_range_on_several_seeds() -> None:
    """Out-of-sample (nothing of Grenada's was fitted to it): with the GDP-based livelihood
    (20,400) 1,138 households took the OECS free movement in ten years (seed 1) and net
    migration 2010-20 was -5.2 per 1,000 a year (seeds 1-3) against the WPP's -1.8 (range -4.8
    to 1.2); with the livelihood of its CPA fewer can pay the move (536 households) and the mean
    of seeds 1-3 is in range (-3.4), each seed within half the range's width of it."""
    target = next(t for t in TARGETS if t.name.startswith("Grenada: net migration"))
    assert not target.fitted
    rates = [net_migration_per_1000("grenada", seed) for seed in (1, 2, 3)]
    assert target.low <= np.mean(rates) <= target.high, rates
    slack = (target.high - target.low) / 2
    assert all(target.low - slack <= r <= target.high + slack for r in rates), rates


def _remittances_year2(setting: Setting, seed: int) -> float:
    r = run_scenario(setting, seed=seed, years=2, scale=1, island_table=False)
    return float(r.monthly["remittances_usd"].iloc[12:24].sum())


def test_st_vincents_remittances_do_not_follow_its_livelihood() -> None:
    """Why St Vincent's remittances miss (0.58 of the World Bank's 2022-23 mean on seeds 1-3,
    tests/test_remittances.py): not the livelihood. Seed 1, the run's second year: with the
    GDP-based 19,000 and the CPA's 9,300 the total is the same within 2 % (the diaspora sends
    what its earnings abroad allow, whatever the household at home earns), and it is the
    diaspora's rate per member times its 61,000 people, plus a few per cent from the run's
    emigrants and seasonal workers: about US$47 million, near the World Bank's 2017 value (US$42
    million) and far from its 2022-23 mean (US$80 million), which the flat UN DESA stock abroad
    (55,435 in 2010, 55,525 in 2020) does not explain."""
    s = load_setting("st-vincent-grenadines")
    now = _remittances_year2(s, 1)
    before = _remittances_year2(s.model_copy(update={"household_income_usd": 19000.0}), 1)
    assert now == pytest.approx(before, rel=0.02)
    assert s.remittances_usd_per_year is not None
    assert 0.5 < now / s.remittances_usd_per_year < 0.667
    assert 1.0 < now / 42e6 < 1.5
    assert sum(d.diaspora for d in s.destinations) == 61000


#: the surveys' years: the CPAs' second years (St Vincent and Grenada 2007-08, Dominica 2008-09,
#: Antigua and Barbuda 2005-06)
SURVEY_YEAR = {"st-vincent-grenadines": 2008, "grenada": 2008, "dominica": 2009,
               "antigua-barbuda": 2006}  # fmt: skip


@pytest.mark.parametrize("name", CARIBBEAN)
def test_the_survey_years_livelihood_is_grown_to_the_start_year(name: str) -> None:
    """Issues 8 and 10, eighth session: each livelihood is its CPA year's, and a run starting
    later starts from it grown at the file's ``income_growth`` (World Bank real GDP per capita,
    2000-2019): St Vincent's US$9,300 of 2008 is US$14,388 in 2025 (x 1.026^17), not 9,300. The
    same seed draws the same households, so every starting livelihood is the survey year's
    times that factor; the first-year poverty target runs from the survey year."""
    s = load_setting(name)
    assert s.income_year == SURVEY_YEAR[name]
    factor = (1.0 + s.income_growth) ** (2025 - s.income_year)
    assert s.at_year(2025).household_income_usd == pytest.approx(s.household_income_usd * factor)
    assert s.at_year(s.income_year) is s  # nothing to change in the survey's own year
    at_survey = MobilityModel(name, seed=1, years=1, start_year=s.income_year)
    at_2025 = MobilityModel(name, seed=1, years=1, start_year=2025)
    then, now = at_survey.households.income, at_2025.households.income
    assert len(then) == len(now)
    np.testing.assert_allclose(now, then * factor, rtol=1e-12)
    target = next(t for t in TARGETS if t.name == f"{s.title}: poverty in the first year "
                  "(share of people)")  # fmt: skip
    assert target.low <= first_year_poverty(name, 1) <= target.high


def test_a_setting_without_a_survey_year_keeps_one_livelihood_for_every_start() -> None:
    s = load_setting("tonga")
    assert s.income_year is None
    assert s.at_year(2010).household_income_usd == s.household_income_usd
    assert s.livelihood_in(2040) == s.household_income_usd
