"""The app's figures and tables, drawn for a projector: large type, units on every axis, plain
titles, and the Okabe-Ito palette (readable with the common colour-vision deficiencies) with a
different line style per regime (readable in grey too). Figures are built with
``matplotlib.figure.Figure`` (no pyplot state), so sessions can draw at the same time."""

from __future__ import annotations

import html
import io

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from hsmobility.experiment.compare import (
    EFFECTS,
    LABELS,
    PANELS,
    ComparisonTables,
    fmt,
    fmt_per_unit,
    is_share,
)

#: Okabe & Ito (2008), without yellow (faint on a projector)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
LINESTYLES = ("-", "--", "-.", ":")

#: each panel's title in plain words and its unit
PANEL_TITLES = {
    "residents": ("Residents", "people"),
    "displaced_people": ("Displaced from home", "people"),
    "trapped_share": ("Want to move but cannot", "% of households"),
    "poverty_rate": ("Below the poverty line", "% of people"),
    "moves_abroad": ("Moved abroad (running total)", "households"),
    "people_at_risk_in_storm": ("In wrecked homes in storms (total)", "people"),
}

#: each summary indicator in plain words with its unit (the CLI's LABELS say the same, shorter)
OUTCOME_TITLES = {
    "displaced_person_months": "Displacement (person-months)",
    "displaced_peak": "Peak displaced (people)",
    "moves_abroad": "Moved abroad (households)",
    "trapped_share": "Trapped households (mean %)",
    "forced_move_share": "Forced moves (% of moves)",
    "poverty_rate_end": "Poverty rate at the end (%)",
    "population_end": "Residents at the end (people)",
    "people_at_risk_in_storm": "People in wrecked homes during storms",
}


def regime_label(name: str) -> str:
    """A regime as people read it: a saved file by its name, not its path."""
    return name.rsplit("/", 1)[-1].removesuffix(".toml")


def style(i: int) -> dict[str, object]:
    return {"color": PALETTE[i % len(PALETTE)], "linestyle": LINESTYLES[i % len(LINESTYLES)]}


def _thousands(x: float, _pos: int) -> str:
    return f"{x:,.0f}"


def small_multiples(tables: ComparisonTables, width_px: int = 1200) -> Figure:
    """Each indicator over time: a median line and a 5-95 % band per regime."""
    dpi = 100
    fig = Figure(figsize=(width_px / dpi, width_px / dpi * 0.56), dpi=dpi, layout="constrained")
    axes = fig.subplots(2, 3, sharex=True).flat
    for ax, (col, _, _) in zip(axes, PANELS, strict=False):
        title, unit = PANEL_TITLES.get(col, (col, ""))
        for i, regime in enumerate(tables.regimes):
            d = tables.over_time[
                (tables.over_time["regime"] == regime) & (tables.over_time["indicator"] == col)
            ]
            if d.empty:
                continue
            s = style(i)
            ax.fill_between(d["time"], d["p05"], d["p95"], color=s["color"], alpha=0.15, lw=0)
            ax.plot(d["time"], d["median"], lw=2.2, label=regime_label(regime), **s)
        ax.set_title(title, fontsize=13)
        ax.set_ylabel(unit, fontsize=12)
        ax.tick_params(labelsize=11)
        ax.grid(alpha=0.3)
        if is_share(col):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(_thousands))
    for ax in fig.axes[3:]:
        ax.set_xlabel("year", fontsize=12)
    handles, labels = fig.axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        loc="outside upper center",
        ncol=len(labels),
        fontsize=13,
        frameon=False,
    )
    return fig


def png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def band_text(row: pd.Series, share: bool, signed: bool = False) -> str:
    """median (5% to 95%), formatted as the CLI formats it."""
    return (
        f"{fmt(row['median'], share, signed)} "
        f"({fmt(row['p05'], share, signed)} to {fmt(row['p95'], share, signed)})"
    )


def summary_table(tables: ComparisonTables) -> pd.DataFrame:
    """One row per indicator; per regime its median and 5-95 % band, and for each regime but the
    baseline the paired difference against the baseline on the same seeds."""
    rows = []
    for outcome in tables.outcomes:
        share = is_share(outcome)
        row = {"indicator": OUTCOME_TITLES.get(outcome, LABELS.get(outcome, outcome))}
        for regime in tables.regimes:
            b = tables.bands[
                (tables.bands["regime"] == regime) & (tables.bands["outcome"] == outcome)
            ]
            row[regime_label(regime)] = band_text(b.iloc[0], share) if len(b) else "-"
        for regime in tables.regimes:
            if regime == tables.baseline:
                continue
            d = tables.differences[
                (tables.differences["regime"] == regime)
                & (tables.differences["outcome"] == outcome)
            ]
            row[f"{regime_label(regime)} minus {regime_label(tables.baseline)}"] = (
                band_text(d.iloc[0], share, signed=True) if len(d) else "-"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def html_table(df: pd.DataFrame) -> str:
    """The summary table as HTML: in each cell the median, and the band below it in small type."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    rows = []
    for values in df.itertuples(index=False):
        cells = []
        for value in values:
            text = html.escape(str(value))
            median, sep, band = text.partition(" (")
            cell = f'{median} <span class="hs-band">({band}</span>' if sep else text
            cells.append(f"<td>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<table class="hs-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def cost_table(costs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Public cost and cost-effectiveness per regime in words (empty if nothing costs)."""
    if costs.empty or not (costs["cost_median"].fillna(0) > 0).any():
        return pd.DataFrame()
    rows = []
    for _, c in costs.iterrows():
        row = {
            "regime": regime_label(c["regime"]),
            "public cost of the levers (US$, whole run)": (
                f"{fmt(c['cost_median'], False)} ({fmt(c['cost_p05'], False)} to "
                f"{fmt(c['cost_p95'], False)})"
            ),
            f"extra cost vs {regime_label(baseline)} (US$, median)": (
                "(baseline)"
                if c["regime"] == baseline
                else fmt(c["extra_cost_median"], False, True)
            ),
        }
        for key, words in EFFECTS.items():
            value = c[f"usd_per_{key}"]
            row[f"US$ per {words}"] = fmt_per_unit(value)
        rows.append(row)
    return pd.DataFrame(rows)
