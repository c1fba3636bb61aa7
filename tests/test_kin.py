"""Kin who pay for a move to the capital (issues 8 and 10, fourth session).

A household with no savings but kin on the capital can move there, the kin paying out of their
own savings (money conserved); one without kin cannot, and what stops it is money. A household
that settles on the capital becomes the kin there of its village's households that have none.
"""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import hand_built_world
from hypothesis import given, settings
from hypothesis import strategies as st

from hsmobility.decisions import Barrier, decide, funds
from hsmobility.model import MobilityModel
from hsmobility.phases.choices import Choices, situation
from hsmobility.phases.kin import spread_capital_kin
from hsmobility.phases.moves import moves
from hsmobility.world.households import Status
from hsmobility.world.kin import kin_on_capital
from hsmobility.world.options import Kind

#: row 0 lives on the capital (island 0) with savings; rows 1 and 2 on the outer island with
#: none, row 1 with row 0 as its kin on the capital, row 2 without kin; all of one village
KIN = {"home_island": 0, "island": 0, "savings": 10_000.0, "community": 7, "kin_capital": -1}
WITH_KIN = {"savings": 0.0, "income": 6000.0, "kin_capital": 0, "community": 7}
WITHOUT_KIN = {"savings": 0.0, "income": 6000.0, "community": 7, "kin_capital": -1}


def _capital(w) -> int:
    return next(j for j, o in enumerate(w.policy.options) if o.kind == Kind.CAPITAL)


def test_kin_on_the_capital_make_a_move_there_affordable_and_only_with_kin() -> None:
    w = hand_built_world([KIN, WITH_KIN, WITHOUT_KIN])
    j = _capital(w)
    rows = np.array([1, 2])
    s = situation(w, rows)
    cost = w.params.decisions.internal_move_cost_months * 6000.0 / 12  # 500
    share = w.params.decisions.kin_help_share
    assert share * 10_000.0 >= cost  # the default share of the kin's savings covers the move
    assert s.kin_help == pytest.approx([share * 10_000.0, 0.0])
    money = funds(s, w.policy.options, w.params.decisions)[:, j]
    assert money[0] >= cost > money[1] == 0.0
    # the help is towards the capital only: not towards high ground or abroad
    others = [k for k, o in enumerate(w.policy.options) if o.kind != Kind.CAPITAL]
    assert (funds(s, w.policy.options, w.params.decisions)[0, others] == 0.0).all()


def test_without_kin_help_the_same_household_is_blocked_by_money() -> None:
    """Kin help switched off: the household with kin is as stuck as the one without."""
    w = hand_built_world([KIN, WITH_KIN], params={"decisions.kin_help_share": 0.0})
    s = situation(w, np.array([1]))
    assert funds(s, w.policy.options, w.params.decisions)[0, _capital(w)] == 0.0


def test_the_kin_pay_what_the_mover_cannot_and_money_is_conserved() -> None:
    w = hand_built_world([KIN, {**WITH_KIN, "savings": 100.0}])
    assert w.params.decisions.kin_help_share * 10_000.0 >= 400.0
    hh = w.households
    before = hh.savings[:2].sum()
    out = moves(w, Choices(rows=np.array([1]), option=np.array([_capital(w)])))
    cost = w.params.decisions.internal_move_cost_months * 6000.0 / 12
    assert list(out.moved) == [1] and hh.island[1] == 0
    assert hh.savings[1] == 0.0  # its own 100 first
    assert hh.savings[0] == pytest.approx(10_000.0 - (cost - 100.0))  # the kin the rest
    assert before - hh.savings[:2].sum() == pytest.approx(cost)  # only the move's cost left
    assert w.counts["kin_help_usd"] == pytest.approx(cost - 100.0)
    assert w.counts["moves_capital_kin_helped"] == 1


def test_a_mover_with_enough_savings_takes_nothing_from_its_kin() -> None:
    w = hand_built_world([KIN, {**WITH_KIN, "savings": 3000.0}])
    moves(w, Choices(rows=np.array([1]), option=np.array([_capital(w)])))
    assert w.households.savings[0] == 10_000.0
    assert w.counts["kin_help_usd"] == 0.0


def test_two_movers_sharing_kin_cannot_take_more_than_the_share_of_what_is_left() -> None:
    w = hand_built_world(
        [{**KIN, "savings": 1000.0}, WITH_KIN, WITH_KIN], params={"decisions.kin_help_share": 0.5}
    )
    hh = w.households
    moves(w, Choices(rows=np.array([1, 2]), option=np.full(2, _capital(w))))
    # the first takes 0.5 x 1,000 = 500 (its whole cost), the second 0.5 x 500 = 250
    assert hh.savings[0] == pytest.approx(250.0)
    assert w.counts["kin_help_usd"] == pytest.approx(750.0)
    assert (hh.savings >= 0).all()


