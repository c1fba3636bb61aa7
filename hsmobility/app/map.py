"""The live page's pictures: a map of the islands with households as dots coloured by status, and
small live charts, written as SVG (a string built from the numbers: matplotlib took 0.5-2 s a
figure on this loaded machine, too slow to play)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from hsmobility.app.figures import PALETTE

#: household statuses drawn on the map, in plain words, with an Okabe-Ito colour each
STATUS_STYLE: dict[str, tuple[str, str]] = {
    "home": ("At home", "#56B4E9"),
    "displaced_shelter": ("Displaced: shelter", "#D55E00"),
    "displaced_host_family": ("Displaced: host family", "#E69F00"),
    "displaced_other_island": ("Displaced: other island", "#CC79A7"),
    "displaced_abroad": ("Displaced: abroad", "#882255"),
    "moved_internal": ("Moved within the country", "#009E73"),
    "relocated": ("Relocated (planned)", "#0072B2"),
    "returned": ("Returned home", "#999999"),
    "abroad": ("Moved abroad", "#000000"),
}
GOLDEN = np.pi * (3 - np.sqrt(5))
MAX_DOTS = 100  # dots on the most populous island


def dot_unit(status: pd.DataFrame) -> int:
    """Households per dot: a round number so the largest island has at most MAX_DOTS dots."""
    cols = [c for c in STATUS_STYLE if c in status]
    biggest = int(status[cols].sum(axis=1).max()) if len(status) else 1
    raw = max(1.0, biggest / MAX_DOTS)
    for unit in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if unit >= raw:
            return unit
    return int(np.ceil(raw / 10000) * 10000)


def island_dots(row: dict[str, Any], unit: int) -> tuple[list[str], int]:
    """The dots' colours for one island (status order) and how many of them are trapped."""
    colours: list[str] = []
    for col, (_, colour) in STATUS_STYLE.items():
        colours += [colour] * int(round(float(row.get(col, 0)) / unit))
    return colours, int(round(float(row.get("trapped", 0)) / unit))


