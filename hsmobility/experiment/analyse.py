"""``hsmobility analyse``: summaries of a results folder, and sensitivity indices.

For every experiment: per scenario and regime, the median and 5-95 % band of each outcome over
its runs, and paired differences against the baseline regime on common seeds. For Sobol' and
Morris experiments: SALib's indices with their confidence intervals, per scenario, regime and
outcome (the outcome of a sample is its mean over the seeds), as a table and a bar figure.
Everything is written under ``OUT/analysis/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hsmobility.config.outfolder import check_out, staged
from hsmobility.experiment.compare import LABELS, fmt, is_share
from hsmobility.experiment.ensemble import outcome_bands, paired_differences
from hsmobility.experiment.spec import DEFAULT_OUTCOMES, ExperimentError
from hsmobility.experiment.store import read_manifest, read_runs

#: bootstrap resamples and confidence level of the sensitivity indices
RESAMPLES = 200
CONFIDENCE = 0.95


@dataclass
class Analysis:
    """The summaries of a results folder and the files written for them."""

    out: Path
    method: str
    outcomes: list[str]
    ensemble: pd.DataFrame
    differences: pd.DataFrame
    sensitivity: pd.DataFrame
    report: Path
    figures: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The tables as plain text, for the terminal."""
        parts = [ensemble_text(self.ensemble, self.differences, self.outcomes)]
        if not self.sensitivity.empty:
            parts.append(sensitivity_text(self.sensitivity, self.method))
        parts += [f"note: {n}" for n in self.notes]
        return "\n\n".join(parts)


def analyse(out: str | Path, outcomes: Sequence[str] | None = None) -> Analysis:
    """Summarise the results in ``out``; write tables, figures and analysis.md."""
    out = Path(out)
    manifest = read_manifest(out) or {}
    runs = read_runs(out)
    if runs.empty:
        raise ExperimentError(f"{out}: no runs stored yet")
    wanted = list(outcomes or manifest.get("outcomes") or DEFAULT_OUTCOMES)
    unknown = [o for o in wanted if o not in runs]
    ok_runs = runs[runs["status"] == "ok"]
    if unknown and not ok_runs.empty:
        raise ExperimentError(
            f"--outcomes: unknown outcome(s) {', '.join(unknown)}; the runs table has e.g. "
            f"{', '.join(DEFAULT_OUTCOMES)}"
        )
    wanted = [o for o in wanted if o in runs]
    regimes = manifest.get("regimes")
    notes = [
        f"skipped {s['scenario']} x {s['regime']}: {s['note']}" for s in manifest.get("skipped", [])
    ]
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        notes.append(f"{len(failed)} run(s) failed, e.g. {failed.iloc[0]['error']}")
    planned = manifest.get("runs_planned")
    if planned and len(runs) < planned:
        notes.append(f"only {len(runs)} of {planned} runs are stored: the experiment is unfinished")

    # written whole or not at all: into a staging folder that replaces analysis/ at the end
    final = out / "analysis"
    check_out(final, (), "analyse")
    with staged(final, keep_others=False, option="analyse") as folder:
        ensemble = outcome_bands(runs, wanted, by=("scenario", "regime"), regimes=regimes)
        ensemble.to_csv(folder / "ensemble.csv", index=False)
        baseline = manifest.get("baseline")
        differences = pd.DataFrame()
        if baseline and runs["regime"].nunique() > 1:
            differences = paired_differences(runs, wanted, baseline, regimes=regimes)
            differences.to_csv(folder / "differences.csv", index=False)

        method = manifest.get("sampler", {}).get("method", "none")
        sens = pd.DataFrame()
        figures: list[Path] = []
        if method in ("sobol", "morris"):
            sens, more = sensitivity(runs, manifest, wanted)
            notes += more
            if not sens.empty:
                sens.to_csv(folder / "sensitivity.csv", index=False)
                for (scenario, regime), part in sens.groupby(["scenario", "regime"], sort=False):
                    path = folder / f"sensitivity-{scenario}-{regime}.png"
                    figures.append(sensitivity_figure(part, method, path, f"{scenario} x {regime}"))
        result = Analysis(
            out=out,
            method=method,
            outcomes=wanted,
            ensemble=ensemble,
            differences=differences,
            sensitivity=sens,
            report=folder / "analysis.md",
            figures=figures,
            notes=notes,
        )
        write_report(result, manifest)
    result.report = final / result.report.name
    result.figures = [final / p.name for p in result.figures]
    return result


