"""Issue 9 item 5, fourth session: a wave-driven wash-over reaches the ocean-side part of an
atoll island, not the whole of it; households leave only from that part."""

from __future__ import annotations

import numpy as np
import pytest

from hsmobility.phases.impacts import habitability, inundation, ocean_side
from tests.test_slowonset import N, overwash_world


def test_a_wash_over_moves_households_only_from_the_ocean_side_part() -> None:
    """A wash-over a month on the capital (an atoll), the sea 0.3 m up: the share who leave
    is 1 - H(0.3) / H(0) of the ocean-side households, and nobody on the lagoon side leaves."""
    reach = 0.4
    world = overwash_world(0.0, return_years=1 / 120, reach=reach)  # washed over every month
    hh = world.households
    side = ocean_side(world)
    capital = hh.home_island[: hh.n] == 0
    # the ocean side is the parameter's share of each island, always the same households
    assert np.mean(side[capital]) == pytest.approx(reach, abs=0.02)
    assert np.array_equal(side, ocean_side(world))
    flooded = np.zeros(hh.n, dtype=bool)
    assert len(inundation(world, flooded)) == 0  # today's sea: lived with, nobody leaves
    h0 = float(habitability(world)[0])
    world.hazards.slr_since_today_m[:] = 0.3
    share = 1 - float(habitability(world)[0]) / h0
    moved = inundation(world, flooded)
    assert len(moved) > 0 and side[moved].all()  # only from the part washed over
    assert np.all(hh.home_island[moved] == 0)
    assert len(moved) == pytest.approx(N * reach * share, rel=0.35)
    # the whole island reached (reach 1): about 1 / reach times as many leave
    whole = overwash_world(0.0, return_years=1 / 120, reach=1.0)
    inundation(whole, flooded)
    whole.hazards.slr_since_today_m[:] = 0.3
    assert len(inundation(whole, flooded)) == pytest.approx(N * share, rel=0.3)


def test_a_scripted_swell_still_reaches_every_home_it_floods() -> None:
    """The ocean side limits drawn wash-overs only: a scripted swell or surge reaches the homes
    it floods, lagoon side included."""
    world = overwash_world(0.0, reach=0.0)  # drawn wash-overs reach nobody
    world.hazards.flood_m = np.zeros_like(world.hazards.wind_ms)
    world.hazards.flood_m[:, 0] = 0.2
    hh = world.households
    flooded = np.arange(hh.n) < N
    inundation(world, flooded)
    world.hazards.slr_since_today_m[:] = 0.3
    moved = inundation(world, flooded)
    assert len(moved) > 0 and np.all(hh.home_island[moved] == 0)
    assert not ocean_side(world)[moved].any()  # the swell, not a drawn wash-over, moved them
