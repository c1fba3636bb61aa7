"""Fiji's relocation queue (issue 10, fifth session): why the first movers wait 11 years.

A storm lists a batch of villages at once; they are assessed and consulted together and
consent together, and the programme funds ``sites_per_year`` sites a year, so the k-th village
of the batch waits k / ``sites_per_year`` years for its funds on top of the 7 years of the
stages. The same villages asking one at a time, at the pace the programme funds them, wait
only the stages: the wait is the batch, not the stages."""

from __future__ import annotations

import math

import numpy as np
from handbuilt import hand_built_world
from helpers import FIJI_RELOCATION, KEEN_TO_RELOCATE

from hsmobility.phases.relocation import relocation

KEEN = KEEN_TO_RELOCATE
FIJI = FIJI_RELOCATION
VILLAGES, HOUSEHOLDS = 6, 4


def _leads(asks: dict[int, list[int]], months: int) -> list[int]:
    """Months from request to move of each village moved, in the order they moved; ``asks``
    maps a month to the villages a storm drives out that month."""
    from hsmobility.world.households import Band

    rows = [{**KEEN, "band": Band.LOW, "community": c} for c in range(VILLAGES)
            for _ in range(HOUSEHOLDS)]  # fmt: skip
    w = hand_built_world(rows, levers=FIJI, years=months // 12 + 1)
    community = w.households.community
    leads = []
    for t in range(months):
        if t:
            w.begin_month()
        hit = np.flatnonzero(np.isin(community, asks.get(t, [])))
        relocation(w, hit)
        if w.counts["relocation_sites_moved"]:
            assert int(w.counts["relocation_sites_moved"]) == 1
            leads.append(int(w.counts["relocation_wait_months"]))
    return leads


def test_a_batch_waits_in_the_funding_queue() -> None:
    """Six villages listed by one storm vote together 36 months on; the k-th is funded when
    the credit, accrued from that month at 0.85 sites a year, reaches k, and moves 48 months
    later: leads 36 + ceil(12 k / 0.85) - 1 + 48 months, from 8.2 to 14.0 years."""
    leads = _leads({0: list(range(VILLAGES))}, 12 * 16)
    expected = [36 + math.ceil(12 * k / 0.85 - 1e-9) - 1 + 48 for k in range(1, VILLAGES + 1)]
    assert leads == expected
    assert leads[0] == 98 and leads[-1] == 168
    # each place in the queue adds a site's funding time, 12 / 0.85 = 14.1 months
    assert np.allclose(np.diff(leads), 12 / 0.85, atol=1)


def test_villages_asking_at_the_funding_pace_wait_only_the_stages() -> None:
    """The same six villages asking one every 15 months (slower than the 14.1 months a site
    takes to fund) each wait about the 7 years of the stages plus the first site's funding,
    none more than the first."""
    leads = _leads({15 * k: [k] for k in range(VILLAGES)}, 12 * 17)
    assert len(leads) == VILLAGES
    assert max(leads) <= leads[0] == 98
    assert min(leads) >= 84  # never less than the stages


def test_villages_equally_hit_are_served_in_a_random_order_not_by_index() -> None:
    """Four villages emptied by the same storm tie in urgency; the programme funds them in the
    order it listed them (that month's requests in a random order), not by their index, which
    put every tied village of one island before another's. Over eight seeds the first village
    funded is not always village 0, and on each seed the funding order is the listing order."""
    from hsmobility.world.households import Band

    levers = {**FIJI, "relocation.assessment_years": 0.0, "relocation.consultation_years": 0.0,
              "relocation.building_years": 0.0, "relocation.sites_per_year": 1.0}  # fmt: skip
    firsts = set()
    for seed in range(8):
        rows = [{**KEEN, "band": Band.LOW, "community": c} for c in range(4) for _ in range(4)]
        w = hand_built_world(rows, levers=levers, years=5)
        w.streams["pathways"] = np.random.default_rng(seed)
        programme = w.policy.relocation
        order = []
        for t in range(48):
            if t:
                w.begin_month()
            relocation(w, np.arange(16) if t == 0 else np.zeros(0, np.int64))
            if t == 0:
                listed = sorted(programme.rank, key=programme.rank.get)
            order += [c for c, s in programme.decided.items() if s == "moved" and c not in order]
        assert sorted(order) == [0, 1, 2, 3]
        assert order == listed
        firsts.add(order[0])
    assert len(firsts) > 1