# --------------------------------------------------------------------------- sensitivity
def _problem(manifest: dict[str, Any]) -> dict[str, Any]:
    params = manifest["parameters"]
    return {
        "num_vars": len(params),
        "names": [p["name"] for p in params],
        "bounds": [[p["low"], p["high"]] for p in params],
    }


def sensitivity(
    runs: pd.DataFrame, manifest: dict[str, Any], outcomes: Sequence[str]
) -> tuple[pd.DataFrame, list[str]]:
    """SALib indices per scenario, regime and outcome (long table), and notes on what could
    not be computed."""
    from SALib.analyze import morris, sobol

    sampler = manifest["sampler"]
    method = sampler["method"]
    problem = _problem(manifest)
    n_samples = manifest["samples"]
    ok = runs[runs["status"] == "ok"]
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    for (scenario, regime), group in ok.groupby(["scenario", "regime"], sort=True):
        means = group.groupby("sample")[list(outcomes)].mean().reindex(range(n_samples))
        missing = int(means.isna().all(axis=1).sum())
        if missing:
            notes.append(
                f"{scenario} x {regime}: {missing} of {n_samples} samples have no finished "
                "run: no indices"
            )
            continue
        for outcome in outcomes:
            y = means[outcome].to_numpy(dtype=float)
            if np.isnan(y).any() or np.ptp(y) == 0:
                notes.append(f"{scenario} x {regime}: {outcome} does not vary: no indices")
                continue
            labels = {"scenario": scenario, "regime": regime, "outcome": outcome}
            if method == "sobol":
                si = sobol.analyze(
                    problem,
                    y,
                    calc_second_order=sampler["second_order"],
                    num_resamples=RESAMPLES,
                    conf_level=CONFIDENCE,
                    seed=sampler["seed"],
                )
                keys = ("S1", "S1_conf", "ST", "ST_conf")
            else:
                x = np.asarray(manifest["sample_matrix"], dtype=float)
                si = morris.analyze(
                    problem,
                    x,
                    y,
                    num_resamples=RESAMPLES,
                    conf_level=CONFIDENCE,
                    num_levels=sampler["levels"],
                    seed=sampler["seed"],
                )
                keys = ("mu_star", "mu_star_conf", "mu", "sigma")
            for k, name in enumerate(problem["names"]):
                rows.append({**labels, "parameter": name, **{c: si[c][k] for c in keys}})
    return pd.DataFrame(rows), notes


# ------------------------------------------------------------------------------- output
def ensemble_text(ensemble: pd.DataFrame, diffs: pd.DataFrame, outcomes: Sequence[str]) -> str:
    """Per outcome: every scenario x regime, median and band, and the paired difference."""
    blocks = []
    for outcome in outcomes:
        share = is_share(outcome)
        head = f"{'scenario':<20}{'regime':<28}{'runs':>6}{'median':>12}{'5%':>12}{'95%':>12}"
        if not diffs.empty:
            label = f"diff vs {diffs['baseline'].iloc[0]}: median"
            head += f"   {label:>20}{'5%':>12}{'95%':>12}"
        lines = [f"{LABELS.get(outcome, outcome)} ({outcome})", head, "-" * len(head)]
        for _, b in ensemble[ensemble["outcome"] == outcome].iterrows():
            cells = f"{b['scenario']:<20}{b['regime']:<28}{int(b['n']):>6}"
            cells += "".join(f"{fmt(b[c], share):>12}" for c in ("median", "p05", "p95"))
            if not diffs.empty:
                d = diffs[
                    (diffs["scenario"] == b["scenario"])
                    & (diffs["regime"] == b["regime"])
                    & (diffs["outcome"] == outcome)
                ]
                if d.empty:
                    cells += f"   {'(baseline)':>20}"
                else:
                    d = d.iloc[0]
                    cells += f"   {fmt(d['median'], share, True):>20}"
                    cells += "".join(f"{fmt(d[c], share, True):>12}" for c in ("p05", "p95"))
            lines.append(cells)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _index_columns(method: str) -> list[tuple[str, str]]:
    if method == "sobol":
        return [("S1", "S1_conf"), ("ST", "ST_conf")]
    return [("mu_star", "mu_star_conf"), ("sigma", "")]


