"""``hsmobility compare``: regimes side by side on one setting, on common seeds.

Every regime runs with the same seeds, so it faces the same storms; the comparison reports each
regime's median and 5-95 % band of the key indicators and the paired difference against the first
regime (the median and band of the per-seed differences), as tables and as a Markdown report with
figures (small multiples of indicators over time, with bands per regime).

Computing and writing are apart: :func:`comparison_tables` is a pure function from run results to
the tables; :func:`write_comparison` writes the CSV files, figures and report. The CLI and the app
(``hsmobility.app``) both call them, so they show the same numbers for the same runs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hsmobility.experiment.ensemble import monthly_bands, outcome_bands, paired_differences
from hsmobility.experiment.manifest import code_digest
from hsmobility.experiment.runner import ExperimentRun, plan, run_experiment
from hsmobility.experiment.spec import DEFAULT_OUTCOMES, Experiment, ExperimentError
from hsmobility.experiment.spec import experiment_from_dict as _experiment_from_dict
from hsmobility.experiment.store import read_manifest, read_monthly, read_runs

#: labels of the summary indicators compared
LABELS = {
    "displaced_person_months": "displaced person-months",
    "displaced_peak": "peak displaced (people)",
    "moves_abroad": "moved abroad (households)",
    "trapped_share": "trapped households (mean share)",
    "forced_move_share": "share of moves that were forced",
    "poverty_rate_end": "poverty rate at end",
    "population_end": "residents at end",
    "people_at_risk_in_storm": "people riding out storms in wrecked homes",
}

#: monthly indicators drawn over time: (column, label, summed over months)
PANELS = [
    ("residents", "residents", False),
    ("displaced_people", "displaced people", False),
    ("trapped_share", "trapped households (share)", False),
    ("poverty_rate", "poverty rate", False),
    ("moves_abroad", "moved abroad, cumulative (households)", True),
    ("people_at_risk_in_storm", "people at risk in storms, cumulative", True),
]


def is_share(name: str) -> bool:
    return name.endswith("_share") or name.endswith("_rate") or name.endswith("rate_end")


def fmt(value: float, share: bool, signed: bool = False) -> str:
    """A number for a table: shares in per cent (points for differences), others with commas."""
    if pd.isna(value):
        return "-"
    sign = "+" if signed else ""
    if share:
        return f"{value * 100:{sign}.1f}" + (" pp" if signed else "%")
    if abs(value) >= 100 or float(value).is_integer():
        return f"{value:{sign},.0f}"
    return f"{value:{sign}.3g}"


def fmt_per_unit(value: float) -> str:
    """A cost per unit avoided for a table: ``-`` where nothing is avoided, and "saves money"
    where the regime avoids some at a lower cost than the baseline's (it dominates: a negative
    ratio would read as a price)."""
    if pd.isna(value):
        return "-"
    return "saves money" if value < 0 else fmt(value, False)


@dataclass
class ComparisonTables:
    """A comparison's numbers: what the report, the CSV files and the app show."""

    setting: str
    regimes: list[str]
    baseline: str
    outcomes: list[str]
    #: per regime and outcome: n, median, p05, p95, mean
    bands: pd.DataFrame
    #: per regime (not the baseline) and outcome: the paired differences' n, median, p05, p95, mean
    differences: pd.DataFrame
    #: per regime, indicator of :data:`PANELS` and month: median and 5-95 % band
    over_time: pd.DataFrame
    #: one line saying what was compared
    title: str
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass
class Comparison:
    """A finished comparison: its tables, report and where its runs are."""

    out: Path
    setting: str
    regimes: list[str]
    baseline: str
    outcomes: list[str]
    bands: pd.DataFrame
    differences: pd.DataFrame
    report: Path
    figures: list[Path]
    runs: ExperimentRun | None = None
    skipped: list[dict[str, str]] = field(default_factory=list)
    failed: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: the cost section (Markdown): cost by lever and cost-effectiveness
    costs: str = ""

    def tables(self) -> str:
        """One plain-text table per indicator."""
        return format_tables(
            self.bands, self.differences, self.outcomes, self.regimes, self.baseline
        )


