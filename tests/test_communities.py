"""Planned relocation by communities, and coastal works that a regime can only add to (issue 10,
items 9 and 6)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.levers import Relocation, WorksProject
from hsmobility.config.regimes import build_regime
from hsmobility.config.scenario import load_setting
from hsmobility.decisions import wish_relocation
from hsmobility.phases.choices import situation
from hsmobility.phases.relocation import relocation, vote
from hsmobility.phases.works import build_protection
from hsmobility.world.households import Band, Status

#: the programme's sourced cost per relocated household (Nabavatu; config/levers.py)
PER_HOUSEHOLD = Relocation().cost_per_household_usd

#: a community relocation programme acting at once: any storm asks, no lead time, two sites a month
NOW = {
    "relocation.enabled": True,
    "relocation.assessment_years": 0.0,
    "relocation.consultation_years": 0.0,
    "relocation.building_years": 0.0,
    "relocation.sites_per_year": 24.0,
    "relocation.trigger_displaced_share": 0.3,
    "relocation.trigger_slr_margin_m": 0.0,
}
#: households that want to go (high risk, wrecked home) and households that want to stay
KEEN = {"band": Band.LOW, "risk": 5.0, "damage": 0.9, "attachment": 0.1}
ROOTED = {"band": Band.LOW, "risk": 0.0, "damage": 0.0, "attachment": 1.0}


def test_a_community_accepts_or_declines_as_a_whole() -> None:
    """Two villages hit by the same storm vote: the keen one moves to high ground, every
    household of it; the rooted one stays, every household of it."""
    rows = [{**KEEN, "community": 0} for _ in range(12)]
    rows += [{**ROOTED, "community": 1} for _ in range(12)]
    # a village with nothing pushing it away and all to lose (its wish well below zero, not the
    # fitted constant's -0.4, which 12 votes would pass 44 % of the time)
    w = hand_built_world(rows, levers={**NOW, "relocation.site_houses": 30},
                         params={"decisions.asc_relocation": -2.0})  # fmt: skip
    moved = relocation(w, np.arange(24))
    hh = w.households
    assert sorted(moved) == list(range(12))
    assert (hh.status[:12] == Status.RELOCATED).all() and (hh.band[:12] == Band.HIGH).all()
    assert (hh.status[12:] == Status.HOME).all() and (hh.band[12:] == Band.LOW).all()
    c = w.counts
    assert c["relocation_sites_listed"] == 2 and c["relocation_sites_offered"] == 2
    assert c["relocation_sites_accepted"] == 1 and c["relocation_sites_declined"] == 1
    assert c["relocation_sites_moved"] == 1 and c["relocation_offers"] == 24
    assert c["moves_relocation"] == 12
    assert c["relocation_cost_usd"] == pytest.approx(12 * PER_HOUSEHOLD)
    # a declined or moved village is never listed again
    w.begin_month()
    assert len(relocation(w, np.arange(24))) == 0
    assert w.counts["relocation_sites_listed"] == 0


def test_a_community_below_the_vote_threshold_stays_whole() -> None:
    """Consent: the same keen village stays, all of it, when the threshold asks for more than
    its households give (a threshold above one can never be met)."""
    rows = [{**KEEN, "community": 0} for _ in range(6)]
    rows += [{**ROOTED, "community": 0} for _ in range(6)]
    w = hand_built_world(rows, levers={**NOW, "relocation.vote_threshold": 0.9})
    assert len(relocation(w, np.arange(12))) == 0
    assert (w.households.status == Status.HOME).all()
    assert w.counts["relocation_sites_declined"] == 1


def test_every_household_an_agent_stands_for_votes() -> None:
    """At scale 10 a village of 26 households is 3 agents; its vote is that of 30 households,
    not three coin tosses: the share in favour has the spread of 30 votes (three agents each
    30 % in favour used to reach a majority 22 % of the time; 30 households do 2 % of the time)."""
    rows = [{**ROOTED, "community": 0} for _ in range(3)]
    w = hand_built_world(rows, levers=NOW, scale=10)
    s = situation(w, np.arange(3))
    p_in_favour = 1.0 / (1.0 + np.exp(-wish_relocation(s, w.params.decisions)))
    assert p_in_favour == pytest.approx(np.full(3, p_in_favour[0]))
    rng = np.random.default_rng(7)
    shares = np.array([vote(w, np.arange(3), rng) for _ in range(4000)])
    p = float(p_in_favour[0])
    assert shares.mean() == pytest.approx(p, abs=0.01)
    assert shares.std() == pytest.approx(np.sqrt(p * (1 - p) / 30), rel=0.1)
    assert set(np.round(shares * 30, 6)) <= set(range(31))  # whole votes of 30 households


def test_a_site_takes_no_more_households_than_its_houses() -> None:
    """A village of 10 moving to a site of 4 houses: the 4 most vulnerable go, 6 stay."""
    rows = [{**KEEN, "community": 0, "quintile": 1 if k >= 6 else 5} for k in range(10)]
    w = hand_built_world(
        rows,
        levers={**NOW, "relocation.site_houses": 4, "targeting.vulnerable_first": True},
        params={"demography.female_head_share": 0.0, "demography.disability_share": 0.0},
    )
    moved = relocation(w, np.arange(10))
    assert sorted(moved) == [6, 7, 8, 9]
    assert (w.households.status == Status.RELOCATED).sum() == 4
    assert w.counts["relocation_households_left_behind"] == 6


def test_the_list_caps_the_sites_and_the_lead_time_delays_the_vote() -> None:
    """Three villages ask, a list of two takes two; they vote only after the lead time."""
    rows = [{**KEEN, "community": c} for c in range(3) for _ in range(4)]
    w = hand_built_world(
        rows,
        levers={**NOW, "relocation.listed_sites": 2, "relocation.consultation_years": 1.0},
        years=3,
    )
    assert len(relocation(w, np.arange(12))) == 0
    assert len(w.policy.relocation.listed) == 2
    for _ in range(11):
        w.begin_month()
        assert len(relocation(w, np.zeros(0, np.int64))) == 0
    w.begin_month()  # a year after the request: both listed villages vote and move
    assert len(relocation(w, np.zeros(0, np.int64))) == 8
    assert (w.households.status == Status.RELOCATED).sum() == 8


def test_a_regime_may_relocate_atoll_communities_across_the_border() -> None:
    """The capital island has no high ground: with cross-border relocation its village settles
    abroad together, and the programme pays the houses and the travel."""
    rows = [{**KEEN, "community": 0, "home_island": 0, "island": 0} for _ in range(5)]
    w = hand_built_world(rows, levers={**NOW, "relocation.abroad_destinations": ["New Zealand"]})
    assert len(relocation(w, np.arange(5))) == 5
    hh = w.households
    assert (hh.status == Status.ABROAD).all() and (hh.destination == 0).all()
    travel = SETTING.destinations[0].move_cost_usd
    assert w.counts["relocation_cost_usd"] == pytest.approx(5 * (PER_HOUSEHOLD + travel))
    assert w.counts["moves_abroad"] == 5 and w.counts["relocation_sites_moved"] == 1


def test_merging_adaptation_first_into_tuvalu_keeps_the_tcap_works() -> None:
    """Tuvalu's 1.9 m works on Funafuti stay in force under adaptation-first (1.0 m everywhere)
    and the integrated package; the regime's works come on top of them."""
    tuvalu = load_setting("tuvalu")
    for name in ("adaptation-first", "integrated-human-security"):
        works = build_regime(name, tuvalu).works
        assert [(p.label, p.islands, p.height_m) for p in works] == [
            ("status-quo", ["Funafuti"], 1.9),
            (name, ["*"], 1.0),
        ]
    assert [p.label for p in build_regime("free-movement", tuvalu).works] == ["status-quo"]


