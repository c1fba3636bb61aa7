"""A second urban centre (issue 8, ninth session): an island may name a ``town`` (another
island, not the capital) to which a share ``town_share`` of its moves to the capital go
instead (the Marshall Islands: Ebeye, on Kwajalein, for the Ralik chain). A household that
moved to the town is a step migrant there as on the capital, and goes back to its land at the
setting's ``capital_return_rate``; settings that name no town draw nothing and are unchanged."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from hsmobility.config.params import load_parameters
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Setting
from hsmobility.decisions import Context, Situation, abroad_attachment_given_up
from hsmobility.model import MobilityModel
from hsmobility.phases.choices import Choices, internal_destination
from hsmobility.phases.internal_returns import return_to_home_island
from hsmobility.phases.moves import moves
from hsmobility.world.households import Status
from hsmobility.world.options import Kind, build_context
from tests.handbuilt import SETTING, hand_built_world

P = load_parameters().decisions


def _three_islands(town_share: float, rate: float = 0.0) -> Setting:
    """The hand-built setting with a third island: Capital (0), Outer (1) and Town (2); Outer
    names Town as its town with ``town_share``."""
    data = SETTING.model_dump()
    capital, outer = data["islands"]
    town = {**capital, "name": "Town", "capital": False, "lon": 178.0, "lat": -7.0}
    outer = {**outer, "town": "Town", "town_share": town_share}
    data["islands"] = [capital, outer, town]
    data["links"] = [*data["links"], {"a": "Capital", "b": "Town",
                                      "capacity_households_per_month": 2}]  # fmt: skip
    data["capital_return_rate"] = rate
    return Setting.model_validate(data)


def _move_to_capital(world, rows: np.ndarray) -> np.ndarray:
    """Carry out the move to the capital for households ``rows`` (no transport limit)."""
    capital = next(j for j, o in enumerate(world.policy.options) if o.kind == Kind.CAPITAL)
    world.access.transport_credit[:] = 1e9
    return moves(world, Choices(rows, np.full(len(rows), capital))).moved


def test_a_town_must_be_another_island_and_not_the_capital() -> None:
    data = _three_islands(0.5).model_dump()
    for bad in ("Capital", "Outer", "Nowhere"):
        d = {**data, "islands": [dict(i) for i in data["islands"]]}
        d["islands"][1]["town"] = bad
        with pytest.raises(ValidationError, match="town"):
            Setting.model_validate(d)
    d = {**data, "islands": [dict(i) for i in data["islands"]]}
    d["islands"][1]["town"] = None
    with pytest.raises(ValidationError, match="town_share needs a town"):
        Setting.model_validate(d)


def test_the_town_takes_its_share_of_the_outer_islands_movers() -> None:
    """2,000 outer-island households move to town with town_share 0.3: about 0.3 of them (sd
    0.010) settle on the town, the rest on the capital; every one keeps its family land on the
    outer island; households and people are conserved; the town's movers do not become the
    capital kin of those left behind."""
    setting = _three_islands(0.3)
    world = hand_built_world([{"home_island": 1, "island": 1}] * 2000, setting=setting)
    hh = world.households
    people = int(hh.size.sum())
    moved = _move_to_capital(world, np.arange(2000))
    assert len(moved) == 2000
    on_town = hh.home_island == 2
    assert on_town.mean() == pytest.approx(0.3, abs=0.04)
    assert np.all(hh.home_island[~on_town] == 0)
    assert np.all(hh.island == hh.home_island) and np.all(hh.status == Status.MOVED_INTERNAL)
    assert np.all(hh.origin_island == 1)
    assert int(hh.size.sum()) == people and hh.n == 2000
    assert world.counts["moves_town"] == on_town.sum()
    assert world.counts["moves_capital"] == 2000


def test_without_a_town_every_mover_goes_to_the_capital_and_nothing_is_drawn() -> None:
    """An island naming no town (the capital's own movers from the town, or any setting without
    one) sends every mover to the capital and draws nothing from the town stream; a household
    sheltering on the capital settles there even if its island names a town."""
    world = hand_built_world([{"home_island": 1, "island": 1}] * 50)
    state = world.streams["town"].bit_generator.state
    assert np.all(internal_destination(world, np.arange(50)) == 0)
    assert world.streams["town"].bit_generator.state == state
    setting = _three_islands(1.0)
    world = hand_built_world(
        [{"home_island": 1, "island": 1}] * 10
        + [{"home_island": 2, "island": 2}] * 10
        + [{"home_island": 1, "island": 0, "status": Status.DISPLACED}] * 10,
        setting=setting,
    )
    dest = internal_destination(world, np.arange(30))
    assert dest.tolist() == [2] * 10 + [0] * 10 + [0] * 10


def test_a_step_migrant_on_the_town_weighs_only_the_attachment_it_still_holds() -> None:
    """On the town, a household that came from the outer island in the run has given up the
    capital_attachment share, as on the capital; the town's own household (no origin) and the
    outer island's weigh the whole abroad_attachment."""
    ctx = build_context(_three_islands(0.5))
    assert ctx.urban.tolist() == [True, False, True]
    s = Situation(
        island=np.array([2, 2, 1]),
        band=np.zeros(3, dtype=np.int64),
        income=np.full(3, 10000.0),
        savings=np.zeros(3),
        risk=np.zeros(3),
        damage=np.zeros(3),
        displaced=np.zeros(3, dtype=bool),
        attachment=np.full(3, 0.8),
        head_age=np.full(3, 40),
        ties=np.zeros((3, 1)),
        resilient=np.zeros(3, dtype=bool),
        subsidy=np.zeros(3),
        legal=np.ones((3, 4), dtype=bool),
        transport=np.ones(3, dtype=bool),
        home=np.array([2, 2, 1]),
        origin=np.array([1, -1, 1]),
    )
    share = abroad_attachment_given_up(s, ctx, P)
    assert share.tolist() == pytest.approx(
        [P.abroad_attachment - P.capital_attachment, P.abroad_attachment, P.abroad_attachment]
    )
    # a context without ``urban`` (tests, benches) knows the capital alone
    bare = Context(
        capital=0,
        island_income=np.ones(3),
        island_has_high=np.zeros(3, dtype=bool),
        wage_premium=np.array([3.0]),
        move_cost=np.array([3000.0]),
        house_value=30000.0,
    )
    assert abroad_attachment_given_up(s, bare, P).tolist() == pytest.approx(
        [P.abroad_attachment] * 3
    )


