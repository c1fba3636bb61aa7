"""Ensemble statistics: medians and 5-95 % bands, and paired differences on common seeds.

Regimes compared on one seed face the very same storms (common random numbers), so the
difference a regime makes is measured run by run against the baseline on the same seed (and
the same parameter sample), then summarised: its median and 5-95 % band.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

#: the band's lower bound, the median and the upper bound
QUANTILES = (0.05, 0.5, 0.95)
BAND_COLUMNS = ["median", "p05", "p95"]


def _ok(runs: pd.DataFrame) -> pd.DataFrame:
    return runs[runs["status"] == "ok"] if "status" in runs else runs


def _stats(values: pd.Series) -> dict[str, float]:
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if not len(v):
        return {"n": 0, "median": np.nan, "p05": np.nan, "p95": np.nan, "mean": np.nan}
    p05, median, p95 = np.quantile(v, QUANTILES)
    return {"n": len(v), "median": median, "p05": p05, "p95": p95, "mean": float(v.mean())}


def _ordered(df: pd.DataFrame, column: str, order: Sequence[str] | None) -> pd.DataFrame:
    if order is None or column not in df:
        return df
    rank = {name: i for i, name in enumerate(order)}
    return df.sort_values(column, key=lambda s: s.map(rank), kind="stable")


def outcome_bands(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    by: Sequence[str] = ("scenario", "regime"),
    regimes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per group and outcome: number of runs, median, 5 % and 95 % quantiles and mean."""
    ok = _ok(runs)
    rows = []
    for key, group in ok.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        for outcome in outcomes:
            if outcome in group:
                labels = dict(zip(by, key, strict=True))
                rows.append({**labels, "outcome": outcome, **_stats(group[outcome])})
    df = pd.DataFrame(rows, columns=[*by, "outcome", "n", "median", "p05", "p95", "mean"])
    return _ordered(df, "regime", regimes).reset_index(drop=True)


def paired_differences(
    runs: pd.DataFrame,
    outcomes: Sequence[str],
    baseline: str,
    pair_on: Sequence[str] = ("scenario", "sample", "seed"),
    regimes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per regime other than ``baseline`` and outcome: the regime's value minus the baseline's on
    the same scenario, sample and seed, summarised (n pairs, median, 5 % and 95 %, mean)."""
    ok = _ok(runs)
    keys = [c for c in pair_on if c in ok]
    cols = [o for o in outcomes if o in ok]
    base = ok[ok["regime"] == baseline].set_index(keys)[cols]
    rows = []
    others = [r for r in (regimes or sorted(ok["regime"].unique())) if r != baseline]
    for regime in others:
        other = ok[ok["regime"] == regime].set_index(keys)[cols]
        diff = (other - base.reindex(other.index)).dropna(how="all")
        scen = diff.index.get_level_values("scenario") if "scenario" in keys else None
        for scenario in sorted(set(scen)) if scen is not None else [None]:
            part = diff if scen is None else diff[scen == scenario]
            for outcome in cols:
                labels = {"scenario": scenario, "regime": regime, "baseline": baseline}
                rows.append({**labels, "outcome": outcome, **_stats(part[outcome])})
    columns = ["scenario", "regime", "baseline", "outcome", "n", "median", "p05", "p95", "mean"]
    return pd.DataFrame(rows, columns=columns)


def per_seed_differences(
    runs: pd.DataFrame,
    outcome: str,
    baseline: str,
    regime: str,
    pair_on: Sequence[str] = ("scenario", "sample", "seed"),
) -> pd.Series:
    """The run-by-run differences ``regime - baseline`` of one outcome on common seeds."""
    ok = _ok(runs)
    keys = [c for c in pair_on if c in ok]
    a = ok[ok["regime"] == regime].set_index(keys)[outcome]
    b = ok[ok["regime"] == baseline].set_index(keys)[outcome]
    return (a - b.reindex(a.index)).dropna()


def monthly_bands(
    monthly: pd.DataFrame,
    runs: pd.DataFrame,
    indicators: Sequence[str],
    by: Sequence[str] = ("scenario", "regime"),
    cumulative: Sequence[str] = (),
) -> pd.DataFrame:
    """Per group, month and indicator: median and 5-95 % band over the group's runs.

    Indicators in ``cumulative`` are summed over the months of each run first (moves, people at
    risk), so that the band is that of the running total. ``time`` is the year as a decimal.
    """
    ok = _ok(runs)[["run_id", *by]]
    m = monthly.merge(ok, on="run_id", how="inner")
    for name in cumulative:
        m[name] = m.groupby("run_id", sort=False)[name].cumsum()
    m["time"] = m["year"] + (m["month"] - 1) / 12.0
    parts = []
    for key, group in m.groupby(list(by), sort=True):
        labels = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        times = group.groupby("step")["time"].first()
        for name in indicators:
            table = group.pivot(index="step", columns="run_id", values=name)  # months x runs
            values = table.to_numpy(dtype=float)
            quantile = np.nanquantile if np.isnan(values).any() else np.quantile
            p05, median, p95 = quantile(values, QUANTILES, axis=1)
            parts.append(
                pd.DataFrame(
                    {
                        **labels,
                        "indicator": name,
                        "step": table.index.to_numpy(),
                        "time": times.loc[table.index].to_numpy(),
                        "median": median,
                        "p05": p05,
                        "p95": p95,
                    }
                )
            )
    if not parts:
        return pd.DataFrame(columns=[*by, "indicator", "step", "time", "median", "p05", "p95"])
    return pd.concat(parts, ignore_index=True)
