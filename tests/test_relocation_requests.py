"""Relocation requests one village at a time (issue 10, sixth session).

With ``request_rate_per_year`` above 0 each low-lying village asks in its own time, with a
monthly chance that grows with its own exposure (its households out of their homes, its homes'
damage, the king-tide floods of an unprotected shore): a village that loses its shore asks
before one behind a seawall, and villages equally exposed ask spread over the months rather
than in one batch. The vote reads only the columns it weighs and decides as the whole
situation did."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import hand_built_world
from helpers import FIJI_RELOCATION, KEEN_TO_RELOCATE

from hsmobility.config.regimes import build_regime
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError
from hsmobility.decisions import wish_relocation
from hsmobility.phases import relocation as reloc
from hsmobility.phases.choices import situation
from hsmobility.world.households import Band, Status

KEEN = KEEN_TO_RELOCATE
LEVERS = {**FIJI_RELOCATION, "relocation.request_rate_per_year": 1.0}


def _listing_months(rows: list[dict], months: int, seed: int, **levers: float) -> dict[int, int]:
    """Month each village was first listed (villages never listed are absent)."""
    w = hand_built_world(rows, levers={**LEVERS, **levers}, years=months // 12 + 1)
    w.streams["relocation"] = np.random.default_rng(seed)
    listed: dict[int, int] = {}
    none = np.zeros(0, dtype=np.int64)
    for t in range(months):
        if t:
            w.begin_month()
        w.households.damage[:] = [r["damage"] for r in rows]  # the same exposure every month
        reloc.relocation(w, none)
        for c in w.policy.relocation.listed:
            listed.setdefault(c, t)
    return listed


def test_a_village_losing_its_shore_asks_before_one_behind_a_seawall() -> None:
    """Village 0's homes are flooded and damaged (damage 0.9, no protection); village 1's are
    sound and behind protection. Village 0's exposure is about 0.9 and, at one request a year
    per unit of exposure, it asks within a few years on every seed; village 1's exposure is 0
    and it never asks, although no storm drives anybody out of either."""
    rows = [{**KEEN, "band": Band.LOW, "community": 0} for _ in range(4)]
    rows += [{**KEEN, "damage": 0.0, "band": Band.LOW, "community": 1, "protected": True}
             for _ in range(4)]  # fmt: skip
    w = hand_built_world(rows, levers=LEVERS)
    member = reloc.community_members(w)
    exposure = reloc.village_exposure(w, np.flatnonzero(member), 2)
    assert exposure[1] == 0.0
    assert 0.89 <= exposure[0] <= 1.0
    firsts = []
    for seed in range(6):
        listed = _listing_months(rows, 60, seed)
        assert 1 not in listed
        assert 0 in listed
        firsts.append(listed[0])
    # months to the first request: exponential with mean 12 / 0.9 ~ 13 (six draws)
    assert 2 < np.mean(firsts) < 40


def test_requests_spread_in_time_not_in_one_batch() -> None:
    """Twenty villages equally damaged ask one here, one there: over five years no month lists
    more than four of them and the requests span more than two years. The storm trigger
    (rate 0) with all twenty driven out lists them all in one month."""
    rows = [{**KEEN, "damage": 0.5, "band": Band.LOW, "community": c}
            for c in range(20) for _ in range(3)]  # fmt: skip
    listed = _listing_months(rows, 60, seed=1, **{"relocation.request_rate_per_year": 0.5})
    months = np.array(list(listed.values()))
    assert len(months) >= 10
    assert np.bincount(months).max() <= 4
    assert months.max() - months.min() > 24
    # the storm trigger lists the whole batch the month of the storm
    w = hand_built_world(rows, levers={**LEVERS, "relocation.request_rate_per_year": 0.0})
    w.households.status[:] = Status.DISPLACED
    reloc.relocation(w, np.arange(len(rows)))
    assert len(w.policy.relocation.listed) == 20


def _old_vote(world, rows: np.ndarray, rng: np.random.Generator) -> float:
    """The vote as it was: a whole situation() per community."""
    wish = wish_relocation(situation(world, rows), world.params.decisions)
    p = 1.0 / (1.0 + np.exp(-np.clip(wish, -50.0, 50.0)))
    voters = max(1, int(world.scale))
    return float(rng.binomial(voters, p).sum() / (voters * len(rows)))


def test_the_cheap_vote_decides_as_the_whole_situation_did() -> None:
    """On a hand-built village of households with every mix of risk, damage, displacement and
    attachment, the vote from four columns gives the same share in favour as the vote from a
    whole situation, draw for draw (the same generator state), at scale 1 and 10."""
    gen = np.random.default_rng(5)
    rows = [{"risk": float(gen.uniform(0, 3)), "damage": float(gen.uniform(0, 1)),
             "attachment": float(gen.uniform(0, 1)), "band": Band.LOW, "community": 0}
            for _ in range(40)]  # fmt: skip
    for scale in (1, 10):
        w = hand_built_world(rows, levers=LEVERS, scale=scale)
        w.households.status[::3] = Status.DISPLACED
        idx = np.arange(40)
        for seed in range(5):
            new = reloc.vote(w, idx, np.random.default_rng(seed))
            old = _old_vote(w, idx, np.random.default_rng(seed))
            assert new == old
            assert 0.0 < new < 1.0


def test_the_cheap_vote_decides_as_before_on_fiji(monkeypatch) -> None:
    """Fiji's status quo at scale 10 over 6 years: every vote taken gives, from the same
    generator state, the same share as the old vote; the run holds several votes."""
    from hsmobility.model import MobilityModel

    new_vote, calls = reloc.vote, []

    def both(world, rows: np.ndarray, rng: np.random.Generator) -> float:
        state = rng.bit_generator.state
        old = _old_vote(world, rows, rng)
        rng.bit_generator.state = state
        new = new_vote(world, rows, rng)
        calls.append((old, new))
        return new

    monkeypatch.setattr(reloc, "vote", both)
    MobilityModel("fiji", seed=1, years=6, scale=10, island_table=False).run()
    assert len(calls) >= 3
    assert all(old == new for old, new in calls)


def test_households_and_people_are_conserved_through_requests_and_moves() -> None:
    """Ten damaged villages asking at their own pace, voting, funded and moving over 12 years:
    every month every household is somewhere and the people are those at the start; those
    moved are relocated, and only from villages that were listed."""
    rows = [{**KEEN, "band": Band.LOW, "community": c} for c in range(10) for _ in range(3)]
    levers = {**LEVERS, "relocation.sites_per_year": 2.0}
    w = hand_built_world(rows, levers=levers, years=13)
    hh = w.households
    n, people = hh.n, int(hh.size[: hh.n].sum())
    listed = set()
    none = np.zeros(0, dtype=np.int64)
    for t in range(12 * 12):
        if t:
            w.begin_month()
        reloc.relocation(w, none)
        listed |= set(w.policy.relocation.listed)
        assert hh.n == n
        assert np.bincount(hh.status[:n], minlength=len(Status)).sum() == n
        assert int(hh.size[:n].sum()) == people
    moved = {c for c, s in w.policy.relocation.decided.items() if s == "moved"}
    assert moved and moved <= listed
    assert (hh.status[:n] == Status.RELOCATED).sum() == 3 * len(moved)


def test_a_negative_request_rate_is_refused_with_one_clear_error() -> None:
    """A request rate below 0 in a scenario's levers is one error naming the lever."""
    with pytest.raises(ScenarioError, match="request_rate_per_year"):
        build_regime("status-quo", load_setting("fiji"), {"relocation.request_rate_per_year": -1})
