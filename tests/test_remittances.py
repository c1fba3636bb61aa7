"""Remittances from earnings abroad per destination, and seafarers (issue 8 items 1, 2 and 5).

A move abroad gives the kin at home ``remit_share`` x the destination's earnings per person who
left, whatever the household earned at home; the older diaspora remits from its destinations'
earnings weighted by where it lives; seafarers leave for contracts and come back at the rates
the setting gives, people conserved; the remittances by source add up to the total.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from handbuilt import SETTING, calm_month, hand_built_world

from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError, Setting, validate
from hsmobility.model import MobilityModel
from hsmobility.phases.economy import (
    diaspora_remittance_per_member,
    emigrant_remittance,
    income_and_savings,
)
from hsmobility.phases.impacts import Hit
from hsmobility.phases.moves import move_abroad
from hsmobility.phases.seafarers import seafarers
from hsmobility.validate import TARGETS
from hsmobility.world.households import Status
from hsmobility.world.options import Kind

SOURCES = ("diaspora", "new_emigrants", "seasonal", "seafarers")


def _setting(**update: Any) -> Setting:
    """The hand-built setting with some fields replaced (validated again)."""
    return Setting.model_validate({**SETTING.model_dump(), **update})


def _nz(earnings: float, diaspora: int = 100) -> dict[str, Any]:
    return {"name": "New Zealand", "move_cost_usd": 5000.0, "wage_premium": 3.0,
            "diaspora": diaspora, "earnings_usd": earnings}  # fmt: skip


def _no_hit(world) -> Hit:
    n = world.households.n
    return Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _kin_after_a_move(home_income: float, earnings: float) -> tuple[np.ndarray, Any]:
    """A parent (row 0), the household that leaves (row 1, four people) and two neighbours on
    the outer island; what each receives in the month after the move."""
    setting = _setting(destinations=[_nz(earnings)])
    none = {"parent": -1}
    rows = [none, {"parent": 0, "income": home_income, "size": 4}, none, none]
    w = hand_built_world(rows, params={"decisions.tie_spread": 50.0}, setting=setting)
    income_and_savings(w, calm_month(), _no_hit(w))
    assert w.households.remittances_month.sum() == 0.0  # nobody abroad yet
    option = next(o for o in w.policy.options if o.kind == Kind.ABROAD)
    move_abroad(w, option, np.array([1]))
    w.begin_month()
    income_and_savings(w, calm_month(), _no_hit(w))
    return w.households.remittances_month.copy(), w


def test_a_move_abroad_raises_the_kins_remittances_by_the_destinations_earnings() -> None:
    received, w = _kin_after_a_move(home_income=10_000.0, earnings=30_000.0)
    pe = w.params.economy
    sends = pe.remit_share * 30_000.0 * 4  # four people abroad, US$ a year
    assert received.sum() == pytest.approx(sends / 12)
    assert received[1] == 0.0  # the emigrants receive nothing
    assert received[0] > received[2] > 0.0  # the parent gets its share, kin the rest
    # what they earned at home does not matter; what the destination pays does, in proportion
    richer, _ = _kin_after_a_move(home_income=40_000.0, earnings=30_000.0)
    assert richer == pytest.approx(received)
    better_paid, _ = _kin_after_a_move(home_income=10_000.0, earnings=60_000.0)
    assert better_paid == pytest.approx(2 * received)


def test_emigrants_remit_what_a_member_of_the_diaspora_sends_before_its_decay() -> None:
    setting = _setting(destinations=[_nz(30_000.0)], diaspora_earnings_usd=None)
    w = hand_built_world([{}], setting=setting)
    pe = w.params.economy
    per_person = float(emigrant_remittance(w, 0, 1.0))
    assert per_person == pytest.approx(pe.remit_share * 30_000.0)
    decay = 0.5 ** (pe.diaspora_years_abroad / pe.remittance_half_life_years)
    assert diaspora_remittance_per_member(w) == pytest.approx(per_person * decay)
    years = pe.remittance_half_life_years
    assert float(emigrant_remittance(w, 0, 2.0, years)) == pytest.approx(per_person)


def test_the_older_diaspora_earns_what_its_destinations_pay_weighted_by_where_it_lives() -> None:
    au = {**_nz(10_000.0, diaspora=300), "name": "Australia"}
    s = _setting(destinations=[_nz(30_000.0, diaspora=100), au], diaspora_earnings_usd=None)
    assert s.diaspora_earnings() == pytest.approx((100 * 30_000 + 300 * 10_000) / 400)
    assert _setting(diaspora_earnings_usd=5_000.0).diaspora_earnings() == 5_000.0  # override
    tonga = load_setting("tonga")
    assert tonga.diaspora_earnings_usd is None  # the files give earnings per destination
    weights = np.array([d.diaspora for d in tonga.destinations], dtype=float)
    earned = np.array([d.earnings_usd for d in tonga.destinations])
    assert tonga.diaspora_earnings() == pytest.approx(
        float((weights * earned).sum() / weights.sum())
    )


SEA = {"berths": 4, "contract_months": 3, "remit_usd_per_year": 1200.0}


def _sea_world(n: int = 10, **sea: Any):
    setting = _setting(seafarers={**SEA, **sea})
    return hand_built_world([{"size": 3} for _ in range(n)], setting=setting)


def _month(w) -> np.ndarray:
    signed = seafarers(w)
    income_and_savings(w, calm_month(), _no_hit(w))
    return signed


def test_seafarers_sign_on_for_their_contract_and_come_home_at_its_end() -> None:
    w = _sea_world()
    hh = w.households
    people = int(hh.size.sum())
    first = _month(w)
    # the first crews fill every berth, their contracts ending month by month (1, 2, 3, 1)
    assert len(first) == 4 and w.counts["seafarers_away"] == 4
    assert sorted(hh.seafarer_left[first] + 1) == [1, 1, 2, 3]
    signed_at, home_at = {}, {}
    for t in range(1, 13):
        w.begin_month()
        for r in _month(w):
            signed_at.setdefault(int(r), []).append(t)
        assert w.counts["seafarers_away"] == 4  # the berths stay full
        assert w.counts["seafarers_signed_on"] == w.counts["seafarers_home"]
        for r in np.flatnonzero(~hh.seafarer_on):
            home_at.setdefault(int(r), set()).add(t)
        assert int(hh.size.sum()) == people  # a seafarer stays a member: nobody made or lost
    # after the first crews, each seafarer is away exactly contract_months months
    for r, starts in signed_at.items():
        for t0 in starts:
            if t0 + 3 <= 12:
                assert t0 + 3 in home_at[r] or t0 + 3 in signed_at[r], (r, t0)
                assert all(t not in home_at.get(r, set()) for t in range(t0, t0 + 3))
    # over a year, berths x 12 / contract_months sign on and as many come home
    total = sum(len(v) for v in signed_at.values())
    assert total == pytest.approx(4 * 12 / 3, abs=4)


def test_a_seafarers_household_receives_the_allotment_every_month_at_sea() -> None:
    w = _sea_world(n=4)  # every household has a seafarer
    _month(w)
    assert w.households.remittances_month == pytest.approx([100.0] * 4)
    assert w.counts["remittances_seafarers_usd"] == pytest.approx(400.0)
    # a household that emigrates gives up its berth, which goes to another household
    w2 = _sea_world(n=6)
    _month(w2)
    hh = w2.households
    at_sea = np.flatnonzero(hh.seafarer_on)
    hh.status[at_sea[0]] = Status.ABROAD
    hh.island[at_sea[0]] = -1
    ended = int(((hh.seafarer_left == 0) & hh.seafarer_on).sum())  # contracts of a month
    ended -= int(hh.seafarer_left[at_sea[0]] == 0)
    w2.begin_month()
    _month(w2)
    assert not hh.seafarer_on[at_sea[0]] and int(hh.seafarer_on.sum()) == 4
    assert w2.counts["seafarers_home"] == ended  # the one who left with its household is not home


def test_a_setting_without_seafarers_sends_none() -> None:
    w = hand_built_world([{"size": 3}])
    assert len(seafarers(w)) == 0
    income_and_savings(w, calm_month(), _no_hit(w))
    assert w.counts["remittances_seafarers_usd"] == 0.0


@pytest.mark.parametrize("seed", [1, 2])
def test_kiribatis_remittances_by_source_add_up_and_its_berths_stay_full(seed: int) -> None:
    model = MobilityModel("kiribati", years=2, seed=seed, scale=20, island_table=False).run()
    df = model.monthly()
    parts = sum(df[f"remittances_{s}_usd"] for s in SOURCES)
    assert np.allclose(parts, df["remittances_usd"], rtol=1e-6)  # float32 pay columns
    assert (df["remittances_seafarers_usd"] > 0).all()
    berths = load_setting("kiribati").seafarers.berths
    assert df["seafarers_away"].iloc[1:].to_numpy() == pytest.approx(berths, abs=20)
    # a year of allotments: berths x remit_usd_per_year, within the rounding of one agent
    year = float(df["remittances_seafarers_usd"].iloc[12:24].sum())
    assert year == pytest.approx(berths * 4500.0, rel=0.03)
    summary = model.summary()["remittances_by_source"]
    assert sum(summary.values()) == pytest.approx(float(df["remittances_usd"].sum()))


def test_crews_are_at_sea_when_the_record_starts_their_contracts_ending_month_by_month() -> None:
    # the burn-in signs seafarers on and off as the run does: the first recorded month finds
    # the berths full and signs on only those whose contract just ended, not every berth
    scale = 10
    model = MobilityModel("kiribati", years=1, seed=1, scale=scale, island_table=False)
    hh = model.world.households
    agents = round(load_setting("kiribati").seafarers.berths / scale)
    assert int(hh.seafarer_on.sum()) == agents  # at sea before the first recorded month
    left = hh.seafarer_left[hh.seafarer_on]
    assert len(np.unique(left)) >= 10  # contracts end in (nearly) every month of the year
    model.step()
    df = model.monthly()
    assert df["seafarers_away"].iloc[0] == agents * scale
    assert df["seafarers_signed_on"].iloc[0] < agents * scale / 4  # ~1/12 of the berths
    # without a burn-in every berth is free at the start and the first month fills them all
    cold = MobilityModel(
        "kiribati", years=1, seed=1, scale=scale, island_table=False,
        params={"decisions.burn_in_months": 0},
    )  # fmt: skip
    assert int(cold.world.households.seafarer_on.sum()) == 0
    cold.step()
    assert cold.monthly()["seafarers_signed_on"].iloc[0] == agents * scale


CARIBBEAN = ("dominica", "grenada", "antigua-barbuda", "st-vincent-grenadines")


def test_uk_earnings_of_caribbean_migrants_follow_the_ons_median_hourly_pay() -> None:
    # ONS Ethnicity pay gaps 2022: GBP 12.95 an hour, full-time year at ~1.24 US$/GBP
    yearly = 12.95 * 37.5 * 52 * 1.24
    for name in CARIBBEAN:
        uk = next(d for d in load_setting(name).destinations if d.name == "UK")
        assert uk.earnings_usd == pytest.approx(yearly, rel=0.02), name


@pytest.mark.parametrize("seed", [2, 3])
def test_caribbean_remittance_totals_on_more_seeds(seed: int) -> None:
    """The settings whose earnings abroad or observed total changed (issue 8, fourth session):
    Dominica, Grenada and Antigua stay inside the target's range on seeds 2 and 3 (seed 1 is in
    docs/validation.md); St Vincent, measured against the World Bank's 2022-23 mean, within a
    factor of two (out-of-sample, 0.58 on seeds 1-3)."""
    for name in CARIBBEAN:
        target = next(
            t
            for t in TARGETS
            if "remittances" in t.name and t.name.startswith(load_setting(name).title)
        )
        assert not target.fitted
        value = target.measure(seed)
        if name == "st-vincent-grenadines":
            assert 0.5 <= value <= 2.0, (name, value)
        else:
            assert target.low <= value <= target.high, (name, value)


# --- the diaspora counted in the run's year (issue 8, fifth session) -------------------------

#: Marshallese in the USA at the 2010 and 2020 censuses (the file's `uscensus-marshallese`)
MARSHALLESE = {2010: 22434, 2020: 47300}


def _counted(counts: list[tuple[int, int]], diaspora: int | None = None) -> dict[str, Any]:
    last = counts[-1][1] if counts else 100
    return {**_nz(30_000.0, diaspora if diaspora is not None else last),
            "diaspora_counts": [{"year": y, "people": p} for y, p in counts]}  # fmt: skip


@pytest.mark.parametrize(
    ("year", "people"),
    [(1990, 1000), (2010, 1000), (2011, 1200), (2015, 2000), (2019, 2800), (2020, 3000),
     (2021, 3100), (2030, 4000), (2031, 4000), (2100, 4000)],
)  # fmt: skip
def test_a_destinations_diaspora_is_its_counts_interpolated_and_held_beyond(year, people) -> None:
    setting = _setting(destinations=[_counted([(2010, 1000), (2020, 3000), (2030, 4000)])])
    assert setting.destinations[0].diaspora_in(year) == people
    assert setting.at_year(year).destinations[0].diaspora == people


def test_without_counts_the_diaspora_is_the_same_whatever_the_year() -> None:
    setting = _setting(destinations=[_nz(30_000.0, 1234)])
    assert setting.at_year(1990) is setting and setting.at_year(2100) is setting
    assert setting.destinations[0].diaspora_in(1950) == 1234


@pytest.mark.parametrize(
    ("counts", "diaspora", "message"),
    [
        ([(2020, 3000), (2010, 1000)], 1000, "years must rise"),
        ([(2010, 1000), (2010, 3000)], 3000, "years must rise"),
        ([(2010, 1000), (2020, 3000)], 2500, "must be diaspora"),
        ([(1850, 1000)], 1000, "diaspora_counts.0.year"),
        ([(2010, -5)], 100, "diaspora_counts.0.people"),
        ([(2010, "many")], 100, "diaspora_counts.0.people"),
    ],
)
def test_bad_diaspora_counts_give_one_clear_error(counts, diaspora, message) -> None:
    data = {**SETTING.model_dump(), "destinations": [_counted(counts, diaspora)]}
    with pytest.raises(ScenarioError, match=message) as err:
        validate(Setting, data, "handbuilt.toml")
    assert "\n" not in str(err.value)
    assert "handbuilt.toml" in str(err.value)


def test_the_marshallese_diaspora_is_the_census_count_of_the_runs_year() -> None:
    usa = load_setting("marshall-islands").destinations[0]
    assert {c.year: c.people for c in usa.diaspora_counts} == MARSHALLESE
    assert usa.diaspora == MARSHALLESE[2020]  # today's figure, the last count
    assert usa.diaspora_in(2011) == round(22434 + (47300 - 22434) / 10)
    assert usa.diaspora_in(2025) == 47300


def test_a_run_starting_later_starts_with_the_larger_diaspora_abroad() -> None:
    """Members abroad at the start follow the census of the run's year: a run from 2025 starts
    with about 47,300 / 22,434 times the members abroad (and ties) of one from 2010, on the
    same draws; nothing else of the setting changes with the year."""
    early = MobilityModel("marshall-islands", years=1, seed=1, start_year=2010, scale=2)
    late = MobilityModel("marshall-islands", years=1, seed=1, start_year=2025, scale=2)
    assert early.world.setting.destinations[0].diaspora == 22434
    assert late.world.setting.destinations[0].diaspora == 47300
    n0, n1 = early.households_start, late.households_start
    abroad0 = early.households.members_abroad[:n0].sum()
    abroad1 = late.households.members_abroad[:n1].sum()
    assert abroad1 / abroad0 == pytest.approx(47300 / 22434, rel=0.1)
    assert early.world.setting.islands == late.world.setting.islands
