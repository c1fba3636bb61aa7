"""Long-stay labour mobility counted as the UN counts it (issue 8 item 4): a worker of a scheme
away 12 months or more (the Pacific Labour Scheme, PALM's long-term stream) leaves its household
and the residents, is counted once as a departure and once as an arrival when back, and is not
counted again if it settles abroad; a short season's worker stays a resident. Households and
people are conserved and the residents' account closes in a run with long stays that end."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world
from helpers import check_accounts

from hsmobility.config.schemas import Setting
from hsmobility.model import MobilityModel
from hsmobility.phases.economy import emigrant_remittance
from hsmobility.phases.pathways import is_long_stay, seasonal
from hsmobility.phases.returns import settle_seasonal
from hsmobility.world.households import Displacement, Status

LONG = {"name": "palm-long", "kind": "seasonal", "destination": "New Zealand",
        "quota_per_year": 30, "min_age": 18, "max_age": 55, "families": False,
        "months_away": 36, "earnings_per_season_usd": 24_000.0}  # fmt: skip
SHORT = {**LONG, "name": "rse", "months_away": 9, "earnings_per_season_usd": 6000.0}
#: every household with a worker applies in the hand-built world's first month
EAGER = {"decisions.seasonal_month": 1, "decisions.seasonal_apply_prob": 1.0}


def _world(path: dict, households: list[dict], settle: float = 0.0):
    setting = Setting.model_validate({**SETTING.model_dump(), "pathways": [path]})
    params = {**EAGER, "returns.seasonal_settle_prob_by_scheme": {path["name"]: settle}}
    return hand_built_world(households, setting=setting, params=params)


def test_a_scheme_away_twelve_months_or_more_is_long_stay() -> None:
    w = _world(LONG, [{"size": 2}])
    paths = w.policy.regime.pathways
    assert w.params.returns.usual_residence_months == 12
    assert is_long_stay(paths[0], w.params)
    assert not is_long_stay(paths[0].model_copy(update={"months_away": 11}), w.params)
    assert is_long_stay(paths[0].model_copy(update={"months_away": 12}), w.params)


def test_a_long_stay_worker_leaves_its_household_and_is_counted_once_as_a_departure() -> None:
    # 20 households of four with two adults, 20 households of one: 30 places
    w = _world(LONG, [{"size": 4, "adults": 2, "head_age": 30}] * 20 + [{"size": 1}] * 20)
    hh = w.households
    people = int(hh.size.sum())
    recruited = seasonal(w)
    assert len(recruited) == 20  # only households with someone to stay: places left over
    assert (recruited < 20).all()
    assert (hh.size[:20] == 3).all() and (hh.adults[:20] == 1).all()
    assert (hh.size[20:] == 1).all()
    assert (hh.seasonal_left[:20] == 36).all()
    assert w.counts["people_left_setting"] == 20
    assert w.counts["long_stay_departures"] == 20
    assert int(hh.size.sum()) == people - 20  # away: in no household
    # the stay goes on: no second departure, the pay comes home each month
    assert w.counts["seasonal_recruited"] == 20


def test_a_short_season_worker_stays_a_resident() -> None:
    w = _world(SHORT, [{"size": 4, "adults": 2, "head_age": 30}] * 20)
    hh = w.households
    recruited = seasonal(w)
    assert len(recruited) == 20
    assert (hh.size == 4).all()
    assert w.counts["people_left_setting"] == 0
    assert w.counts["long_stay_departures"] == 0


def test_a_long_stay_worker_back_is_counted_as_an_arrival_and_rejoins_the_household() -> None:
    w = _world(LONG, [{"size": 4, "adults": 2, "head_age": 30}] * 10)
    hh = w.households
    seasonal(w)
    hh.seasonal_left[:] = 0  # the stay ended this month
    hh.status[9] = Status.ABROAD  # this household emigrated meanwhile: the worker joins it there
    hh.island[9] = -1
    new = settle_seasonal(w)
    assert len(new) == 0
    assert (hh.size == 4).all() and (hh.adults == 2).all()
    assert (hh.seasonal_scheme == -1).all()
    assert w.counts["long_stay_returns"] == 10
    assert w.counts["people_returned_from_abroad"] == 9  # only those back in the setting
    assert w.counts["people_left_setting"] == 10  # the departures, once


def test_a_long_stay_worker_who_settles_abroad_is_not_counted_again() -> None:
    w = _world(LONG, [{"size": 4, "adults": 2, "head_age": 30, "income": 12_000.0}] * 5, 1.0)
    hh = w.households
    seasonal(w)
    people = int(hh.size.sum())
    hh.seasonal_left[:] = 0
    new = settle_seasonal(w)
    assert len(new) == 5
    assert (hh.status[new] == Status.ABROAD).all() and (hh.size[new] == 1).all()
    assert (hh.parent[new] == np.arange(5)).all()
    assert (hh.size[:5] == 3).all()  # the worker does not come back
    assert int(hh.size.sum()) == people + 5  # it is a household abroad now
    assert w.counts["people_left_setting"] == 5  # counted when it left, not again
    assert w.counts["people_returned_from_abroad"] == 0
    assert w.counts["seasonal_settled"] == 5
    # the settler sends what one emigrant to its destination sends (its earnings there)
    sends = emigrant_remittance(w, hh.destination[new[0]], 1.0)
    assert sends > 0
    assert hh.remit_kin_usd[0] == pytest.approx(float(sends))


def test_a_long_stay_worker_of_a_household_that_emigrated_ends_its_stay_and_joins_it() -> None:
    """The economy counts down only residents' workers; the return phase counts down the stay of
    a worker whose household has left, who then joins it abroad, uncounted."""
    w = _world(LONG, [{"size": 3, "adults": 2, "head_age": 30}] * 2)
    hh = w.households
    seasonal(w)
    hh.seasonal_left[:] = 2
    hh.status[0], hh.island[0] = Status.ABROAD, -1
    settle_seasonal(w)
    assert list(hh.seasonal_left) == [1, 2]  # the resident's is the economy's to count down
    settle_seasonal(w)
    assert hh.seasonal_left[0] == 0 and hh.seasonal_scheme[0] == -1 and hh.size[0] == 3
    assert hh.size[1] == 2 and hh.seasonal_scheme[1] >= 0
    assert w.counts["long_stay_returns"] == 1
    assert w.counts["people_returned_from_abroad"] == 0


def test_a_long_stay_worker_of_a_household_displaced_abroad_does_not_count_as_back() -> None:
    w = _world(LONG, [{"size": 3, "adults": 2, "head_age": 30}])
    hh = w.households
    seasonal(w)
    hh.seasonal_left[0] = 0
    hh.status[0], hh.displacement[0] = Status.DISPLACED, Displacement.ABROAD
    settle_seasonal(w)
    assert hh.size[0] == 3
    assert w.counts["people_returned_from_abroad"] == 0


@pytest.fixture(scope="module")
def tuvalu_run():
    """Tuvalu from 2018 for five years: long stays start in September 2018 and 2019 (the Pacific
    Labour Scheme from July 2018) and end three years later."""
    model = MobilityModel("tuvalu", years=5, seed=1, start_year=2018)
    model.run()
    return model


def test_long_stays_in_a_run_leave_and_come_back_and_the_accounts_close(tuvalu_run) -> None:
    m = tuvalu_run.monthly()
    left, back = m["long_stay_departures"].sum(), m["long_stay_returns"].sum()
    assert left > 0 and back > 0
    palm_long = next(p for p in tuvalu_run.setting.pathways if p.name == "palm-long")
    # the places bind: the scheme recruits its sourced yearly places in September 2018-2022
    by_year = m[m["long_stay_departures"] > 0].groupby("year")["long_stay_departures"].sum()
    assert list(by_year.index) == [2018, 2019, 2020, 2021, 2022]
    assert (by_year == palm_long.quota_per_year).all()
    # the first two years' workers came back three years on, less those who settled abroad
    assert back <= 2 * palm_long.quota_per_year
    assert m.loc[m["long_stay_returns"] > 0, "year"].min() == 2021
    check_accounts(tuvalu_run)
    # every worker who left is back, settled abroad (a household of one whose parent it left),
    # or still away (one to a household)
    hh = tuvalu_run.households
    k = tuvalu_run.world.policy.pathway_names.index("palm-long")
    settled = int(np.sum((hh.pathway_used == k) & (hh.parent >= 0)))
    still_away = int(np.sum(hh.seasonal_scheme == k))
    assert still_away > 0
    assert left - back - settled == still_away
    assert m["long_stay_workers_away"].iloc[-1] == still_away * tuvalu_run.scale
    # the stock of workers away is departures less returns, less those who settled abroad
    left_less_back = m["long_stay_departures"].cumsum() - m["long_stay_returns"].cumsum()
    assert (m["long_stay_workers_away"] <= left_less_back).all()
