"""Kin on the capital: who would host a relative's move there, and what they can give.

In the Pacific a move to the capital is rarely paid from one household's savings: kin already
there host and feed the newcomers and often send the fare (issues 8 and 10; ODD 7.8.5). Each
household off the capital may hold one link, ``kin_capital``, to a household living on the
capital; the help it can count on is ``kin_help_share`` of that household's savings, and it is
a real transfer: what the kin give leaves their savings (:func:`hsmobility.phases.kin`).
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.households import HouseholdTable, Status


def start_capital_kin(
    hh: HouseholdTable, capital: int, share: float, rng: np.random.Generator
) -> None:
    """At the start, each household off the capital has kin living there with probability
    ``share``: one household drawn among the capital's (the capital grew from the outer islands,
    so its households are the outer islands' kin)."""
    on = np.flatnonzero(hh.island == capital)
    off = np.flatnonzero((hh.island >= 0) & (hh.island != capital))
    if not len(on) or not len(off):
        return
    has = off[rng.random(len(off)) < share]
    hh.kin_capital[has] = on[rng.integers(0, len(on), len(has))]


def start_origins(hh: HouseholdTable, capital: int) -> None:
    """At the start, a household on the capital whose relatives off the capital count it as their
    kin there (``kin_capital``) has its family land on their island (``origin_island``): the
    island it would go back to (issue 9, seventh session). Where several households of
    different islands hold it as kin, the last row's island is taken (deterministic)."""
    off = np.flatnonzero((hh.island >= 0) & (hh.island != capital) & (hh.kin_capital >= 0))
    kin = hh.kin_capital[off].astype(np.int64)
    on = hh.island[kin] == capital
    hh.origin_island[kin[on]] = hh.island[off[on]]


def kin_on_capital(hh: HouseholdTable, rows: np.ndarray, capital: int) -> np.ndarray:
    """Per household of ``rows``: its kin's row where that kin household still lives on the
    capital (not abroad, not empty, not itself), else -1."""
    kin = hh.kin_capital[rows].astype(np.int64)
    ok = kin >= 0
    k = kin[ok]
    ok[ok] = (hh.island[k] == capital) & (hh.status[k] != Status.ABROAD) & (hh.size[k] > 0)
    ok &= kin != rows
    return np.where(ok, kin, -1)


def capital_kin_help(
    hh: HouseholdTable, rows: np.ndarray, capital: int, share: float
) -> np.ndarray:
    """US$ the kin on the capital of each household of ``rows`` would put towards its move
    there: ``share`` of their savings (0 without kin there)."""
    kin = kin_on_capital(hh, rows, capital)
    out = np.zeros(len(rows))
    has = kin >= 0
    out[has] = share * np.maximum(hh.savings[kin[has]], 0.0)
    return out


__all__ = ["capital_kin_help", "kin_on_capital", "start_capital_kin"]
