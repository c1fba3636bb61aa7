"""US family routes whose petitioner pays (issues 8 and 10, eighth session): a sponsored family
route (``Channel.sponsor_pays``; the Caribbean settings' ``us-family``) asks no means of the
household, costs it nothing in the decision rule or when it leaves (the sponsor's money counted
as paid from outside), and grants again the places that lapsed unused, since its cap counts
visas issued, places used."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError, Setting, validate
from hsmobility.decisions import abroad_cost, decide
from hsmobility.phases.channels import channels
from hsmobility.phases.choices import situation
from hsmobility.phases.moves import move_abroad

FAMILY = {"name": "us-family", "route": "family", "destination": "New Zealand",
          "places_per_year": 1_000_000, "cost_usd": 980.0}  # fmt: skip
ALWAYS = {"channels.grant_month": 1, "channels.apply_prob": 1.0, "channels.apply_prob_other": 1.0}
#: no savings, a small livelihood (credit on the offer: 6 months, US$500), a tie to the
#: destination (tie support US$2,500), on the capital (no boat needed): US$3,000 of means
#: against US$5,980 of fees and fare
POOR = {"savings": 0.0, "income": 1000.0, "home_island": 0, "island": 0}


def _world(households: list[dict], sponsor: bool, places: int = 1_000_000):
    channel = {**FAMILY, "sponsor_pays": sponsor, "places_per_year": places}
    setting = Setting.model_validate({**SETTING.model_dump(), "channels": [channel]})
    w = hand_built_world(households, setting=setting, params=ALWAYS)
    w.households.ties[:, 0] = 1.0
    return w


def _channel_option(w) -> int:
    return next(k for k, o in enumerate(w.policy.options) if o.channel == 0)


@pytest.mark.parametrize("sponsor", [True, False])
def test_a_sponsored_route_asks_no_means_and_its_move_costs_the_household_nothing(sponsor) -> None:
    w = _world([POOR] * 4, sponsor)
    granted = channels(w)
    # qualifying: without a sponsor who pays, US$3,000 of means cannot meet US$5,980
    assert len(granted) == (4 if sponsor else 0)
    hh = w.households
    hh.channel_granted[:] = 0
    hh.channel_until[:] = w.t + 5
    j = _channel_option(w)
    opt = w.policy.options[j]
    assert opt.sponsored == sponsor
    assert abroad_cost(opt, w.context) == (0.0 if sponsor else 5000.0)
    # the decision rule: the place in hand is affordable only when the sponsor pays
    rows = np.arange(4)
    d = decide(situation(w, rows), w.policy.options, w.context, w.params.decisions,
               np.zeros(4, dtype=bool), np.zeros(4))  # fmt: skip
    assert d.feasible[:, j].all() == sponsor and d.feasible[:, j].any() == sponsor
    # leaving: the household's savings do not fall; the sponsor's fees and fare are counted
    hh.savings[:2] = 1000.0
    move_abroad(w, opt, np.array([0, 1]))
    paid = w.counts["abroad_move_paid_by_others_usd"]
    if sponsor:
        assert hh.savings[0] == 1000.0
        assert paid == pytest.approx(2 * (980.0 + 5000.0))
    else:  # fees from savings first (below zero), the fare beyond them from outside
        assert hh.savings[0] == 0.0
        assert paid == pytest.approx(2 * (5000.0 + 980.0 - 1000.0))


@pytest.mark.parametrize("sponsor", [True, False])
def test_lapsed_places_of_a_sponsored_route_are_granted_again(sponsor) -> None:
    # a cap of 10 people: two households of five; two others let last year's places lapse
    w = _world([{**POOR, "savings": 20_000.0}] * 8, sponsor, places=10)
    hh = w.households
    hh.channel_granted[:2] = 0
    hh.channel_until[:2] = w.t - 1
    granted = channels(w)
    assert len(granted) == (4 if sponsor else 2)
    assert w.counts["channel_places_regranted"] == (10 if sponsor else 0)
    assert w.counts["channel_grants_people"] == (20 if sponsor else 10)
    if sponsor:  # each lapse counted once: the lapsed households' places are cleared
        lapsed = np.setdiff1d([0, 1], granted)
        assert (hh.channel_granted[lapsed] == -1).all()
        hh.channel_granted[:] = -1
        hh.channel_until[:] = -1
        assert len(channels(w)) == 2


def test_only_a_family_route_can_have_a_sponsor_who_pays() -> None:
    data = SETTING.model_dump()
    skilled = {**FAMILY, "route": "skilled", "sponsor_pays": True}
    with pytest.raises(ScenarioError, match="sponsor_pays"):
        validate(Setting, {**data, "channels": [skilled]}, "x.toml")
    with pytest.raises(ScenarioError, match=r"channels\.0\.sponsor_pays"):
        validate(Setting, {**data, "channels": [{**FAMILY, "sponsor_pays": "yes"}]}, "x.toml")


@pytest.mark.parametrize(
    "name", ["st-vincent-grenadines", "dominica", "grenada", "antigua-barbuda"]
)
def test_the_caribbean_us_family_routes_are_sponsored_at_the_state_departments_fees(name) -> None:
    """US$535 petition (I-130) + US$325 immigrant visa + US$120 affidavit review; the other
    routes keep the household paying (no source read on who pays them)."""
    s = load_setting(name)
    for c in s.channels:
        assert c.sponsor_pays == (c.name == "us-family")
        if c.name == "us-family":
            assert c.cost_usd == 535.0 + 325.0 + 120.0
