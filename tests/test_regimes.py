"""Policy regimes change what households can do, and the model responds as it should.

Each statement is checked on several seeds (common random numbers: every regime sees the same
storms on a seed), with the tolerance stated in the test.
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

import numpy as np
import pytest

from hsmobility.cli import main
from hsmobility.config.regimes import available_regimes
from hsmobility.config.schemas import Scenario
from hsmobility.model import MobilityModel
from hsmobility.run import run_scenario
from hsmobility.world.households import Band, Status

SEEDS = (1, 2, 3, 4)
YEARS = 15


@cache
def summary(setting: str, regime: str, seed: int, years: int = YEARS, ssp: str = "SSP2-4.5"):
    return run_scenario(setting, regime=regime, seed=seed, years=years, ssp=ssp).summary


def across_seeds(regime: str, key: str, setting: str = "tuvalu") -> np.ndarray:
    return np.array([summary(setting, regime, s)[key] for s in SEEDS], dtype=float)


def test_every_regime_ships_as_a_file() -> None:
    assert set(available_regimes()) == {
        "status-quo", "free-movement", "expanded-quotas", "humanitarian-visa",
        "planned-relocation", "adaptation-first", "integrated-human-security",
    }  # fmt: skip


def test_the_same_seed_gives_the_same_storms_under_every_regime() -> None:
    for seed in SEEDS[:2]:
        prints = {summary("tuvalu", r, seed)["hazard_fingerprint"] for r in available_regimes()}
        assert len(prints) == 1


def test_a_larger_quota_moves_more_through_the_ballot_and_traps_fewer() -> None:
    def ballot_moves(regime: str) -> np.ndarray:
        return np.array(
            [
                sum(v for k, v in summary("tuvalu", regime, s)["moves_by_pathway"].items()
                    if k in ("pac-nz", "falepili"))
                for s in SEEDS
            ]
        )  # fmt: skip

    sq, big = ballot_moves("status-quo"), ballot_moves("expanded-quotas")
    assert (big > sq).all(), (sq, big)
    assert big.sum() > 1.5 * sq.sum()

    # fewer households trapped or queued (issue 10: a household registered in the ballot is
    # queued, not trapped); the trapped *share* need not fall, since those the ballot carries
    # away leave the denominator and those left are the ones it cannot reach (age, money)
    def stuck(regime: str) -> np.ndarray:
        return across_seeds(regime, "trapped_households_end") + across_seeds(
            regime, "queued_households_end"
        )

    assert stuck("expanded-quotas").mean() < stuck("status-quo").mean()


def _by_pathways(regime: str) -> np.ndarray:
    """Households that emigrated by the regime's pathways (the regular channels, in force under
    every regime, left out)."""
    runs = [summary("tuvalu", regime, s) for s in SEEDS]
    return np.array([r["moves_abroad"] - sum(r["moves_by_channel"].values()) for r in runs], float)


def test_free_movement_brings_more_emigration_than_ballots() -> None:
    sq = _by_pathways("status-quo")
    free = _by_pathways("free-movement")
    # about twice (1.96-2.37 on these seeds): the channels' emigrants spread ties, so more of
    # the status quo's households wish for and take the ballots than before the channels
    # with issue 9's storm climate 1.65-2.18 per seed: about twice in all, at least 1.5 each
    assert free.sum() > 1.8 * sq.sum() and (free > 1.5 * sq).all(), (sq, free)
    assert (across_seeds("free-movement", "moves_abroad")
            > across_seeds("status-quo", "moves_abroad")).all()  # fmt: skip
    assert (across_seeds("free-movement", "population_end")
            < across_seeds("status-quo", "population_end")).all()  # fmt: skip


def test_adaptation_first_lowers_displacement() -> None:
    sq = across_seeds("status-quo", "displaced_person_months")
    ad = across_seeds("adaptation-first", "displaced_person_months")
    assert ad.sum() < 0.9 * sq.sum(), (sq, ad)
    assert (ad <= sq).sum() >= 3
    # early warning: nobody rides out a storm in a wrecked home
    assert (
        across_seeds("adaptation-first", "people_at_risk_in_storm").sum()
        < across_seeds("status-quo", "people_at_risk_in_storm").sum()
    )


def _low_band_share(regime: str, seed: int) -> tuple[float, int, int]:
    # overwash (issue 9, slow onset) all but off and no burn-in: overwash would empty the
    # low-lying band before the programme reaches it, and this test is about what relocation does
    model = MobilityModel("tuvalu", regime=regime, seed=seed, years=30, ssp="SSP5-8.5",
                          params={"sea_level.lens_recovery_months": 0.0,
                                  "decisions.burn_in_months": 0}).run()  # fmt: skip
    hh = model.households
    home = hh.status != Status.ABROAD
    relocated = int((hh.status == Status.RELOCATED).sum())
    return float(np.mean(hh.band[home] == Band.LOW)), relocated, int(home.sum())


def test_planned_relocation_moves_households_off_the_most_exposed_land() -> None:
    """Relocated households leave the low-lying band: pooled over seeds, its share falls by at
    least half of what the relocations alone would take off it (other moves and new households
    blur the rest, and single seeds are noisy: 0.23 to 0.63 of it on seeds 3-6 before the
    seventh session)."""
    # seeds 3, 4, 6, 7: on seeds 1 and 2 no storm shakes the low-lying band enough to start the
    # programme within 30 years since storms strike exposure points (issue 9), nor on seed 5
    # since Tuvalu's hurricane share follows IBTrACS (0.27; seventh session: 847, 406, 0, 13,
    # 28 relocated on seeds 3-7)
    # (when the programme starts depends on which storm first shakes the band; pooled over seeds)
    fell = taken = 0.0
    relocated = []
    for seed in (3, 4, 6, 7):
        low_sq, reloc_sq, _ = _low_band_share("status-quo", seed)
        low_pr, reloc_pr, home = _low_band_share("planned-relocation", seed)
        assert reloc_sq == 0 and reloc_pr > 0, (seed, reloc_sq, reloc_pr)
        relocated.append(reloc_pr)
        fell += low_sq - low_pr
        taken += reloc_pr / home
    assert sum(relocated) > 80, relocated
    assert fell > 0.5 * taken, (fell, taken, relocated)


def test_humanitarian_visas_raise_moves_abroad_only_after_disasters() -> None:
    """Identical runs until a storm displaces enough to open the visa; then more households
    leave in the year the visa is open (summed over seeds: after the divergence the two runs'
    draws differ, so single seeds are noisy)."""
    after_sq = after_hv = 0
    for seed in SEEDS:
        sq = run_scenario("tuvalu", regime="status-quo", seed=seed, years=YEARS)
        hv = run_scenario("tuvalu", regime="humanitarian-visa", seed=seed, years=YEARS)
        opened = [e for e in hv.events if "humanitarian visas open" in e]
        via_visa = hv.summary["moves_by_pathway"].get("humanitarian-visa", 0)
        if not opened:
            # no disaster big enough: the two regimes are the same run
            assert via_visa == 0
            assert sq.monthly.equals(hv.monthly)
            continue
        assert via_visa > 0
        # until the first disaster that opens the visa the runs are identical, month by month
        # (but for the count of visa openings, in the disaster's month); smaller displacements
        # may come before it
        first = hv.monthly.index[hv.monthly["humanitarian_visa_openings"] > 0][0]
        same = hv.monthly.columns.drop("humanitarian_visa_openings")
        assert sq.monthly[same].iloc[: first + 1].equals(hv.monthly[same].iloc[: first + 1])
        assert hv.monthly["humanitarian_visa_openings"].iloc[: first + 1].sum() >= 1
        window = slice(first + 1, first + 13)
        after_sq += sq.monthly["moves_abroad"].iloc[window].sum()
        after_hv += hv.monthly["moves_abroad"].iloc[window].sum()
    assert after_sq + after_hv > 0, "no seed had a disaster: the test would prove nothing"
    assert after_hv > after_sq, (after_sq, after_hv)


@pytest.mark.parametrize("setting", ["tuvalu", "kiribati"])
def test_ballots_are_oversubscribed_several_times_over(setting: str) -> None:
    """FACTS: Tuvalu 334 registrations for 75 PAC places, Kiribati 1,185 for 75."""
    ratio = summary(setting, "status-quo", 1, years=5)["ballot_oversubscription_by_pathway"]
    assert ratio["pac-nz"] >= 3.0, ratio
    if setting == "kiribati":
        assert (
            ratio["pac-nz"]
            > summary("tuvalu", "status-quo", 1, years=5)["ballot_oversubscription_by_pathway"][
                "pac-nz"
            ]
        )


def test_free_movement_empties_the_marshall_islands_while_kiribati_grows() -> None:
    """FACTS stylised fact 3: Marshall Islands -20% in 2011-21 under the Compact; Kiribati grew."""
    changes = []
    for seed in SEEDS[:2]:
        rmi = run_scenario("marshall-islands", seed=seed, years=10, start_year=2011).summary
        changes.append(rmi["population_end"] / rmi["population_start"] - 1)
        kir = run_scenario("kiribati", seed=seed, years=10, start_year=2011, scale=5).summary
        assert kir["population_end"] > kir["population_start"]
    assert -0.32 < np.mean(changes) < -0.10, changes


def test_the_poorest_are_more_often_trapped_than_the_richest() -> None:
    s = summary("tuvalu", "status-quo", 1)
    by = s["trapped_share_by_group"]
    assert set(by) >= {f"quintile_{q}" for q in range(1, 6)} | {
        "female_headed", "elderly_headed", "disability"
    }  # fmt: skip
    assert by["quintile_1"] > by["quintile_5"] + 0.1, by
    assert set(s["displaced_person_months_by_group"]) == set(by)


def test_every_regime_runs_from_the_command_line(tmp_path, capsys) -> None:
    for regime in available_regimes():
        assert main(["run", "tuvalu", "--regime", regime, "--years", "2", "--json",
                     "--out", str(tmp_path / regime)]) == 0  # fmt: skip
        out = json.loads(capsys.readouterr().out)
        assert out["regime"] == regime
        for key in ("moves_abroad", "moves_internal", "relocated_households", "trapped_share",
                    "forced_move_share", "ballot_oversubscription", "remittances_total",
                    "poverty_rate_end", "moves_by_pathway", "trapped_share_by_group",
                    "displaced_person_months_by_group"):  # fmt: skip
            assert key in out, key


def test_a_regime_that_does_not_apply_says_so_in_one_line() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "hsmobility",
            "run",
            "marshall-islands",
            "--regime",
            "free-movement",
            "--years",
            "1",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "does not apply to marshall-islands" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("ballots.quota=3", "ballots.quota: unknown parameter of lever ballots"),
        ("ballots.quota_multiplier=-1", "ballots.quota_multiplier"),
        ("nosuch.thing=1", "nosuch.thing: unknown parameter"),
        ("humanitarian.enabled=maybe", "humanitarian.enabled"),
    ],
)
def test_bad_lever_overrides_are_refused_with_one_clear_line(setting, expected, capsys) -> None:
    assert main(["run", "tuvalu", "--years", "1", "--set", setting]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and expected in err[0], err


def test_a_lever_override_changes_the_run() -> None:
    base = summary("tuvalu", "status-quo", 1)
    more = run_scenario("tuvalu", seed=1, years=YEARS, levers={"ballots.quota_multiplier": 10})
    assert more.summary["moves_abroad"] > base["moves_abroad"]


def test_a_regime_says_which_of_its_triggers_never_fired_and_what_it_did() -> None:
    """Humanitarian visas that no storm opens are named in the summary, not left to look like
    a result; a storm that displaces enough of an island opens them and says so."""
    calm = run_scenario(
        Scenario(setting="tuvalu", regime="humanitarian-visa", years=1, seed=1,
                 stochastic_cyclones=False)
    ).summary  # fmt: skip
    assert any(t.startswith("humanitarian visas") for t in calm["triggers_never_fired"])
    assert calm["regime_activity"]["humanitarian_visa_openings"] == 0
    storm = run_scenario(
        Scenario(setting="tuvalu", regime="humanitarian-visa", years=1, seed=1,
                 stochastic_cyclones=False,
                 events=[dict(name="X", date="2025-02", category=5, island="Nui")])
    ).summary  # fmt: skip
    assert not any(t.startswith("humanitarian visas") for t in storm["triggers_never_fired"])
    assert storm["regime_activity"]["humanitarian_visa_openings"] >= 1
    status_quo = run_scenario(Scenario(setting="tuvalu", years=1, seed=1)).summary
    assert status_quo["triggers_never_fired"] == []
