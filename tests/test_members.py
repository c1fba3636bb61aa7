"""Members within households (issue 10): children, working-age adults and elders, consistent
with household size through births, deaths, ageing, splits and departures."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import hand_built_world

from hsmobility.config.scenario import load_setting
from hsmobility.model import MobilityModel
from hsmobility.phases.demography import age_members, demography, form_households
from hsmobility.world.households import Status, take_members


def _consistent(hh) -> bool:
    total = hh.children.astype(np.int64) + hh.adults + hh.elders
    return bool((total == hh.size).all() and (hh.children >= 0).all() and (hh.elders >= 0).all()
                and (hh.adults >= 0).all())  # fmt: skip


def test_size_is_the_sum_of_members_every_month_of_a_run() -> None:
    model = MobilityModel("tuvalu", seed=1, years=3)
    bad = []
    while model.running:
        model.step()
        if not _consistent(model.households):
            bad.append(model.month_index)
    assert not bad
    hh = model.households
    live = hh.status != Status.ABROAD
    assert hh.children[live].sum() > 0 and hh.elders[live].sum() > 0


def test_the_starting_members_follow_the_settings_age_structure() -> None:
    setting = load_setting("kiribati")
    model = MobilityModel("kiribati", seed=2, years=1, scale=5)
    hh = model.households
    people = hh.size.sum()
    assert _consistent(hh)
    assert hh.children.sum() / people == pytest.approx(setting.children_share, abs=0.01)
    assert hh.elders.sum() / people == pytest.approx(setting.elders_share, abs=0.01)
    # every head is an adult or an elder: no household of children only
    assert ((hh.adults + hh.elders) >= 1).all()


def test_births_are_children_and_deaths_take_elders_first() -> None:
    w = hand_built_world(
        [{"size": 6, "adults": 3, "children": 1, "elders": 2}] * 200,
        params={"demography.crude_death_rate": 0.1, "demography.coming_of_age_rate": 0.0,
                "demography.old_age_rate": 0.0},
    )  # fmt: skip
    hh = w.households
    demography(w)
    assert _consistent(hh)
    born, died = int(w.counts["births"]), int(w.counts["deaths"])
    assert born > 0 and 0 < died < 100
    # births joined the children; deaths took elders (no household lost three of six here)
    assert hh.children.sum() == 200 + born
    assert hh.elders.sum() == 400 - died
    assert hh.adults.sum() == 600


def test_ageing_moves_children_to_adults_and_adults_to_elders() -> None:
    w = hand_built_world(
        [{"size": 5, "adults": 2, "children": 3, "elders": 0}],
        params={"demography.coming_of_age_rate": 1.0, "demography.old_age_rate": 1.0},
    )
    age_members(w, np.array([0]))
    hh = w.households
    assert (hh.children[0], hh.adults[0], hh.elders[0]) == (0, 3, 2)
    assert _consistent(hh)


def test_a_split_takes_adults_first_and_keeps_everyone() -> None:
    w = hand_built_world([{"size": 10, "adults": 4, "children": 6, "elders": 0},
                          {"size": 4, "adults": 0, "children": 1, "elders": 3}])  # fmt: skip
    hh = w.households
    rows = form_households(w, np.array([0, 1]), w.streams["demography"])
    assert _consistent(hh) and hh.size.sum() == 14
    young, old = rows
    assert (hh.adults[young], hh.children[young], hh.elders[young]) == (2, 3, 0)
    assert (hh.adults[0], hh.children[0], hh.elders[0]) == (2, 3, 0)
    # a household with no working-age adult passes on a child, then an elder
    assert (hh.adults[old], hh.children[old], hh.elders[old]) == (0, 1, 1)


def test_take_members_refuses_more_people_than_the_household_has() -> None:
    w = hand_built_world([{"size": 2}])
    with pytest.raises(ValueError, match="more people"):
        take_members(w.households, np.array([0]), np.array([3]))


def test_an_age_structure_without_working_age_adults_is_one_clear_error() -> None:
    from pydantic import ValidationError

    from hsmobility.config.schemas import Setting

    data = load_setting("tuvalu").model_dump()
    data.update(children_share=0.7, elders_share=0.3)
    with pytest.raises(ValidationError, match="working-age adults"):
        Setting.model_validate(data)


# --------------------------------------------------------------------- the survey's measure
def _closed_world(households):
    """The hand-built islands with no legal way abroad: a wish to emigrate is blocked (LEGAL)."""
    from handbuilt import SETTING

    closed = SETTING.model_copy(update={"pathways": []})
    return hand_built_world(
        households,
        setting=closed,
        params={"decisions.review_prob": 1.0, "decisions.wanted_min_reviews": 1},
    )


def test_the_survey_counts_the_adults_a_blocked_wish_concerns_not_the_household() -> None:
    from hsmobility.indicators import survey_trapped_share

    w = _closed_world([{"size": 6, "adults": 2, "children": 4, "elders": 0}])
    hh = w.households
    hh.wanted_step[0], hh.wanted_whole[0] = w.t, False
    assert survey_trapped_share(w) == pytest.approx(2 / 6)
    hh.wanted_whole[0] = True  # its own move off damaged land: all six wanted to go
    assert survey_trapped_share(w) == pytest.approx(1.0)
    hh.moved_step[0] = w.t + 1  # it moved since: it did not fail to
    assert survey_trapped_share(w) == 0.0


def test_a_blocked_wish_is_the_households_own_only_off_damaged_land() -> None:
    from hsmobility.indicators import survey_trapped_share
    from hsmobility.phases.choices import decide_moves
    from hsmobility.phases.impacts import Hit

    keen = {"size": 6, "adults": 2, "children": 4, "elders": 0, "risk": 3.0, "income": 3000.0,
            "savings": 50_000.0, "attachment": 0.0, "head_age": 30}  # fmt: skip
    w = _closed_world([keen] * 30 + [{**keen, "damage": 0.8}] * 30)
    hh = w.households
    hh.ties[:] = 1.0
    n = hh.n
    calm = Hit(np.zeros(n, dtype=np.float32), np.zeros(n, dtype=bool), np.zeros(0, dtype=int))
    decide_moves(w, calm)
    blocked = hh.wanted_step == w.t
    damaged = hh.damage >= w.params.displacement.severe_damage
    assert blocked[~damaged].sum() > 5 and blocked[damaged].sum() > 5
    assert (hh.wanted_whole[blocked] == damaged[blocked]).all()
    people = 2 * blocked[~damaged].sum() + 6 * blocked[damaged].sum()
    assert survey_trapped_share(w) == pytest.approx(people / (6 * n))


# ------------------------------------------------------------- members who emigrate alone
STUDENT = {"name": "nz-student", "route": "student", "destination": "New Zealand",
           "places_per_year": 2, "min_age": 18, "max_age": 30}  # fmt: skip


def _student_world(households):
    from handbuilt import SETTING

    from hsmobility.config.schemas import Setting

    setting = Setting.model_validate({**SETTING.model_dump(), "channels": [STUDENT]})
    return hand_built_world(
        households,
        setting=setting,
        params={
            "channels.grant_month": 1,
            "channels.apply_prob": 1.0,
            "channels.apply_prob_other": 1.0,
        },
    )


def test_a_student_place_admits_one_person_not_the_household() -> None:
    from hsmobility.phases.channels import channels

    rich = {"size": 5, "adults": 2, "children": 3, "savings": 50_000.0, "skills": 0.9,
            "head_age": 25}  # fmt: skip
    w = _student_world([rich] * 6)
    w.households.ties[:, 0] = 1.0
    granted = channels(w)
    # two places a year: two students, where whole households of five would have had none
    assert len(granted) == 2
    assert w.counts["channel_grants_people"] == 2


def test_a_member_who_leaves_alone_keeps_the_household_and_remits_to_it() -> None:
    from hsmobility.phases.choices import Choices
    from hsmobility.phases.moves import moves

    w = _student_world([{"size": 5, "adults": 2, "children": 3, "income": 10_000.0,
                         "savings": 50_000.0, "island": 0, "home_island": 0},
                        {"size": 1, "adults": 1, "children": 0, "savings": 50_000.0}])  # fmt: skip
    hh = w.households
    hh.channel_granted[:], hh.channel_until[:] = 0, w.t + 6
    j = next(k for k, o in enumerate(w.policy.options) if o.channel == 0)
    people = int(hh.size.sum())
    done = moves(w, Choices(rows=np.array([0, 1]), option=np.array([j, j])))
    assert len(done.formed) == 1 and hh.n == 3
    new = int(done.formed[0])
    # the household stays, one working-age adult fewer; the student is a household abroad
    assert hh.status[0] == Status.HOME and hh.size[0] == 4 and hh.adults[0] == 1
    assert hh.status[new] == Status.ABROAD and hh.size[new] == 1 and hh.adults[new] == 1
    assert hh.parent[new] == 0 and hh.channel_used[new] == 0
    # a share of the destination's earnings for the one member abroad (issue 8)
    sends = w.params.economy.remit_share * w.setting.destinations[0].earnings_usd
    assert hh.remit_kin_usd[0] == pytest.approx(sends) and hh.kin_abroad[0] == 1
    # a household of one (on the other island, whose kin its remittances go to) goes whole
    assert hh.status[1] == Status.ABROAD and list(done.moved) == [1]
    # nobody appears or vanishes; the accounts count the two who left
    assert int(hh.size.sum()) == people and _consistent(hh)
    assert w.counts["members_left_alone"] == 1
    assert w.counts["people_left_setting"] == 2
