"""Return from abroad and circular migration (phases/returns.py): households that emigrated come
back into the setting and its tables, older heads and early years return more, a pathway whose
factor is 0 keeps its emigrants abroad, and seasonal workers who settle become households abroad
that remit home; people are conserved throughout."""

from __future__ import annotations

import math

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world
from helpers import check_accounts, step_checking

from hsmobility.model import MobilityModel
from hsmobility.phases.returns import return_from_abroad, return_hazard, settle_seasonal
from hsmobility.validate import TARGETS
from hsmobility.world.households import Displacement, Status

#: a household that emigrated to New Zealand (the hand-built setting's only destination) by the
#: free-movement pathway (index 0), at step 0
ABROAD = {
    "status": Status.ABROAD, "island": -1, "destination": 0, "pathway_used": 0, "moved_step": 0,
    "displacement": Displacement.NONE,
}  # fmt: skip
#: every emigrant returns within a month or so (hazard x 100 in the early years)
CERTAIN = {"returns.early_factor": 100.0, "returns.base_rate_per_year": 1.0}


def _advance(world, months: int) -> None:
    for _ in range(months):
        world.begin_month()


def test_a_return_moves_a_household_back_into_the_setting_and_its_table() -> None:
    parent = {"size": 4}
    child = {**ABROAD, "size": 3, "parent": 0, "income": 10_000.0, "savings": 500.0}
    w = hand_built_world([parent, child], params={**CERTAIN, "returns.capital_share": 0.0})
    hh = w.households
    hh.remit_kin_usd[0], hh.kin_abroad[0] = 3000.0, 1
    _advance(w, 1)
    people = int(hh.size.sum())
    on_outer = int(hh.size[hh.island == 1].sum())
    back = return_from_abroad(w).rows
    assert list(back) == [1]
    assert hh.status[1] == Status.RETURNED
    assert hh.island[1] == hh.home_island[1] == 1  # its home island (capital_share 0)
    assert hh.destination[1] == -1 and hh.returned_step[1] == w.t
    assert int(hh.size[hh.island == 1].sum()) == on_outer + 3  # island population
    assert int(hh.size.sum()) == people  # nobody made or lost
    assert w.counts["returns_from_abroad"] == 1
    assert w.counts["people_returned_from_abroad"] == 3
    # savings brought home: savings_months_abroad months of its workers' earnings abroad
    p = w.params.returns
    months = min(p.savings_months_abroad, w.t)  # moved at step 0
    brought = months / 12 * SETTING.destinations[0].earnings_usd * hh.adults[1]
    assert hh.savings[1] == pytest.approx(500.0 + brought)
    assert w.counts["savings_brought_home_usd"] == pytest.approx(brought)
    # what it sent its parent stops
    assert hh.kin_abroad[0] == 0
    assert hh.remit_kin_usd[0] < 3000.0


def test_returned_households_are_placed_on_their_islands_cells_and_accounts_close() -> None:
    # the Marshall Islands under the Compact: emigrants come and go; run with every check
    run = step_checking(MobilityModel("marshall-islands", years=6, seed=3, scale=20))
    model = run["model"]
    assert run["violations"] == {}, run["violations"]
    df = model.monthly()
    assert df["returns_from_abroad"].sum() > 0
    check_accounts(model)
    hh = model.households
    back = np.flatnonzero((hh.returned_step >= 0) & (hh.status == Status.RETURNED))
    assert len(back)
    for row in back:
        agent = model._agents[row]
        assert agent.cell is model.space[int(hh.island[row])]
        assert agent in list(agent.cell.agents)
    summary = model.summary()
    assert summary["returns_from_abroad"] == int(df["returns_from_abroad"].sum())
    assert sum(summary["returns_from_abroad_by_pathway"].values()) == summary["returns_from_abroad"]


