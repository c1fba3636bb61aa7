"""Savings brought home from abroad follow what the household earned there (issue 8, fourth
session): its destination's ``earnings_usd`` x its working-age members, the same measure of
earnings abroad as the remittances emigrants send (``economy.earned_abroad``), not its income
at home."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.phases.economy import earned_abroad, emigrant_remittance
from hsmobility.phases.returns import return_from_abroad
from hsmobility.world.households import Displacement, Status

#: two destinations whose wages differ five-fold: New Zealand US$30,000, Suva US$6,000
TWO = SETTING.model_copy(
    update={
        "destinations": [
            SETTING.destinations[0],
            SETTING.destinations[0].model_copy(
                update={"name": "Suva", "earnings_usd": 6000.0, "diaspora": 0}
            ),
        ]
    }
)
#: every emigrant returns in the next month (hazard x 100 in the early years), to its island
CERTAIN = {
    "returns.early_factor": 100.0,
    "returns.base_rate_per_year": 1.0,
    "returns.capital_share": 0.0,
}


def _abroad(dest: int, income: float, adults: int, moved_step: int = 0) -> dict:
    return {
        "status": Status.ABROAD, "island": -1, "destination": dest, "pathway_used": 0,
        "moved_step": moved_step, "displacement": Displacement.NONE, "size": adults + 1,
        "adults": adults, "children": 1, "elders": 0, "income": income, "savings": 0.0,
    }  # fmt: skip


def _return_all(w) -> np.ndarray:
    """Advance until every household abroad has come back (the hazard makes it near-certain)."""
    hh = w.households
    for _ in range(12):
        w.begin_month()
        return_from_abroad(w)
        w.end_month()
        if not (hh.status == Status.ABROAD).any():
            break
    assert not (hh.status == Status.ABROAD).any()
    return hh.savings.copy()


def test_savings_brought_home_follow_the_destinations_earnings_not_income_at_home() -> None:
    # the same household at each destination, then at New Zealand with twice the income at home
    w = hand_built_world(
        [_abroad(0, 10_000.0, 2), _abroad(1, 10_000.0, 2), _abroad(0, 20_000.0, 2)],
        params=CERTAIN,
        setting=TWO,
        years=3,
    )
    for _ in range(8):  # abroad longer than savings_months_abroad
        w.begin_month()
    p = w.params.returns
    assert w.t > p.savings_months_abroad
    saved = _return_all(w)
    assert saved[0] == pytest.approx(p.savings_months_abroad / 12 * 30_000.0 * 2)
    assert saved[0] / saved[1] == pytest.approx(30_000.0 / 6_000.0)  # the wage ratio
    assert saved[2] == pytest.approx(saved[0])  # income at home plays no part
    # the counter holds every dollar brought home (money conserved)
    assert w.totals["savings_brought_home_usd"] == pytest.approx(saved.sum())


def test_savings_scale_with_working_age_members_and_months_abroad() -> None:
    w = hand_built_world(
        [_abroad(0, 10_000.0, 1), _abroad(0, 10_000.0, 3)], params=CERTAIN, setting=TWO, years=3
    )
    for _ in range(8):
        w.begin_month()
    saved = _return_all(w)
    assert saved[1] == pytest.approx(3 * saved[0])
    # a household back after two months brings two months' earnings, not savings_months_abroad
    w = hand_built_world([_abroad(0, 10_000.0, 2)], params=CERTAIN, setting=TWO, years=3)
    w.begin_month()
    w.begin_month()
    hh = w.households
    back = return_from_abroad(w).rows
    if len(back):  # the draw is near-certain; if it missed, the next month is checked below
        assert hh.savings[0] == pytest.approx(w.t / 12 * 30_000.0 * 2)
    else:
        w.begin_month()
        assert list(return_from_abroad(w).rows) == [0]
        assert hh.savings[0] == pytest.approx(w.t / 12 * 30_000.0 * 2)


def test_remittances_and_savings_share_one_measure_of_earnings_abroad() -> None:
    w = hand_built_world([_abroad(0, 10_000.0, 2)], setting=TWO)
    pe = w.params.economy
    for d, wage in ((0, 30_000.0), (1, 6_000.0)):
        assert float(earned_abroad(w, d, 2.0)) == pytest.approx(2 * wage)
        assert float(emigrant_remittance(w, d, 2.0)) == pytest.approx(
            pe.remit_share * float(earned_abroad(w, d, 2.0))
        )
