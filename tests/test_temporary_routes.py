"""Temporary routes abroad (issue 8 item 4, eleventh session): students, temporary workers and
protection claimants, long-stay schemes whose share of stayers is the setting's own
(``Pathway.settle_prob``) and whose places no regime's quota lever scales
(``Pathway.lever_scaled``). Fiji's routes follow the sourced stocks of 2019."""

from __future__ import annotations

import numpy as np
import pytest
from handbuilt import SETTING, hand_built_world

from hsmobility.config.levers import Levers
from hsmobility.config.regimes import effective_pathways
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import Pathway, Setting
from hsmobility.phases.pathways import seasonal
from hsmobility.phases.returns import settle_seasonal

STUDY = {"name": "study", "kind": "seasonal", "destination": "New Zealand",
         "quota_per_year": 200, "min_age": 18, "max_age": 55, "families": False,
         "months_away": 30, "earnings_per_season_usd": 0.0}  # fmt: skip
EAGER = {"decisions.seasonal_month": 1, "decisions.seasonal_apply_prob": 1.0}


def _stayers(settle_prob: float | None, params_prob: float) -> int:
    """Workers of 200 households who settle abroad at the stay's end."""
    path = {**STUDY} if settle_prob is None else {**STUDY, "settle_prob": settle_prob}
    setting = Setting.model_validate({**SETTING.model_dump(), "pathways": [path]})
    params = {**EAGER, "returns.seasonal_settle_prob_by_scheme": {"study": params_prob}}
    w = hand_built_world([{"size": 4, "adults": 2, "head_age": 30}] * 200, setting=setting,
                         params=params)  # fmt: skip
    assert len(seasonal(w)) == 200
    w.households.seasonal_left[:] = 0  # every stay ends this month
    return len(settle_seasonal(w))


def test_a_schemes_own_settle_prob_overrides_the_parameters() -> None:
    assert _stayers(None, 0.0) == 0
    assert _stayers(None, 1.0) == 200
    assert _stayers(1.0, 0.0) == 200
    assert _stayers(0.0, 1.0) == 0
    # 0.3 of 200 within four binomial standard deviations
    assert abs(_stayers(0.3, 0.0) - 60) <= 4 * np.sqrt(200 * 0.3 * 0.7)


def test_the_seasonal_lever_does_not_scale_a_route_it_does_not_govern() -> None:
    fiji = load_setting("fiji")
    levers = Levers.model_validate({"seasonal": {"quota_multiplier": 3.0}})
    paths = {p.name: p for p in effective_pathways(fiji, levers)[0]}
    own = {p.name: p for p in fiji.pathways}
    assert paths["palm"].quota_per_year == 3 * own["palm"].quota_per_year
    for name in ("au-study-temp", "nz-study-temp", "nz-work-temp", "au-work-temp", "au-asylum"):
        assert paths[name].quota_per_year == own[name].quota_per_year


@pytest.mark.parametrize("field", [{"settle_prob": 0.2}, {"lever_scaled": False}])
def test_the_temporary_fields_belong_to_seasonal_schemes(field: dict) -> None:
    ballot = {"name": "pac", "kind": "ballot", "destination": "New Zealand", "quota_per_year": 5}
    with pytest.raises(ValueError, match=next(iter(field))):
        Pathway.model_validate({**ballot, **field})
    Pathway.model_validate({**STUDY, **field})


#: Fijian citizens on temporary visas at the end of 2019 (Howes & Liu, Devpolicy 2024)
STOCKS_2019 = {"au-study-temp": 668, "nz-study-temp": 1962, "au-work-temp": 713}


@pytest.mark.parametrize(("name", "stock"), sorted(STOCKS_2019.items()))
def test_fijis_places_hold_the_sourced_stock_away(name: str, stock: int) -> None:
    """A route's places a year x its years away is the stock of 2019, within 5 %."""
    path = next(p for p in load_setting("fiji").pathways if p.name == name)
    assert path.quota_in(2019) * path.months_away / 12 == pytest.approx(stock, rel=0.05)
