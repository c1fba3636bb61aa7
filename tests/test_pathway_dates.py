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
