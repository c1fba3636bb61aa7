"""Headings, forward speeds and intensities of storms near each setting, from best-track archives.

Offline helper (not used at run time; it downloads nothing). It reads files fetched by hand:

* HURDAT2 (NHC Atlantic best track) as text, e.g. the 1970-2018 copy in
  github.com/apatel726/HurricaneDissertation, ``hurricane_ai/data/source/hurdat2.txt``;
* IBTrACS v04r00 as netCDF (``IBTrACS.SP.v04r00.nc``, and optionally an ``ALL`` file), read with
  ``h5py`` (install it in a scratch environment; it is not a dependency of the model).

For every setting whose season matches the archive it takes the storms with a 6-hourly fix of
tropical-storm strength (>= 34 kt, 1-minute wind: HURDAT2's, IBTrACS's USA_WIND) within the
setting's ``radius_km`` of its centre (the centroid of its islands, as the model's projection),
and its passage through that circle from the consecutive 6-hourly fixes whose midpoints lie in
it: the heading from the first to the last of those fixes (initial great-circle bearing) and
the forward speed along them (great-circle path length / hours). One heading and one speed per
storm, as the model draws them. It prints the heading shares in twelve 30-degree sectors, the
circular mean and circular sd, the median speed and log sd, and the Saffir-Simpson category
shares at closest approach, as TOML lines to copy into the setting files.

    python scripts/best_track_climate.py --hurdat2 hurdat2.txt --ibtracs IBTrACS.SP.v04r00.nc \
        [--ibtracs-all IBTrACS_ALL_3yrs.nc] [--first 1970 --last 2022]
"""

from __future__ import annotations

import argparse
import math
from dataclasses import dataclass, field

import numpy as np

from hsmobility.config.scenario import available_settings, load_setting
from hsmobility.world.geography import EARTH_RADIUS_KM

SECTORS = 12
#: Saffir-Simpson lower bounds, kt (1-minute wind): TS, cat 1..5
CATEGORY_KT = (34, 64, 83, 96, 113, 137)


@dataclass
class Storm:
    """One storm's 6-hourly fixes: hours since its first fix, lat, lon, 1-min wind (kt)."""

    sid: str
    season: int
    hours: list[float] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    wind: list[float] = field(default_factory=list)


def read_hurdat2(path: str) -> list[Storm]:
    """HURDAT2 text: a header line per storm, then its fixes (synoptic hours only)."""
    storms: list[Storm] = []
    with open(path) as fh:
        lines = fh.read().splitlines()
    i = 0
    while i < len(lines):
        head = [x.strip() for x in lines[i].split(",")]
        n = int(head[2])
        storm = Storm(head[0], int(head[0][4:8]))
        for line in lines[i + 1 : i + 1 + n]:
            f = [x.strip() for x in line.split(",")]
            if f[1][2:] != "00" or int(f[1][:2]) % 6:
                continue
            day = np.datetime64(f"{f[0][:4]}-{f[0][4:6]}-{f[0][6:8]}T{f[1][:2]}:00")
            lat = float(f[4][:-1]) * (1 if f[4][-1] == "N" else -1)
            lon = float(f[5][:-1]) * (1 if f[5][-1] == "E" else -1)
            storm.hours.append(
                float((day - np.datetime64("1850-01-01T00:00")) / np.timedelta64(1, "h"))
            )
            storm.lat.append(lat)
            storm.lon.append(lon)
            storm.wind.append(float(f[6]))
        storms.append(storm)
        i += 1 + n
    return storms


def read_ibtracs(path: str, basins: tuple[str, ...] = ()) -> list[Storm]:
    """IBTrACS netCDF: main tracks, combined positions, USA_WIND, synoptic hours only."""
    import h5py  # noqa: PLC0415 (only this offline script needs it)

    with h5py.File(path, "r") as f:
        time = f["time"][:]
        lat, lon = f["lat"][:], f["lon"][:]
        wind = f["usa_wind"][:].astype(float)
        season = f["season"][:]
        sid = [b"".join(r).decode() for r in f["sid"][:]]
        ttype = [b"".join(r).decode() for r in f["track_type"][:]]
        basin = [b"".join(r).decode() for r in f["basin"][:, 0, :]] if basins else []
    storms = []
    for k in range(len(sid)):
        if not ttype[k].startswith("main"):
            continue
        if basins and basin[k] not in basins:
            continue
        hours = time[k] * 24.0
        ok = (time[k] > -1e6) & (np.abs(np.round(hours) % 6) < 1e-6) & (lat[k] > -1000)
        w = np.where(wind[k] < 0, np.nan, wind[k])
        storms.append(
            Storm(
                sid[k],
                int(season[k]),
                list(hours[ok]),
                list(lat[k][ok]),
                list(lon[k][ok]),
                list(w[ok]),
            )
        )
    return storms


