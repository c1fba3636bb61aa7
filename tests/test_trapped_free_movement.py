"""Why free movement raises Tuvalu's trapped share (issue 10 item 1): the same households, at the
same month, judged under the status quo and under free movement.

Opening a legal route changes no household's wish (aspiration does not depend on the law), and it
never leaves more households stuck (aspiring with no wished move feasible); it frees those who can
pay. Those it does not free are blocked by money: the aspirants the status quo set apart as waiting
on the PAC ballot (queued, or eligible and not entered: not trapped by definition) and those it
found ineligible become FINANCIAL. The rise of the trapped share is that relabelling, not more
households held back ("aspiration without ability" remains: money binds once the law does not).
"""

from __future__ import annotations

import numpy as np

from hsmobility.decisions import Barrier, Decision, decide
from hsmobility.model import MobilityModel
from hsmobility.phases.choices import deciders, situation
from hsmobility.world.state import World


def _judge(world: World, rows: np.ndarray) -> Decision:
    """The rule for ``rows`` this month, nobody reconsidering (labels only, no draws)."""
    n = len(rows)
    s = situation(world, rows)
    p = world.params.decisions
    return decide(s, world.policy.options, world.context, p, np.zeros(n, bool), np.zeros(n))


def test_free_movement_relabels_the_ballots_waiting_as_trapped_by_money() -> None:
    model = MobilityModel("tuvalu", seed=1, years=4, scale=2)
    while model.world.t < 36:
        model.step()
    w = model.world
    rows = deciders(w)
    sq = _judge(w, rows)
    model.set_regime("free-movement")
    fm = _judge(w, rows)

    # the law changes no wish
    assert np.array_equal(sq.aspires, fm.aspires)
    stuck_sq = sq.trapped | sq.queued | sq.unentered
    stuck_fm = fm.trapped | fm.queued | fm.unentered
    # opening a route never leaves a household stuck that was not, and frees some
    assert not (stuck_fm & ~stuck_sq).any()
    assert stuck_fm.sum() < stuck_sq.sum()
    # under free movement nobody waits on a ballot and the law blocks no one: money does
    assert not fm.queued.any() and not fm.unentered.any()
    fm_codes = set(fm.barrier[fm.trapped].tolist())
    assert fm_codes <= {Barrier.FINANCIAL, Barrier.TRANSPORT}
    # yet more are *trapped*: the status quo's ballot waiters, relabelled FINANCIAL
    assert fm.trapped.sum() > sq.trapped.sum()
    extra = fm.trapped & ~sq.trapped
    assert (fm.barrier[extra] == Barrier.FINANCIAL).all()
    was = set(sq.barrier[extra].tolist())
    assert was <= {Barrier.QUEUED, Barrier.UNENTERED}
    assert (sq.queued | sq.unentered)[extra].all()
