"""Settling where one sheltered (issue 9, fourth session): a household displaced to the capital
weighs staying there, as a move to the capital from its home, against going home; the capital's
share counts people where they usually live."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.decisions import Kind, wish_internal
from hsmobility.phases.choices import capital_share, decide_moves, situation, update_crowding
from hsmobility.phases.impacts import Hit
from hsmobility.phases.moves import moves
from tests.handbuilt import hand_built_world

N = 300
#: displaced from the outer island (1), staying with hosts on the capital (0)
SHELTERING = {"home_island": 1, "island": 0, "status": 1, "displacement": 3, "months_displaced": 3}
WRECKED = {**SHELTERING, "damage": 0.95, "attachment": 0.05}
LIVABLE = {**SHELTERING, "damage": 0.1, "attachment": 0.9}


def _calm(n: int) -> Hit:
    return Hit(
        new_damage=np.zeros(n, dtype=np.float32),
        flooded=np.zeros(n, dtype=bool),
        severe_now=np.zeros(0, dtype=np.int64),
    )


def _settle_world(rows: list[dict]) -> tuple:
    """Every household reviews this month; returns the world and the rows that settled on the
    capital after the choices are carried out (and the moves' counts)."""
    world = hand_built_world(rows, params={"decisions.review_prob": 1.0})
    hh = world.households
    people, savings = int(hh.size.sum()), hh.savings.copy()
    choices = decide_moves(world, _calm(hh.n))
    capital = [j for j, o in enumerate(world.policy.options) if o.kind == Kind.CAPITAL]
    chose = choices.rows[np.isin(choices.option, capital)]
    moves(world, choices)
    assert world.households.n == len(rows)  # households conserved
    assert int(world.households.size.sum()) == people  # people conserved
    return world, chose, savings


def test_a_wrecked_home_and_little_attachment_settle_on_the_capital_more_often() -> None:
    world, chose, savings = _settle_world([WRECKED] * N + [LIVABLE] * N)
    wrecked, livable = np.sum(chose < N), np.sum(chose >= N)
    assert wrecked > 3 * max(livable, 1) and wrecked >= 0.1 * N, (wrecked, livable)
    hh = world.households
    # settled: a move to the capital from displacement (forced), at home there now
    assert np.all(hh.status[chose] == 2)  # MOVED_INTERNAL
    assert np.all(hh.home_island[chose] == 0) and np.all(hh.island[chose] == 0)
    assert np.all(hh.displacement[chose] == 0) and np.all(hh.forced[chose])
    assert np.all(hh.damage[chose] == 0.0)
    # no second journey to pay: they are already there
    assert np.allclose(hh.savings[chose], savings[chose])
    assert world.counts["moves_capital"] == len(chose)
    assert world.counts["moves_of_displaced"] >= len(chose)


def test_settling_is_weighed_from_home_and_closed_to_the_capitals_own() -> None:
    on_capital = {"home_island": 0, "island": 0}
    world = hand_built_world([WRECKED, LIVABLE, on_capital, {**WRECKED, "island": 1}])
    s = situation(world, np.arange(4))
    wish = wish_internal(s, world.context, world.params.decisions)[Kind.CAPITAL]
    assert np.isfinite(wish[:2]).all()  # displaced there: settling is an option
    assert wish[2] == -np.inf  # its home is the capital already
    # the same household weighs the capital the same wherever it shelters (from its home)
    assert wish[0] == pytest.approx(wish[3])
    p = world.params.decisions
    gap = p.beta_damage * (0.95 - 0.1) + p.beta_attachment * p.capital_attachment * (0.9 - 0.05)
    assert wish[0] - wish[1] == pytest.approx(gap, rel=1e-5)


def test_capital_share_counts_usual_residents() -> None:
    rows = (
        [{"home_island": 0, "island": 0}] * 2  # the capital's own, at home
        + [{"home_island": 1, "island": 1}] * 2  # the outer island's, at home
        + [SHELTERING]  # the outer island's, displaced to the capital
        + [{**SHELTERING, "island": -1, "displacement": 4}]  # displaced abroad: not a resident
        + [{"home_island": 0, "island": -1, "status": 4, "destination": 0}]  # emigrated
    )
    world = hand_built_world(rows)
    # 2 of 5 resident households (5 people each) usually live on the capital, not 3 of 5
    assert capital_share(world) == pytest.approx(10 / 25)
    update_crowding(world)
    assert world.context.capital_share_start == pytest.approx(0.4)
    # once it settles there (a move: its home is the capital now) it counts there
    hh = world.households
    hh.home_island[4], hh.status[4], hh.displacement[4] = 0, 2, 0
    assert capital_share(world) == pytest.approx(15 / 25)


def test_a_storm_on_an_outer_island_some_displaced_settle_on_the_capital_accounts_close() -> None:
    from helpers import check_accounts, scripted_scenario

    from hsmobility.model import MobilityModel

    model = MobilityModel(scripted_scenario("vanuatu", "Tanna", 5, scale=10, years=2))
    hh, capital = model.households, model.world.geo.capital
    tanna = model.setting.island_index("Tanna")
    from_tanna = np.flatnonzero(hh.home_island == tanna)
    gap = []  # where people are minus where they usually live, the capital's share
    while model.running:
        model.step()
        live = (hh.status != 4) & (hh.displacement != 4)
        where = float(hh.size[live & (hh.island == capital)].sum() / hh.size[live].sum())
        gap.append(where - capital_share(model.world))
    check_accounts(model)  # households by status, people by where they are, moves close
    # the displaced on Port Vila are not its residents while they wait: the gap opens
    assert max(gap) > 0.01, max(gap)
    settled = from_tanna[(hh.home_island[from_tanna] == capital) & hh.forced[from_tanna]]
    df = model.monthly()
    assert len(settled) > 0 and df["moves_capital"].sum() >= len(settled) * model.scale
    # on the capital, moved there, unless a household has since left the setting (a settled
    # household may emigrate later, like any other)
    here = settled[hh.status[settled] != 4]
    assert len(here) > 0 and np.all(hh.status[here] == 2) and np.all(hh.island[here] == capital)
    # most still go home or wait: settling is a choice, not the rule
    assert len(settled) < 0.5 * len(from_tanna)


def test_settling_needs_no_money_for_a_journey_nor_a_boat() -> None:
    # no savings and every link cut: a journey to the capital is out of reach, settling is not
    broke = {**WRECKED, "savings": 0.0}
    world = hand_built_world([broke] * N + [{**broke, "island": 1, "displacement": 2}] * N,
                             params={"decisions.review_prob": 1.0})  # fmt: skip
    world.access.links_cut_until[:] = 10**6
    choices = decide_moves(world, _calm(2 * N))
    capital = [j for j, o in enumerate(world.policy.options) if o.kind == Kind.CAPITAL]
    chose = choices.rows[np.isin(choices.option, capital)]
    assert np.sum(chose < N) > 0.1 * N  # on the capital already: they can settle
    assert np.sum(chose >= N) == 0  # displaced on their own island: they would have to travel


def test_nobody_settles_in_the_month_they_are_displaced() -> None:
    world, chose, _ = _settle_world([{**WRECKED, "months_displaced": 1}] * N)
    assert len(chose) == 0
