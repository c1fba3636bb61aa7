"""Fiji's programme serves villages by urgency, not in the order they asked (issue 10 item 9).

The 2023 procedures were piloted on Nabavatu, hit by Yasa in December 2020, while 42
communities identified earlier waited for assessment: the list is the government's, ordered by
how badly a village was hit, and a request less urgent than every village on a full list waits
off it.
"""

from __future__ import annotations

import numpy as np
from handbuilt import hand_built_world

from hsmobility.phases.relocation import relocation
from hsmobility.world.households import Band, Status

#: households that want to go (high risk, wrecked home): every village votes to move
KEEN = {"band": Band.LOW, "risk": 5.0, "damage": 0.9, "attachment": 0.1}
#: one site a year, a year's lead time, a storm that drives out a quarter of a village asks
SLOW = {
    "relocation.enabled": True,
    "relocation.assessment_years": 0.0,
    "relocation.consultation_years": 1.0,
    "relocation.building_years": 0.0,
    "relocation.sites_per_year": 1.0,
    "relocation.trigger_displaced_share": 0.25,
    "relocation.trigger_slr_margin_m": 0.0,
}


def _villages(n: int, size: int = 4) -> list[dict]:
    return [{**KEEN, "community": c} for c in range(n) for _ in range(size)]


def _displaced(village: int, k: int, size: int = 4) -> np.ndarray:
    """Rows of the first ``k`` households of ``village``: driven out by this month's storm."""
    return np.arange(village * size, village * size + k)


def _months(w, n: int) -> list[np.ndarray]:
    moved = []
    for _ in range(n):
        w.begin_month()
        moved.append(relocation(w, np.zeros(0, np.int64)))
    return moved


def test_the_most_urgent_due_village_moves_first() -> None:
    """Three villages ask after the same storm, one with all its households driven out, one
    with half, one with a quarter; with one site a year they move in that order, whatever the
    order of the rows or of the draw."""
    w = hand_built_world(_villages(3), levers=SLOW, years=5)
    hit = np.concatenate([_displaced(0, 1), _displaced(1, 2), _displaced(2, 4)])
    relocation(w, hit)
    assert w.policy.relocation.urgency == {0: 0.25, 1: 0.5, 2: 1.0}
    moved = _months(w, 48)
    when = {int(w.households.community[m[0]]): t for t, m in enumerate(moved) if len(m)}
    assert list(when) == [2, 1, 0]  # most displaced first
    assert when[2] >= 11  # not before the lead time (a year: month 12 is index 11)
    assert 11 <= when[1] - when[2] <= 13 and 11 <= when[0] - when[1] <= 13  # a site a year
    assert (w.households.status == Status.RELOCATED).sum() == 12


def test_a_later_urgent_request_overtakes_an_earlier_mild_one() -> None:
    """Two villages: the first asks with a quarter driven out; a storm a month later drives out
    the whole of the second. Both are due by the time the programme has a site; the second goes
    first. With the list served first come, first served it would have waited."""
    w = hand_built_world(_villages(2), levers=SLOW, years=5)
    relocation(w, _displaced(0, 1))
    w.begin_month()
    relocation(w, _displaced(1, 4))
    lead = {}
    for t, m in enumerate(_months(w, 36), start=2):
        for c in set(w.households.community[m].tolist()):
            lead[c] = t
    assert list(lead) == [1, 0]
    assert lead[1] - 1 < lead[0]  # the second asked later and moved first


def test_a_full_list_gives_way_to_a_more_urgent_request() -> None:
    """A list of two holds two mildly hit villages; a village driven out whole asks: it takes
    the place of the least urgent, which leaves the list (it may ask again), and a request no
    more urgent than anyone listed waits off the list."""
    levers = {**SLOW, "relocation.listed_sites": 2}
    w = hand_built_world(_villages(4), levers=levers, years=5)
    relocation(w, np.concatenate([_displaced(0, 1), _displaced(1, 2)]))
    assert set(w.policy.relocation.listed) == {0, 1}
    w.begin_month()
    relocation(w, _displaced(2, 4))
    assert set(w.policy.relocation.listed) == {1, 2}
    assert w.counts["relocation_sites_delisted"] == 1
    w.begin_month()
    relocation(w, _displaced(3, 1))  # a quarter out: less urgent than both listed
    assert set(w.policy.relocation.listed) == {1, 2}
    assert w.counts["relocation_sites_listed"] == 0
    # the dropped village is not decided: a later storm lets it ask again
    assert 0 not in w.policy.relocation.decided
