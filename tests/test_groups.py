"""Groups with mechanisms, social protection and poverty (issue 10 items 7 and 8).

Each group's mechanism is checked where it acts (income at formation, seasonal recruitment,
evacuation, deaths), on hand-built households where possible; the groups table must add up to
the totals; transfers must lower poverty; the fitted poverty targets must hold on several seeds.
"""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import calm_month, hand_built_world

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.model import MobilityModel
from hsmobility.phases.deaths import survive
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.impacts import Hit
from hsmobility.phases.pathways import long_stay_away
from hsmobility.phases.protection import payouts
from hsmobility.validate import POVERTY_FITTED, POVERTY_TOLERANCE, first_year_poverty
from hsmobility.world.hazards import Order
from hsmobility.world.households import initial_households

OUTER, CAPITAL = 1, 0


def _no_hit(w) -> Hit:
    n = w.households.n
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _draw(female_head_share: float) -> dict[str, np.ndarray]:
    setting = load_setting("tonga")
    params = load_parameters({"demography.female_head_share": female_head_share})
    return initial_households(setting, params, 1, np.random.default_rng(3))


def test_female_headed_households_earn_less_and_the_setting_mean_holds() -> None:
    """Female-headed households earn ``female_head_income_factor`` of the others' (same size
    mix); the gap moves income between groups, the setting's observed mean income holds."""
    factor = load_parameters({}).groups.female_head_income_factor
    mean = load_setting("tonga").household_income_usd
    for share in (0.2, 0.5):
        d = _draw(share)
        f, inc = d["female_head"], d["income"]
        assert f.mean() == pytest.approx(share, abs=0.02)
        assert inc[f].mean() / inc[~f].mean() == pytest.approx(factor, abs=0.04)
        # island income factors average near one in Tonga: the mean is the setting's
        assert inc.mean() == pytest.approx(mean, rel=0.06)
    low, high = _draw(0.2), _draw(0.5)
    # more female-headed households: more of the setting's income in female-headed hands,
    # each of them poorer than a male-headed household of the same draw
    assert high["income"][high["female_head"]].sum() > low["income"][low["female_head"]].sum()


def test_larger_households_earn_more_at_the_elasticity() -> None:
    e = 0.5  # the fitted value is 0 (Tuvalu's poverty); the mechanism is checked at a prior
    setting = load_setting("tonga")
    params = load_parameters(
        {"demography.female_head_share": 0.0, "economy.income_size_elasticity": e}
    )
    d = initial_households(setting, params, 1, np.random.default_rng(3))
    small, large = d["size"] <= 3, d["size"] >= 8
    ratio = d["income"][large].mean() / d["income"][small].mean()
    expected = (d["size"][large].mean() / d["size"][small].mean()) ** e
    assert ratio == pytest.approx(expected, rel=0.15)


def test_seasonal_schemes_recruit_few_female_headed_households() -> None:
    """Seasonal workers are mostly men (RSE: 9.5% women): a female-headed household whose only
    worker is the head rarely sends one; raising the female-head share lowers participation
    among small households. Pooled over three seeds: one seed's ~90 small female-headed
    households recruit a handful of workers, too few to compare alone."""
    recruited_share = {}
    for share in (0.2, 0.5):
        counts = np.zeros((3, 2))  # female small, male small, all small: [recruited, households]
        for seed in (1, 2, 3):
            model = MobilityModel(
                "tonga", years=1, seed=seed, scale=2, params={"demography.female_head_share": share}
            )
            for _ in range(9):  # through September, the recruitment month
                model.step()
            hh = model.households
            # the size when recruited: a long-stay worker has left its household (ODD 7.9.3)
            size = hh.size + long_stay_away(model.world)
            small = (size < model.params.decisions.seasonal_worker_household_size) & (
                hh.status != 4
            )
            away = hh.seasonal_left > 0
            for i, rows in enumerate((small & hh.female_head, small & ~hh.female_head, small)):
                counts[i] += (away[rows].sum(), rows.sum())
        female, male, every = counts[:, 0] / counts[:, 1]
        assert male > 0.05  # the scheme recruits small male-headed ones
        assert female < 0.3 * male
        recruited_share[share] = every
    assert recruited_share[0.5] < recruited_share[0.2]


def test_a_disabled_member_slows_evacuation_under_an_order() -> None:
    n = 4000
    world = hand_built_world(
        [{"disability": i % 2 == 0} for i in range(n)],
        params={"displacement.order_compliance": 1.0},
    )
    month = calm_month()
    month.orders = [Order(step=world.t, islands=[OUTER], destinations=[(CAPITAL, 10**9)])]
    evacuate(world, month)
    hh = world.households
    stayed = hh.island == OUTER
    factor = world.params.groups.disability_evacuation_factor
    assert stayed[~hh.disability].mean() == 0.0
    assert stayed[hh.disability].mean() == pytest.approx(1 - factor, abs=0.03)


def test_people_in_households_with_a_disabled_member_die_more_often_when_stranded() -> None:
    n = 6000
    world = hand_built_world([{"size": 10, "disability": i % 2 == 0} for i in range(n)])
    hh = world.households
    survive(world, np.arange(n), 0.02, "in a test")
    lost = 10 - hh.size
    ratio = lost[hh.disability].mean() / lost[~hh.disability].mean()
    assert ratio == pytest.approx(world.params.groups.disability_death_factor, rel=0.15)


