"""Ballots as options and trapped by barrier (issue 10 items 1-2), on hand-built worlds."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tests.handbuilt as handbuilt
from hsmobility.decisions import Barrier
from hsmobility.phases.choices import ballot_eligible, decide_moves
from hsmobility.phases.impacts import Hit
from hsmobility.phases.pathways import ballots
from hsmobility.run import run_scenario
from hsmobility.world.state import World

#: the hand-built islands with two ballots: PAC-like to New Zealand (18-45, job offer) and
#: Falepili-like to Australia (18+, no upper age)
BALLOT_SETTING = handbuilt.SETTING.model_copy(
    update={
        "destinations": [
            *handbuilt.SETTING.destinations,
            handbuilt.SETTING.destinations[0].model_copy(update={"name": "Australia"}),
        ],
        "pathways": [
            handbuilt.SETTING.pathways[0].model_copy(
                update={
                    "name": "pac",
                    "kind": "ballot",
                    "quota_per_year": 0,
                    "registration_fee_usd": 50.0,
                    "min_age": 18,
                    "max_age": 45,
                    "job_offer_required": True,
                }  # fmt: skip
            ),
            handbuilt.SETTING.pathways[0].model_copy(
                update={
                    "name": "falepili",
                    "kind": "ballot",
                    "destination": "Australia",
                    "quota_per_year": 0,
                    "registration_fee_usd": 16.0,
                    "min_age": 18,
                }
            ),  # fmt: skip
        ],
    }
)
PAC, FALEPILI = 0, 1


def ballot_world(
    monkeypatch: pytest.MonkeyPatch,
    households: list[dict[str, Any]],
    quota: int = 1,
    **kwargs: Any,
) -> World:
    """A hand-built world whose two ballots have ``quota`` places a year."""
    setting = BALLOT_SETTING
    if quota:
        paths = [p.model_copy(update={"quota_per_year": quota}) for p in setting.pathways]
        setting = setting.model_copy(update={"pathways": paths})
    monkeypatch.setattr(handbuilt, "SETTING", setting)
    return handbuilt.hand_built_world(households, **kwargs)


def registration_share(world: World, pathway: int, rows: np.ndarray) -> float:
    return float(((world.households.ballot_entries[rows] >> pathway) & 1).mean())


def hold_registration(world: World) -> np.ndarray:
    """Run this year's registration and draw."""
    return ballots(world)


def test_registration_rises_with_ties_and_falls_with_the_fee(monkeypatch) -> None:
    n = 1500
    hh = [{"head_age": 30, "savings": 10_000.0}] * (2 * n)
    world = ballot_world(monkeypatch, hh, quota=1)
    world.households.ties[n:, 0] = 3.0
    hold_registration(world)
    no_ties, ties = np.arange(n), np.arange(n, 2 * n)
    assert registration_share(world, PAC, ties) > registration_share(world, PAC, no_ties) + 0.05

    cheap = ballot_world(monkeypatch, hh[:n], quota=1)
    dear = ballot_world(monkeypatch, hh[:n], quota=1, levers={"ballots.fee_multiplier": 60.0})
    hold_registration(cheap)
    hold_registration(dear)
    rows = np.arange(n)
    assert registration_share(dear, PAC, rows) < registration_share(cheap, PAC, rows) - 0.02


def test_a_household_over_45_cannot_register_for_pac_but_can_for_falepili(monkeypatch) -> None:
    hh = [{"head_age": 60, "size": 2, "savings": 10_000.0}] * 400
    world = ballot_world(
        monkeypatch, hh, quota=1, params={"decisions.register_asc": 5.0}
    )  # fmt: skip
    rows = np.arange(400)
    pac, falepili = world.policy.regime.pathways[PAC], world.policy.regime.pathways[FALEPILI]
    assert not ballot_eligible(world, rows, pac).any()
    assert ballot_eligible(world, rows, falepili).all()
    hold_registration(world)
    assert registration_share(world, PAC, rows) == 0.0
    assert registration_share(world, FALEPILI, rows) > 0.9


