"""Fiji's emigration and remittances (issue 8, eighth session): its PALM streams recruit by the
counts of Fijian PALM workers the file cites, its RSE places are the count of Fijians working in
New Zealand in May 2025, its diaspora is the UN DESA stock of 2020 grown by the net departures
of 2022-2023, its family routes' fees are the parameter refitted to its net migration, and the
file's net-migration observation is not UN WPP's, which the file cites."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from hsmobility import validate as validate_module
from hsmobility.config.scenario import load_setting
from hsmobility.validate import TARGETS, emigrant_stock_observed

SETTING_FILE = Path(__file__).resolve().parents[1] / "scenarios" / "settings" / "fiji.toml"

#: Fijian PALM visa holders in Australia, both streams: June 2019 and May 2024 (Home Affairs
#: visa data, Curtain and Howes, Devpolicy 2024), May 2025 (Fiji's Minister for Employment)
PALM_COUNTS = {2019: 266, 2024: 6379, 2025: 10_500}
#: UN DESA Fiji-born abroad, mid-2020; net departures of Fijian residents 2022 and 2023 ("more
#: than 40,000 in each", Howes and Liu); Fijian PALM workers of May 2024, seasonal workers here
STOCK_2020, DEPARTURES_2022_23, PALM_2024 = 233_856, 2 * 40_000, 6379


@pytest.fixture(scope="module")
def fiji():
    return load_setting("fiji")


def _pathway(setting, name):
    return next(p for p in setting.pathways if p.name == name)


@pytest.mark.parametrize("name", ["palm", "palm-long"])
def test_the_palm_streams_recruit_by_the_cited_counts_of_fijian_workers(fiji, name) -> None:
    """Each stream's places in a season are today's places x the count of its year / the
    count of May 2025: 2.5 % of today's in 2019 and before (the long stream was today's 3,000
    from July 2018 before), 61 % in 2024, linear between (so ~1,370 long-stay places in
    2020, not 3,000), and today's from 2025."""
    stream = _pathway(fiji, name)
    today = stream.quota_per_year
    for year, count in PALM_COUNTS.items():
        assert abs(stream.quota_in(year) - today * count / PALM_COUNTS[2025]) < 1.0, year
    assert stream.quota_in(2015) == stream.quota_in(2019)  # held before the first count
    assert stream.quota_in(2030) == today
    middle = stream.quota_in(2021)
    assert stream.quota_in(2019) < middle < stream.quota_in(2024)
    assert {"palm-fiji-2024", "palm-fiji-2025"} <= set(fiji.sources)
    assert "266 in June 2019 and 6,379 in May 2024" in fiji.sources["palm-fiji-2024"]
    assert "over 10,500" in fiji.sources["palm-fiji-2025"]


def test_the_rse_places_are_the_fijians_working_in_new_zealand_in_may_2025(fiji) -> None:
    rse = _pathway(fiji, "rse")
    assert rse.quota_per_year == 4600 and not rse.quota_counts
    assert "4,600 in New Zealand" in fiji.sources["palm-fiji-2025"]


def test_the_diaspora_is_the_2020_stock_grown_by_the_departures_of_2022_and_2023(fiji) -> None:
    """Held at the UN DESA 2020 stock (its four destinations in the seventh session's shares)
    up to 2020, so the 2010-2020 runs are unchanged; 307,477 from 2023 (233,856 + 80,000 -
    6,379), in the same shares; linear between."""

    def total(year: int) -> int:
        return sum(d.diaspora for d in fiji.at_year(year).destinations)

    assert abs(total(2010) - STOCK_2020) <= 2 and total(2010) == total(2020)
    assert abs(total(2023) - (STOCK_2020 + DEPARTURES_2022_23 - PALM_2024)) <= 2
    assert total(2025) == total(2023) == sum(d.diaspora for d in fiji.destinations)
    assert total(2020) < total(2021) < total(2023)
    shares = [np.array([d.diaspora for d in fiji.at_year(y).destinations]) for y in (2020, 2023)]
    assert np.allclose(shares[0] / shares[0].sum(), shares[1] / shares[1].sum(), atol=1e-5)
    assert "more than 40,000 in each of 2022 and 2023" in fiji.sources["howes-liu-2024"]