def test_a_regimes_works_add_to_the_status_quos() -> None:
    """Status quo: half the outer island's low-lying homes behind 1.9 m works; a regime adds
    1.0 m works covering half of every island's: the outer island keeps 1.9 m and three quarters
    of its homes are covered; the capital gets 1.0 m."""
    rows = [{"band": Band.LOW, "home_island": i, "island": i} for i in (0, 1) for _ in range(8)]
    w = hand_built_world(rows, regime="adaptation-first", levers={
        "adaptation.protection_year": 2025, "adaptation.protection_share": 0.5})  # fmt: skip
    w.policy.regime.works.insert(0, WorksProject(
        label="status-quo", islands=["Outer"], share=0.5, height_m=1.9, year=2025))  # fmt: skip
    covered = build_protection(w)
    hh = w.households
    assert w.policy.works.height.tolist() == [1.0, 1.9]
    assert hh.protected[hh.home_island == 1].sum() == 8  # 4 by each project
    assert hh.protected[hh.home_island == 0].sum() == 4
    assert len(covered) == 12
    unit = w.params.costs.coastal_works_usd_per_household
    assert w.counts["coastal_works_cost_usd"] == pytest.approx(12 * unit)
    assert len(build_protection(w)) == 0, "each project is built once"


def test_a_regime_file_never_weakens_the_status_quo(tmp_path: Path) -> None:
    """A setting that already warns everyone keeps that under a regime asking for less (and
    the regime says so); an explicit override is the user's choice and applies as given."""
    setting = SETTING.model_copy(update={"levers": {"adaptation": {"early_warning": 0.8}}})
    weak = tmp_path / "weak.toml"
    weak.write_text('title = "weak"\n[levers.adaptation]\nearly_warning = 0.2\n'
                    "retrofit_share_per_year = 0.1\n")  # fmt: skip
    regime = build_regime(str(weak), setting)
    assert regime.levers.adaptation.early_warning == 0.8
    assert any("early_warning" in note for note in regime.notes)
    forced = build_regime(str(weak), setting, {"adaptation.early_warning": 0.1})
    assert forced.levers.adaptation.early_warning == 0.1


