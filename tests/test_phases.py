"""Each phase on a small hand-built World: what it does to a few households set by hand."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import calm_month, hand_built_world

from hsmobility.phases.choices import Choices
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.groups import regroup
from hsmobility.phases.impacts import Hit, damage
from hsmobility.phases.moves import move_abroad, moves
from hsmobility.phases.pathways import humanitarian
from hsmobility.phases.perception import update_perception
from hsmobility.phases.protection import payouts
from hsmobility.phases.recovery import repair
from hsmobility.phases.works import keep_early_warning, retrofit_homes
from hsmobility.world.households import Band, Displacement, Status
from hsmobility.world.options import Kind


def _no_hit(world) -> Hit:
    n = world.households.n
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def test_a_repair_month_with_and_without_means() -> None:
    w = hand_built_world([{"damage": 0.5, "savings": 1e6}, {"damage": 0.5, "savings": 0.0}])
    pr, value = w.params.recovery, w.setting.house_value_usd
    repair(w)
    hh = w.households
    assert hh.damage[0] == pytest.approx(0.5 * (1 - pr.repair_rate))
    assert hh.savings[0] == pytest.approx(1e6 - pr.repair_rate * 0.5 * value)
    assert hh.damage[1] == pytest.approx(0.5 * (1 - pr.repair_rate_without_means))
    assert hh.savings[1] == 0.0


def test_almost_repaired_homes_count_as_whole() -> None:
    w = hand_built_world([{"damage": 0.021, "savings": 1e6}])
    repair(w)
    assert w.households.damage[0] == 0.0


def test_a_poverty_floor_month() -> None:
    """Consumption is at least the poverty line, paid from savings while they last, and savings
    never go negative; obligations and calls on savings come out of what is left."""
    w = hand_built_world(
        [
            {"income": 0.0, "savings": 0.0, "size": 4},
            {"income": 0.0, "savings": 10_000.0, "size": 4},
            {"income": 60_000.0, "savings": 0.0, "size": 4},
        ]
    )
    pe, line = w.params.economy, w.setting.poverty_line_usd
    income_and_savings(w, calm_month(), _no_hit(w))
    hh = w.households
    subsistence = pe.poverty_income_factor * line * 4 / 12
    assert hh.savings[0] == 0.0
    calls = pe.savings_call_rate
    assert hh.savings[1] == pytest.approx((10_000.0 - subsistence) * (1 - calls))
    left = 60_000 / 12 * (1 - pe.consumption_share)
    assert hh.savings[2] == pytest.approx(left * (1 - calls) - pe.obligations_share * 60_000 / 12)


def test_perceived_risk_halves_in_its_half_life_without_new_experience() -> None:
    w = hand_built_world([{"risk": 1.0}])
    months = w.params.perception.half_life_months
    for _ in range(int(months)):
        update_perception(w, calm_month(), _no_hit(w))
    assert w.households.risk[0] == pytest.approx(0.5, rel=1e-5)


def test_a_storm_raises_perceived_risk_by_the_damage_it_did() -> None:
    w = hand_built_world([{"risk": 0.0}])
    hit = _no_hit(w)
    hit.new_damage[0] = 0.4
    update_perception(w, calm_month(), hit)
    assert w.households.risk[0] == pytest.approx(w.params.perception.damage_weight * 0.4)


def test_a_full_boat_blocks_moves_beyond_the_links_capacity() -> None:
    """The Outer-Capital link carries 2 households a month: of 5 wishing to leave, 3 stay."""
    w = hand_built_world([{} for _ in range(5)])
    capital = next(j for j, o in enumerate(w.policy.options) if o.kind == Kind.CAPITAL)
    out = moves(w, Choices(rows=np.arange(5), option=np.full(5, capital)))
    hh = w.households
    assert len(out.moved) == 2 and len(out.blocked) == 3
    assert (hh.island == 0).sum() == 2
    assert w.counts["moves_blocked_transport"] == 3
    assert w.counts["moves_capital"] == 2


def test_a_link_smaller_than_an_agent_still_carries_its_share_over_the_months() -> None:
    """At scale 10 a link of 2 households a month carries one agent every five months, not
    none: the fraction of a place is carried from month to month."""
    w = hand_built_world([{} for _ in range(20)], scale=10, years=3)
    capital = next(j for j, o in enumerate(w.policy.options) if o.kind == Kind.CAPITAL)
    moved = []
    for _ in range(20):
        left = np.flatnonzero(w.households.island == 1)
        moved.append(len(moves(w, Choices(left, np.full(len(left), capital))).moved))
        w.begin_month()
    assert sum(moved) == 4
    assert moved[:5] == [0, 0, 0, 0, 1]


def test_moving_up_the_same_island_needs_no_boat() -> None:
    w = hand_built_world([{"band": Band.LOW, "savings": 1e6} for _ in range(5)])
    higher = next(j for j, o in enumerate(w.policy.options) if o.kind == Kind.HIGHER)
    out = moves(w, Choices(rows=np.arange(5), option=np.full(5, higher)))
    assert len(out.moved) == 5 and len(out.blocked) == 0
    assert (w.households.band == Band.HIGH).all()


def test_cash_transfers_and_parametric_payouts_with_a_top_up_for_the_vulnerable() -> None:
    w = hand_built_world(
        [
            {"quintile": 1},  # vulnerable (poorest quintile), severely damaged
            {"quintile": 4},  # not vulnerable, severely damaged
            {"quintile": 4, "island": 0, "home_island": 0},  # on the capital: no trigger there
        ],
        levers={
            "protection.cash_transfer_usd": 500.0,
            "protection.parametric_payout_usd": 100.0,
            "protection.parametric_trigger_ms": 40.0,
            "targeting.vulnerable_top_up": 2.0,
        },
    )
    before = w.households.transfers_month.copy()
    month = calm_month()
    month.wind_ms[:] = [30.0, 45.0]  # the trigger passes on Outer only
    paid = payouts(w, month, severe_now=np.array([0, 1]))
    # paid into this month's resources (spent on needs first), not straight into savings
    gained = w.households.transfers_month - before
    assert list(gained) == [2 * (500 + 100), 500 + 100, 0.0]
    assert paid == pytest.approx(gained.sum())
    assert w.counts["protection_paid_usd"] == pytest.approx(paid)


def test_no_payout_without_the_lever() -> None:
    w = hand_built_world([{}])
    month = calm_month(wind=70.0)
    assert payouts(w, month, np.array([0])) == 0.0


def test_the_retrofit_programme_reaches_the_vulnerable_first() -> None:
    rows = [{"quintile": 5, "head_age": 40, "band": Band.LOW} for _ in range(30)]
    rows += [{"quintile": 1, "head_age": 40, "band": Band.LOW} for _ in range(6)]
    w = hand_built_world(
        rows,
        levers={"adaptation.retrofit_share_per_year": 1.0, "targeting.vulnerable_first": True},
        params={"demography.female_head_share": 0.0, "demography.disability_share": 0.0},
    )
    done = retrofit_homes(w)  # 36 homes x 1/12 a month = 3 this month
    assert len(done) == 3
    assert (w.households.quintile[done] == 1).all()


def test_retrofits_cost_their_homes_when_and_only_when_the_programme_runs() -> None:
    """The last lever of issue 10's cost test: the retrofit programme pays its share of each
    home it makes resilient, in the month it does; without the lever nothing is paid."""
    rows = [{"head_age": 40, "band": Band.LOW} for _ in range(24)]  # within the hazard's reach
    w = hand_built_world(rows, levers={"adaptation.retrofit_share_per_year": 1.0})
    done = retrofit_homes(w)  # 24 homes x 1/12 a month = 2 this month
    unit = w.params.decisions.resilient_cost_share * w.setting.house_value_usd
    assert len(done) == 2 and unit > 0
    assert w.counts["adaptation_subsidy_usd"] == pytest.approx(2 * unit)
    assert w.counts["retrofitted"] == 2
    none = hand_built_world(rows)
    assert len(retrofit_homes(none)) == 0
    assert none.counts["adaptation_subsidy_usd"] == 0 and none.counts["retrofitted"] == 0


def test_the_retrofit_programme_goes_to_exposed_homes_first_and_never_to_unreached_ones() -> None:
    """Low-lying homes not behind works, and homes at a storm-struck place, before the rest;
    the most vulnerable high-ground home at a place no storm reached waits, however poor. The
    subsidy is counted for exactly the homes retrofitted, and nothing while none is."""
    rows = [{"quintile": 1, "band": Band.MID} for _ in range(24)]  # poor, on dry, unstruck land
    rows += [{"quintile": 5, "band": Band.LOW} for _ in range(12)]  # rich but low-lying
    w = hand_built_world(
        rows,
        levers={"adaptation.retrofit_share_per_year": 1.0, "targeting.vulnerable_first": True},
        params={"demography.female_head_share": 0.0, "demography.disability_share": 0.0},
    )
    hh = w.households

    def subsidy() -> float:
        return w.counts["adaptation_subsidy_usd"]

    done = retrofit_homes(w)  # 12 reached homes x 1/12 a month = 1 this month
    assert len(done) == 1 and (hh.band[done] == Band.LOW).all()
    unit = w.params.decisions.resilient_cost_share * w.setting.house_value_usd
    assert subsidy() == pytest.approx(unit)
    for _ in range(120):  # a share of the homes left a year: the last take a while
        retrofit_homes(w)
    assert hh.resilient[hh.band == Band.LOW].sum() == 12
    assert not hh.resilient[hh.band == Band.MID].any(), "no storm reaches them: no spending"
    spent = subsidy()
    assert spent == pytest.approx(12 * unit)
    assert len(retrofit_homes(w)) == 0 and subsidy() == spent
    # a storm damages one dry-land home: its place is struck, and its homes enter the programme
    hh.damage[0] = 0.3
    for _ in range(12):
        retrofit_homes(w)
    assert hh.resilient[hh.band == Band.MID].sum() > 0
    assert subsidy() == pytest.approx(hh.resilient.sum() * unit)


def test_humanitarian_visas_open_for_a_struck_island_and_the_quota_caps_them() -> None:
    n = 20
    w = hand_built_world(
        [{"status": Status.DISPLACED, "displacement": Displacement.HOST_FAMILY, "size": 5}
         for _ in range(n)],
        regime="humanitarian-visa",
        levers={"humanitarian.quota_share_per_year": 0.02},  # 2 % of 1,000 = 20 people
    )  # fmt: skip
    assert w.policy.humanitarian.quota == 20
    opened = humanitarian(w, np.arange(n))
    assert list(opened) == [1]
    assert (w.households.visa_until >= w.t).all()
    visa = next(j for j, o in enumerate(w.policy.options) if o.name == "abroad:humanitarian-visa")
    w.households.savings[:] = 1e6
    out = moves(w, Choices(rows=np.arange(n), option=np.full(n, visa)))
    # the link carries 2 households a month, and 20 places are 4 households of 5
    assert len(out.moved) == 2
    assert w.policy.humanitarian.left == 10
    w.begin_month()
    out = moves(w, Choices(rows=np.flatnonzero(w.households.status != Status.ABROAD)[:2],
                           option=np.full(2, visa)))  # fmt: skip
    assert len(out.moved) == 2 and w.policy.humanitarian.left == 0
    w.begin_month()
    left = np.flatnonzero(w.households.status != Status.ABROAD)[:2]
    out = moves(w, Choices(rows=left, option=np.full(2, visa)))
    assert len(out.moved) == 0, "no places left this year"


def test_a_category_5_storm_wrecks_more_than_a_category_1() -> None:
    strong, weak = (
        hand_built_world([{} for _ in range(200)]),
        hand_built_world([{} for _ in range(200)]),
    )
    damage(strong, calm_month(wind=75.0))
    damage(weak, calm_month(wind=38.0))
    assert strong.households.damage.mean() > 3 * weak.households.damage.mean() > 0


def test_each_january_quintiles_follow_current_income() -> None:
    """A household formed poor and grown rich is counted in the top quintile from January."""
    incomes = [1000.0 * (k + 1) for k in range(10)]
    w = hand_built_world([{"income": x, "quintile": 1} for x in incomes])
    assert w.calendar_month == 1
    changed = regroup(w)
    assert list(w.households.quintile) == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert len(changed) == 8
    w.begin_month()  # February: nothing recomputed
    w.households.income[0] = 1e6
    assert len(regroup(w)) == 0 and w.households.quintile[0] == 1


def test_each_lever_costs_something_when_and_only_when_it_acts() -> None:
    """Early warning is paid every month it is in force; evacuation centres for each person they
    shelter; assisted travel and settlement support for each household that leaves on a
    humanitarian visa; nothing is paid for a lever not in force."""
    costs = None
    for levers in ({}, {"adaptation.early_warning": 1.0}):
        w = hand_built_world(
            [{"band": Band.LOW} for _ in range(10)], regime="humanitarian-visa", levers=levers
        )
        costs = w.params.costs
        paid = keep_early_warning(w)
        people = int(w.households.size.sum())
        expected = people * costs.early_warning_usd_per_person_year / 12 if levers else 0.0
        assert paid == pytest.approx(expected)
        assert w.counts["early_warning_cost_usd"] == pytest.approx(expected)
    month = calm_month(wind=60.0)
    evacuate(w, month)  # the warning fills the centres before the storm
    damage(w, month)
    sheltered = w.counts["evacuation_centre_people"]
    assert sheltered > 0
    assert w.counts["shelter_cost_usd"] == pytest.approx(sheltered * costs.shelter_usd_per_person)
    visa = next(o for o in w.policy.options if o.name == "abroad:humanitarian-visa")
    move_abroad(w, visa, np.array([0, 1]))
    move_cost = w.setting.destinations[visa.destination].move_cost_usd
    assisted = 2 * move_cost * (1 - visa.cost_multiplier)
    assert assisted > 0
    assert w.counts["assisted_travel_cost_usd"] == pytest.approx(assisted)
    assert w.counts["settlement_support_cost_usd"] == 2 * costs.settlement_support_usd_per_household
    calm = hand_built_world([{}])
    free = next(o for o in calm.policy.options if o.kind == Kind.ABROAD)
    move_abroad(calm, free, np.array([0]))  # an ordinary move: the household pays it all
    damage(calm, calm_month())
    assert calm.counts["assisted_travel_cost_usd"] == 0
    assert calm.counts["settlement_support_cost_usd"] == 0
    assert calm.counts["shelter_cost_usd"] == 0