def test_registrations_persist_into_the_next_year(monkeypatch) -> None:
    """With a prior of nothing and a strong renewal, exactly last year's registrants renew."""
    hh = [{"head_age": 30, "savings": 10_000.0}] * 200
    params = {"decisions.register_asc": -30.0, "decisions.register_beta_renew": 60.0}
    world = ballot_world(monkeypatch, hh, quota=1, params=params)
    before = np.arange(200) % 2 == 0
    world.households.ballot_entries[before] = 1 << PAC
    drawn = ballots(world)
    entries = (world.households.ballot_entries >> PAC) & 1 == 1
    renewed = before.copy()
    renewed[drawn] = False  # the one drawn leaves the ballot
    assert (entries == renewed).all()
    assert world.households.registered[before].all()
    assert not world.households.registered[~before].any()


def test_registrations_in_people_are_at_least_in_households(monkeypatch) -> None:
    hh = [{"head_age": 30, "size": s, "savings": 10_000.0} for s in (1, 2, 5, 8)] * 100
    world = ballot_world(monkeypatch, hh, quota=20, params={"decisions.register_asc": 0.0})
    hold_registration(world)
    for row in world.ballot_log:
        assert row["registrations"] > 0
        assert row["registrations_people"] >= row["registrations"]
        assert row["drawn_people"] >= row["drawn"]


def stuck_household(**extra: Any) -> dict[str, Any]:
    """A household on the capital island wishing hard to go to New Zealand."""
    return {"island": 0, "home_island": 0, "risk": 6.0, "head_age": 30, **extra}


def decide(world: World) -> None:
    n = world.households.n
    hit = Hit(new_damage=np.zeros(n), flooded=np.zeros(n, dtype=bool),
              severe_now=np.zeros(0, dtype=np.int64))  # fmt: skip
    decide_moves(world, hit)


@pytest.mark.parametrize(
    ("extra", "expected", "trapped"),
    [
        ({"ballot_entries": 1 << PAC}, Barrier.QUEUED, False),
        ({}, Barrier.UNENTERED, False),
        ({"head_age": 60, "size": 2}, Barrier.ELIGIBILITY, True),
    ],
)
def test_each_ballot_barrier_from_a_hand_built_case(monkeypatch, extra, expected, trapped) -> None:
    world = ballot_world(monkeypatch, [stuck_household(**extra)])
    world.households.ties[:, 0] = 3.0  # New Zealand is the most wished destination
    decide(world)
    hh = world.households
    assert hh.aspires[0]
    assert hh.barrier[0] == expected
    assert hh.trapped[0] == trapped
    assert hh.queued[0] == (expected == Barrier.QUEUED)
    assert hh.unentered[0] == (expected == Barrier.UNENTERED)


def drawn_household(**extra: Any) -> dict[str, Any]:
    return stuck_household(drawn_pathway=PAC, drawn_until=100, job_offer=True, **extra)


def test_financial_and_transport_barriers_from_hand_built_cases(monkeypatch) -> None:
    poor = drawn_household(savings=0.0, income=600.0)
    world = ballot_world(monkeypatch, [poor, drawn_household(savings=50_000.0)])
    world.households.ties[:, 0] = 3.0
    world.households.ties[0, 0] = 0.0  # no family help towards the move
    world.households.ties[0, 1] = 0.0
    decide(world)
    assert world.households.trapped[0] and world.households.barrier[0] == Barrier.FINANCIAL
    assert not world.households.trapped[1]  # drawn, with a job and the money: free to go

    cut = ballot_world(monkeypatch, [drawn_household(savings=50_000.0)])
    cut.households.ties[:, 0] = 3.0
    cut.access.links_cut_until[0] = cut.t + 2
    decide(cut)
    assert cut.households.trapped[0] and cut.households.barrier[0] == Barrier.TRANSPORT


def test_a_blocked_intent_is_recorded_and_a_queued_wish_is_not(monkeypatch) -> None:
    """Reviewing, a household that would choose New Zealand were it open wanted a move it could
    not make (ineligible); one queued in the ballot did not (its move is under way)."""
    old = stuck_household(head_age=60, size=2, savings=50_000.0, risk=20.0)
    queued = stuck_household(savings=50_000.0, risk=20.0, ballot_entries=1 << PAC)
    world = ballot_world(
        monkeypatch, [old, queued], params={"decisions.review_prob": 1.0}
    )  # fmt: skip
    world.households.ties[:, 0] = 3.0
    decide(world)
    assert world.households.wanted_step[0] == world.t
    assert world.households.wanted_step[1] == -1


