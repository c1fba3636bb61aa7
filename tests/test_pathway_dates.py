"""Pathways and channels that open and close on dates (issue 8 item 4): no ballot, recruitment,
grant or legal move before a pathway or channel opens or from the month it closes, on the
hand-built world (its first month is January 2025); a bad date gives one clear error naming the
file and the field; the hindcast runs without the schemes that opened later."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.schemas import Pathway, ScenarioError, Setting, validate
from hsmobility.decisions import Barrier
from hsmobility.model import MobilityModel
from hsmobility.phases.channels import channels
from hsmobility.phases.choices import closed_options, situation
from hsmobility.phases.pathways import ballots, seasonal
from hsmobility.world.options import Kind

#: every household qualifies for everything, and applies or registers when it may
KEEN = {"head_age": 30, "skills": 0.9, "quintile": 5, "savings": 50_000.0, "size": 2}
EAGER = {
    "decisions.registration_month": 1,
    "decisions.register_asc": 50.0,
    "decisions.seasonal_apply_prob": 1.0,
    "channels.grant_month": 1,
    "channels.apply_prob": 1.0,
    "channels.apply_prob_other": 1.0,
}
BALLOT = {"name": "pac", "kind": "ballot", "destination": "New Zealand", "quota_per_year": 40,
          "registration_fee_usd": 10.0}  # fmt: skip
SEASONAL = {"name": "rse", "kind": "seasonal", "destination": "New Zealand",
            "quota_per_year": 20, "min_age": 18, "max_age": 55, "families": False,
            "months_away": 7, "earnings_per_season_usd": 4000.0}  # fmt: skip
CHANNEL = {"name": "nz-skilled", "route": "skilled", "destination": "New Zealand",
           "places_per_year": 40}  # fmt: skip


def _world(pathways: list[dict], channels_: list[dict] | None = None, n: int = 200):
    setting = Setting.model_validate(
        {**SETTING.model_dump(), "pathways": pathways, "channels": channels_ or []}
    )
    w = hand_built_world([KEEN] * n, setting=setting, params=EAGER)
    assert (w.year, w.calendar_month) == (2025, 1)
    return w


# the month the hand-built world is in is January 2025: open, not yet open, closed
DATES = [({}, True), ({"opens": 2026}, False), ({"opens": "2025-02"}, False),
         ({"opens": "2025-01"}, True), ({"opens": 2020, "closes": 2025}, False),
         ({"closes": "2025-02"}, True)]  # fmt: skip


@pytest.mark.parametrize(("when", "is_open"), DATES)
def test_a_ballot_draws_only_while_open(when: dict[str, Any], is_open: bool) -> None:
    w = _world([{**BALLOT, **when}])
    hh = w.households
    hh.ballot_entries[:] = 1  # registered last year: a closed ballot forgets them
    drawn = ballots(w)
    assert (len(drawn) > 0) == is_open
    assert hh.registered.any() == is_open
    assert (w.ballot_log != []) == is_open
    assert (hh.ballot_entries != 0).any() == is_open


@pytest.mark.parametrize(("when", "is_open"), DATES)
def test_a_seasonal_scheme_recruits_only_while_open(when: dict[str, Any], is_open: bool) -> None:
    w = _world([{**SEASONAL, **when}])
    recruited = seasonal(w)
    assert (len(recruited) > 0) == is_open
    assert (w.households.seasonal_left > 0).any() == is_open


@pytest.mark.parametrize(("when", "is_open"), DATES)
def test_a_channel_grants_only_while_open(when: dict[str, Any], is_open: bool) -> None:
    w = _world([], [{**CHANNEL, **when}])
    granted = channels(w)
    assert (len(granted) > 0) == is_open
    assert (w.counts["channel_grants"] > 0) == is_open


@pytest.mark.parametrize(("when", "is_open"), DATES)
def test_a_move_is_legal_only_while_its_pathway_or_channel_is_open(
    when: dict[str, Any], is_open: bool
) -> None:
    free = {"name": "free-nz", "kind": "free-movement", "destination": "New Zealand", **when}
    w = _world([free], [{**CHANNEL, **when}])
    hh = w.households
    hh.channel_granted[:] = 0  # every household holds a place granted earlier
    hh.channel_until[:] = w.t + 12
    rows = np.arange(hh.n)
    s = situation(w, rows)
    abroad = [j for j, o in enumerate(w.policy.options) if o.kind == Kind.ABROAD]
    assert len(abroad) == 2  # free movement and the channel
    assert list(closed_options(w)[abroad]) == [not is_open] * 2
    for j in abroad:
        assert s.legal[:, j].all() == is_open and s.legal[:, j].any() == is_open
        if not is_open:
            assert (s.illegal_reason[:, j] == Barrier.LEGAL).all()


def test_a_bad_date_gives_one_clear_error_naming_file_and_field() -> None:
    data = SETTING.model_dump()
    source = "scenarios/settings/x.toml"
    for bad in ("2012-13", "twenty-twelve", 2012.5, True, 1850, "12-2012"):
        with pytest.raises(ScenarioError) as err:
            validate(Setting, {**data, "pathways": [{**BALLOT, "opens": bad}]}, source)
        msg = str(err.value)
        assert msg.startswith(f"{source}: pathways.0.opens: ") and "\n" not in msg
        assert 'a year (2012) or a year and month ("2012-07")' in msg
    with pytest.raises(ScenarioError, match=rf"^{source}: channels\.0\.closes: "):
        validate(Setting, {**data, "channels": [{**CHANNEL, "closes": "2030/01"}]}, source)
    with pytest.raises(ScenarioError, match=r"pathways\.0: .*closes \(2012-01\) must come after"):
        validate(Setting, {**data, "pathways": [{**BALLOT, "opens": 2012, "closes": 2012}]}, source)


def test_a_year_is_its_january_and_closes_is_the_first_month_closed() -> None:
    p = Pathway.model_validate({**BALLOT, "opens": 2012, "closes": "2022-04"})
    assert (p.opens, p.closes) == ("2012-01", "2022-04")
    assert not p.open_in(2011, 12) and p.open_in(2012, 1)
    assert p.open_in(2022, 3) and not p.open_in(2022, 4)


def test_the_hindcast_holds_no_ballot_before_a_scheme_opened() -> None:
    """Tuvalu from 2023: PAC draws every May; Falepili (first ballot June 2025, ``opens = 2025``)
    only from 2025 on."""
    model = MobilityModel("tuvalu", years=3, seed=1, start_year=2023)
    falepili = next(p for p in model.world.policy.regime.pathways if p.name == "falepili")
    assert falepili.opens == "2025-01"
    model.run()
    years = {(row["pathway"], row["year"]) for row in model.world.ballot_log}
    assert {("pac-nz", 2023), ("pac-nz", 2024), ("pac-nz", 2025)} <= years
    assert {y for p, y in years if p == "falepili"} == {2025}


# ------------------------------------------------------------------ several windows (item 4)
#: open 2025-2026, closed 2027-2029, open again from 2030 (the hand-built world starts in 2025)
TWO = {"windows": [{"opens": 2025, "closes": 2027}, {"opens": 2030}]}


def test_a_pathway_with_two_windows_recruits_in_both_and_not_between() -> None:
    """Each January of 2025-2032: a seasonal scheme recruits, a ballot draws, a channel grants
    and free movement is legal in both windows and in none of the years between."""
    setting = Setting.model_validate(
        {**SETTING.model_dump(), "channels": [{**CHANNEL, **TWO}],
         "pathways": [{**SEASONAL, **TWO}, {**BALLOT, **TWO},
                      {"name": "free-nz", "kind": "free-movement", "destination": "New Zealand",
                       **TWO}]}
    )  # fmt: skip
    w = hand_built_world([KEEN] * 200, setting=setting, params=EAGER, years=8)
    hh = w.households
    names = [p.name for p in w.policy.regime.pathways]
    options = w.policy.options
    by_path = [j for j, o in enumerate(options) if o.kind == Kind.ABROAD and o.pathway >= 0]
    free = next(j for j in by_path if names[w.policy.options[j].pathway] == "free-nz")
    seen = {}
    for year in range(2025, 2033):
        assert (w.year, w.calendar_month) == (year, 1)
        hh.seasonal_left[:], hh.seasonal_scheme[:] = 0, -1  # workers home, households free
        hh.channel_until[:], hh.drawn_until[:] = -1, -1
        seen[year] = (len(seasonal(w)) > 0, len(ballots(w)) > 0, len(channels(w)) > 0,
                      not closed_options(w)[free])  # fmt: skip
        for _ in range(12):
            w.begin_month()
    opened = {2025, 2026, 2030, 2031, 2032}
    assert seen == {y: (y in opened,) * 4 for y in range(2025, 2033)}


def test_windows_are_read_as_months_and_one_window_is_opens_and_closes() -> None:
    p = Pathway.model_validate({**BALLOT, "windows": [{"opens": 2002, "closes": "2006-12"},
                                                      {"opens": "2015-03"}]})  # fmt: skip
    assert p.periods() == [("2002-01", "2006-12"), ("2015-03", None)]
    assert p.open_in(2006, 11) and not p.open_in(2006, 12) and not p.open_in(2015, 2)
    assert p.open_in(2015, 3) and p.open_in(2100, 1) and not p.open_in(2001, 12)
    one = Pathway.model_validate({**BALLOT, "windows": [{"opens": 2012, "closes": 2022}]})
    same = Pathway.model_validate({**BALLOT, "opens": 2012, "closes": 2022})
    months = [(y, m) for y in range(2010, 2025) for m in range(1, 13)]
    assert [one.open_in(*t) for t in months] == [same.open_in(*t) for t in months]


@pytest.mark.parametrize(
    ("windows", "field", "says"),
    [
        ([{"opens": 2015}, {"opens": 2002, "closes": 2007}], "pathways.0",
         "windows.0 never closes"),
        ([{"opens": 2002, "closes": 2010}, {"opens": 2008}], "pathways.0",
         "windows.1 must open (2008-01) no earlier than windows.0 closes (2010-01)"),
        ([{"opens": 2002, "closes": 2007}, {"closes": 2020}], "pathways.0",
         "windows.1 needs opens"),
        ([{"opens": 2007, "closes": 2002}], "pathways.0.windows.0",
         "closes (2002-01) must come after opens (2007-01)"),
        ([{"opens": "2012-13"}], "pathways.0.windows.0.opens", "a year (2012) or a year and month"),
        ([{"opens": 2012, "until": 2014}], "pathways.0.windows.0.until", "unknown field"),
        ([], "pathways.0.windows", "at least 1 item"),
        (2012, "pathways.0.windows", "valid list"),
    ],
)  # fmt: skip
def test_bad_windows_give_one_clear_error_naming_the_field(windows, field, says) -> None:
    source = "scenarios/settings/x.toml"
    data = SETTING.model_dump()
    with pytest.raises(ScenarioError) as err:
        validate(Setting, {**data, "pathways": [{**BALLOT, "windows": windows}]}, source)
    msg = str(err.value)
    assert msg.startswith(f"{source}: {field}: ") and "\n" not in msg, msg
    assert says in msg, msg


def test_windows_and_opens_together_are_refused() -> None:
    with pytest.raises(ScenarioError, match=r"channels\.0: .*either opens/closes or windows"):
        validate(Setting, {**SETTING.model_dump(),
                           "channels": [{**CHANNEL, "opens": 2010, **TWO}]}, "x.toml")  # fmt: skip


def test_fijis_pac_is_open_before_the_2006_coup_and_from_2015_and_no_pac_ballot_in_2020_21() -> (
    None
):
    fiji = MobilityModel("fiji", years=1, seed=1, scale=50).setting
    pac = next(p for p in fiji.pathways if p.name == "pac-nz")
    assert [pac.open_in(y, 5) for y in (2003, 2006, 2007, 2014, 2015, 2019, 2020, 2021, 2022)] == [
        True, True, False, False, True, True, False, False, True]  # fmt: skip
    for name in ("tonga", "kiribati", "tuvalu"):
        s = MobilityModel(name, years=1, seed=1, scale=50).setting
        pac = next(p for p in s.pathways if p.name == "pac-nz")
        assert [pac.open_in(y, 5) for y in (2010, 2019, 2020, 2021, 2022)] == [
            True, True, False, False, True]  # fmt: skip
