"""Fiji's relocation stages at their sourced durations, and a funding capacity (issue 10,
fourth session): a village is assessed, consulted and votes, waits for funds, is built and
moves, in that order; the programme funds no more sites a year than its capacity."""

from __future__ import annotations

import numpy as np
from handbuilt import hand_built_world

from hsmobility.phases.relocation import relocation
from hsmobility.world.households import Band, Status

KEEN = {"band": Band.LOW, "risk": 5.0, "damage": 0.9, "attachment": 0.1}
ROOTED = {"band": Band.LOW, "risk": 0.0, "damage": 0.0, "attachment": 1.0}
#: Fiji's stages (scenarios/settings/fiji.toml): 1 year of assessment, 2 of consultation,
#: 4 of building; funds for a site a month, so that funding does not wait
FIJI_STAGES = {
    "relocation.enabled": True,
    "relocation.assessment_years": 1.0,
    "relocation.consultation_years": 2.0,
    "relocation.building_years": 4.0,
    "relocation.sites_per_year": 12.0,
    "relocation.trigger_displaced_share": 0.25,
    "relocation.trigger_slr_margin_m": 0.0,
}
STAGES = ("relocation_sites_listed", "relocation_sites_offered", "relocation_sites_accepted",
          "relocation_sites_funded", "relocation_sites_moved")  # fmt: skip


def _run(w, months: int, hit: np.ndarray) -> dict[str, list[int]]:
    """Months (from 0) in which each stage's counter moved, over ``months`` months; the storm
    (rows ``hit``) strikes in month 0."""
    when: dict[str, list[int]] = {k: [] for k in STAGES}
    for t in range(months):
        if t:
            w.begin_month()
        relocation(w, hit if t == 0 else np.zeros(0, np.int64))
        for k in STAGES:
            when[k] += [t] * int(w.counts[k])
        if w.counts["relocation_wait_months"]:
            when.setdefault("wait_months", []).append(int(w.counts["relocation_wait_months"]))
    return when


def test_a_village_goes_through_the_stages_in_order_and_on_time() -> None:
    """Listed the month of the storm; votes 3 years on (assessment 1 + consultation 2),
    consents and is funded that month; moves 4 years later: 7 years from request to move, as
    Vunidogoloa (2007 → January 2014). Nobody moves before."""
    w = hand_built_world([{**KEEN, "community": 0} for _ in range(6)], levers=FIJI_STAGES,
                         years=8)  # fmt: skip
    when = _run(w, 90, np.arange(6))
    assert when == {
        "relocation_sites_listed": [0],
        "relocation_sites_offered": [36],
        "relocation_sites_accepted": [36],
        "relocation_sites_funded": [36],
        "relocation_sites_moved": [84],
        "wait_months": [84],  # the lead time, request to move
    }
    assert (w.households.status == Status.RELOCATED).all()


def test_nobody_moves_while_the_site_is_built() -> None:
    """During the 4 years of building the village stays where it is (its households at home
    on low ground), and it does not ask again."""
    w = hand_built_world([{**KEEN, "community": 0} for _ in range(6)], levers=FIJI_STAGES,
                         years=8)  # fmt: skip
    _run(w, 60, np.arange(6))
    hh = w.households
    assert (hh.status == Status.HOME).all() and (hh.band == Band.LOW).all()
    assert 0 in w.policy.relocation.building
    w.begin_month()
    relocation(w, np.arange(6))  # a second storm: the village is already in the programme
    assert int(w.counts["relocation_sites_listed"]) == 0


def test_the_funding_capacity_limits_the_villages_moved_a_year() -> None:
    """Five keen villages consent together; with one site funded a year and no other delay
    they move one a year, the most urgent first, never two in a year."""
    levers = {**FIJI_STAGES, "relocation.assessment_years": 0.0,
              "relocation.consultation_years": 0.0, "relocation.building_years": 0.0,
              "relocation.sites_per_year": 1.0}  # fmt: skip
    w = hand_built_world([{**KEEN, "community": c} for c in range(5) for _ in range(4)],
                         levers=levers, years=6)  # fmt: skip
    when = _run(w, 60, np.arange(20))
    assert when["relocation_sites_accepted"] == [0] * 5
    moved = when["relocation_sites_moved"]
    assert moved == [11, 23, 35, 47, 59]  # a twelfth of a site a month: a site each 12 months
    assert np.bincount(np.array(moved) // 12).max() == 1


def test_a_village_that_declines_uses_no_funds() -> None:
    """A rooted village and a keen one vote the same month; the rooted declines and the keen
    one is funded with the year's only site."""
    levers = {**FIJI_STAGES, "relocation.assessment_years": 0.0,
              "relocation.consultation_years": 0.0, "relocation.building_years": 0.0,
              "relocation.sites_per_year": 1.0}  # fmt: skip
    rows = [{**ROOTED, "community": 0} for _ in range(12)]
    rows += [{**KEEN, "community": 1} for _ in range(12)]
    w = hand_built_world(rows, levers=levers, params={"decisions.asc_relocation": -2.0},
                         years=2)  # fmt: skip
    when = _run(w, 12, np.arange(24))
    assert when["relocation_sites_offered"] == [0, 0]
    assert when["relocation_sites_accepted"] == [0] and when["relocation_sites_funded"] == [11]
    assert when["relocation_sites_moved"] == [11]
    assert (w.households.status[12:] == Status.RELOCATED).all()
    assert (w.households.status[:12] == Status.HOME).all()
