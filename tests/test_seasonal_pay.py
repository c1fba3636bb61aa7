"""Seasonal workers' pay as the sources say it reaches home (issue 8, eighth session): a share
of the season's earnings sent month by month while away, the rest saved abroad and brought home
when the season ends; a worker who settles abroad keeps its savings there. The whole season's
earnings count among the setting's remittances (the balance of payments counts both), and the
setting files' recruits follow the sourced counts by season."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Pathway, Setting
from hsmobility.model import MobilityModel
from hsmobility.phases.economy import income_and_savings
from hsmobility.phases.impacts import Hit
from hsmobility.phases.pathways import seasonal
from hsmobility.phases.returns import settle_seasonal
from hsmobility.world.hazards import MonthHazards

RSE = {"name": "rse", "kind": "seasonal", "destination": "New Zealand",
       "quota_per_year": 10, "min_age": 18, "max_age": 55, "families": False,
       "months_away": 4, "earnings_per_season_usd": 8000.0, "remitted_share": 0.25}  # fmt: skip
LONG = {**RSE, "name": "palm-long", "months_away": 24, "earnings_per_season_usd": 24_000.0}
EAGER = {"decisions.seasonal_month": 1, "decisions.seasonal_apply_prob": 1.0}
WORKER = {"size": 4, "adults": 2, "head_age": 30, "savings": 0.0}


def _world(path: dict, n: int, settle: float = 0.0):
    setting = Setting.model_validate({**SETTING.model_dump(), "pathways": [path]})
    params = {**EAGER, "returns.seasonal_settle_prob_by_scheme": {path["name"]: settle}}
    return hand_built_world([WORKER] * n, setting=setting, params=params)


def _calm(w) -> tuple[MonthHazards, Hit]:
    n_isl = len(w.setting.islands)
    month = MonthHazards(wind_ms=np.zeros(n_isl), king_tide=np.zeros(n_isl, bool), drought=False)
    n = w.households.n
    return month, Hit(np.zeros(n, np.float32), np.zeros(n, bool), np.zeros(0, np.int64))


def _season(w, months: int) -> list[float]:
    """Runs the economy and the season's end ``months`` times; the seasonal remittances of
    each month."""
    sent = []
    for _ in range(months):
        w.begin_month()
        income_and_savings(w, *_calm(w))
        settle_seasonal(w)
        sent.append(w.counts["remittances_seasonal_usd"])
        w.end_month()
    return sent


def test_the_remitted_share_is_sent_monthly_and_the_rest_comes_home_at_the_end() -> None:
    w = _world(RSE, 10)
    hh = w.households
    assert len(seasonal(w)) == 10
    assert hh.seasonal_pay[0] == pytest.approx(8000.0 * 0.25 / 4)
    assert hh.seasonal_saved[0] == pytest.approx(8000.0 * 0.75)
    sent = _season(w, 5)
    # four months of remitted pay (500 a worker), then the savings at the end of the fourth
    assert sent[:3] == pytest.approx([10 * 500.0] * 3)
    assert sent[3] == pytest.approx(10 * (500.0 + 6000.0))
    assert sent[4] == 0.0
    assert sum(sent) == pytest.approx(10 * 8000.0)  # the whole season's earnings
    assert w.totals["seasonal_savings_home_usd"] == pytest.approx(10 * 6000.0)
    assert (hh.seasonal_saved == 0.0).all() and (hh.seasonal_scheme == -1).all()
    # the savings are the household's: what it has is what it was sent and brought, less
    # what it spent and paid out of them (never more than it received)
    assert (hh.savings[:10] > 6000.0 * 0.5).all()


def test_without_a_share_the_whole_season_is_sent_month_by_month_as_before() -> None:
    path = {k: v for k, v in RSE.items() if k != "remitted_share"}
    assert Pathway.model_validate(path).remitted_share == 1.0
    w = _world(path, 10)
    seasonal(w)
    assert w.households.seasonal_pay[0] == pytest.approx(2000.0)
    assert (w.households.seasonal_saved == 0.0).all()
    sent = _season(w, 5)
    assert sent == pytest.approx([20_000.0] * 4 + [0.0])
    assert w.totals["seasonal_savings_home_usd"] == 0.0


def test_a_worker_who_settles_abroad_keeps_its_savings_there() -> None:
    w = _world(RSE, 10, settle=1.0)
    seasonal(w)
    sent = _season(w, 4)
    assert sum(sent) == pytest.approx(10 * 2000.0)  # only what was sent during the season
    assert w.totals["seasonal_savings_home_usd"] == 0.0
    assert w.totals["seasonal_settled"] == 10
    assert (w.households.seasonal_saved == 0.0).all()


def test_a_long_stay_worker_brings_its_savings_when_it_rejoins_the_household() -> None:
    w = _world(LONG, 5)
    seasonal(w)
    hh = w.households
    assert (hh.size[:5] == 3).all()
    sent = _season(w, 24)
    assert sent[-1] == pytest.approx(5 * (250.0 + 18_000.0))
    assert sum(sent) == pytest.approx(5 * 24_000.0)
    assert (hh.size[:5] == 4).all()


def test_a_bad_remitted_share_gives_one_clear_error() -> None:
    with pytest.raises(ValueError, match="remitted_share"):
        Pathway.model_validate({**RSE, "remitted_share": 1.5})


#: Vanuatu's sourced short-season workers (RSE + SWP/PALM short stream) by season: 2017-18
#: about 7,000 (Bailey & Rereman 2019), 2018-19 10,000 (Devpolicy 2020), 2022-23 16,562
#: visas less just under 1,000 long-term (Devpolicy 2023)
_VANUATU_COUNTS = {2017: 7000, 2018: 10_000, 2022: 15_562}


@pytest.mark.parametrize(("year", "workers"), sorted(_VANUATU_COUNTS.items()))
def test_vanuatus_recruits_follow_the_sourced_counts(year: int, workers: int) -> None:
    paths = {p.name: p for p in load_setting("vanuatu").pathways}
    places = paths["rse"].quota_in(year) + paths["palm"].quota_in(year)
    assert places == pytest.approx(workers, rel=0.01)


def test_a_run_recruits_vanuatus_places_and_counts_their_savings_home() -> None:
    """Two years of Vanuatu at scale 20: the September recruits are the season's places, and
    the savings brought home are the files' unremitted share of the pay of those back."""
    m = MobilityModel("vanuatu", years=2, seed=1, scale=20, island_table=False).run()
    totals = m.world.totals
    paths = {p.name: p for p in m.world.policy.regime.pathways}
    years = sorted({int(y) for y in m.world.hazards.year})
    assert len(years) == 2
    places = sum(paths[k].quota_in(y) for k in ("rse", "palm", "palm-long") for y in years)
    assert totals["seasonal_recruited"] * 20 == pytest.approx(places, rel=0.05)
    # the RSE's and PALM's first recruits are back in the second year, with their savings
    assert totals["seasonal_savings_home_usd"] > 0
    assert totals["seasonal_savings_home_usd"] < totals["remittances_seasonal_usd"]
