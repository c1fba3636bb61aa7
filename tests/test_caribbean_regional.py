"""St Vincent's regional diaspora and routes within CARICOM (issue 8 item 1, ninth session): the
diaspora split by destination in the UN DESA bilateral shares the file cites, the CARICOM
channels' caps derived from the cited stocks as the file says, Barbados reached by skills
certificates until full free movement opens in October 2025 and freely after, and granted
regional places used through the decision rule."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.model import MobilityModel
from hsmobility.phases.channels import channels
from hsmobility.phases.choices import closed_options
from hsmobility.world.households import Status
from hsmobility.world.options import Kind

NAME = "st-vincent-grenadines"
#: people born in St Vincent and the Grenadines living there, UN DESA IMS 2019 revision, mid-2010
#: and mid-2019 (the file's [undesa-ims2019-od])
STOCK_2010 = {"USA": 22007, "Canada": 11495, "UK": 7077, "Trinidad and Tobago": 6207,
              "Other OECS states": 3834, "Barbados": 2964}  # fmt: skip
STOCK_2019 = {"Trinidad and Tobago": 6922, "Barbados": 3143}
REGIONAL = ("Trinidad and Tobago", "Other OECS states", "Barbados")


def test_the_diaspora_is_split_in_the_cited_bilateral_shares() -> None:
    s = load_setting(NAME)
    dias = {d.name: d.diaspora for d in s.destinations}
    assert set(dias) == set(STOCK_2010)
    total = sum(STOCK_2010.values())
    assert sum(dias.values()) == pytest.approx(61_000, abs=3)  # the total kept [facts]
    for name, stock in STOCK_2010.items():
        assert dias[name] == round(61_000 * stock / total)
    regional = sum(dias[n] for n in REGIONAL) / sum(dias.values())
    assert regional == pytest.approx(0.243, abs=0.002)
    text = s.sources["undesa-ims2019-od"]
    assert "55,545 in 2010" in text


@pytest.mark.parametrize(
    ("channel", "destination"),
    [("caricom-trinidad", "Trinidad and Tobago"), ("caricom-barbados-skills", "Barbados")],
)
def test_a_caricom_cap_is_the_stocks_rise_plus_its_deaths(channel, destination) -> None:
    s = load_setting(NAME)
    c = next(c for c in s.channels if c.name == channel)
    rate = load_parameters({}).demography.crude_death_rate
    a, b = STOCK_2010[destination], STOCK_2019[destination]
    assert c.places_per_year == round((b - a) / 9 + rate * (a + b) / 2)
    assert c.destination == destination and c.route == "skilled" and not c.sponsor_pays


@pytest.mark.parametrize(("year", "skills_open", "free_open"), [(2020, True, False),
                                                                 (2026, False, True)])  # fmt: skip
def test_barbados_by_skills_certificate_until_free_movement_opens(
    year, skills_open, free_open
) -> None:
    m = MobilityModel(NAME, years=1, seed=1, start_year=year, start_month=1, scale=10,
                      island_table=False)  # fmt: skip
    w = m.world
    closed = closed_options(w)
    by_name = {o.name: j for j, o in enumerate(w.policy.options) if o.kind == Kind.ABROAD}
    assert closed[by_name["abroad:channel:caricom-barbados-skills"]] != skills_open
    assert closed[by_name["abroad:caricom-barbados"]] != free_open
    # the Trinidadian route is open throughout
    assert not closed[by_name["abroad:channel:caricom-trinidad"]]


def test_regional_places_are_granted_and_used_in_a_run() -> None:
    """Ten years from 2010 (scale 2): the CARICOM channels grant places and households leave by
    them for Trinidad and Tobago and Barbados; no channel admits more than its cap a year."""
    m = MobilityModel(NAME, years=10, seed=2, start_year=2010, scale=2, island_table=False).run()
    hh, s = m.households, m.world.setting
    names = [c.name for c in s.channels]
    dest = {d.name: k for k, d in enumerate(s.destinations)}
    for channel, destination in (("caricom-trinidad", "Trinidad and Tobago"),
                                 ("caricom-barbados-skills", "Barbados")):  # fmt: skip
        k = names.index(channel)
        used = hh.channel_used == k
        assert used.sum() > 0, channel
        abroad = used & (hh.status == Status.ABROAD)  # those back home left their destination
        assert abroad.any() and (hh.destination[abroad] == dest[destination]).all()
        people = int(hh.size[used].sum()) * 2
        assert people <= 10 * s.channels[k].places_per_year
    assert np.isin(hh.destination, [dest[n] for n in REGIONAL]).sum() > 0


@pytest.mark.parametrize("regrant", [True, False])
def test_a_channel_whose_cap_counts_places_used_grants_lapsed_places_again(regrant) -> None:
    """A skilled route whose household pays (no sponsor): with ``regrant_lapsed`` the places
    that lapsed unused last year go to other applicants on top of the cap, once; without, not."""
    channel = {"name": "caricom-skills", "route": "skilled", "destination": "New Zealand",
               "places_per_year": 10, "cost_usd": 100.0, "min_skills": 0.4,
               "regrant_lapsed": regrant}  # fmt: skip
    setting = Setting.model_validate({**SETTING.model_dump(), "channels": [channel]})
    w = hand_built_world([{"savings": 20_000.0, "skills": 0.8}] * 8, setting=setting,
                         params={"channels.grant_month": 1, "channels.apply_prob": 1.0,
                                 "channels.apply_prob_other": 1.0})  # fmt: skip
    hh = w.households
    hh.channel_granted[:2] = 0  # two households of five let last year's places lapse
    hh.channel_until[:2] = w.t - 1
    granted = channels(w)
    assert len(granted) == (4 if regrant else 2)
    assert w.counts["channel_places_regranted"] == (10 if regrant else 0)
    assert w.counts["channel_grants_people"] == (20 if regrant else 10)
    if regrant:  # each lapse counted once: the next year grants the cap alone
        hh.channel_granted[:] = -1
        hh.channel_until[:] = -1
        assert len(channels(w)) == 2


def test_st_vincents_caps_that_count_places_used_regrant_and_the_uk_prior_does_not() -> None:
    s = load_setting(NAME)
    regrant = {c.name for c in s.channels if c.regrant_lapsed or c.sponsor_pays}
    assert regrant == {"us-family", "us-employment", "canada-family", "caricom-trinidad",
                       "caricom-barbados-skills"}  # fmt: skip
