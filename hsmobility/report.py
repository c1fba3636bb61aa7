"""Figures for one run (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from hsmobility.world.households import STATUS_NAMES  # noqa: E402

STATUS_COLOURS = {
    "home": "#4c956c",
    "returned": "#a7c957",
    "moved_internal": "#f2a65a",
    "relocated": "#9c6644",
    "displaced": "#d62828",
    "abroad": "#457b9d",
}


def month_dates(monthly: pd.DataFrame) -> pd.Series:
    """The first day of each row's month, for a calendar x-axis."""
    return pd.to_datetime(
        pd.DataFrame({"year": monthly["year"], "month": monthly["month"], "day": 1})
    )


def run_figure(monthly: pd.DataFrame, title: str, path: Path) -> Path:
    """Households by status (stacked) and displaced people, with cyclone strikes marked."""
    t = month_dates(monthly)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, constrained_layout=True)
    order = ["home", "returned", "moved_internal", "relocated", "displaced", "abroad"]
    assert set(order) == set(STATUS_NAMES)
    ax1.stackplot(
        t,
        [monthly[f"households_{s}"] for s in order],
        labels=[s.replace("_", " ") for s in order],
        colors=[STATUS_COLOURS[s] for s in order],
    )
    ax1.set_ylabel("households")
    ax1.set_title(title)
    ax1.legend(loc="upper left", fontsize=8, ncols=3)
    ax2.fill_between(
        t,
        monthly["displaced_people"],
        color=STATUS_COLOURS["displaced"],
        alpha=0.7,
        label="displaced people",
    )
    ax2.plot(
        t,
        monthly["severely_damaged_people"],
        color="black",
        lw=1,
        label="people in severely damaged homes",
    )
    strikes = monthly["cyclone_category"] >= 0
    for x, cat in zip(t[strikes], monthly.loc[strikes, "cyclone_category"], strict=True):
        ax2.axvline(x, color="grey", lw=0.6, ls=":")
        cat = int(cat)
        ax2.annotate(
            "TS" if cat == 0 else f"C{cat}",
            (x, 1),
            xycoords=("data", "axes fraction"),
            fontsize=7,
            ha="center",
            va="top",
            color="grey",
        )
    ax2.set_ylabel("people")
    # calendar dates, not decimal years: a short hindcast reads "2017-09", not "2017.67"
    locator = mdates.AutoDateLocator()
    ax2.xaxis.set_major_locator(locator)
    ax2.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax2.set_xlabel("date")
    ax2.legend(loc="upper right", fontsize=8)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