def test_older_heads_and_the_first_years_abroad_return_more() -> None:
    ages = [30, 55, 70]
    w = hand_built_world([{**ABROAD, "head_age": a} for a in ages])
    _advance(w, 1)
    h = return_hazard(w, np.arange(3))
    assert h[0] < h[1] < h[2]
    p = w.params.returns
    assert h[2] / h[0] == pytest.approx(p.retiree_factor)
    # the same household ten years on returns at the lower, settled hazard
    early = return_hazard(w, np.array([0]))[0]
    _advance(w, 120)
    assert return_hazard(w, np.array([0]))[0] == pytest.approx(early / p.early_factor)


def test_returns_rise_with_age_in_a_population_abroad() -> None:
    n = 600
    w = hand_built_world([{**ABROAD, "head_age": 30}] * n + [{**ABROAD, "head_age": 70}] * n)
    _advance(w, 1)
    for _ in range(24):
        return_from_abroad(w)
        w.begin_month()
    back = w.households.status == Status.RETURNED
    young, old = back[:n].mean(), back[n:].mean()
    assert old > 2 * young > 0


def test_no_return_by_a_pathway_whose_factor_is_zero() -> None:
    params = {**CERTAIN, "returns.kind_factor": {"free-movement": 0.0}}
    w = hand_built_world([{**ABROAD}] * 50, params=params)
    for _ in range(24):
        w.begin_month()
        assert len(return_from_abroad(w).rows) == 0
    assert (w.households.status == Status.ABROAD).all()
    # a name in pathway_factor overrides its kind
    params["returns.pathway_factor"] = {"free-nz": 1.0}
    w = hand_built_world([{**ABROAD}] * 50, params=params)
    _advance(w, 1)
    assert len(return_from_abroad(w).rows) > 40


def test_a_permanent_residence_cohort_returns_as_sourced_over_twelve_years() -> None:
    # Sin & Ormsby (2018): 80-90% of Pacific residents still in NZ after 12 years; the prior
    # takes ~15% back home. A prime-age cohort at kind factor 1 returns 1 - exp(-base x
    # (early_years x early_factor + 12 - early_years)) within 12 years
    n = 3000
    w = hand_built_world(
        [{**ABROAD, "head_age": 30}] * n, params={"returns.kind_factor": {"free-movement": 1.0}}
    )
    p = w.params.returns
    for _ in range(144):
        w.begin_month()
        return_from_abroad(w)
    expected = 1 - math.exp(
        -p.base_rate_per_year * (p.early_years * p.early_factor + 12 - p.early_years)
    )
    share = (w.households.status == Status.RETURNED).mean()
    assert 0.10 <= expected <= 0.20
    assert share == pytest.approx(expected, abs=4 * math.sqrt(expected / n))


# ------------------------------------------------------------------------- circular migration
SEASONAL = SETTING.model_copy(
    update={
        "pathways": [
            *SETTING.pathways,
            SETTING.pathways[0].model_copy(
                update={"name": "palm", "kind": "seasonal", "quota_per_year": 100,
                        "months_away": 6, "earnings_per_season_usd": 6000.0}
            ),
        ]
    }
)  # fmt: skip


def _seasonal_world(households, prob: float, **params):
    w = hand_built_world(
        households,
        setting=SEASONAL,
        params={"returns.seasonal_settle_prob_by_scheme": {"palm": prob}, **params},
    )
    palm = w.policy.pathway_names.index("palm")
    return w, palm