def compare_experiment(
    setting: str,
    regimes: Sequence[str],
    replicates: int = 20,
    ssp: str | None = None,
    years: int | None = None,
    seed: int = 0,
    scale: int | None = None,
) -> Experiment:
    """The experiment a comparison runs: one setting, the regimes, the same seeds for all."""
    entry: dict[str, Any] = {"setting": setting}
    for key, value in (("ssp", ssp), ("years", years), ("scale", scale)):
        if value is not None:
            entry[key] = value
    data = {
        "title": f"compare {setting}: {', '.join(regimes)}",
        "scenarios": [entry],
        "regimes": list(regimes),
        "replicates": replicates,
        "seed": seed,
    }
    return _experiment_from_dict(data, f"compare {setting}")


def check_arguments(
    setting: str,
    regimes: Sequence[str],
    replicates: int,
    years: int | None,
    seed: int,
    scale: int | None,
) -> None:
    """One-line errors that name the command's own options."""
    from hsmobility.config.regimes import available_regimes
    from hsmobility.config.scenario import available_settings
    from hsmobility.config.schemas import Scenario

    if setting not in available_settings():
        raise ExperimentError(
            f"unknown setting {setting!r}; expected one of: {', '.join(available_settings())}"
        )
    if not regimes:
        raise ExperimentError("--regimes: name at least one regime, e.g. status-quo,free-movement")
    for regime in regimes:
        if regime.endswith(".toml"):  # a regime file, e.g. saved by the app's regime builder
            if not Path(regime).is_file():
                raise ExperimentError(f"--regimes: {regime}: regime file not found")
        elif regime not in available_regimes():
            raise ExperimentError(
                f"--regimes: unknown regime {regime!r}; expected one of: "
                f"{', '.join(available_regimes())}"
            )
    if len(set(regimes)) != len(regimes):
        raise ExperimentError("--regimes: a regime is named twice")
    if replicates < 1:
        raise ExperimentError(f"--replicates: must be at least 1 (got {replicates})")
    if seed < 0:
        raise ExperimentError(f"--seed: must be at least 0 (got {seed})")
    if scale is not None and not 1 <= scale <= 1000:
        raise ExperimentError(f"--scale: must be between 1 and 1000 (got {scale})")
    if years is not None:
        start = Scenario.model_fields["start_year"].default
        if not 1 <= years <= 2100 - start + 1:
            raise ExperimentError(
                f"--years: must be between 1 and {2100 - start + 1} (runs start in {start} and "
                f"end by 2100; got {years})"
            )


def prepare_compare(
    setting: str,
    regimes: Sequence[str],
    replicates: int = 20,
    ssp: str | None = None,
    years: int | None = None,
    seed: int = 0,
    scale: int | None = None,
) -> Experiment:
    """Check a comparison's arguments (one-line errors) and return the experiment it runs."""
    check_arguments(setting, regimes, replicates, years, seed, scale)
    exp = compare_experiment(setting, regimes, replicates, ssp, years, seed, scale)
    _, skipped = plan(exp)
    if any(s["regime"] == exp.baseline for s in skipped):
        note = next(s["note"] for s in skipped if s["regime"] == exp.baseline)
        raise ExperimentError(f"--regimes: the first regime is the baseline, but {note}")
    return exp


def default_out(exp: Experiment, results: str | Path = "results") -> Path:
    """Where a comparison is stored when no --out is given: one folder per distinct comparison
    and version of the model (the hash covers both), so running the same one again resumes (or
    reuses) it, and after a change to the model it starts afresh in a new folder, the old one
    kept."""
    setting = next(iter(exp.scenarios.values()))["setting"]
    tag = hashlib.sha256(f"{exp.sha256}:{code_digest()}".encode()).hexdigest()[:8]
    return Path(results) / f"compare-{setting}-{tag}"


def run_compare(
    setting: str,
    regimes: Sequence[str],
    replicates: int = 20,
    ssp: str | None = None,
    years: int | None = None,
    seed: int = 0,
    scale: int | None = None,
    out: str | Path | None = None,
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    progress: bool | None = None,
    restart: bool = False,
) -> Comparison:
    """Run (or resume) the comparison and write its report into ``out``; ``restart`` discards
    the runs stored there first (see :func:`run_experiment`)."""
    exp = prepare_compare(setting, regimes, replicates, ssp, years, seed, scale)
    out = Path(out) if out else default_out(exp)
    done = run_experiment(exp, out, executor, workers, address, progress=progress, restart=restart)
    result = comparison_report(out)
    result.runs = done
    return result


