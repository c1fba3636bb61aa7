"""Livelihoods and the diaspora: emigrants remit to kin at home, more after a disaster, less as
the years abroad pass; ties and kin abroad update when someone leaves; the national remittance
totals are reproduced (fitted) or predicted (out-of-sample); households and people are
conserved with the new flows."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import calm_month, hand_built_world

from hsmobility.model import MobilityModel
from hsmobility.phases.economy import diaspora_remittance_per_member, income_and_savings
from hsmobility.phases.impacts import Hit
from hsmobility.phases.moves import move_abroad, move_within
from hsmobility.validate import REMITTANCES_FITTED, TARGETS
from hsmobility.world.households import Band, Status
from hsmobility.world.options import Kind


def _no_hit(world) -> Hit:
    n = world.households.n
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _abroad_option(world):
    return next(o for o in world.policy.options if o.kind == Kind.ABROAD)


def _family():
    """A parent household (row 0) and the household that split from it (row 1) on the outer
    island, three neighbours there (rows 2-4) and one household on the capital (row 5)."""
    none = {"parent": -1}
    outer = [none, {"parent": 0, "income": 20_000.0}, none, none, none]
    return [*outer, {**none, "home_island": 0, "island": 0}]


def test_a_move_abroad_raises_the_kins_remittance_income_in_the_following_months() -> None:
    # every household of the island gains the tie (tie_spread large)
    w = hand_built_world(_family(), params={"decisions.tie_spread": 50.0})
    pe, hh = w.params.economy, w.households
    income_and_savings(w, calm_month(), _no_hit(w))
    before = hh.remittances_month.copy()
    assert before.sum() == 0.0  # no members abroad, no seasonal worker: nothing yet

    move_abroad(w, _abroad_option(w), np.array([1]))
    # US$ a year: a share of the destination's earnings per member who left (issue 8)
    sends = pe.remit_share * w.setting.destinations[0].earnings_usd * hh.size[1]
    assert hh.status[1] == Status.ABROAD
    months = []
    for _ in range(3):
        w.begin_month()
        income_and_savings(w, calm_month(), _no_hit(w))
        months.append(hh.remittances_month.copy())
    first = months[0]
    to_parent = pe.parent_remit_share * sends / 12
    to_each_kin = (1 - pe.parent_remit_share) * sends / 12 / 4
    assert first[0] == pytest.approx(to_parent + to_each_kin)  # the parent is kin on the island too
    assert first[2:5] == pytest.approx([to_each_kin] * 3)
    assert first[5] == 0.0  # kin live on the emigrant's island, not the capital
    assert first[1] == 0.0  # the emigrant itself is abroad and receives nothing
    assert first.sum() == pytest.approx(sends / 12)
    # in the following months the flow continues, decaying with the years abroad
    monthly_decay = 0.5 ** (1 / (12 * pe.remittance_half_life_years))
    assert months[1][0] == pytest.approx(first[0] * monthly_decay)
    assert months[2][0] == pytest.approx(first[0] * monthly_decay**2)
    assert (months[2][[0, 2, 3, 4]] > 0).all()


def test_ties_and_kin_abroad_update_whenever_someone_leaves() -> None:
    w = hand_built_world(_family(), params={"decisions.tie_spread": 50.0})
    hh = w.households
    assert (hh.ties[:, 0] == 0).all() and (hh.kin_abroad == 0).all()
    move_abroad(w, _abroad_option(w), np.array([1]))
    assert (hh.ties[[0, 2, 3, 4], 0] == 1).all()  # chain migration: family now at the destination
    assert hh.ties[5, 0] == 0
    assert list(hh.kin_abroad) == [2, 0, 1, 1, 1, 0]  # the parent, once as parent, once as kin


def test_an_emigrant_without_kin_at_home_remits_to_nobody() -> None:
    # no household left on its island, no parent: nothing is invented
    w = hand_built_world([{}, {"home_island": 0, "island": 0}])
    move_abroad(w, _abroad_option(w), np.array([0]))
    assert w.households.remit_kin_usd.sum() == 0.0


def test_family_abroad_sends_more_to_a_damaged_home() -> None:
    w = hand_built_world([{"members_abroad": 4}, {"members_abroad": 4, "damage": 0.6}])
    income_and_savings(w, calm_month(), _no_hit(w))
    pe, r = w.params.economy, w.households.remittances_month
    assert r[0] == pytest.approx(4 * diaspora_remittance_per_member(w) / 12)
    assert r[1] == pytest.approx(r[0] * (1 + pe.remittance_disaster_boost * 0.6))


def test_the_diaspora_remits_a_share_of_its_earnings_abroad_less_with_the_years() -> None:
    w = hand_built_world([{}])
    pe, s = w.params.economy, w.setting
    decay = 0.5 ** (pe.diaspora_years_abroad / pe.remittance_half_life_years)
    assert diaspora_remittance_per_member(w) == pytest.approx(
        pe.remit_share * s.diaspora_earnings() * decay
    )
    longer = hand_built_world([{}], params={"economy.diaspora_years_abroad": 30.0})
    assert diaspora_remittance_per_member(longer) < diaspora_remittance_per_member(w)


def test_a_household_formed_by_a_split_remembers_its_parent() -> None:
    model = MobilityModel("tuvalu", years=3, seed=1, stochastic_cyclones=False)
    model.run()
    hh, n0 = model.households, model.households_start
    assert (hh.parent[:n0] == -1).all()
    formed = np.arange(n0, hh.n)
    assert len(formed) > 0
    assert ((hh.parent[formed] >= 0) & (hh.parent[formed] < formed)).all()


@pytest.fixture(scope="module")
def free_movement_run() -> MobilityModel:
    """Marshall Islands under the Compact: many emigrants, storms and splits, with people
    counted every month."""
    model = MobilityModel("marshall-islands", years=6, seed=2)
    people = [int(model.households.size.sum() + model.households.members_abroad.sum())]
    rows = [model.households.n]
    while model.running:
        model.step()
        people.append(int(model.households.size.sum() + model.households.members_abroad.sum()))
        rows.append(model.households.n)
    model.people_by_month = np.array(people)  # type: ignore[attr-defined]
    model.rows_by_month = np.array(rows)  # type: ignore[attr-defined]
    return model


def test_households_and_people_are_conserved_with_the_new_flows(free_movement_run) -> None:
    model = free_movement_run
    df = model.monthly()
    assert df["moves_abroad"].sum() > 0 and df["remittances_new_emigrants_usd"].sum() > 0
    # rows are never removed: households now = at start + formed
    formed = df["households_formed"].to_numpy() // model.scale
    assert (np.diff(model.rows_by_month) == formed).all()
    # people in every row (resident or abroad) and the older diaspora change only by births
    # and deaths: emigrating and remitting create and destroy no one
    births_less_deaths = (df["births"] - df["deaths"]).to_numpy() // model.scale
    assert (np.diff(model.people_by_month) == births_less_deaths).all()


def test_remittances_by_source_add_up_to_the_total(free_movement_run) -> None:
    df = free_movement_run.monthly()
    parts = df[
        ["remittances_diaspora_usd", "remittances_new_emigrants_usd", "remittances_seasonal_usd"]
    ].sum(axis=1)
    assert parts.to_numpy() == pytest.approx(df["remittances_usd"].to_numpy())
    # kin who left during the run send more and more of the total as emigrants accumulate
    share = df["remittances_new_emigrants_usd"] / df["remittances_usd"]
    assert share.iloc[-12:].mean() > share.iloc[:12].mean()


def _remittance_target(name: str):
    return next(t for t in TARGETS if t.name.startswith(name) and "remittances" in t.name)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_fitted_remittance_total_holds_on_several_seeds(seed) -> None:
    assert REMITTANCES_FITTED == ("tonga",)
    target = _remittance_target("Tonga")
    assert target.fitted
    value = target.measure(seed)
    assert target.low <= value <= target.high, value


def test_out_of_sample_remittance_totals_are_within_a_factor_of_three() -> None:
    """Predictions, not fits: each held-out setting's second-year remittances within a factor
    of three of its national total (docs/validation.md reports how close each comes)."""
    held_out = [t for t in TARGETS if "remittances" in t.name and not t.fitted]
    assert len(held_out) == 8
    ratios = {t.name: t.measure(1) for t in held_out}
    assert all(1 / 3 <= r <= 3 for r in ratios.values()), ratios


# ---------------------------------------------------------------- incomes that change


def test_livelihoods_grow_at_the_settings_real_income_growth() -> None:
    w = hand_built_world([{"income": 10_000.0}])
    w.setting = w.setting.model_copy(update={"income_growth": 0.03})
    for _ in range(12):
        income_and_savings(w, calm_month(), _no_hit(w))
        w.begin_month()
    assert w.households.income[0] == pytest.approx(10_300.0)


def test_a_move_to_the_capital_moves_income_towards_the_capitals_level() -> None:
    w = hand_built_world([{"income": 10_000.0}, {"income": 10_000.0}])
    w.context.island_income[:] = [1.6, 0.8]  # the capital's livelihoods pay twice the outer's
    c = w.params.economy.internal_move_income_convergence
    move_within(w, np.array([0]), 0, None, Status.MOVED_INTERNAL)
    move_within(w, np.array([1]), None, Band.HIGH, Status.MOVED_INTERNAL)  # up the same island
    assert w.households.income[0] == pytest.approx(10_000.0 * (1 + c * (2.0 - 1.0)))
    assert w.households.income[1] == pytest.approx(10_000.0)


def test_savings_settle_instead_of_piling_up() -> None:
    """With obligations and calls on savings, twenty calm years leave savings at the level where
    what is put by each month equals what is drawn, ((1 - consumption) x (1 - call rate) -
    obligations) x income / call rate; without them savings would grow by a tenth of income
    every month."""
    w = hand_built_world([{"income": 24_000.0, "size": 1, "savings": 0.0}])
    pe = w.params.economy
    for _ in range(240):
        income_and_savings(w, calm_month(), _no_hit(w))
        w.begin_month()
    monthly = 24_000.0 / 12
    d = pe.savings_call_rate
    settled = ((1 - pe.consumption_share) * (1 - d) - pe.obligations_share) * monthly / d
    assert w.households.savings[0] == pytest.approx(settled, rel=0.01)
    assert w.households.savings[0] < 240 * (1 - pe.consumption_share) * monthly / 10


def test_poverty_is_reported_as_a_run_average_and_incomes_by_group() -> None:
    model = MobilityModel("tuvalu", years=2, seed=1)
    model.run()
    s, df, groups = model.summary(), model.monthly(), model.groups_monthly()
    assert s["poverty_rate_mean"] == pytest.approx(df["poverty_rate"].mean())
    assert s["poverty_rate_last_year"] == pytest.approx(df["poverty_rate"].iloc[-12:].mean())
    assert sum(s["remittances_by_source"].values()) == pytest.approx(s["remittances_total"])
    q = groups[groups["step"] == df["step"].iloc[-1]].set_index("group")["mean_income_usd"]
    assert q["quintile_1"] < q["quintile_5"]