def test_disability_costs_more_and_lowers_consumption_per_need() -> None:
    """With the same income, a household with a disabled member draws its savings faster to
    reach the same living standard and, once they are gone, lives below it."""
    line = 1200.0
    w = hand_built_world(
        [
            {"income": 0.9 * line * 4, "savings": 0.0, "size": 4, "disability": False},
            {"income": 0.9 * line * 4, "savings": 0.0, "size": 4, "disability": True},
        ]
    )
    income_and_savings(w, calm_month(), _no_hit(w))
    c = w.households.consumption_month
    extra = w.params.groups.disability_extra_cost
    assert c[1] == pytest.approx(c[0] / (1 + extra))


def test_a_transfer_lifts_consumption_above_the_line_before_it_is_saved() -> None:
    """A household with nothing is poor; the same household paid a transfer this month
    consumes up to its needs from it and saves only the rest."""
    w = hand_built_world(
        [{"income": 0.0, "savings": 0.0, "size": 4, "quintile": 4}] * 2,
        levers={"protection.cash_transfer_usd": 1000.0},
    )
    payouts(w, calm_month(), severe_now=np.array([1]))
    income_and_savings(w, calm_month(), _no_hit(w))
    hh, line = w.households, w.setting.poverty_line_usd
    per_person = hh.consumption_month * 12 / hh.size
    assert per_person[0] < line <= per_person[1] + 1e-9
    need = line * 4 / 12
    assert hh.savings[1] < 1000.0 - need + 1e-6  # needs came first
    assert hh.transfers_month.sum() == 0.0  # spent or saved this month


def test_young_headed_group_exists_and_groups_add_up_to_the_totals() -> None:
    model = MobilityModel("tuvalu", years=1, seed=1)
    model.run()
    df, g = model.monthly(), model.groups_monthly()
    last = g[g["step"] == df["step"].iloc[-1]].set_index("group")
    hh = model.households
    in_setting = (hh.status != 4) & (hh.displacement != 4)
    young = model.params.groups.young_head_age
    assert last.loc["young_headed", "households"] == int(np.sum(in_setting & (hh.head_age < young)))
    assert last.loc["young_headed", "households"] > 0
    total = df.iloc[-1]
    for a, b in (("female_headed", "male_headed"),):
        assert last.loc[a, "residents"] + last.loc[b, "residents"] == total["residents"]
        poor = (
            last.loc[a, "poverty_rate"] * last.loc[a, "residents"]
            + last.loc[b, "poverty_rate"] * last.loc[b, "residents"]
        )
        assert poor / total["residents"] == pytest.approx(total["poverty_rate"])
    quintiles = sum(last.loc[f"quintile_{q}", "households"] for q in range(1, 6))
    assert (
        quintiles == last.loc["female_headed", "households"] + last.loc["male_headed", "households"]
    )


def test_cash_and_payouts_lower_poverty_when_they_are_paid() -> None:
    """The integrated package with its cash transfers and payouts against the same package
    without them, on the same storms: on every seed identical until the first payout and no
    poorer with it in the month it is paid; pooled over seeds, poorer without them that month,
    and no better off without them over the run or in the last year, when most payouts are
    years past (issue 10: removing them used to lower poverty); seeds 1-12, those with a payout
    in six years (8 of them since the ninth session: 3, 4, 5, 8, 9, 10, 11, 12; Tuvalu's
    hurricane share from IBTrACS leaves the others without one; seeds 1 and 2 had one before
    the ninth session's merges).
    Single seeds are not compared over the run: once the runs' choices diverge (one move
    changes every later draw) single runs differ by noise either way (seed 4's last year read
    0.2360 against 0.2357)."""
    without = {"protection.cash_transfer_usd": 0.0, "protection.parametric_payout_usd": 0.0}
    run_paid = run_unpaid = last_paid = last_unpaid = relief = 0.0
    seeds = 0
    for seed in range(1, 13):
        kw = dict(regime="integrated-human-security", years=6, seed=seed, island_table=False)
        paid = MobilityModel("tuvalu", **kw).run().monthly()
        months = np.flatnonzero(paid["protection_paid_usd"].to_numpy() > 0)
        if not len(months):
            continue  # nothing struck hard enough to pay out in six years
        seeds += 1
        unpaid = MobilityModel("tuvalu", levers=without, **kw).run().monthly()
        first = int(months[0])
        p, u = paid["poverty_rate"].to_numpy(), unpaid["poverty_rate"].to_numpy()
        assert np.array_equal(p[:first], u[:first]), seed
        # a small payout may reach only households above the line (seed 6: US$3,000 in one
        # month), so per seed no poorer, and pooled poorer without them
        assert p[first] <= u[first], seed
        relief += u[first] - p[first]
        run_paid, run_unpaid = run_paid + p.mean(), run_unpaid + u.mean()
        last_paid, last_unpaid = last_paid + p[-12:].mean(), last_unpaid + u[-12:].mean()
    assert seeds >= 6, seeds
    assert relief > 0
    # over the run and in its last year the payouts' months are few and the runs' choices have
    # diverged: no worse beyond noise. The noise: per seed, last-year paid - unpaid has a
    # standard deviation of ~0.008 (main at c6a7a5c, seeds 1-6: -0.012 to +0.009), so the
    # pooled mean's is ~0.0033; the bound is two of those. A strict "poorer without them over
    # the run" read 0.2132 against 0.2129 with the WPP life table (fourth session): noise.
    assert run_paid / seeds <= run_unpaid / seeds + 0.0066, (run_paid, run_unpaid)
    assert last_paid / seeds <= last_unpaid / seeds + 0.0066, (last_paid, last_unpaid)


@pytest.mark.parametrize("setting", POVERTY_FITTED)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_first_year_poverty_matches_the_survey(setting: str, seed: int) -> None:
    observed = load_setting(setting).poverty_headcount
    assert first_year_poverty(setting, seed) == pytest.approx(observed, abs=POVERTY_TOLERANCE)
