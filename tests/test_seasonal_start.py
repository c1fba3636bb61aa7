"""Runs that start mid-season (issue 8, ninth session): the seasonal workers a scheme has away
in the start month are already away when the run starts, with the months of their season still
to come, so that their pay arrives from the first month and their savings come home when their
season ends, as in any later year; the people accounts close with them."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import check_accounts

from hsmobility.config.schemas import Pathway
from hsmobility.model import MobilityModel
from hsmobility.phases.pathways import months_left_at_start

RSE = Pathway.model_validate(
    {"name": "rse", "kind": "seasonal", "destination": "New Zealand", "quota_per_year": 10,
     "months_away": 7, "earnings_per_season_usd": 7000.0, "remitted_share": 0.4}
)  # fmt: skip
LONG = RSE.model_copy(update={"name": "palm-long", "months_away": 36})


@pytest.mark.parametrize(
    ("path", "recruited", "start", "left"),
    [
        (RSE, (2024, 9), (2025, 1), 4),  # paid Oct-Dec before the run; Jan-Apr to come
        (RSE, (2024, 9), (2025, 4), 1),  # April is its last month
        (RSE, (2024, 9), (2025, 5), 0),  # home since the end of April
        (RSE, (2025, 9), (2025, 9), 0),  # recruited in the start month: the run recruits it
        (RSE, (2025, 9), (2025, 10), 7),  # recruited the month before: the whole season to come
        (LONG, (2022, 9), (2025, 1), 9),  # 27 months paid, 9 to come
        (LONG, (2021, 9), (2025, 1), 0),  # back in September 2024
    ],
)
def test_the_months_left_at_the_start_are_the_season_not_yet_paid(
    path: Pathway, recruited: tuple[int, int], start: tuple[int, int], left: int
) -> None:
    assert months_left_at_start(path, *recruited, *start) == left


@pytest.fixture(scope="module")
def tonga_january() -> MobilityModel:
    """Tonga from January 2025 at one agent for 20 households, before its first step."""
    return MobilityModel("tonga", years=1, seed=3, scale=20, island_table=False)


def _by_scheme(model: MobilityModel) -> dict[str, np.ndarray]:
    hh = model.world.households
    names = model.world.policy.pathway_names
    return {name: hh.seasonal_left[hh.seasonal_scheme == k] for k, name in enumerate(names)}


def test_a_january_start_has_the_seasons_workers_away(tonga_january: MobilityModel) -> None:
    paths = {p.name: p for p in tonga_january.world.policy.regime.pathways}
    away = _by_scheme(tonga_january)
    # the September 2024 recruits of the RSE (7 months) and PALM (6 months): their places,
    # with the months after December still to come
    for name, left in (("rse", 4), ("palm", 3)):
        assert len(away[name]) * 20 == pytest.approx(paths[name].quota_in(2024), abs=20)
        assert (away[name] == left).all()
    # the long-term stream's last three intakes (September 2022, 2023, 2024), 9, 21, 33 left
    long = away["palm-long"]
    assert sorted(set(long.tolist())) == [9, 21, 33]
    per_intake = paths["palm-long"].quota_per_year / 20
    assert len(long) == pytest.approx(3 * per_intake, abs=3)


def test_their_pay_arrives_from_the_first_month_and_their_savings_at_the_seasons_end() -> None:
    m = MobilityModel("tonga", years=1, seed=3, scale=20, island_table=False)
    hh = m.world.households
    away = hh.seasonal_left > 0
    pay = float(hh.seasonal_pay[away].sum())
    rse = m.world.policy.pathway_names.index("rse")
    rse_saved = float(hh.seasonal_saved[hh.seasonal_scheme == rse].sum())
    m.step()
    counts = m.world.counts
    assert counts["seasonal_workers_away"] == int(away.sum()) > 0
    assert counts["remittances_seasonal_usd"] == pytest.approx(pay, rel=1e-6)
    assert counts["seasonal_recruited"] == 0  # recruited before the record
    for _ in range(3):
        m.step()
    # the RSE's season ends in April: its workers bring home what they saved
    assert rse_saved > 0
    home = m.world.counts["seasonal_savings_home_usd"]
    settled = m.world.counts["seasonal_settled"]
    assert home == pytest.approx(rse_saved, rel=0.1 + settled / 10)
    assert (hh.seasonal_scheme != rse).all()


def test_a_start_between_seasons_has_only_the_long_stays_away() -> None:
    # July: the RSE's September recruits came home in April, PALM's in June
    m = MobilityModel("tonga", years=1, seed=3, scale=20, start_month=7, island_table=False)
    away = _by_scheme(m)
    assert len(away["rse"]) == len(away["palm"]) == 0
    assert sorted(set(away["palm-long"].tolist())) == [3, 15, 27]


def test_the_start_is_the_same_under_every_regime() -> None:
    """The seasons before the run are the setting's: a regime that expands the schemes
    recruits more from its first season on, not before."""
    base = MobilityModel("tonga", years=1, seed=3, scale=20, island_table=False)
    more = MobilityModel("tonga", years=1, seed=3, scale=20, island_table=False,
                         regime="integrated-human-security")  # fmt: skip
    for k, v in _by_scheme(base).items():
        np.testing.assert_array_equal(v, _by_scheme(more)[k])
    assert base.population_start == more.population_start


def test_people_are_conserved_with_the_workers_away_at_the_start() -> None:
    m = MobilityModel("tonga", years=2, seed=3, scale=20, island_table=False)
    hh = m.world.households
    long = m.world.policy.pathway_names.index("palm-long")
    out = int((hh.seasonal_scheme == long).sum())
    assert out > 0
    m.run()
    check_accounts(m)  # residents change by births, deaths, departures and returns only
    totals = m.world.totals
    # the intake that left in September 2022 is back in September 2025, counted as a return
    assert totals["long_stay_returns"] >= out / 3 - 3
