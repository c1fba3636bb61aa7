"""Shared runs for the hsmobility test suite.

Expensive runs are session-scoped fixtures, built once and read by many tests. Every run is
short (a few years, small settings, or ``scale=`` for the large ones) so that the whole suite
stays well under five minutes on two cores. Helpers live in ``helpers.py`` beside this file.
"""

from __future__ import annotations

import numpy as np
import pytest
from helpers import HOUSED, SCENARIOS, step_checking

from hsmobility.config.schemas import Scenario
from hsmobility.model import MobilityModel
from hsmobility.run import RunResult, run_scenario
from hsmobility.world.households import Band


@pytest.fixture(scope="session")
def irma() -> RunResult:
    """Hindcast: Irma over Barbuda, September 2017 (scenarios/barbuda-irma-2017.toml)."""
    return run_scenario(SCENARIOS / "barbuda-irma-2017.toml")


@pytest.fixture(scope="session")
def winston() -> RunResult:
    """Hindcast: Winston over Fiji, February 2016 (scenarios/fiji-winston-2016.toml)."""
    return run_scenario(SCENARIOS / "fiji-winston-2016.toml")


@pytest.fixture(scope="session")
def pam() -> RunResult:
    """Hindcast: Pam over Vanuatu, March 2015 (scenarios/vanuatu-pam-2015.toml)."""
    return run_scenario(SCENARIOS / "vanuatu-pam-2015.toml")


@pytest.fixture(scope="session")
def stormy_vanuatu() -> dict:
    """Vanuatu, ten years of seasonal storms (one agent = 20 households), checked monthly."""
    return step_checking(MobilityModel("vanuatu", years=10, seed=1, scale=20))


@pytest.fixture(scope="session")
def scripted_tuvalu() -> dict:
    """Tuvalu, three years of scripted storms only: a second storm strikes while the first one's
    displaced are still away, and a third strikes a year later along a straight track."""
    scenario = Scenario(
        setting="tuvalu",
        years=3,
        seed=4,
        stochastic_cyclones=False,
        events=[
            dict(name="A", date="2025-02", category=5, island="Funafuti"),
            dict(name="B", date="2025-03", category=4, island="Nui", distance_km=15),
            dict(name="C", date="2026-01", category=5, island="Funafuti", distance_km=10,
                 heading_deg=200),
            dict(name="D", date="2027-02", category=3, island="Vaitupu"),
        ],
    )  # fmt: skip
    return step_checking(MobilityModel(scenario))


@pytest.fixture(scope="session")
def tuvalu_to_2100() -> dict:
    """Tuvalu under SSP5-8.5 from 2025 to 2100, stepped month by month.

    Records, for every month after an island's low-lying band is lost to the sea, how many
    housed households still live in that band on that island (other than those behind coastal
    protection that the sea has not yet overtopped).
    """
    model = MobilityModel("tuvalu", ssp="SSP5-8.5", years=76, seed=1)
    first_inundated: dict[int, int] = {}
    lowlying_left: list[tuple[int, str, int]] = []
    while model.running:
        model.step()
        hh = model.households
        land = model.world.land
        behind_works = land.inundated_behind_works
        for i in np.flatnonzero(land.inundated):
            first_inundated.setdefault(int(i), model.month_index)
            covered = hh.protected & ~behind_works[i] if hasattr(hh, "protected") else False
            lowlying = (hh.island == i) & (hh.band == Band.LOW) & np.isin(hh.status, HOUSED)
            n = int(np.sum(lowlying & ~covered))
            if n:
                lowlying_left.append((model.month_index, model.setting.islands[i].name, n))
    return {
        "model": model,
        "monthly": model.monthly().reset_index(drop=True),
        "first_inundated": first_inundated,
        "lowlying_left": lowlying_left,
    }
