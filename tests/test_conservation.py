"""Household conservation: every household is somewhere every month, and the counts add up,
in total and island by island, through storms, displacement and return."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import (
    HOUSED_COLUMNS,
    KIND_COLUMNS,
    REQUIRED_SETTINGS,
    STATUS_COLUMNS,
    check_accounts,
    household_violations,
    island_recount,
    step_checking,
)

from hsmobility.model import MobilityModel
from hsmobility.world.households import Status

RUNS = ["stormy_vanuatu", "scripted_tuvalu"]


@pytest.fixture(params=RUNS)
def checked(request) -> dict:
    return request.getfixturevalue(request.param)


def test_the_runs_checked_here_do_displace_households(stormy_vanuatu, scripted_tuvalu):
    # conservation over a quiet run would prove little: both runs must see storms do harm
    for run in (stormy_vanuatu, scripted_tuvalu):
        df = run["model"].monthly()
        assert df["displaced_new"].sum() > 0
        assert df["returns"].sum() > 0
        assert (df["cyclone_category"] >= 3).any()
    kinds = scripted_tuvalu["model"].monthly()[KIND_COLUMNS].max()
    assert (
        kinds[["displaced_shelter", "displaced_host_family", "displaced_other_island"]] > 0
    ).all()


def test_every_household_is_somewhere_consistent_every_month(checked):
    assert checked["violations"] == {}, "household state broke its rules in month(s): " + "; ".join(
        f"{t}: {v}" for t, v in list(checked["violations"].items())[:5]
    )


def test_households_by_status_add_up_to_all_households_every_month(checked):
    df = checked["model"].monthly()
    by_status = df[STATUS_COLUMNS].sum(axis=1)
    bad = df[by_status != df["households_total"]]
    assert bad.empty, f"status counts do not add up in steps {bad['step'].tolist()[:10]}"


def test_households_are_never_lost(checked):
    model, rows = checked["model"], checked["rows"]
    df = model.monthly()
    assert np.all(np.diff(rows) >= 0), "household rows were deleted"
    assert df["households_total"].tolist() == [n * model.scale for n in rows]
    assert df["households_total"].iloc[0] >= model.households_start * model.scale


def test_displaced_households_by_kind_add_up_to_the_displaced(checked):
    df = checked["model"].monthly()
    pd.testing.assert_series_equal(
        df[KIND_COLUMNS].sum(axis=1), df["households_displaced"], check_names=False
    )


def test_the_displaced_change_only_by_new_displacements_returns_and_moves_on(checked):
    # stock-flow: displaced(t) = displaced(t-1) + newly displaced - returned - moved on, where
    # a displaced household that moves (abroad, to the capital, relocated) makes a forced move;
    # forced moves are the newly displaced, the inundation moves and the displaced moving on
    df = checked["model"].monthly()
    moved_on = df["moves_forced"] - df["displaced_new"] - df["moves_forced_inundation"]
    assert (moved_on >= 0).all()
    before = df["households_displaced"].shift(1, fill_value=0)
    expected = before + df["displaced_new"] - df["returns"] - moved_on
    mismatch = df[expected != df["households_displaced"]]
    assert mismatch.empty, (
        "stock and flows of the displaced disagree in steps "
        f"{mismatch['step'].tolist()[:10]}: stock change "
        f"{(df['households_displaced'] - before)[mismatch.index].tolist()[:5]}, flows "
        f"{(expected - before)[mismatch.index].tolist()[:5]}"
    )


def test_island_table_adds_up_to_the_monthly_totals(checked):
    model = checked["model"]
    df = model.monthly().set_index("step")
    by_step = model.islands_monthly().groupby("step")
    n_isl = len(model.setting.islands)
    assert (model.islands_monthly().groupby("step").size() == n_isl).all()
    pd.testing.assert_series_equal(
        by_step["households_displaced"].sum(), df["households_displaced"], check_names=False
    )
    pd.testing.assert_series_equal(
        by_step["households_housed"].sum(), df[HOUSED_COLUMNS].sum(axis=1), check_names=False
    )
    pd.testing.assert_series_equal(by_step["residents"].sum(), df["residents"], check_names=False)


def test_island_table_matches_a_recount_of_households_every_month(checked):
    model, recounts = checked["model"], checked["recounts"]
    islands = model.islands_monthly()
    n_isl = len(model.setting.islands)
    for column in ("households_housed", "households_displaced", "residents"):
        table = islands[column].to_numpy().reshape(len(recounts), n_isl)
        recount = np.array([r[column] for r in recounts])
        bad = np.argwhere(table != recount)
        assert len(bad) == 0, (
            f"{column}: island table disagrees with the households in (step, island) "
            f"{[(int(t) + 1, model.setting.islands[i].name) for t, i in bad[:5]]}"
        )


def test_each_islands_housed_and_displaced_account_for_its_households(checked):
    # without moves or emigration, every household of an island is either housed on it or
    # displaced from it: housed + displaced = the island's households, island by island
    model = checked["model"]
    hh = model.households
    n_isl = len(model.setting.islands)
    last = checked["recounts"][-1]
    stayed = hh.island == hh.home_island
    moved = ~stayed & (hh.status != Status.DISPLACED)  # living off its home island, or abroad
    belonging = np.bincount(hh.home_island, minlength=n_isl) * model.scale
    moved_out = np.bincount(hh.home_island[moved], minlength=n_isl) * model.scale
    moved_in = np.bincount(hh.island[moved & (hh.island >= 0)], minlength=n_isl) * model.scale
    np.testing.assert_array_equal(
        last["households_housed"] + last["households_displaced"],
        belonging - moved_out + moved_in,
    )


@pytest.mark.parametrize("setting", REQUIRED_SETTINGS)
def test_every_setting_runs_and_conserves_its_households(setting):
    # two years with stronger storms than today, one agent for 50 households
    run = step_checking(
        MobilityModel(setting, years=2, seed=7, scale=50, cyclone_intensity_shift=1.5)
    )
    model = run["model"]
    df = model.monthly()
    assert len(df) == 24
    assert run["violations"] == {}, run["violations"]
    assert (df[STATUS_COLUMNS].sum(axis=1) == df["households_total"]).all()
    assert df["residents"].gt(0).all()
    check_accounts(model)
    # population at start matches the setting file's: household sizes are drawn, so allow four
    # standard errors of the drawn total plus half an agent per island for rounding
    people = sum(i.population for i in model.setting.islands)
    size = model.setting.household_size
    n_isl = len(model.setting.islands)
    tolerance = model.scale * (
        4 * np.sqrt(model.households_start * (size - 1)) + 0.5 * n_isl * size
    )
    assert abs(model.population_start - people) <= tolerance, (model.population_start, people)


def test_an_agent_stands_for_scale_households():
    # the same setting at scale 1 and 10: households and people scaled back agree within 1 %
    one = MobilityModel("vanuatu", years=1, seed=2, stochastic_cyclones=False)
    ten = MobilityModel("vanuatu", years=1, seed=2, stochastic_cyclones=False, scale=10)
    assert ten.households.n < one.households.n / 9
    assert ten.households_start * 10 == pytest.approx(one.households_start, rel=0.01)
    assert ten.population_start == pytest.approx(one.population_start, rel=0.01)
    ten.step()
    assert ten.status_counts()["home"] == pytest.approx(ten.households.n * 10, rel=0.01)
    assert household_violations(ten) == []
    assert island_recount(ten)["residents"].sum() == ten.monthly()["residents"].iloc[-1]


@pytest.mark.parametrize("run", ["stormy_vanuatu", "scripted_tuvalu"])
def test_the_accounts_close_every_month_through_storms(run, request):
    check_accounts(request.getfixturevalue(run)["model"])
