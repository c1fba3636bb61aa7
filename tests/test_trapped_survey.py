"""The survey's "wanted to move but could not" (issue 10 item 1): an intention, not one wish.

UNU-EHS/ESCAP (2015) counted the people who "attempted to migrate between 2005 and 2015 but were
unable to do so". A household whose wish was blocked at one review has not attempted anything;
one whose blocked wish came back at a later review has (``wanted_min_reviews`` = 2).
"""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.decisions import Barrier
from hsmobility.indicators import survey_trapped_share
from hsmobility.phases.choices import decide_moves
from hsmobility.phases.impacts import Hit

#: keen to emigrate, rich, no attachment: reviewing, it would choose New Zealand were it open
KEEN = {"size": 6, "adults": 2, "children": 4, "elders": 0, "risk": 3.0, "income": 3000.0,
        "savings": 50_000.0, "attachment": 0.0, "head_age": 30}  # fmt: skip


def _closed(households, **params):
    """No legal way abroad, every household reviews every month."""
    closed = SETTING.model_copy(update={"pathways": []})
    return hand_built_world(
        households,
        setting=closed,
        years=3,
        params={"decisions.review_prob": 1.0, **params},
    )


def _calm(n: int) -> Hit:
    return Hit(np.zeros(n, dtype=np.float32), np.zeros(n, dtype=bool), np.zeros(0, dtype=int))


def test_a_wish_blocked_once_is_not_an_attempt_one_that_recurs_is() -> None:
    w = _closed([{"size": 6, "adults": 2, "children": 4, "elders": 0}])
    hh = w.households
    assert w.params.decisions.wanted_min_reviews == 2  # the default is the survey's
    hh.wanted_step[0] = w.t  # blocked at one review only
    assert survey_trapped_share(w) == 0.0
    hh.wanted_prev_step[0], hh.wanted_step[0] = w.t, w.t + 12  # and again a year later
    w.t += 12
    assert survey_trapped_share(w) == pytest.approx(2 / 6)  # its two working-age adults
    # with one review enough (the measure before), the single blocked wish counted
    w2 = _closed([{"size": 6, "adults": 2, "children": 4, "elders": 0}],
                 **{"decisions.wanted_min_reviews": 1})  # fmt: skip
    w2.households.wanted_step[0] = w2.t
    assert survey_trapped_share(w2) == pytest.approx(2 / 6)


def test_the_earlier_wish_must_fall_in_the_window_and_after_the_last_move() -> None:
    w = _closed([{"size": 6, "adults": 2, "children": 4, "elders": 0}] * 3)
    hh = w.households
    window = 12 * w.params.decisions.survey_window_years
    w.t = window + 24
    hh.wanted_step[:] = w.t
    hh.wanted_prev_step[:] = [w.t - 12, w.t - window - 1, w.t - 12]
    hh.moved_step[2] = w.t - 6  # moved between its two blocked wishes: a new start
    assert survey_trapped_share(w) == pytest.approx(2 / 18)  # only the first household


def test_deciding_twice_records_the_recurring_wish() -> None:
    """A keen household reviewed in two months is blocked both times (no legal way abroad): the
    first review leaves it out of the survey's count, the second puts it in."""
    w = _closed([KEEN] * 40)
    hh = w.households
    hh.ties[:] = 1.0
    decide_moves(w, _calm(hh.n))
    first = hh.wanted_step == w.t
    assert first.sum() > 10
    assert (hh.wanted_prev_step == -1).all()
    assert survey_trapped_share(w) == 0.0
    w.begin_month()
    decide_moves(w, _calm(hh.n))
    again = first & (hh.wanted_step == w.t)
    assert again.sum() > 5
    assert (hh.wanted_prev_step[again] == w.t - 1).all()
    assert survey_trapped_share(w) == pytest.approx(2 * again.sum() / (6 * hh.n))


def test_a_cheap_internal_move_is_not_blocked_by_money_the_household_has() -> None:
    """A move to the capital costs ``internal_move_cost_months`` of income, paid from savings:
    a household with that much is not blocked by money; one with nothing is (FINANCIAL), which
    is what blocks Kiribati's outer islanders (docs/validation.md, issue 10, "attempted")."""
    p = {"decisions.asc_capital": 6.0, "decisions.asc_abroad": -20.0}
    cost = 12000.0 / 12 * 1.0  # one month of the defaults' income
    w = _closed([{"savings": cost + 1.0}] * 20 + [{"savings": 0.0}] * 20, **p)
    hh = w.households
    assert w.params.decisions.internal_move_cost_months == 1.0
    choices = decide_moves(w, _calm(hh.n))
    moved = np.zeros(hh.n, dtype=bool)
    moved[choices.rows] = True
    assert moved[:20].sum() > 10 and not moved[20:].any()
    assert not hh.trapped[:20].any()
    assert hh.trapped[20:].all() and (hh.barrier[20:] == Barrier.FINANCIAL).all()
    assert (hh.wanted_step[20:] == w.t).sum() > 10
    assert (hh.wanted_step[:20] == -1).all()


@pytest.mark.parametrize("barrier", list(Barrier))
def test_the_survey_counts_a_wanted_move_blocked_by_each_trapping_barrier(barrier) -> None:
    """A household that, every move open, would choose to emigrate (fifth session): its wish
    counts as "wanted to move and could not" when money, transport, eligibility, the law or
    a full humanitarian quota blocks the move (the survey's "lack of money, or visas"), and
    not when the move is open, it is registered in the ballot there (queued: under way), or it
    could enter that ballot and did not (unentered: no step taken)."""
    from hsmobility.decisions import TRAPPED_BARRIERS, wanted_blocked
    from hsmobility.phases.choices import situation
    from hsmobility.world.options import Kind

    w = hand_built_world([KEEN] * 4, years=3)  # the hand-built setting's pathways abroad
    p = w.params.decisions
    rows = np.arange(4)
    s = situation(w, rows)
    options = w.policy.options
    n_dest = len(w.setting.destinations)
    dest = next(o.destination for o in options if o.kind == Kind.ABROAD)
    dest_wish = np.full((4, n_dest), -50.0)
    dest_wish[:, dest] = 50.0  # it wants the first destination, nothing else
    internal = {Kind.CAPITAL: np.full(4, -50.0), Kind.HIGHER: np.full(4, -50.0)}
    code = np.full((4, len(options)), int(Barrier.NONE), dtype=np.int8)
    code[:] = int(barrier)
    blocked = wanted_blocked(s, options, w.context, p, code, dest_wish, internal,
                             np.full(4, 0.5))  # fmt: skip
    assert blocked.all() == (barrier in TRAPPED_BARRIERS)
    assert blocked.any() == (barrier in TRAPPED_BARRIERS)
