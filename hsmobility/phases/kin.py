"""Kin who pay for a move to the capital: the payment, and the kin a mover becomes.

A household moving to the capital pays from its own savings first; its kin on the capital
(:mod:`hsmobility.world.kin`) pay the rest, up to ``kin_help_share`` of their savings, and
their savings fall by what they give (a transfer inside the setting: money is conserved). Once
settled, the mover is the kin on the capital of the households of its village that have none
(chain migration inside the country, as ties abroad spread from emigrants).
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.kin import kin_on_capital
from hsmobility.world.state import World


def pay_capital_move(world: World, rows: np.ndarray, cost: np.ndarray) -> None:
    """Households ``rows`` pay ``cost`` (US$ each) for their move to the capital: own savings
    first, then their kin on the capital, each kin household giving at most ``kin_help_share``
    of its savings at that moment (movers sharing kin are served in turn). Counts what kin gave
    (``kin_help_usd``) and the moves they helped (``moves_capital_kin_helped``); what neither
    covers is the mover's debt (negative savings), as before kin helped."""
    hh = world.households
    if not len(rows):
        return
    share = world.params.decisions.kin_help_share
    own = np.minimum(np.maximum(hh.savings[rows], 0.0), cost)
    hh.savings[rows] -= own
    need = cost - own
    kin = kin_on_capital(hh, rows, world.geo.capital)
    given, helped = 0.0, 0
    for i in np.flatnonzero((need > 0) & (kin >= 0)):
        k = kin[i]
        gift = min(need[i], share * max(float(hh.savings[k]), 0.0))
        if gift <= 0:
            continue
        hh.savings[k] -= gift
        need[i] -= gift
        given += gift
        helped += 1
    # what neither covers (kin who gave to another mover first, or kin gone since the
    # decision) is the mover's debt, as every move's cost was before kin helped
    hh.savings[rows] -= need
    world.counts.add("kin_help_usd", given)
    world.counts.add("moves_capital_kin_helped", helped)


def spread_capital_kin(world: World, rows: np.ndarray) -> None:
    """Households ``rows``, now settled on the capital, become the kin there of the households
    of their village (``community``) living off the capital that have no kin on it (each such
    household takes one of its village's movers, in turn)."""
    hh = world.households
    if not len(rows):
        return
    capital = world.geo.capital
    off = np.flatnonzero((hh.island >= 0) & (hh.island != capital))
    lacking = off[kin_on_capital(hh, off, capital) < 0]
    village = hh.community[rows]
    mates = lacking[np.isin(hh.community[lacking], village)]
    if not len(mates):
        return
    # the i-th mate of a village (in row order) takes the village's (i mod movers)-th mover
    # (movers in the order given): all villages at once, by sorting on the village
    by_village = np.argsort(village, kind="stable")
    movers, mover_village = rows[by_village], village[by_village]
    mate_village = hh.community[mates]
    first = np.searchsorted(mover_village, mate_village, side="left")
    count = np.searchsorted(mover_village, mate_village, side="right") - first
    order = np.argsort(mate_village, kind="stable")
    sorted_village = mate_village[order]
    rank = np.empty(len(mates), dtype=np.int64)
    rank[order] = np.arange(len(mates)) - np.searchsorted(sorted_village, sorted_village)
    hh.kin_capital[mates] = movers[first + rank % count]


__all__ = ["pay_capital_move", "spread_capital_kin"]