def test_a_trapped_household_without_kin_is_trapped_by_money() -> None:
    """Both wish hard for the capital; only the one with kin can go: the other's barrier is
    FINANCIAL (what is left after help)."""
    keen = {"risk": 3.0, "attachment": 0.0}
    w = hand_built_world(
        [KIN, {**WITH_KIN, **keen}, {**WITHOUT_KIN, **keen}],
        params={"decisions.review_prob": 0.0},
    )
    rows = np.array([1, 2])
    s = situation(w, rows)
    d = decide(s, w.policy.options, w.context, w.params.decisions, np.zeros(2, bool), np.zeros(2))
    j = _capital(w)
    assert d.feasible[0, j] and not d.feasible[1, j]
    assert d.aspires.all() and not d.trapped[0]
    assert d.trapped[1] and d.barrier[1] == Barrier.FINANCIAL


def test_a_household_that_settles_on_the_capital_becomes_its_villages_kin() -> None:
    other_village = {**WITHOUT_KIN, "community": 8}
    w = hand_built_world([KIN, {**WITH_KIN, "savings": 3000.0}, WITHOUT_KIN, other_village])
    hh = w.households
    moves(w, Choices(rows=np.array([1]), option=np.array([_capital(w)])))
    assert hh.kin_capital[2] == 1  # same village, had no kin: the mover is its kin now
    assert hh.kin_capital[3] == -1  # another village's household gains nobody
    assert list(kin_on_capital(hh, np.array([2, 3]), 0)) == [1, -1]


def test_kin_who_emigrated_are_no_help() -> None:
    w = hand_built_world([{**KIN, "status": Status.ABROAD, "island": -1}, WITH_KIN])
    assert situation(w, np.array([1])).kin_help[0] == 0.0


def test_at_the_start_kin_share_households_off_the_capital_have_kin_living_on_it() -> None:
    # no burn-in: its internal moves already spread kin to village-mates (the next test)
    m = MobilityModel("tuvalu", years=1, seed=1, params={"decisions.burn_in_months": 0})
    hh, capital = m.households, m.world.geo.capital
    off = np.flatnonzero(hh.island != capital)
    kin = hh.kin_capital[off]
    share = m.world.params.decisions.kin_capital_share
    assert abs((kin >= 0).mean() - share) < 0.05
    assert (hh.island[kin[kin >= 0]] == capital).all()
    assert (hh.kin_capital[hh.island == capital] == -1).all()


def test_kin_spread_from_movers_reaches_most_outer_households_within_the_burn_in() -> None:
    """A number a modeller would check: after the 12 unrecorded months in which households
    make the internal moves they wish for, most outer-island households have kin on the
    capital (village-mates who moved), more than the start's share."""
    m = MobilityModel("tuvalu", years=1, seed=1)
    hh, capital = m.households, m.world.geo.capital
    off = np.flatnonzero((hh.island >= 0) & (hh.island != capital))
    has = kin_on_capital(hh, off, capital) >= 0
    assert has.mean() > m.world.params.decisions.kin_capital_share


def _spread_by_village(hh, rows: np.ndarray, capital: int) -> np.ndarray:
    """spread_capital_kin written as a loop over the movers' villages: the kin_capital column
    it leaves (the vectorised phase must leave the same)."""
    kin = hh.kin_capital.copy()
    off = np.flatnonzero((hh.island >= 0) & (hh.island != capital))
    lacking = off[kin_on_capital(hh, off, capital) < 0]
    for village in np.unique(hh.community[rows]):
        movers = rows[hh.community[rows] == village]
        mates = lacking[hh.community[lacking] == village]
        kin[mates] = movers[np.arange(len(mates)) % len(movers)]
    return kin


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 6), st.integers(1, 40))
def test_movers_become_kin_of_their_villages_households_in_turn(
    seed: int, villages: int, n: int
) -> None:
    """Each village's households off the capital without kin there take the village's movers
    in turn (the i-th, in row order, the (i mod movers)-th mover in the order given), as a
    loop over villages does; households with kin, on the capital or of other villages keep
    theirs."""
    rng = np.random.default_rng(seed)
    on_capital = rng.random(n) < 0.4
    households = [
        {
            "home_island": 0 if cap else 1,
            "island": 0 if cap else 1,
            "community": int(rng.integers(0, villages)),
            "kin_capital": -1,
            "status": Status.MOVED_INTERNAL if cap else Status.HOME,
        }
        for cap in on_capital
    ]
    w = hand_built_world(households)
    hh = w.households
    capital_rows = np.flatnonzero(on_capital)
    if not len(capital_rows):
        return
    off = np.flatnonzero(~on_capital)
    has = off[rng.random(len(off)) < 0.3]  # some already have kin on the capital
    hh.kin_capital[has] = rng.choice(capital_rows, len(has))
    movers = rng.permutation(capital_rows)[: int(rng.integers(1, len(capital_rows) + 1))]
    before = hh.kin_capital.copy()
    expected = _spread_by_village(hh, movers, 0)
    spread_capital_kin(w, movers)
    assert hh.kin_capital.tolist() == expected.tolist()
    assert (hh.kin_capital[has] == before[has]).all()
    assert (hh.kin_capital[capital_rows] == -1).all()
