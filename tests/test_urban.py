"""Urbanisation (issue 9): the capital's share of usual residents grows as the censuses say, on
several seeds (the verdict on their mean, as ``hsmobility validate --seeds`` gives it)."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.phases.choices import Choices, capital_share
from hsmobility.phases.moves import moves
from hsmobility.validate import CAPITAL_CENSUSES, TARGETS
from hsmobility.world.households import Status
from hsmobility.world.options import Kind
from tests.handbuilt import hand_built_world


def test_tonga_urbanisation_on_three_seeds() -> None:
    target = next(t for t in TARGETS if t.name.startswith("Tonga urbanisation"))
    values = [target.measure(seed) for seed in (1, 2, 3)]
    # Tongatapu 73.0% -> 74.1% of residents in 2011-16: the mean in range, no seed far out
    assert target.low <= np.mean(values) <= target.high, values
    assert all(-0.005 < v < target.high + 0.005 for v in values), values
    assert len(set(np.round(values, 6))) == 3  # the seeds differ: a measure, not a constant


def test_fiji_urbanisation_on_three_seeds() -> None:
    target = next(t for t in TARGETS if t.name.startswith("Fiji urbanisation"))
    values = [target.measure(seed) for seed in (1, 2, 3)]
    # urban 50.7% -> 55.9% in 2007-17 (fitted by Fiji's capital_pull): the mean in range
    assert target.low <= np.mean(values) <= target.high, values
    assert all(v > 0 for v in values), values  # the capital grows on every seed


def test_census_pairs_give_the_published_shares() -> None:
    """Each census target's counts give the shares the censuses publish (issue 9, sixth
    session), and its range is the observed change with half of it either side."""
    by = {c.setting: c for c in CAPITAL_CENSUSES}
    expected = {  # setting: (first share, last share, years)
        "vanuatu": (0.336, 0.358, 7),  # Shefa 78,723 / 234,023 -> 97,602 / 272,459
        "kiribati": (0.487, 0.529, 10),  # South Tarawa "~49%" (2010), 63,439 / 119,940
        "tuvalu": (0.511, 0.602, 5),  # Funafuti's usual residents 5,436 -> 6,320
        "marshall-islands": (0.523, 0.546, 10),  # Majuro 27,797 -> 23,156 ("54.6%", 2021)
    }
    assert set(by) == set(expected)
    for setting, (first, last, years) in expected.items():
        c = by[setting]
        assert c.share_first == pytest.approx(first, abs=5e-4), setting
        assert c.share_last == pytest.approx(last, abs=5e-4), setting
        assert c.years == years
        low, high = c.band()
        assert low == pytest.approx(c.change * 0.5) and high == pytest.approx(c.change * 1.5)
        assert 0 < low < c.change < high
    # every census pair is a target named by its census years, kept out of the fit but for the
    # Marshall Islands' (its capital_pull, issue 8, eighth session)
    for c in CAPITAL_CENSUSES:
        t = next(t for t in TARGETS if f"change {c.first_year}-{c.last_year}" in t.name
                 and c.setting.split("-")[0] in t.name.lower())  # fmt: skip
        assert t.fitted == (c.setting == "marshall-islands"), c.setting
        assert ("[out-of-sample]" in t.source) != t.fitted
        assert (t.low, t.high) == c.band()


def test_a_move_to_the_capital_conserves_households_and_people_and_raises_its_share() -> None:
    """Households that move to the capital are the same households, with the same members;
    the capital's share rises by exactly their people (hand-built world)."""
    world = hand_built_world(
        [{"home_island": 0, "island": 0}] * 4 + [{"home_island": 1, "island": 1}] * 6,
        params={"decisions.review_prob": 1.0},
    )
    hh = world.households
    n, people = hh.n, int(hh.size.sum())
    before = capital_share(world)
    assert before == pytest.approx(0.4)
    capital = next(j for j, o in enumerate(world.policy.options) if o.kind == Kind.CAPITAL)
    movers = np.array([4, 5, 6])
    world.access.transport_credit[:] = 0.0
    moved = moves(world, Choices(movers, np.full(3, capital)))
    assert hh.n == n and int(hh.size.sum()) == people  # no household or member made or lost
    # the link carries 2 households a month: two of the three go, the third waits
    assert len(moved.moved) == 2 and len(moved.blocked) == 1
    assert np.all(hh.home_island[moved.moved] == 0) and np.all(hh.island[moved.moved] == 0)
    assert np.all(hh.status[moved.moved] == Status.MOVED_INTERNAL)
    assert capital_share(world) == pytest.approx(before + 2 * 5 / people)
    assert world.counts["moves_capital"] == 2
