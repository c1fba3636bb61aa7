"""Golden outputs: five small scenarios with fixed seeds, recorded before the restructuring into
config/world/phases (commit e4e8ba7), must come out number for number the same.

A change that is meant to move numbers (a mechanism, a bug fix) regenerates the files with
``HSMOBILITY_WRITE_GOLDEN=1 pytest tests/test_golden.py`` and says in its commit which numbers
moved and why. New columns are allowed; every recorded column must match (floats to their
last bits, `_same`).
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hsmobility.config.schemas import Scenario
from hsmobility.run import RunResult, run_scenario

GOLDEN = Path(__file__).parent / "golden"
CASES = {
    "tuvalu-ihs": dict(setting="tuvalu", regime="integrated-human-security", years=4, seed=7,
                       events=[dict(name="G", date="2026-02", category=5, island="Nui")]),
    "tuvalu-sq": dict(setting="tuvalu", years=3, seed=2),
    "fiji-reloc": dict(setting="fiji", regime="planned-relocation", years=3, seed=3, scale=25,
                       events=[dict(name="W", date="2025-02", category=5, island="Lomaiviti")]),
    "vanuatu-hum": dict(setting="vanuatu", regime="humanitarian-visa", years=3, seed=5, scale=10,
                        events=[dict(name="P", date="2025-03", category=5, island="Efate")]),
    "dominica-adapt": dict(setting="dominica", regime="adaptation-first", years=3, seed=1),
}  # fmt: skip
TABLES = ("monthly", "groups", "islands")


def _as_written(df: pd.DataFrame) -> pd.DataFrame:
    """The table as it reads back from CSV (the form the golden files are kept in)."""
    return pd.read_csv(io.StringIO(df.to_csv(index=False)))


def _same(a: pd.Series, b: pd.Series) -> bool:
    """The same values: integers and text exactly, floats to 1e-12 relative (an integer column
    equals a float one holding the same numbers; missing equals missing).

    The tolerance covers only the last bits of a float: numpy's vectorised transcendental
    functions (exp, power) pick their SIMD path by the CPU, so the same code gives sea level
    and wind values that differ by ~1e-17 on another processor (an AMD EPYC machine against
    the one that recorded the files). Anything a model change moves differs by far more."""
    if a.dtype == object or b.dtype == object:
        return a.equals(b)
    if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
        close = np.isclose(a.to_numpy(float), b.to_numpy(float), rtol=1e-12, atol=1e-15)
        return bool((close | (a.isna() & b.isna())).all())
    return bool(((a == b) | (a.isna() & b.isna())).all())


def _same_value(a: object, b: object) -> bool:
    """One summary value against its recorded one: floats as `_same` compares them."""
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-12, atol=1e-15))
    return a == b


def _write(name: str, r: RunResult) -> None:
    for table in TABLES:
        getattr(r, table).to_csv(GOLDEN / f"{name}.{table}.csv", index=False)
    summary = json.dumps(r.summary, indent=1, sort_keys=True, default=str)
    (GOLDEN / f"{name}.summary.json").write_text(summary)
    (GOLDEN / f"{name}.events.txt").write_text("\n".join(r.events))


@pytest.mark.parametrize("name", list(CASES))
def test_outputs_match_the_golden_files(name: str) -> None:
    r = run_scenario(Scenario(**CASES[name]))
    if os.environ.get("HSMOBILITY_WRITE_GOLDEN"):
        _write(name, r)
    for table in TABLES:
        golden = pd.read_csv(GOLDEN / f"{name}.{table}.csv")
        now = _as_written(getattr(r, table))
        missing = [c for c in golden.columns if c not in now.columns]
        assert not missing, f"{table}: columns gone: {missing}"
        assert len(now) == len(golden), table
        moved = [c for c in golden.columns if not _same(golden[c], now[c])]
        assert not moved, f"{name} {table}: numbers moved in {moved}"
    golden_summary = json.loads((GOLDEN / f"{name}.summary.json").read_text())
    summary = json.loads(json.dumps(r.summary, default=str))
    moved = {
        k: (v, summary.get(k))
        for k, v in golden_summary.items()
        if not _same_value(v, summary.get(k))
    }
    assert not moved, moved
    assert (GOLDEN / f"{name}.events.txt").read_text() == "\n".join(r.events)
