"""Regular emigration channels (issue 8 item 4): who qualifies, that ties abroad raise the use of
a family route, that a channel never admits more than its yearly cap, that a granted place is
taken up through the decision rule and counted by channel, that households and people are
conserved with the new flows, and that the net-migration targets hold on several seeds."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.schemas import ScenarioError, Setting, validate
from hsmobility.model import MobilityModel
from hsmobility.phases.channels import channels
from hsmobility.phases.choices import situation
from hsmobility.phases.moves import move_abroad
from hsmobility.validate import NET_MIGRATION_FITTED, TARGETS, net_migration_per_1000
from hsmobility.world.households import Status

FAMILY = {
    "name": "nz-family",
    "route": "family",
    "destination": "New Zealand",
    "places_per_year": 1_000_000,
    "cost_usd": 500.0,
}
SKILLED = {"name": "nz-skilled", "route": "skilled", "destination": "New Zealand",
           "places_per_year": 1_000_000, "min_age": 18, "max_age": 45, "min_skills": 0.6,
           "min_quintile": 3}  # fmt: skip
#: every channel decides in the hand-built world's first month (January)
JANUARY = {"channels.grant_month": 1}


def _setting(*channels: dict) -> Setting:
    return Setting.model_validate({**SETTING.model_dump(), "channels": list(channels)})


def _world(households: list[dict], *channels: dict, params: dict | None = None, scale: int = 1):
    w = hand_built_world(households, setting=_setting(*channels), scale=scale,
                         params={**JANUARY, **(params or {})})  # fmt: skip
    assert w.calendar_month == 1
    return w


def test_a_household_with_ties_abroad_is_more_likely_to_use_a_family_route() -> None:
    # 2,000 households with a tie to New Zealand, 2,000 whose only kin abroad left in the run
    n = 2000
    rich = {"savings": 20_000.0}
    w = _world(
        [rich] * (2 * n),
        FAMILY,
        params={"channels.apply_prob": 0.2, "channels.apply_prob_other": 0.2},
    )
    hh = w.households
    hh.ties[:n, 0] = 1.0
    hh.kin_abroad[n:] = 1
    granted = channels(w)
    with_ties = np.isin(np.arange(n), granted).mean()
    without = np.isin(np.arange(n, 2 * n), granted).mean()
    boost = 1 + w.params.channels.family_ties_boost
    assert without == pytest.approx(0.2, abs=0.03)
    assert with_ties == pytest.approx(min(1.0, 0.2 * boost), abs=0.04)
    # and it then leaves by that route: the granted option is legal for it alone
    j = next(k for k, o in enumerate(w.policy.options) if o.channel == 0)
    legal = situation(w, np.arange(2 * n)).legal[:, j]
    assert np.array_equal(np.flatnonzero(legal), np.sort(granted))


def test_a_family_route_needs_kin_abroad() -> None:
    w = _world(
        [{"savings": 20_000.0}] * 500,
        FAMILY,
        params={"channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0},
    )
    assert len(channels(w)) == 0
    w.households.kin_abroad[:10] = 1
    assert set(channels(_regrant(w)).tolist()) == set(range(10))


def _regrant(w):
    """Forget this year's grants so that the channel decides again."""
    w.households.channel_granted[:] = -1
    w.households.channel_until[:] = -1
    return w