def _xy(status: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = status["lon"].to_numpy(float), status["lat"].to_numpy(float)
    if len(lon) and np.ptp(lon) > 180:  # a setting across the date line (Fiji)
        lon = lon % 360
    return lon, lat


def svg_map(
    status: pd.DataFrame,
    title: str,
    storms: Sequence[tuple[str, int, str]] = (),
    unit: int | None = None,
    size: tuple[int, int] = (640, 470),
) -> str:
    """Islands at their coordinates (north up, same scale both ways); households of each island
    as a sunflower of dots around it (one dot = ``unit`` households, coloured by status);
    trapped households ringed in black; each storm passing this month as a dashed circle on the
    island it hits hardest (island, category, name). An SVG string: drawing it costs the server
    next to nothing, so a session can play several months a second."""
    unit = unit or dot_unit(status)
    width, height = size
    top, pad = 34, 60
    lon, lat = _xy(status)
    x0, x1 = float(lon.min()), float(lon.max())
    y0, y1 = float(lat.min()), float(lat.max())
    k = min((width - 2 * pad) / max(x1 - x0, 1e-6), (height - top - 2 * pad) / max(y1 - y0, 1e-6))
    k = min(k, 400.0)
    cx = width / 2 + (lon - (x0 + x1) / 2) * k
    cy = top + (height - top) / 2 - (lat - (y0 + y1) / 2) * k
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="map of the islands">',
        f'<rect width="{width}" height="{height}" fill="#f4f8fb"/>',
        f'<text x="{width / 2}" y="22" text-anchor="middle" font-size="17" '
        f'font-weight="bold">{html.escape(title)} · one dot = {unit} '
        f"household{'s' if unit > 1 else ''}</text>",
    ]
    index = {n: i for i, n in enumerate(status["island"])}
    for island, category, name in storms:
        i = index.get(island)
        if i is None:
            continue
        what = f"Category {category} cyclone" if category else "Tropical storm"
        out.append(
            f'<circle cx="{cx[i]:.1f}" cy="{cy[i]:.1f}" r="70" fill="#D55E00" '
            'fill-opacity="0.12" stroke="#D55E00" stroke-width="3" stroke-dasharray="8 5"/>'
            f'<text x="{cx[i]:.1f}" y="{cy[i] - 76:.1f}" text-anchor="middle" font-size="16" '
            f'font-weight="bold" fill="#A04000">{html.escape(f"{what} {name}".strip())}</text>'
        )
    dots: dict[str, list[str]] = {c: [] for _, c in STATUS_STYLE.values()}
    rings: list[str] = []
    labels: list[tuple[float, float, str, bool]] = []
    for i, row in enumerate(status.itertuples(index=False)):
        colours, trapped = island_dots(row._asdict(), unit)
        n = np.arange(len(colours))
        r = 6.4 * np.sqrt(n + 0.5)
        xs = cx[i] + r * np.cos(n * GOLDEN)
        ys = cy[i] + r * np.sin(n * GOLDEN)
        for x, y, c in zip(xs, ys, colours, strict=True):
            dots[c].append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.3"/>')
        for x, y in zip(xs[:trapped], ys[:trapped], strict=True):
            rings.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.6"/>')
        radius = float(r[-1]) if len(r) else 0.0
        labels.append((float(cx[i]), float(cy[i]) + radius + 17, str(row.island), row.capital))
    for colour, items in dots.items():
        if items:
            out.append(f'<g fill="{colour}">' + "".join(items) + "</g>")
    if rings:
        out.append('<g fill="none" stroke="black" stroke-width="1.5">' + "".join(rings) + "</g>")
    placed: list[tuple[float, float, float]] = []
    for x, y, name, capital in labels:  # drawn over the dots, moved down to clear each other
        half = 4.3 * len(name)
        while any(abs(x - px) < half + ph and abs(y - py) < 16 for px, py, ph in placed):
            y += 16
        placed.append((x, y, half))
        weight = "bold" if bool(capital) else "normal"
        out.append(
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="15" '
            f'font-weight="{weight}" stroke="white" stroke-width="3" paint-order="stroke">'
            f"{html.escape(name)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


#: live chart panels: title, columns (label, column), unit
CHARTS = (
    ("Displaced from home (people)", (("people", "displaced_people"),)),
    ("Trapped households", (("households", "households_trapped"),)),
    (
        "Moves this month (households)",
        (
            ("abroad", "moves_abroad"),
            ("in country", "moves_internal"),
            ("relocation", "moves_relocation"),
        ),
    ),
    ("Residents (people)", (("people", "residents"),)),
)
DASHES = ("", "7 4")


def _num(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"


def svg_charts(
    runs: Sequence[tuple[str, pd.DataFrame]],
    fork_month: int | None = None,
    size: tuple[int, int] = (640, 420),
) -> str:
    """The four live charts (one run, or the two branches of a fork: solid and dashed) as SVG."""
    width, height = size
    pw, ph = width / 2, height / 2
    left, right, top, bottom = 58, 10, 26, 24
    n = max((len(df) for _, df in runs), default=0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="live charts" font-size="13">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for p, (title, cols) in enumerate(CHARTS):
        ox, oy = (p % 2) * pw, (p // 2) * ph
        w, h = pw - left - right, ph - top - bottom
        series = [
            (r, c, df[col].to_numpy(float))
            for r, (_, df) in enumerate(runs)
            for c, (_, col) in enumerate(cols)
            if col in df
        ]
        top_value = max([float(v.max()) for _, _, v in series if len(v)] + [1.0])
        top_value *= 1.1

        def x(i: float, ox: float = ox, w: float = w) -> float:
            return ox + left + (i / max(n - 1, 1)) * w

        def y(v: float, oy: float = oy, h: float = h, top_value: float = top_value) -> float:
            return oy + top + h - (v / top_value) * h

        out.append(
            f'<text x="{ox + left}" y="{oy + 17}" font-weight="bold" font-size="15">'
            f"{html.escape(title)}</text>"
            f'<rect x="{ox + left}" y="{oy + top}" width="{w}" height="{h}" fill="none" '
            'stroke="#999"/>'
            f'<text x="{ox + left - 4}" y="{oy + top + 10}" text-anchor="end">'
            f"{_num(top_value)}</text>"
            f'<text x="{ox + left - 4}" y="{oy + top + h}" text-anchor="end">0</text>'
            f'<text x="{ox + left + w}" y="{oy + top + h + 16}" text-anchor="end">'
            f"month {n}</text>"
        )
        if fork_month is not None and n > 1:
            fx = x(fork_month - 0.5)
            out.append(
                f'<line x1="{fx:.1f}" x2="{fx:.1f}" y1="{oy + top}" y2="{oy + top + h}" '
                'stroke="#555" stroke-dasharray="2 3"/>'
            )
        for r, c, v in series:
            if not len(v):
                continue
            colour = PALETTE[c] if len(cols) > 1 else PALETTE[r]
            pts = " ".join(f"{x(i):.1f},{y(val):.1f}" for i, val in enumerate(v))
            dash = f' stroke-dasharray="{DASHES[r % 2]}"' if DASHES[r % 2] else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>'
            )
        if len(cols) > 1:
            for c, (label, _) in enumerate(cols):
                out.append(
                    f'<text x="{ox + left + 6}" y="{oy + top + 15 + 15 * c}" '
                    f'fill="{PALETTE[c]}" font-weight="bold">{html.escape(label)}</text>'
                )
    out.append("</svg>")
    return "".join(out)