def test_households_on_the_town_go_back_to_their_land() -> None:
    """With a yearly return rate of 0.5, about half the households that came to the town from
    the outer island are back there after a year (sd 0.02); the town's own stay."""
    came = {"home_island": 2, "island": 2, "origin_island": 1, "status": Status.MOVED_INTERNAL}
    world = hand_built_world(
        [came] * 600 + [{"home_island": 2, "island": 2, "origin_island": -1}] * 100,
        setting=_three_islands(0.5, rate=0.5),
    )
    hh = world.households
    went = 0
    for _ in range(12):
        world.begin_month()
        went += len(return_to_home_island(world))
    assert went / 600 == pytest.approx(0.5, abs=0.07)
    assert (hh.home_island[:600] == 1).sum() == went
    assert np.all(hh.home_island[600:] == 2)


def test_only_the_marshall_islands_name_a_town() -> None:
    """The Marshall Islands' Ralik chain names Kwajalein (Ebeye); no other setting has a town,
    so their urban islands are the capital alone."""
    rmi = load_setting("marshall-islands")
    ralik = next(i for i in rmi.islands if i.name.startswith("Ralik"))
    assert ralik.town == "Kwajalein" and 0 < ralik.town_share < 1
    assert build_context(rmi).urban.tolist() == [True, True, False, False]
    for name in ("kiribati", "fiji", "tonga", "vanuatu", "tuvalu", "dominica"):
        s = load_setting(name)
        assert all(i.town is None for i in s.islands), name
        assert build_context(s).urban.sum() == 1, name


def test_ebeye_receives_movers_from_the_ralik_chain_in_the_census_run() -> None:
    """The Marshall Islands 2011-21 (seed 1, scale 1, three years): some moves to town go to
    Kwajalein, only from the Ralik chain, and every one of them keeps its Ralik land."""
    m = MobilityModel(
        "marshall-islands", years=3, seed=1, scale=1, island_table=False, start_year=2011
    )
    w = m.world
    kwaj = w.setting.island_index("Kwajalein")
    ralik = w.setting.island_index("Ralik outer atolls")
    town = 0
    while m.running:
        m.step()
        town += w.counts["moves_town"]
    hh = w.households
    # (a household back from Majuro to its Kwajalein land has its origin on Kwajalein)
    came = (hh.home_island == kwaj) & (hh.origin_island >= 0) & (hh.origin_island != kwaj)
    assert town > 0
    assert came.sum() > 0
    assert np.all(hh.origin_island[came] == ralik)