@pytest.mark.parametrize("scale", [1, 3])
def test_a_channels_yearly_cap_is_never_exceeded(scale) -> None:
    capped = {**SKILLED, "places_per_year": 37 * scale}
    rng = np.random.default_rng(0)
    households = [{"size": int(s), "skills": 0.9, "savings": 50_000.0}
                  for s in rng.integers(1, 9, 400)]  # fmt: skip
    w = _world(
        households,
        capped,
        params={"channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0},
        scale=scale,
    )
    granted = channels(w)
    people = int(w.households.size[granted].sum()) * scale
    assert 0 < people <= 37 * scale
    # the next household in line would have passed the cap (places are not left unused)
    assert people + 8 * scale > 37 * scale
    assert w.counts["channel_grants_people"] * scale == people


def test_eligibility_age_skills_income_and_means_are_respected() -> None:
    ok = {"head_age": 30, "skills": 0.8, "quintile": 4, "savings": 20_000.0, "size": 2}
    households = [
        ok,
        {**ok, "head_age": 50},  # too old (no adult child: size 2)
        {**ok, "head_age": 16},  # too young
        {**ok, "skills": 0.5},  # too few skills
        {**ok, "quintile": 2},  # too poor a quintile
        {**ok, "savings": 100.0, "income": 1000.0},  # cannot pay the move
        {**ok, "head_age": 60, "size": 6},  # an adult child of an older head may go
    ]
    w = _world(
        households, SKILLED, params={"channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0}
    )
    assert sorted(channels(w).tolist()) == [0, 6]


def test_a_channel_move_pays_its_fees_and_is_counted_by_channel() -> None:
    w = _world([{"savings": 20_000.0, "parent": -1}] * 3, FAMILY)
    hh = w.households
    opt = next(o for o in w.policy.options if o.channel == 0)
    hh.channel_granted[:2] = 0
    hh.channel_until[:2] = w.t + 5
    before = hh.savings[0]
    move_abroad(w, opt, np.array([0, 1]))
    assert (hh.status[:2] == Status.ABROAD).all() and hh.status[2] != Status.ABROAD
    assert (hh.channel_used[:2] == 0).all() and (hh.channel_granted[:2] == -1).all()
    assert hh.savings[0] == pytest.approx(before - 500.0 - w.context.move_cost[0])
    assert w.counts["moves_channel"] == 2 and w.counts["moves_abroad"] == 2
    assert w.counts["moves_channel_people"] == 10
    assert w.counts.by_channel["nz-family"] == 2 and not w.counts.by_pathway


def test_a_bad_channel_gives_one_clear_error() -> None:
    data = SETTING.model_dump()
    with pytest.raises(ScenarioError, match="destination 'Mars'"):
        validate(Setting, {**data, "channels": [{**FAMILY, "destination": "Mars"}]}, "x.toml")
    with pytest.raises(ScenarioError, match=r"channels\.0\.route"):
        validate(Setting, {**data, "channels": [{**FAMILY, "route": "cousin"}]}, "x.toml")
    with pytest.raises(ScenarioError, match=r"channels\.0\.places_per_year"):
        validate(Setting, {**data, "channels": [{**FAMILY, "places_per_year": "many"}]}, "x.toml")
    with pytest.raises(ScenarioError, match="min_age"):
        validate(Setting, {**data, "channels": [{**SKILLED, "min_age": 50}]}, "x.toml")
    with pytest.raises(ScenarioError, match="unique"):
        validate(Setting, {**data, "channels": [FAMILY, FAMILY]}, "x.toml")


@pytest.fixture(scope="module")
def tonga_run():
    model = MobilityModel("tonga", years=3, seed=2, scale=4, start_year=2010)
    model.run()
    return model


def test_households_and_people_are_conserved_with_the_channel_flows(tonga_run) -> None:
    m = tonga_run.monthly()
    assert m["moves_channel"].sum() > 0
    # residents change by births - deaths (of residents) - left + back + returned, every month
    change = m["residents"].diff().iloc[1:]
    flows = (
        m["births"] - m["births_displaced_abroad"] - m["deaths"] + m["deaths_displaced_abroad"]
        - m["people_left_setting"] + m["people_back_in_setting"]
        + m["people_returned_from_abroad"]
    )  # fmt: skip
    assert np.array_equal(change.to_numpy(), flows.iloc[1:].to_numpy())
    # every household is somewhere; those that left by a channel are abroad
    hh = tonga_run.households
    assert m["households_total"].iloc[-1] == hh.n * tonga_run.scale
    # those that left by a channel are abroad, or came back (phases/returns.py; some leave again)
    by_channel = hh.channel_used >= 0
    assert (hh.status[by_channel & (hh.returned_step < 0)] == Status.ABROAD).all()
    assert (hh.returned_step[by_channel & (hh.status != Status.ABROAD)] >= 0).all()
    assert (m["moves_channel"] <= m["moves_abroad"]).all()
    summary = tonga_run.summary()
    assert sum(summary["moves_by_channel"].values()) == m["moves_channel"].sum()


def test_no_channel_admits_more_than_its_cap_in_a_year(tonga_run) -> None:
    m = tonga_run.monthly()
    caps = sum(c.places_per_year for c in tonga_run.setting.channels)
    assert (m.groupby("year")["channel_grants_people"].sum() <= caps).all()


@pytest.fixture(scope="module")
def net_migration():
    return {(name, seed): net_migration_per_1000(name, seed)
            for name in NET_MIGRATION_FITTED for seed in (1, 2, 3)}  # fmt: skip


#: fitted targets the model cannot reach at its fitted parameters' bounds: Fiji's observation is
#: since the ninth session the census balance of 2007-2017 (-8.7 per 1,000, range -11.7 to
#: -5.7); its family and skilled fees are at 0, its family caps bind in few years, and the model
#: reads -3.5 to -4 (docs/validation.md, "fiji9"): the miss is the finding, kept visible here
#: (strict: the test fails once Fiji reaches its range, so the mark must then go)
UNREACHED = {"fiji": "Fiji's emigration is short of the census balance (docs/validation.md, fiji9)"}


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pytest.mark.xfail(reason=UNREACHED[n], strict=True)) if n in UNREACHED
     else n for n in NET_MIGRATION_FITTED],
)  # fmt: skip
def test_the_fitted_net_migration_targets_hold_on_several_seeds(net_migration, name):
    """The mean of three seeds inside the target's range, and each seed within half the range's
    width of it: a decade's net migration varies with its storms (Tonga's seed 2 has storms that
    displace 7,000 people abroad and send more through family routes: -31 per 1,000 against
    -23 and -24 on seeds 1 and 3)."""
    target = next(t for t in TARGETS if "net migration" in t.name and
                  t.name.lower().startswith(name.replace("-", " ")))  # fmt: skip
    assert target.fitted
    rates = [net_migration[(name, seed)] for seed in (1, 2, 3)]
    assert target.low <= np.mean(rates) <= target.high, rates
    slack = (target.high - target.low) / 2
    assert all(target.low - slack <= r <= target.high + slack for r in rates), rates


STUDENT = {"name": "nz-student", "route": "student", "destination": "New Zealand",
           "places_per_year": 1_000_000, "min_age": 18, "max_age": 45, "cost_usd": 500.0,
           "funds_shown_usd": 10_000.0}  # fmt: skip


def test_a_channel_asks_to_see_funds_beside_the_fees_and_the_move() -> None:
    """A student visa's evidence of funds (``funds_shown_usd``): a household that can pay the
    fees and the move but cannot show the year's living costs beside them is not granted; one
    that can is; without the test both are."""
    fees = 500.0
    households = [{"savings": 30_000.0, "income": 0.0, "size": 3},
                  {"savings": 9_000.0, "income": 0.0, "size": 3}]  # fmt: skip
    w = _world(households, STUDENT,
               params={"channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0})  # fmt: skip
    need = fees + float(w.context.move_cost[0]) + 10_000.0
    assert households[1]["savings"] < need <= households[0]["savings"]
    assert channels(w).tolist() == [0]
    # without the test both qualify (a channel without it is unchanged)
    w2 = _world(households, {**STUDENT, "funds_shown_usd": 0.0},
                params={"channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0})  # fmt: skip
    assert sorted(channels(w2).tolist()) == [0, 1]
