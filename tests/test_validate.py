"""`hsmobility validate`: every calibration target of FACTS.md is met within its stated range."""

from __future__ import annotations

import argparse

import pytest

from hsmobility.cli import parse_seeds
from hsmobility.validate import TARGETS, format_table, validate


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return validate(seed=1)


def test_every_target_is_measured(rows) -> None:
    assert len(rows) == len(TARGETS) >= 10
    assert "total error score" in format_table(rows)


def test_calibration_targets_hold_within_tolerance(rows) -> None:
    """Each fitted target within its range, give or take a fifth of the range's scale
    (stochastic runs), and their total error score below 0.3. Out-of-sample targets are
    predictions, reported in docs/validation.md (tests/test_livelihoods.py bounds them)."""
    fitted = [r for r in rows if r["fitted"]]
    misses = [(r["target"], r["simulated"]) for r in fitted if r["error"] > 0.2]
    assert not misses, misses
    assert sum(r["error"] for r in fitted) < 0.3, format_table(rows)


def test_the_error_score_is_zero_inside_the_range_and_grows_outside() -> None:
    t = TARGETS[0]
    assert t.score((t.low + t.high) / 2) == 0.0
    assert 0 < t.score(t.low - 0.1) < t.score(t.low - 0.5)


def test_several_seeds_give_the_mean_the_spread_and_the_same_values_in_worker_processes() -> None:
    """The verdict is on the mean over seeds; each seed's value is kept, and running the seeds in
    worker processes changes nothing (every run draws from its own seed's streams)."""
    only = "Barbuda back 3 months"
    alone = [validate(seed=s, only=only)[0]["simulated"] for s in (1, 2)]
    serial = validate(only=only, seeds=[1, 2], jobs=1)
    parallel = validate(only=only, seeds=[1, 2], jobs=2)
    assert serial == parallel
    (row,) = serial
    assert row["values"] == alone
    assert row["simulated"] == sum(alone) / 2
    assert row["in_range"] == sum(row["low"] <= v <= row["high"] for v in alone)
    table = format_table(serial)
    assert "seeds: min to max" in table and "mean over seeds 1, 2" in table


@pytest.mark.parametrize(("text", "seeds"), [("1-3", [1, 2, 3]), ("4", [4]), ("1,4,7", [1, 4, 7])])
def test_seeds_are_read_as_a_range_or_a_list(text, seeds) -> None:
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["x", "3-1", "1,1", "1-", ""])
def test_bad_seeds_are_refused_with_what_was_expected(text) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="range such as 1-3"):
        parse_seeds(text)