def comparison_tables(
    runs: pd.DataFrame,
    monthly: pd.DataFrame,
    manifest: dict[str, Any],
    baseline: str | None = None,
) -> ComparisonTables:
    """The comparison's tables from its run results, computing only (nothing is read or written):
    ``runs`` as :func:`read_runs` returns it, ``monthly`` with at least the :data:`PANELS`
    columns, ``year`` and ``month``, and the experiment's manifest. The CLI's report and the app
    both show these tables. ``baseline`` (default: the manifest's, the first regime) is the regime
    the paired differences are taken against."""
    skipped = manifest.get("skipped", [])
    regimes = [r for r in manifest["regimes"] if not any(s["regime"] == r for s in skipped)]
    baseline = baseline or manifest["baseline"]
    if baseline not in regimes:
        raise ExperimentError(f"baseline {baseline!r} is not one of the regimes compared")
    outcomes = list(manifest.get("outcomes", DEFAULT_OUTCOMES))
    failed = runs[runs["status"] != "ok"]
    outcomes = [o for o in outcomes if o in runs]
    bands = outcome_bands(runs, outcomes, by=("regime",), regimes=regimes)
    diffs = paired_differences(runs, outcomes, baseline, regimes=regimes)
    over_time = monthly_bands(
        monthly,
        runs,
        [c for c, _, _ in PANELS],
        by=("regime",),
        cumulative=[c for c, _, cum in PANELS if cum],
    )
    setting = manifest["scenarios"][next(iter(manifest["scenarios"]))]["setting"]
    return ComparisonTables(
        setting=setting,
        regimes=regimes,
        baseline=baseline,
        outcomes=outcomes,
        bands=bands,
        differences=diffs,
        over_time=over_time,
        title=_title(manifest),
        skipped=skipped,
        failed=failed,
    )


#: the public cost of a regime's levers (a run summary field), US$ over the run
COST = "public_cost_usd"
#: cost-effectiveness: extra public cost per unit of these outcomes avoided (fewer is better)
EFFECTS = {
    "displaced_person_months": "displaced person-month avoided",
    "trapped_household_months": "trapped household-month avoided",
    "deaths_hazard": "death avoided",
    "people_at_risk_in_storm": "person kept out of a wrecked home in a storm",
}
#: the run summary's public cost by lever, flattened into runs-table columns
LEVER_COST = "public_cost_by_lever."


def costs_by_lever(runs: pd.DataFrame, regimes: Sequence[str]) -> pd.DataFrame:
    """Per regime (rows) and lever (columns): the median over its runs of the public cost of
    that lever over the run, US$ (only the ok runs; empty when the runs report no costs)."""
    columns = [c for c in runs.columns if c.startswith(LEVER_COST)]
    ok = runs[runs["status"] == "ok"] if "status" in runs else runs
    if not columns or ok.empty:
        return pd.DataFrame()
    table = (
        ok.groupby("regime")[columns]
        .median()
        .reindex([r for r in regimes if r in set(ok["regime"])])
    )
    table.columns = [c.removeprefix(LEVER_COST) for c in columns]
    return table