def test_the_family_fees_carry_the_net_migration_fit_and_the_stock_stays_out(fiji) -> None:
    """The four family routes' fee is the refitted parameter (marked so in the file, beside its
    target), Fiji's WPP target is fitted and its emigrant-stock target is not."""
    family = [c for c in fiji.channels if c.route == "family"]
    assert {c.name for c in family} == {"au-family", "nz-family", "us-family", "canada-family"}
    assert all(c.cost_usd == 0 for c in family)
    text = SETTING_FILE.read_text()
    fees = re.findall(r"^cost_usd = 0 +#(.*)$", text, re.M)
    fitted = [f for f in fees if "[fitted" in f and "net migration" in f]
    assert len(fitted) == 4 and len(fees) == 6  # and the two skilled routes' (below)
    assert "fiji" in validate_module.NET_MIGRATION_FITTED
    assert "fiji" not in validate_module.NET_MIGRATION_TRUSTS_STOCK
    stock = next(t for t in TARGETS if t.name.startswith("Fiji: natives' net migration"))
    assert not stock.fitted


def _cited(text: str, label: str) -> list[float]:
    """The numbers a source string lists after ``label`` (up to the next semicolon)."""
    found = re.search(re.escape(label) + r"(.*?)(;|$)", text)
    assert found is not None, label
    return [float(x) for x in re.findall(r"-?\d+\.\d+", found.group(1))]


#: the census nights: 16 Sep 2007 and 17 Sep 2017; the share of each end year inside the decade
CENSUS_YEAR_WEIGHTS = [0.29] + [1.0] * 9 + [0.71]


def test_the_observation_is_the_census_balance_of_2007_2017(fiji) -> None:
    """The fitted observation (ninth session) is Fiji's residents' net migration over its two
    censuses: the population change less the decade's births less deaths, from the counts the
    file cites (WPP 2024's yearly births and deaths, 2007-2017, weighted by the census nights),
    on the mean population of the two censuses; the civil registry's births of 2010-2014 in
    place of WPP's move it to -8.44; WPP's own rates (cited) average -11.8 and the stock implies
    -7.3, both further from the Bureau's old -5.8."""
    sources = fiji.sources
    assert "884,887" in sources["census2017-release"] and "837,271" in sources["census2017-release"]
    growth = 884_887 - 837_271
    births = _cited(sources["wpp2024-vital"], "Fiji births")
    deaths = _cited(sources["wpp2024-vital"], "; deaths ")
    assert len(births) == len(deaths) == 11
    yearly = zip(CENSUS_YEAR_WEIGHTS, births, deaths, strict=True)
    natural = 1000 * sum(w * (b - d) for w, b, d in yearly)
    assert natural == pytest.approx(122_368, abs=2)
    mean_population = (884_887 + 837_271) / 2
    rate = (growth - natural) / 10 / mean_population * 1000
    assert rate == pytest.approx(-8.68, abs=0.005)
    assert fiji.net_migration_per_1000 == pytest.approx(rate, abs=0.05)
    registered = [22_220, 19_547, 18_434, 18_633, 18_251]
    assert all(f"{n:,}" in sources["fbos-vital-2017"] for n in registered)
    wpp_2010_14 = 1000 * sum(births[3:8])
    with_registry = (growth - natural + wpp_2010_14 - sum(registered)) / 10 / mean_population * 1000
    assert with_registry == pytest.approx(-8.44, abs=0.005)
    cited = re.search(r"Fiji 2010-2019: .*?thousand \(mean -10\.81\); (.*?) per 1,000",
                      sources["wpp2024-mig"])  # fmt: skip
    assert cited is not None
    rates = [float(x) for x in cited.group(1).split(", ")]
    assert len(rates) == 10 and np.mean(rates) == pytest.approx(-11.80, abs=0.005)
    assert emigrant_stock_observed("fiji") == pytest.approx(-7.3, abs=0.05)
    fbos = np.mean([4949, 5391, 5022]) / 860_000 * 1000
    assert fbos == pytest.approx(5.8, abs=0.2)
    assert fbos < -emigrant_stock_observed("fiji") < -rate < -np.mean(rates)


def test_the_skilled_fees_count_the_visa_once_and_the_student_shows_a_years_living(fiji) -> None:
    """Ninth session: the skilled routes' fee is 0 beyond the destination's move cost, which holds
    the visa (not fitted: the same double count as the family routes' was), and they ask no
    evidence of funds; the student route asks to see the first year's living costs the cited
    Australian rule sets (A$19,830 from July 2016) at ~0.75 US$/A$, beside its fee and the move."""
    by_name = {c.name: c for c in fiji.channels}
    text = SETTING_FILE.read_text()
    for name in ("au-skilled", "nz-skilled"):
        assert by_name[name].cost_usd == 0 and by_name[name].funds_shown_usd == 0
    assert len(re.findall(r"^cost_usd = 0 +#.*the visa was counted twice", text, re.M)) == 2
    student = by_name["au-student"]
    assert "AUD 19,830 from 1 July 2016" in fiji.sources["au-student-funds"]
    assert student.funds_shown_usd == pytest.approx(19_830 * 0.75, rel=0.01)
    assert all(c.funds_shown_usd == 0 for c in fiji.channels if c.route != "student")