def _gc(lat1, lon1, lat2, lon2):
    """Great-circle distance (km) and initial bearing (degrees) between two points."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    dist = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    bearing = np.degrees(
        np.arctan2(
            np.sin(dl) * np.cos(p2), np.cos(p1) * np.sin(p2) - np.sin(p1) * np.cos(p2) * np.cos(dl)
        )
    )
    return dist, bearing % 360.0


def climate_near(
    storms: list[Storm], lat0: float, lon0: float, radius_km: float, first: int, last: int
) -> dict:
    """Headings, speeds and category at closest approach of storms passing within the circle."""
    headings, speeds, weights, cats, sids, seasons = [], [], [], [], [], set()
    for s in storms:
        if not first <= s.season <= last or len(s.hours) < 2:
            continue
        lat, lon = np.array(s.lat), np.array(s.lon)
        wind, hours = np.array(s.wind), np.array(s.hours)
        d, _ = _gc(lat0, lon0, lat, lon)
        near = d <= radius_km
        if not (near & (wind >= CATEGORY_KT[0])).any():
            continue
        mid_lat = (lat[:-1] + lat[1:]) / 2
        mid_lon = lon[:-1] + (((lon[1:] - lon[:-1]) + 180) % 360 - 180) / 2
        dm, _ = _gc(lat0, lon0, mid_lat, mid_lon)
        six = np.abs(np.diff(hours) - 6.0) < 1e-6
        seg = (dm <= radius_km) & six
        if not seg.any():
            continue
        dist, _ = _gc(lat[:-1], lon[:-1], lat[1:], lon[1:])
        idx = np.flatnonzero(seg)
        # the storm's passage: net heading from its first to its last fix in the circle, and
        # its path length over the time taken (its forward speed along the path)
        a, b = idx[0], idx[-1] + 1
        _, bearing = _gc(lat[a], lon[a], lat[b], lon[b])
        speed = dist[idx].sum() / (6.0 * len(idx))
        if speed <= 0:
            continue
        headings.append(float(bearing))
        speeds.append(float(speed))
        weights.append(1.0)
        closest = int(np.nanargmin(np.where(near, d, np.inf)))
        v = wind[closest]
        cats.append(
            int(np.searchsorted(CATEGORY_KT, v, side="right")) - 1 if np.isfinite(v) else -1
        )
        sids.append(s.sid)
        seasons.add(s.season)
    if not sids:
        return {"storms": 0, "segments": 0}
    h, sp, w = np.radians(headings), np.array(speeds), np.array(weights)
    w = w / w.sum()
    c, sn = (w * np.cos(h)).sum(), (w * np.sin(h)).sum()
    r = math.hypot(c, sn)
    shares, _ = np.histogram(np.degrees(h) % 360, bins=SECTORS, range=(0, 360), weights=w)
    logs = np.log(sp)
    mu = (w * logs).sum()
    cat = np.array(cats)
    return {
        "storms": len(sids),
        "segments": len(headings),
        "mean_deg": math.degrees(math.atan2(sn, c)) % 360,
        "circ_sd_deg": math.degrees(math.sqrt(-2 * math.log(min(r, 1.0)))),
        "shares": shares,
        "median_kmh": math.exp(mu),
        "log_sd": math.sqrt((w * (logs - mu) ** 2).sum()),
        "category": {k: float((cat == k).mean()) for k in range(-1, 6)},
    }


def centre(setting) -> tuple[float, float]:
    """The model's projection centre: the islands' mean latitude and (unwrapped) longitude."""
    lon = np.array([i.lon for i in setting.islands], dtype=float)
    lon = np.where(lon - lon[0] > 180, lon - 360, np.where(lon - lon[0] < -180, lon + 360, lon))
    lat = np.array([i.lat for i in setting.islands], dtype=float)
    return float(lat.mean()), float((lon.mean() + 180) % 360 - 180)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--hurdat2")
    ap.add_argument("--ibtracs", help="IBTrACS South Pacific netCDF (SP)")
    ap.add_argument(
        "--ibtracs-all", help="an IBTrACS ALL netCDF: its WP storms, for the North Pacific"
    )
    ap.add_argument("--first", type=int, default=1970)
    ap.add_argument("--last", type=int, default=2022)
    args = ap.parse_args()
    archives = {}
    if args.hurdat2:
        archives["north-atlantic"] = ("HURDAT2", read_hurdat2(args.hurdat2))
    if args.ibtracs:
        archives["south-pacific"] = ("IBTrACS SP v04r00", read_ibtracs(args.ibtracs))
    wp = read_ibtracs(args.ibtracs_all, ("WP",)) if args.ibtracs_all else None
    for name in available_settings():
        setting = load_setting(name)
        lat0, lon0 = centre(setting)
        radius = setting.cyclones.radius_km
        runs = []
        if setting.cyclones.season in archives:
            runs.append(archives[setting.cyclones.season])
        if wp is not None and lat0 > 0 and setting.cyclones.season == "south-pacific":
            runs.append(("IBTrACS ALL (WP storms)", wp))
        for label, storms in runs:
            st = climate_near(storms, lat0, lon0, radius, args.first, args.last)
            print(
                f"# {name}: {label}, seasons {args.first}-{args.last}, "
                f"centre {lat0:.2f}, {lon0:.2f}, "
                f"within {radius:g} km: {st['storms']} storms, {st['segments']} passages"
            )
            if not st["storms"]:
                continue
            print(
                f"#   circular mean {st['mean_deg']:.0f} deg, "
                f"circular sd {st['circ_sd_deg']:.0f} deg; "
                f"speed median {st['median_kmh']:.1f} km/h, log sd {st['log_sd']:.2f}"
            )
            cat = st["category"]
            hur = sum(cat[k] for k in range(1, 6))
            strong = hur + cat[0]
            print(
                f"#   under 34 kt (or no wind) at the nearest fix: {cat[-1]:.2f}; "
                f"hurricanes among the others {hur / strong if strong else 0:.2f}"
            )
            print(
                "#   at closest approach: TS "
                + f"{cat[0]:.2f}, cat 1-5 "
                + " / ".join(f"{cat[k]:.2f}" for k in range(1, 6))
                + f" (hurricane share {hur:.2f})"
            )
            print("heading_shares = [" + ", ".join(f"{x:.3f}" for x in st["shares"]) + "]")
            print(f"speed_median_kmh = {st['median_kmh']:.1f}")
            print(f"speed_log_sd = {st['log_sd']:.2f}")


if __name__ == "__main__":
    main()