def cost_markdown(runs: pd.DataFrame, tables: ComparisonTables) -> str:
    """The report's cost section: each lever's cost per regime, then the cost-effectiveness of
    each regime against the baseline (``-`` where it avoids none of that outcome)."""
    levers = costs_by_lever(runs, tables.regimes)
    effect = cost_effectiveness(runs, tables)
    if levers.empty or effect.empty:
        return "The runs report no public cost."
    lines = [
        "Public cost of each lever over the run (US$, median over the seeds; 0 where the lever "
        "did not act).",
        "",
        "| regime | " + " | ".join(levers.columns) + " | total |",
        "|---|" + "---:|" * (len(levers.columns) + 1),
    ]
    totals = effect.set_index("regime")["cost_median"]
    for regime, row in levers.iterrows():
        cells = [fmt(v, False) for v in row] + [fmt(totals.get(regime, float("nan")), False)]
        lines.append(f"| {regime} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Cost-effectiveness against {tables.baseline}: the median paired extra cost over the "
        "median paired reduction, on the same seeds (- where the regime avoids none; 'saves "
        "money' where it avoids some and costs less).",
        "",
        "| regime | extra cost (US$) | "
        + " | ".join(f"US$ per {w}" for w in EFFECTS.values())
        + " |",
        "|---|---:|" + "---:|" * len(EFFECTS),
    ]
    for _, row in effect.iterrows():
        if row["regime"] == tables.baseline:
            continue
        cells = [fmt(row["extra_cost_median"], False, True)]
        cells += [fmt_per_unit(row[f"usd_per_{k}"]) for k in EFFECTS]
        lines.append(f"| {row['regime']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cost_effectiveness(runs: pd.DataFrame, tables: ComparisonTables) -> pd.DataFrame:
    """Per regime (not the baseline): the public cost's band, its paired difference against the
    baseline, and for each outcome of :data:`EFFECTS` the extra cost per unit avoided: the median
    paired cost difference over the median paired reduction (NaN when nothing is avoided). Empty
    when the runs do not report a cost. Computing only; the CLI's tables are unchanged."""
    columns = ["regime", "cost_median", "cost_p05", "cost_p95", "extra_cost_median"]
    columns += [f"usd_per_{k}" for k in EFFECTS]
    if COST not in runs:
        return pd.DataFrame(columns=columns)
    wanted = [COST, *(k for k in EFFECTS if k in runs)]
    bands = outcome_bands(runs, [COST], by=("regime",), regimes=tables.regimes)
    diffs = paired_differences(runs, wanted, tables.baseline, regimes=tables.regimes)
    rows = []
    for regime in tables.regimes:
        b = bands[bands["regime"] == regime]
        if b.empty:
            continue
        row = {"regime": regime, **{f"cost_{c}": b.iloc[0][c] for c in ("median", "p05", "p95")}}
        d = diffs[diffs["regime"] == regime].set_index("outcome")
        extra = d["median"].get(COST, float("nan")) if regime != tables.baseline else 0.0
        row["extra_cost_median"] = extra
        for k in EFFECTS:
            avoided = -d["median"].get(k, float("nan")) if k in d.index else float("nan")
            row[f"usd_per_{k}"] = extra / avoided if avoided > 0 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def read_comparison(
    out: str | Path, baseline: str | None = None
) -> tuple[ComparisonTables, dict[str, Any]]:
    """Read a comparison's results folder and compute its tables; also return its manifest."""
    out = Path(out)
    manifest = read_manifest(out) or {}
    runs = read_runs(out)
    if runs.empty:
        raise ExperimentError(f"{out}: no runs stored yet")
    monthly = read_monthly(out, columns=[*(c for c, _, _ in PANELS), "year", "month"])
    return comparison_tables(runs, monthly, manifest, baseline), manifest


def write_comparison(
    tables: ComparisonTables, manifest: dict[str, Any], out: str | Path
) -> Comparison:
    """Write the tables (bands.csv, differences.csv, bands_monthly.csv), the figures and
    report.md into ``out``."""
    out = Path(out)
    figures = [
        indicators_figure(tables.over_time, tables.regimes, out / "indicators.png", tables.title),
        differences_figure(
            tables.differences, tables.outcomes, out / "differences.png", tables.baseline
        ),
    ]
    tables.bands.to_csv(out / "bands.csv", index=False)
    tables.differences.to_csv(out / "differences.csv", index=False)
    tables.over_time.to_csv(out / "bands_monthly.csv", index=False)
    runs = read_runs(out)
    costs = cost_markdown(runs, tables)
    result = Comparison(
        out=out,
        setting=tables.setting,
        regimes=tables.regimes,
        baseline=tables.baseline,
        outcomes=tables.outcomes,
        bands=tables.bands,
        differences=tables.differences,
        report=out / "report.md",
        figures=figures,
        skipped=tables.skipped,
        failed=tables.failed,
        costs=costs,
    )
    write_report(result, manifest)
    return result


def comparison_report(out: str | Path) -> Comparison:
    """Compute the comparison tables of a results folder and write report.md and its figures."""
    tables, manifest = read_comparison(out)
    return write_comparison(tables, manifest, out)


def _title(manifest: dict[str, Any]) -> str:
    scen = next(iter(manifest["scenarios"].values()))
    n = len(manifest["seeds"])
    ssp = scen.get("ssp", "SSP2-4.5")
    years = scen.get("years", 30)
    return f"{scen['setting']}, {ssp}, {years} years, {n} seeds per regime: median and 5-95% band"


# ------------------------------------------------------------------------------- tables
def format_tables(
    bands: pd.DataFrame,
    diffs: pd.DataFrame,
    outcomes: Sequence[str],
    regimes: Sequence[str],
    baseline: str,
) -> str:
    """Plain-text tables: per indicator, each regime's median and band and the paired
    difference against the baseline."""
    blocks = []
    width = max(len(r) for r in regimes) + 2
    for outcome in outcomes:
        share = is_share(outcome)
        head = (
            f"{'regime':<{width}}{'median':>12}{'5%':>12}{'95%':>12}   "
            f"{'diff vs ' + baseline + ': median':>{len(baseline) + 22}}{'5%':>12}{'95%':>12}"
        )
        lines = [f"{LABELS.get(outcome, outcome)} ({outcome})", head, "-" * len(head)]
        for regime in regimes:
            b = bands[(bands["regime"] == regime) & (bands["outcome"] == outcome)]
            if b.empty:
                continue
            b = b.iloc[0]
            cells = f"{regime:<{width}}" + "".join(
                f"{fmt(b[c], share):>12}" for c in ("median", "p05", "p95")
            )
            d = diffs[(diffs["regime"] == regime) & (diffs["outcome"] == outcome)]
            if regime == baseline:
                cells += f"   {'(baseline)':>{len(baseline) + 22}}"
            elif not d.empty:
                d = d.iloc[0]
                cells += f"   {fmt(d['median'], share, True):>{len(baseline) + 22}}"
                cells += "".join(f"{fmt(d[c], share, True):>12}" for c in ("p05", "p95"))
            lines.append(cells)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def markdown_tables(
    bands: pd.DataFrame,
    diffs: pd.DataFrame,
    outcomes: Sequence[str],
    regimes: Sequence[str],
    baseline: str,
) -> str:
    """The same tables in Markdown."""
    blocks = []
    for outcome in outcomes:
        share = is_share(outcome)
        lines = [
            f"### {LABELS.get(outcome, outcome)} (`{outcome}`)",
            "",
            f"| regime | runs | median | 5% | 95% | paired diff vs {baseline}: median | 5% | 95% |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for regime in regimes:
            b = bands[(bands["regime"] == regime) & (bands["outcome"] == outcome)]
            if b.empty:
                continue
            b = b.iloc[0]
            row = [regime, str(int(b["n"]))] + [fmt(b[c], share) for c in ("median", "p05", "p95")]
            d = diffs[(diffs["regime"] == regime) & (diffs["outcome"] == outcome)]
            if regime == baseline or d.empty:
                row += ["(baseline)" if regime == baseline else "-", "", ""]
            else:
                row += [fmt(d.iloc[0][c], share, True) for c in ("median", "p05", "p95")]
            lines.append("| " + " | ".join(row) + " |")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def write_report(result: Comparison, manifest: dict[str, Any]) -> Path:
    """report.md: what was compared, the tables and the figures."""
    exp = manifest["experiment"]
    versions = ", ".join(f"{k} {v}" for k, v in manifest["versions"].items())
    seeds = manifest["seeds"]
    seeds_txt = (
        f"{seeds[0]}..{seeds[-1]}"
        if seeds == list(range(seeds[0], seeds[-1] + 1))
        else ", ".join(map(str, seeds))
    )
    lines = [
        f"# {exp['title'] or exp['name']}",
        "",
        f"{_title(manifest)}.",
        "",
        f"- regimes: {', '.join(result.regimes)} (baseline: {result.baseline})",
        f"- seeds: {seeds_txt}, the same for every regime (common random numbers: every regime "
        "faces the same storms on a seed)",
        f"- runs: {manifest.get('runs_ok', '?')} ok, {manifest.get('runs_failed', 0)} failed",
        "- paired differences: each regime minus the baseline on the same seed, then the median "
        "and 5-95% band of those differences (pp = percentage points)",
        f"- versions: {versions}",
    ]
    for s in result.skipped:
        lines.append(f"- skipped {s['regime']}: {s['note']}")
    if len(result.failed):
        lines.append("- failed runs:")
        for _, row in result.failed.head(10).iterrows():
            lines.append(
                f"  - {row['run_id']} ({row['regime']}, seed {row['seed']}): {row['error']}"
            )
    lines += [
        "",
        "## Indicators over time",
        "",
        f"![indicators over time]({result.figures[0].name})",
        "",
        f"## Differences against {result.baseline}",
        "",
        f"![paired differences]({result.figures[1].name})",
        "",
        "## Tables",
        "",
        markdown_tables(
            result.bands, result.differences, result.outcomes, result.regimes, result.baseline
        ),
        "",
        "## Public cost and cost-effectiveness",
        "",
        result.costs or "The runs report no public cost.",
        "",
    ]
    result.report.write_text("\n".join(lines))
    return result.report


# ------------------------------------------------------------------------------ figures
def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _percent(xmax: float, symbol: str = "%") -> Any:
    from matplotlib.ticker import PercentFormatter as Formatter

    return Formatter(xmax, symbol=symbol)


def indicators_figure(
    over_time: pd.DataFrame, regimes: Sequence[str], path: Path, title: str
) -> Path:
    """Small multiples: each indicator over time, a median line and 5-95 % band per regime."""
    plt = _plt()
    ncols = 3
    nrows = -(-len(PANELS) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(13, 3.4 * nrows), sharex=True, constrained_layout=True
    )
    colours = plt.get_cmap("tab10").colors
    for ax, (col, label, _) in zip(axes.flat, PANELS, strict=False):
        for i, regime in enumerate(regimes):
            d = over_time[(over_time["regime"] == regime) & (over_time["indicator"] == col)]
            if d.empty:
                continue
            c = colours[i % len(colours)]
            ax.fill_between(d["time"], d["p05"], d["p95"], color=c, alpha=0.18, lw=0)
            ax.plot(d["time"], d["median"], color=c, lw=1.4, label=regime)
        ax.set_title(label, fontsize=10)
        ax.grid(alpha=0.3)
        if is_share(col):
            ax.yaxis.set_major_formatter(_percent(1.0))
    for ax in list(axes.flat)[len(PANELS) :]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8, loc="best")
    fig.suptitle(title, fontsize=11)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def differences_figure(
    diffs: pd.DataFrame, outcomes: Sequence[str], path: Path, baseline: str
) -> Path:
    """Per indicator: each regime's paired difference against the baseline, median and band."""
    plt = _plt()
    ncols = 4
    nrows = max(1, -(-len(outcomes) // ncols))
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(14, 2.2 + 0.35 * diffs["regime"].nunique() * nrows),
        constrained_layout=True,
        squeeze=False,
    )
    colours = plt.get_cmap("tab10").colors
    regimes = list(dict.fromkeys(diffs["regime"]))
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        d = diffs[diffs["outcome"] == outcome].set_index("regime").reindex(regimes)
        y = range(len(regimes))
        for i, (_, row) in enumerate(d.iterrows()):
            c = colours[(i + 1) % len(colours)]
            ax.plot([row["p05"], row["p95"]], [i, i], color=c, lw=2)
            ax.plot([row["median"]], [i], "o", color=c)
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(list(y), regimes if ax in axes[:, 0] else [""] * len(regimes), fontsize=8)
        ax.set_ylim(-0.7, len(regimes) - 0.3)
        ax.set_title(LABELS.get(outcome, outcome), fontsize=9)
        if is_share(outcome):
            ax.xaxis.set_major_formatter(_percent(1.0, symbol=" pp"))
        ax.grid(alpha=0.3, axis="x")
    for ax in list(axes.flat)[len(outcomes) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Difference against {baseline} on the same seed: median and 5-95% band", fontsize=11
    )
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
