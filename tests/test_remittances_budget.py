"""Remittances that reach household budgets (issue 8, eighth session).

Of what family abroad sends (all of it counted in ``remittances_usd``, the balance-of-payments
measure), a household's budget receives the setting's ``remittance_budget_share``: that part is
income it spends and saves, ``remittances_month`` and ``remittances_household_usd``; the rest
leaves the household account. Without the field every dollar reaches the budget, as before.
Tonga's share is its HIES 2015-16 consumption over the national accounts' household
consumption; its survey measures see the budget part, its national total all of it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world
from pydantic import ValidationError

from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.phases.economy import (
    diaspora_remittance_per_member,
    income_and_savings,
    remittance_budget_share,
)
from hsmobility.phases.impacts import Hit
from hsmobility.validate import (
    SEASONAL_RECEIPTS,
    TARGETS,
    remittances_main_income_share,
    seasonal_remittance_per_worker,
)


def _setting(**update: Any) -> Setting:
    """The hand-built setting with some fields replaced (validated again)."""
    return Setting.model_validate({**SETTING.model_dump(), **update})


def _no_hit(n: int) -> Hit:
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _one_month(share: float | None) -> Any:
    """Two households on the hand-built setting, one with three members abroad (row 0), one
    without (row 1), after one month of income and savings."""
    setting = _setting(remittance_budget_share=share)
    rows = [{"members_abroad": 3, "savings": 0.0}, {"members_abroad": 0, "savings": 0.0}]
    w = hand_built_world(rows, setting=setting)
    income_and_savings(w, calm_month(), _no_hit(w.households.n))
    return w


def test_the_budget_receives_its_share_and_the_national_total_counts_all() -> None:
    w = _one_month(0.6)
    sent = 3 * diaspora_remittance_per_member(w) / 12.0  # the month's, no damage boost
    hh = w.households
    assert w.counts["remittances_usd"] == pytest.approx(sent)
    assert w.counts["remittances_diaspora_usd"] == pytest.approx(sent)
    assert w.counts["remittances_household_usd"] == pytest.approx(0.6 * sent)
    assert hh.remittances_month[0] == pytest.approx(0.6 * sent)
    assert hh.remittances_month[1] == 0.0
    # the household's income this month is its livelihood and the budget part only
    assert hh.income_month[0] - hh.income_month[1] == pytest.approx(0.6 * sent)


def test_the_part_that_leaves_the_budget_is_neither_consumed_nor_saved() -> None:
    """What a household consumes and keeps rises with the share: the remittances beyond it
    leave the household account (church and community, ceremonies, capital uses)."""
    full, part = _one_month(1.0), _one_month(0.5)
    sent = full.counts["remittances_usd"]
    assert part.counts["remittances_usd"] == pytest.approx(sent)
    kept_full = full.households.savings[0] + full.households.consumption_month[0]
    kept_part = part.households.savings[0] + part.households.consumption_month[0]
    assert kept_full > kept_part
    # the household without family abroad lives the same month either way
    assert full.households.savings[1] == pytest.approx(part.households.savings[1])
    assert full.households.consumption_month[1] == pytest.approx(
        part.households.consumption_month[1]
    )


def test_without_the_field_every_dollar_reaches_the_budget_as_before() -> None:
    """Settings that give no share behave as before the mechanism: the very same month as
    with a share of 1."""
    before, one = _one_month(None), _one_month(1.0)
    assert remittance_budget_share(before) == 1.0
    for column in ("remittances_month", "income_month", "consumption_month", "savings"):
        assert getattr(before.households, column) == pytest.approx(getattr(one.households, column))
    assert before.counts["remittances_household_usd"] == pytest.approx(
        before.counts["remittances_usd"]
    )


def test_only_tonga_gives_a_share() -> None:
    """The other settings' remittances reach their budgets whole (their inputs unchanged)."""
    for name in ("fiji", "vanuatu", "kiribati", "marshall-islands", "tuvalu", "dominica",
                 "grenada", "antigua-barbuda", "st-vincent-grenadines"):  # fmt: skip
        assert load_setting(name).remittance_budget_share is None


#: World Bank PIP (release 20220810): Tonga HIES 2015-16 mean consumption TOP 17.0692 a person
#: a day; Tonga 2016 census 100,745 people; WDI NE.CON.PRVT.CN (households and NPISHs final
#: consumption expenditure, current TOP): 857,626,000 (2015), 901,187,100 (2016)
HIES_PER_PERSON_DAY, PEOPLE, NA_CONSUMPTION = 17.0692, 100_745, (857_626_000.0, 901_187_100.0)


def test_tongas_share_is_the_surveys_consumption_over_the_national_accounts() -> None:
    survey = HIES_PER_PERSON_DAY * 365 * PEOPLE
    assert survey == pytest.approx(627.7e6, rel=1e-3)
    share = survey / np.mean(NA_CONSUMPTION)
    assert load_setting("tonga").remittance_budget_share == pytest.approx(share, abs=0.005)


def test_the_seasonal_receipts_target_sees_the_budget_part() -> None:
    """Tonga's seasonal pay per worker, as households report it (PLMS 2021), is the budget
    part of what workers send during the season: the share x the pay sent, which lies among the
    schemes' monthly remitted pay (seed 1). (With the sourced pay split the target is below
    its range: docs/validation.md, pacrem, ninth session.)"""
    ((name, _, _, _),) = SEASONAL_RECEIPTS
    assert any(t.name.startswith("Tonga: sent home per seasonal worker") and not t.fitted
               for t in TARGETS)  # fmt: skip
    tonga = load_setting(name)
    with_share = seasonal_remittance_per_worker(tonga, 1)
    whole = seasonal_remittance_per_worker(
        tonga.model_copy(update={"remittance_budget_share": None}), 1
    )
    # the same pay per worker-month (households' savings and so their moves differ a little)
    assert with_share == pytest.approx(tonga.remittance_budget_share * whole, rel=0.01)
    # what is sent a month lies between the schemes' remitted pay a month (no savings in it)
    sent = [p.earnings_per_season_usd * p.remitted_share / p.months_away
            for p in tonga.pathways if p.kind == "seasonal"]  # fmt: skip
    assert 6 * min(sent) < whole < 6 * max(sent)


def test_fewer_households_live_mainly_on_remittances_when_less_reaches_their_budgets() -> None:
    """Tonga with its livelihood, seed 1: with all of the remittances in household budgets more
    households' remittances exceed their livelihood than with the budget share."""
    tonga = load_setting("tonga")
    whole = tonga.model_copy(update={"remittance_budget_share": None})
    assert remittances_main_income_share(whole, 1) > remittances_main_income_share(tonga, 1) + 0.1


@pytest.mark.parametrize("value", [0.0, -0.2, 1.5, "most"])
def test_a_bad_budget_share_gives_one_clear_error(value: object) -> None:
    data = load_setting("tonga").model_dump()
    data["remittance_budget_share"] = value
    with pytest.raises(ValidationError, match="remittance_budget_share"):
        type(load_setting("tonga")).model_validate(data)
