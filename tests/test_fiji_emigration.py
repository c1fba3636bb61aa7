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
    assert len(fees) == 4 and all("[fitted" in f and "net migration" in f for f in fees)
    assert "fiji" in validate_module.NET_MIGRATION_FITTED
    assert "fiji" not in validate_module.NET_MIGRATION_TRUSTS_STOCK
    stock = next(t for t in TARGETS if t.name.startswith("Fiji: natives' net migration"))
    assert not stock.fitted


def test_the_observation_is_fijis_own_count_and_wpp_says_twice_as_much(fiji) -> None:
    """The file's -5.8 per 1,000 is the Fiji Bureau of Statistics' citizens who emigrated in
    2007-2009 on ~860,000 residents; UN WPP 2024's crude net migration rate for 2010-2019,
    cited beside it, averages -11.8, and the UN DESA stock implies -7.3: the three agree only
    that Fiji loses more than -4 per 1,000 a year."""
    fbos = np.mean([4949, 5391, 5022]) / 860_000 * 1000
    assert fiji.net_migration_per_1000 == pytest.approx(-fbos, abs=0.2)
    cited = re.search(r"Fiji 2010-2019: .*?thousand \(mean -10\.81\); (.*?) per 1,000",
                      fiji.sources["wpp2024-mig"])  # fmt: skip
    assert cited is not None
    rates = [float(x) for x in cited.group(1).split(", ")]
    assert len(rates) == 10 and np.mean(rates) == pytest.approx(-11.80, abs=0.005)
    assert emigrant_stock_observed("fiji") == pytest.approx(-7.3, abs=0.05)