def sensitivity_text(sens: pd.DataFrame, method: str) -> str:
    """Per scenario x regime x outcome: each parameter's indices with their 95 % intervals."""
    cols = _index_columns(method)
    title = (
        "Sobol' indices (first order S1, total ST)"
        if method == "sobol"
        else "Morris elementary effects (mu*, sigma)"
    )
    blocks = [f"{title}, +/- half-width of the {CONFIDENCE:.0%} confidence interval"]
    for (scenario, regime, outcome), part in sens.groupby(
        ["scenario", "regime", "outcome"], sort=False
    ):
        head = f"{'parameter':<34}" + "".join(f"{c:>22}" for c, _ in cols)
        lines = [f"{scenario} x {regime}: {outcome}", head, "-" * len(head)]
        for _, r in part.iterrows():
            cells = f"{r['parameter']:<34}"
            for c, conf in cols:
                txt = f"{r[c]:.3g}" + (f" +/- {r[conf]:.2g}" if conf else "")
                cells += f"{txt:>22}"
            lines.append(cells)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def sensitivity_figure(part: pd.DataFrame, method: str, path: Path, title: str) -> Path:
    """Bars of the indices (with their confidence intervals), one panel per outcome."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outcomes = list(dict.fromkeys(part["outcome"]))
    ncols = min(4, len(outcomes))
    nrows = -(-len(outcomes) // ncols)
    params = list(dict.fromkeys(part["parameter"]))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.6 * ncols + 1.5, 0.4 * len(params) * nrows + 1.6 * nrows),
        squeeze=False,
        constrained_layout=True,
    )
    y = np.arange(len(params))
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        d = part[part["outcome"] == outcome].set_index("parameter").reindex(params)
        if method == "sobol":
            ax.barh(y + 0.2, d["ST"], 0.4, xerr=d["ST_conf"], color="#457b9d", label="total (ST)")
            ax.barh(
                y - 0.2, d["S1"], 0.4, xerr=d["S1_conf"], color="#e63946", label="first order (S1)"
            )
            ax.axvline(0, color="grey", lw=0.8)
        else:
            ax.barh(y, d["mu_star"], 0.6, xerr=d["mu_star_conf"], color="#457b9d", label="mu*")
        ax.set_yticks(y, params if ax in axes[:, 0] else [""] * len(params), fontsize=8)
        ax.invert_yaxis()
        ax.set_title(LABELS.get(outcome, outcome), fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"Sensitivity: {title} ({CONFIDENCE:.0%} confidence intervals)", fontsize=11)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def write_report(result: Analysis, manifest: dict[str, Any]) -> Path:
    """analysis.md: the ensemble tables, the indices and their figures."""
    exp = manifest.get("experiment", {})
    lines = [
        f"# Analysis: {exp.get('title') or exp.get('name', result.out.name)}",
        "",
        f"- results: `{result.out}` ({manifest.get('runs_ok', '?')} runs ok, "
        f"{manifest.get('runs_failed', 0)} failed); experiment {exp.get('source')} "
        f"(sha256 {str(exp.get('sha256'))[:12]})",
        f"- sampler: {result.method}; seeds: {len(manifest.get('seeds', []))} per combination",
        *[f"- {n}" for n in result.notes],
        "",
        "## Ensemble: median and 5-95% band per scenario and regime",
        "",
        "```",
        ensemble_text(result.ensemble, result.differences, result.outcomes),
        "```",
    ]
    if not result.sensitivity.empty:
        lines += [
            "",
            "## Sensitivity",
            "",
            "```",
            sensitivity_text(result.sensitivity, result.method),
            "```",
            "",
        ]
        lines += [f"![{p.stem}]({p.name})" for p in result.figures]
    result.report.write_text("\n".join(lines) + "\n")
    return result.report
