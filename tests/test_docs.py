"""docs/ODD.md stays true to the code: every parameter, lever and regime is documented."""

from __future__ import annotations

import tomllib
from pathlib import Path

from hsmobility.config.regimes import LEVER_NAMES, Levers, available_regimes
from hsmobility.indicators import MONTHLY
from hsmobility.world.households import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
ODD = (ROOT / "docs" / "ODD.md").read_text()


def test_every_model_parameter_is_documented() -> None:
    data = tomllib.loads((ROOT / "scenarios" / "parameters.toml").read_text())
    missing = [f"{g}.{k}" for g, table in data.items() for k in table if f"`{k}`" not in ODD]
    assert not missing, missing


def test_every_lever_parameter_and_regime_is_documented() -> None:
    levers = Levers()
    missing = [name for name in LEVER_NAMES if f"`{name}`" not in ODD]
    for name in LEVER_NAMES:
        missing += [
            f"{name}.{p}" for p in type(getattr(levers, name)).model_fields if f"`{p}`" not in ODD
        ]
    missing += [r for r in available_regimes() if f"`{r}`" not in ODD]
    assert not missing, missing


def test_every_household_column_and_indicator_is_documented() -> None:
    missing = [c for c in [*COLUMNS, *MONTHLY] if f"`{c}`" not in ODD]
    assert not missing, missing
