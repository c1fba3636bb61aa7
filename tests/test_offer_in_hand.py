"""Offers in hand (issue 8 item 4, ninth session): a place granted on a regular emigration
channel (a family or skilled visa the household applied and paid for) is weighed as an offer in
hand, like a drawn ballot place or a humanitarian visa: its move carries ``move_inertia`` x
``offer_inertia_factor``, not the full inertia of an ordinary move, so a granted household moves
more often than an equal household weighing an ordinary move to the same destination at the
same cost."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.schemas import Setting
from hsmobility.decisions import decide
from hsmobility.phases.choices import situation
from hsmobility.world.options import Kind

#: a family route to the destination of the hand-built setting's free movement, no fees and no
#: sponsor: the granted move costs what the free move costs
CHANNEL = {"name": "nz-family", "route": "family", "destination": "New Zealand",
           "places_per_year": 1_000_000, "cost_usd": 0.0}  # fmt: skip
N = 4000


def _world(params: dict | None = None):
    setting = Setting.model_validate({**SETTING.model_dump(), "channels": [CHANNEL]})
    # households that wish to leave (high perceived risk) and can pay for the move
    people = [{"savings": 50_000.0, "risk": 2.0, "head_age": 30}] * (2 * N)
    return hand_built_world(people, setting=setting, params=params)


def test_a_channel_option_is_an_offer_in_hand_and_free_movement_is_not() -> None:
    w = _world()
    abroad = {o.name: o for o in w.policy.options if o.kind == Kind.ABROAD}
    assert abroad["abroad:channel:nz-family"].offer
    assert not abroad["abroad:free-nz"].offer


def _moved(params: dict | None = None) -> tuple[float, float]:
    """Share choosing the move abroad, of N households granted a channel place whose only legal
    move abroad is that place, and of N equal households whose only one is free movement."""
    w = _world(params)
    hh, options = w.households, w.policy.options
    granted = np.arange(N)
    hh.channel_granted[granted] = 0
    hh.channel_until[granted] = w.t + 12
    rows = np.arange(2 * N)
    s = situation(w, rows)
    free = next(j for j, o in enumerate(options) if o.name == "abroad:free-nz")
    chan = next(j for j, o in enumerate(options) if o.channel == 0)
    assert s.legal[:N, chan].all() and not s.legal[N:, chan].any()
    s.legal[:N, free] = False  # the granted households weigh only their place
    for j, o in enumerate(options):  # and nobody weighs an internal move
        if o.kind in (Kind.CAPITAL, Kind.HIGHER):
            s.legal[:, j] = False
    u = np.random.default_rng(7).random(2 * N)
    d = decide(s, options, w.context, w.params.decisions, np.ones(2 * N, dtype=bool), u)
    on_place = (d.choice[:N] == chan).mean()
    ordinary = (d.choice[N:] == free).mean()
    return float(on_place), float(ordinary)


def test_a_granted_household_moves_more_often_than_an_equal_household_on_an_ordinary_move() -> None:
    on_place, ordinary = _moved()
    assert ordinary > 0.005  # the ordinary move is chosen at times: the comparison is live
    assert on_place > 1.5 * ordinary
    # the difference is the offer's lower inertia and nothing else: without it, the same
    on_place_1, ordinary_1 = _moved({"decisions.offer_inertia_factor": 1.0})
    assert on_place_1 == pytest.approx(ordinary_1, abs=0.02)
    assert ordinary_1 == pytest.approx(ordinary, abs=0.02)
