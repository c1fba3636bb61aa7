"""The run figure: a calendar x-axis, so a short hindcast reads in months, not decimal years."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from hsmobility import report
from hsmobility.world.households import STATUS_NAMES


def _monthly(months: int) -> pd.DataFrame:
    idx = pd.period_range("2017-08", periods=months, freq="M")
    frame = {f"households_{s}": [10] * months for s in STATUS_NAMES}
    frame |= {
        "year": idx.year,
        "month": idx.month,
        "displaced_people": [0] * months,
        "severely_damaged_people": [0] * months,
        "cyclone_category": [-1, 5] + [-1] * (months - 2),
    }
    return pd.DataFrame(frame)


def test_month_dates_are_first_of_month():
    dates = report.month_dates(_monthly(3))
    assert list(dates) == [pd.Timestamp("2017-08-01"), pd.Timestamp("2017-09-01"),
                           pd.Timestamp("2017-10-01")]  # fmt: skip


def test_short_run_ticks_are_calendar_labels(tmp_path: Path, monkeypatch):
    seen = {}
    real_close = plt.close

    def keep(fig):
        fig.canvas.draw()
        seen["labels"] = [t.get_text() for t in fig.axes[1].get_xticklabels()]
        real_close(fig)

    monkeypatch.setattr(report.plt, "close", keep)
    out = report.run_figure(_monthly(24), "test", tmp_path / "f.png")
    assert out.exists()
    labels = [x for x in seen["labels"] if x]
    assert labels, "no tick labels"
    assert not any("." in x for x in labels), labels  # no decimal years such as 2017.67
    assert "2018" in labels