def test_a_seasonal_worker_who_settles_becomes_a_household_abroad_that_remits() -> None:
    w, palm = _seasonal_world([{"size": 4, "income": 12_000.0}, {"size": 1}, {"size": 3}], 1.0)
    hh = w.households
    hh.seasonal_scheme[:] = palm
    hh.seasonal_left[:] = [0, 0, 2]  # the third's worker is still away
    people = int(hh.size.sum())
    new = settle_seasonal(w)
    assert len(new) == 1 and hh.n == 4
    row = int(new[0])
    assert hh.status[row] == Status.ABROAD and hh.size[row] == 1
    assert hh.parent[row] == 0 and hh.destination[row] == 0 and hh.pathway_used[row] == palm
    assert hh.island[row] == -1 and hh.moved_step[row] == w.t
    assert hh.size[0] == 3  # the worker left the household
    assert hh.kin_abroad[0] == 1 and hh.ties[0, 0] == 1.0
    # a share of the destination's earnings for the one settler abroad (issue 8)
    sends = w.params.economy.remit_share * w.setting.destinations[0].earnings_usd
    assert hh.remit_kin_usd[0] == pytest.approx(sends)
    # a household of one went abroad whole
    assert hh.status[1] == Status.ABROAD and hh.island[1] == -1 and hh.destination[1] == 0
    # the worker still away is untouched; the seasons that ended are closed
    assert hh.status[2] == Status.HOME and hh.seasonal_scheme[2] == palm
    assert list(hh.seasonal_scheme[:2]) == [-1, -1]
    assert int(hh.size.sum()) == people
    assert w.counts["seasonal_settled"] == 2
    assert w.counts["people_left_setting"] == 2


def test_a_seasonal_worker_who_does_not_settle_comes_home() -> None:
    w, palm = _seasonal_world([{"size": 4}], 0.0)
    hh = w.households
    hh.seasonal_scheme[0], hh.seasonal_left[0] = palm, 0
    assert len(settle_seasonal(w)) == 0
    assert hh.n == 1 and hh.size[0] == 4 and hh.status[0] == Status.HOME
    assert hh.seasonal_scheme[0] == -1


def test_seasonal_settlers_in_a_run_are_abroad_households_and_accounts_close() -> None:
    run = step_checking(MobilityModel("tonga", years=4, seed=2, scale=20))
    model = run["model"]
    assert run["violations"] == {}, run["violations"]
    df = model.monthly()
    assert df["seasonal_settled"].sum() > 0
    check_accounts(model)
    hh = model.households
    seasonal = [k for k, p in enumerate(model.world.policy.regime.pathways) if p.kind == "seasonal"]
    settlers = np.isin(hh.pathway_used, seasonal) & (hh.formed_step >= 0) & (hh.parent >= 0)
    assert settlers.any()
    assert ((hh.status[settlers] == Status.ABROAD) | (hh.returned_step[settlers] >= 0)).all()
    assert model.summary()["seasonal_settled"] == int(df["seasonal_settled"].sum())


def test_the_return_target_holds_on_several_seeds() -> None:
    """Sin & Ormsby (2018): 10-25 % of a Tongan residence cohort back home within 12 years; the
    fitted target holds on the mean of seeds 1-3 (as `validate --seeds 1-3` judges it), each
    seed within the cohort's noise (a few dozen households: 0.077 to 0.155 on seeds 1-3 after
    the fifth session's merges)."""
    (target,) = [t for t in TARGETS if t.name.startswith("Tonga: ballot emigrants back")]
    values = [target.measure(seed) for seed in (1, 2, 3)]
    assert target.low <= np.mean(values) <= target.high, values
    assert all(target.low - 0.05 <= v <= target.high + 0.05 for v in values), values


def test_a_settler_who_returns_stops_what_it_sent_its_household() -> None:
    w, palm = _seasonal_world([{"size": 4, "income": 12_000.0}], 1.0, **CERTAIN)
    hh = w.households
    hh.seasonal_scheme[0], hh.seasonal_left[0] = palm, 0
    (row,) = settle_seasonal(w)
    sent = hh.remit_kin_usd[0]
    assert sent > 0 and hh.kin_abroad[0] == 1
    w.begin_month()
    assert list(return_from_abroad(w).rows) == [row]
    # what it sends now (one month's decay less, which the economy phase takes from the
    # receiver in a run) is taken away: only that month's decay is left
    decay = 0.5 ** (1 / (12 * w.params.economy.remittance_half_life_years))
    assert hh.remit_kin_usd[0] == pytest.approx(sent * (1 - decay))
    assert hh.kin_abroad[0] == 0
    assert hh.status[row] == Status.RETURNED and int(hh.size.sum()) == 4