def test_fijis_planned_relocation_moves_at_most_its_listed_villages() -> None:
    """Fiji's status quo over 30 years: a few dozen villages listed (42 earmarked), each
    consulted after its assessment, sites funded at about 0.85 a year and built in 4 years, and
    only whole villages moved, never more houses than their sites hold: nothing like the 23 % of
    households that moved when each household accepted alone."""
    from hsmobility.run import run_scenario

    res = run_scenario("fiji", seed=1, years=30, scale=10, island_table=False)
    act = res.summary["regime_activity"]
    assert act["relocation_sites_offered"] > 0, "the programme acted"
    assert act["relocation_sites_moved"] <= 42
    assert act["relocation_sites_funded"] <= 0.85 * 30 + 1
    assert act["relocation_sites_offered"] == (
        act["relocation_sites_accepted"] + act["relocation_sites_declined"]
    )
    # a funded site is built for 4 years: the last funded may not have moved by the end
    assert act["relocation_sites_moved"] <= act["relocation_sites_funded"]
    assert act["relocation_sites_funded"] <= act["relocation_sites_accepted"]
    # villages that asked mostly consent, as Fiji's six did (asc_relocation fitted to ~0.68 a year)
    assert act["relocation_sites_accepted"] >= 0.6 * act["relocation_sites_offered"]
    assert act["households_relocated"] <= 30 * act["relocation_sites_moved"]
    assert act["households_relocated"] < 0.01 * res.summary["households_start"]
    m = res.monthly
    first_listed = m.index[m["relocation_sites_listed"] > 0][0]
    first_vote = m.index[m["relocation_sites_offered"] > 0][0]
    first_move = m.index[m["relocation_sites_moved"] > 0][0]
    assert first_vote - first_listed == 3 * 12  # assessment (1 year) and consultation (2)
    assert first_move - first_listed >= 7 * 12  # then funding and 4 years of building


def test_fijis_fitted_relocation_rate_holds_on_three_seeds() -> None:
    """The fitted target (villages moved a year from the first move, 0.45-0.9, Fiji's six in
    nine years) holds on seeds 1-3, and so does the out-of-sample share of listed villages
    moved on their mean (one seed moves a few villages of 48: 0.053 to 0.19 on seeds 1-3 after
    the fifth session's merges, each seed above nil); the first movers wait more than the 7
    years of the stages, the villages' requests outrunning the funds (issue 10, fifth session,
    a storm's batch: 9-12 years; sixth session, one village at a time: 9.0-10.7 years)."""
    from hsmobility.validate import fiji_relocation

    shares = []
    for seed in (1, 2, 3):
        rate, share, lead = fiji_relocation(seed)
        assert 0.45 <= rate <= 0.9, (seed, rate)
        assert share > 0.02, (seed, share)
        assert 7.0 < lead < 15.0, (seed, lead)
        shares.append(share)
    assert 0.06 <= np.mean(shares) <= 0.25, shares
