"""Members die and age by age group from a life table (issue 10, fourth session).

A stable population's rates balance every group's flows, so a hand-built population started at
a stationary life table's shares keeps them; deaths never take a household's last member, and
members always sum to the household's size.
"""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.schemas import ScenarioError, Setting, validate
from hsmobility.phases.demography import (
    _stable,
    birth_rate,
    demography,
    growth_for_elders,
    life_rates,
    stable_rates,
)

#: a made-up life table with high mortality (life expectancy ~45), so that a few thousand
#: people show the flows within a decade: 5% a year among infants, 0.5% at 1-4 ... 30% at 100+
TABLE = [0.05, 0.005] + [0.004] * 10 + [0.02, 0.03, 0.05, 0.08, 0.12, 0.18, 0.25, 0.3, 0.3, 0.3]


def _shares(table: list[float], growth: float) -> tuple[float, float, float]:
    """Children, working-age and elders' shares of the stable population (the life table's)."""
    x, _, w = _stable(tuple(table), growth, 0.05)
    n = w.sum()
    return (float(w[x < 15].sum() / n), float(w[(x >= 15) & (x < 65)].sum() / n),
            float(w[x >= 65].sum() / n))  # fmt: skip


def test_stationary_rates_balance_every_groups_flows() -> None:
    """In a stationary population births equal deaths, and each group gains as many as it
    loses: children born = children dying + coming of age; adults arriving = adults dying +
    growing old; elders arriving = elders dying."""
    r = stable_rates(tuple(TABLE), 0.0)
    c, a, e = _shares(TABLE, 0.0)
    births = r.child_death * c + r.adult_death * a + r.elder_death * e
    assert c * (r.child_death + r.coming_of_age) == pytest.approx(births, rel=0.01)
    assert a * (r.adult_death + r.old_age) == pytest.approx(c * r.coming_of_age, rel=0.01)
    assert e * r.elder_death == pytest.approx(a * r.old_age, rel=0.01)
    # 1/e0: the stationary birth rate is the inverse of life expectancy at birth
    x, _, w = _stable(tuple(TABLE), 0.0, 0.05)
    assert births == pytest.approx(1.0 / (w.sum() * 0.05), rel=0.01)
    # the stable population with the stationary elders' share is the stationary one
    assert growth_for_elders(tuple(TABLE), e) == pytest.approx(0.0, abs=1e-4)


def test_the_rates_match_the_settings_elders_share() -> None:
    """A setting with fewer elders gets a faster-growing stable population: younger elders who
    die less, and fewer adults a year turning 65 per adult."""
    c, a, e = _shares(TABLE, 0.0)
    old = SETTING.model_copy(update={"death_rates": TABLE, "elders_share": e})
    young = SETTING.model_copy(update={"death_rates": TABLE, "elders_share": e / 2})
    assert life_rates(old) == stable_rates(tuple(TABLE), 0.0)
    assert growth_for_elders(tuple(TABLE), e / 2) > 0.005
    assert life_rates(young).elder_death < life_rates(old).elder_death
    assert life_rates(young).old_age < life_rates(old).old_age
    assert life_rates(SETTING) is None  # no life table: the crude rate and prior rates


def test_a_younger_growing_population_ages_slower_per_person() -> None:
    """At a higher stable growth, each group holds more of its young: fewer of its members
    reach the next group's age a year, and elders (younger elders) die less."""
    still, growing = stable_rates(tuple(TABLE), 0.0), stable_rates(tuple(TABLE), 0.02)
    assert growing.coming_of_age < still.coming_of_age
    assert growing.old_age < still.old_age
    assert growing.elder_death < still.elder_death


def _stationary_setting() -> tuple[Setting, tuple[float, float, float]]:
    c, a, e = _shares(TABLE, 0.0)
    r = stable_rates(tuple(TABLE), 0.0)
    b = (r.child_death * c + r.adult_death * a + r.elder_death * e) * 1000.0
    setting = SETTING.model_copy(
        update={"death_rates": TABLE, "birth_rates": [b] * 13, "children_share": c,
                "elders_share": e}
    )  # fmt: skip
    return setting, (c, a, e)


def test_a_stationary_population_keeps_its_age_shares() -> None:
    """3,000 households of 5 at the stationary shares, run 15 years of births, deaths and
    January ageing (no household formation: no shortfall at the mean size): the shares of
    children and elders stay within 2 points of the start, and people are conserved."""
    setting, (c, a, e) = _stationary_setting()
    rng = np.random.default_rng(3)
    n = 3000
    draw = rng.multinomial(5, [c, e, a], size=n)
    rows = [{"size": 5, "children": int(k[0]), "elders": int(k[1]), "adults": int(k[2])}
            for k in draw]  # fmt: skip
    w = hand_built_world(rows, years=16, setting=setting)
    hh = w.households
    born = died = 0
    for _ in range(15 * 12):
        w.begin_month()
        people = int(hh.size.sum())
        demography(w)
        born += int(w.counts["births"])
        died += int(w.counts["deaths"])
        assert int(hh.size.sum()) == people + int(w.counts["births"]) - int(w.counts["deaths"])
        assert (hh.children + hh.adults + hh.elders == hh.size).all()
        assert (hh.size >= 1).all()
    total = hh.size.sum()
    assert hh.children.sum() / total == pytest.approx(c, abs=0.02)
    assert hh.elders.sum() / total == pytest.approx(e, abs=0.02)
    # and the people neither grew nor shrank beyond chance (births ~ deaths)
    assert abs(born - died) < 0.1 * died


def test_deaths_never_take_a_households_last_member() -> None:
    """A very high mortality on households of one elder: none is emptied, members sum to
    size, and only deaths that happened are counted."""
    setting = SETTING.model_copy(update={"death_rates": [3.0] * 22, "birth_rates": [0.0] * 13})
    w = hand_built_world([{"size": 2, "adults": 0, "children": 0, "elders": 2}] * 200,
                         setting=setting, years=3)  # fmt: skip
    hh = w.households
    for _ in range(24):
        w.begin_month()
        demography(w)
    assert (hh.size == 1).all() and (hh.elders == 1).all()
    assert (hh.children + hh.adults + hh.elders == hh.size).all()


def test_births_follow_the_settings_birth_rate() -> None:
    """Births a year are the setting's birth rate times the people (Poisson), and the rate is
    read between the five-yearly values."""
    setting = SETTING.model_copy(
        update={"death_rates": [0.0] * 22, "birth_rates": [40.0, 20.0] + [20.0] * 11}
    )
    assert birth_rate(setting, 2002.5) == pytest.approx(0.030)
    assert birth_rate(setting, 1990.0) == pytest.approx(0.040)  # held before 2000
    w = hand_built_world([{"size": 5, "adults": 5, "children": 0, "elders": 0}] * 2000,
                         setting=setting)  # fmt: skip
    born = 0
    for _ in range(12):
        w.begin_month()
        demography(w)
        born += int(w.counts["births"])
    expected = birth_rate(setting, w.year) * 10_000
    assert abs(born - expected) < 4 * np.sqrt(expected)
    assert life_rates(setting) is not None


def test_birth_rates_without_a_life_table_are_refused() -> None:
    data = SETTING.model_dump()
    data["birth_rates"] = [20.0] * 13
    with pytest.raises(ScenarioError, match="death_rates"):
        validate(Setting, data, "handbuilt")
    data["birth_rates"], data["death_rates"] = None, [0.01] * 21  # one age group short
    with pytest.raises(ScenarioError, match="death_rates"):
        validate(Setting, data, "handbuilt")
