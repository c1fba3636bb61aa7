"""The Results page's logic: the experiment and comparison folders under the results folder (and
only there: the page offers these names, never a typed path), what each holds, and its figures."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hsmobility.experiment.store import MANIFEST


@dataclass(frozen=True)
class ResultsFolder:
    """One folder with a manifest.json directly under the results folder."""

    path: Path
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def title(self) -> str:
        exp = self.manifest.get("experiment", {})
        return str(exp.get("title") or exp.get("name") or self.name)

    @property
    def is_comparison(self) -> bool:
        """One scenario and several regimes: the Compare page's tables apply."""
        return len(self.manifest.get("scenarios", {})) == 1 and len(self.regimes) > 1

    @property
    def regimes(self) -> list[str]:
        return list(self.manifest.get("regimes", []))

    def describe(self) -> str:
        m = self.manifest
        ok, failed = m.get("runs_ok", "?"), m.get("runs_failed", 0)
        return (
            f"{m.get('runs_planned', '?')} runs planned, {ok} ok, {failed} failed; "
            f"{len(m.get('seeds', []))} seeds; state {m.get('state', '?')}; "
            f"updated {m.get('updated', '?')}"
        )

    def figures(self) -> list[Path]:
        """Its figures: the comparison's and those of ``hsmobility analyse`` (analysis/)."""
        return sorted(self.path.glob("*.png")) + sorted(self.path.glob("analysis/*.png"))

    def tables(self) -> list[Path]:
        return sorted(self.path.glob("*.csv"))


def experiment_tables(folder: ResultsFolder) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """An experiment's summary: each outcome's median and 5-95 % band per scenario and regime
    (formatted as the CLI formats them), and its sensitivity indices when it was sampled for
    them (Sobol or Morris), computed by the functions ``hsmobility analyse`` uses."""
    from hsmobility.experiment.analyse import sensitivity
    from hsmobility.experiment.compare import fmt, is_share
    from hsmobility.experiment.ensemble import outcome_bands
    from hsmobility.experiment.spec import DEFAULT_OUTCOMES
    from hsmobility.experiment.store import read_runs

    runs = read_runs(folder.path)
    if runs.empty:
        return pd.DataFrame(), pd.DataFrame(), ["no runs stored yet"]
    m = folder.manifest
    outcomes = [o for o in (m.get("outcomes") or DEFAULT_OUTCOMES) if o in runs]
    bands = outcome_bands(runs, outcomes, by=("scenario", "regime"), regimes=m.get("regimes"))
    bands["value"] = [
        f"{fmt(r['median'], is_share(r['outcome']))} ({fmt(r['p05'], is_share(r['outcome']))} "
        f"to {fmt(r['p95'], is_share(r['outcome']))})"
        for _, r in bands.iterrows()
    ]
    table = bands.pivot_table(
        index=["scenario", "regime"], columns="outcome", values="value", aggfunc="first", sort=False
    ).reset_index()
    sens, notes = pd.DataFrame(), []
    if m.get("sampler", {}).get("method") in ("sobol", "morris") and m.get("parameters"):
        sens, notes = sensitivity(runs, m, outcomes)
        sens = sens.round(3)
    return table, sens, notes


def list_results(root: Path) -> list[ResultsFolder]:
    """Folders directly under ``root`` holding an experiment's manifest, newest first."""
    found = []
    if not root.is_dir():
        return found
    for path in root.iterdir():
        manifest_file = path / MANIFEST
        if not path.is_dir() or path.is_symlink() or not manifest_file.is_file():
            continue
        try:
            manifest = json.loads(manifest_file.read_text())
        except (OSError, ValueError):
            continue
        found.append(ResultsFolder(path, manifest))
    return sorted(found, key=lambda f: str(f.manifest.get("updated", "")), reverse=True)


def find(root: Path, name: str) -> ResultsFolder | None:
    """The listed folder called ``name`` (a name from :func:`list_results`, nothing else)."""
    return next((f for f in list_results(root) if f.name == name), None)