def test_oversubscription_is_null_without_a_ballot() -> None:
    summary = run_scenario("marshall-islands", seed=1, years=1, island_table=False).summary
    assert summary["ballot_oversubscription"] is None
    assert summary["ballot_oversubscription_by_pathway"] == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_survey_comparable_trapped_share_is_measured_apart_from_the_snapshot(seed: int) -> None:
    """Tuvalu over the survey decade: both measures are shares; queued households are not
    counted trapped (the ballot draw is a legal pathway under way)."""
    r = run_scenario("tuvalu", seed=seed, years=3, island_table=False)
    s, m = r.summary, r.monthly
    assert 0.0 <= s["trapped_survey_share"] <= 1.0
    assert 0.0 < s["trapped_share"] < 1.0
    assert m["households_queued"].iloc[-12:].mean() > 0
    stock = m["households_trapped"] + m["households_queued"] + m["households_unentered"]
    assert (stock <= m["households_aspiring"]).all()


def test_the_law_and_a_full_humanitarian_quota_from_hand_built_cases(monkeypatch) -> None:
    """The two trapping barriers the cases above do not produce: no legal route to the wished
    destination (its only pathway opens in 2040), and a humanitarian visa held while this
    year's places are taken (WAITING); with places left the same household is free to go."""
    free_nz = handbuilt.SETTING.pathways[0]
    assert free_nz.kind == "free-movement" and len(handbuilt.SETTING.pathways) == 1
    closed = handbuilt.SETTING.model_copy(
        update={"pathways": [free_nz.model_copy(update={"opens": "2040-01"})]}
    )
    monkeypatch.setattr(handbuilt, "SETTING", closed)
    rich = stuck_household(savings=50_000.0)

    law = handbuilt.hand_built_world([rich])
    law.households.ties[:, 0] = 3.0
    decide(law)
    assert law.households.aspires[0] and law.households.trapped[0]
    assert law.households.barrier[0] == Barrier.LEGAL

    for left, trapped in ((0, True), (10, False)):
        visa = handbuilt.hand_built_world([rich], regime="humanitarian-visa")
        visa.households.ties[:, 0] = 3.0
        visa.households.visa_until[:] = visa.t + 12
        visa.policy.humanitarian.left = left
        decide(visa)
        assert visa.households.trapped[0] == trapped
        if trapped:
            assert visa.households.barrier[0] == Barrier.WAITING


def test_a_ballot_without_a_job_offer_is_entered_by_those_who_would_go_if_worse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Falepili's draw needs no job offer, so entering it buys an option on a later move: the
    households who would go if conditions worsened enter it, not only those who wish to go now
    (issue 10 item 2); the same ballot with a job offer is entered as the PAC is."""
    import hsmobility.phases.pathways as pathways_phase

    def wish(s, ctx, p, extra_risk: float = 0.0) -> np.ndarray:
        # no one wishes to go now; everyone would if conditions worsened
        return np.full((len(s.savings), len(ctx.move_cost)), 1.0 if extra_risk > 0 else -1.0)

    monkeypatch.setattr(pathways_phase, "wish_abroad", wish)
    n = 3000
    hh = [{"head_age": 30, "savings": 10_000.0}] * n
    rows = np.arange(n)
    option = ballot_world(monkeypatch, hh, quota=1)
    hold_registration(option)
    with_offer = BALLOT_SETTING.model_copy(
        update={
            "pathways": [
                p.model_copy(update={"quota_per_year": 1, "job_offer_required": True})
                for p in BALLOT_SETTING.pathways
            ]
        }
    )
    monkeypatch.setattr(handbuilt, "SETTING", with_offer)
    offer = handbuilt.hand_built_world(hh)
    hold_registration(offer)
    p = option.params.decisions
    # the wish term is the only difference: logit(x + beta_wish) against logit(x)
    assert p.register_beta_wish > 1.0
    share_option = registration_share(option, FALEPILI, rows)
    share_offer = registration_share(offer, FALEPILI, rows)
    assert share_option > 1.5 * share_offer + 0.05
    # the PAC (job offer) is entered the same way in both worlds: by the wish to go now
    assert registration_share(option, PAC, rows) == pytest.approx(
        registration_share(offer, PAC, rows), abs=0.03
    )
