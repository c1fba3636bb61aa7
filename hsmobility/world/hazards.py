"""Hazards: tropical cyclones, storm surge, sea-level rise, king tides, ENSO drought.

The whole hazard history of a run is drawn at start-up from a random stream keyed only by the
seed and the setting, never by the policy regime: regimes compared on one seed face the very same
storms (common random numbers). The climate pathway acts through the draws, not the stream: each
season consumes a fixed number of draws, and intensity and frequency enter through inverse CDFs
of those draws, so that a stronger climate makes the *same* storms stronger (and the same tides
come more often as the sea rises) rather than drawing different ones.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from scipy.spatial import Delaunay
from scipy.special import ndtri
from scipy.stats import poisson

from hsmobility.config.params import Parameters
from hsmobility.config.schemas import (
    DroughtEvent,
    EvacuationOrder,
    KingTide,
    Refuge,
    Scenario,
    ScenarioError,
    ScriptedEvent,
    Setting,
    Swell,
    VolcanicEruption,
)
from hsmobility.world.geography import (
    EARTH_RADIUS_KM,
    ExposurePoints,
    exposure_points,
    island_xy_km,
    project_km,
)

#: storm slots drawn per season, whatever the frequency (keeps the stream aligned)
MAX_STORMS_PER_SEASON = 16
#: the year whose sea level "today" figures (king-tide chance, elevations) refer to
REFERENCE_YEAR = 2025
ENSO_NEUTRAL, ENSO_EL_NINO, ENSO_LA_NINA = 0, 1, 2


def stable_key(text: str) -> int:
    """A process-independent integer for a name (Python's hash() is salted per process)."""
    return zlib.crc32(text.encode("utf-8"))


@dataclass
class Cyclone:
    """One storm as it touched the setting."""

    step: int
    category: int
    #: 1-minute sustained wind felt on each island, m/s (the highest over its exposure points)
    wind_ms: np.ndarray
    name: str = ""
    origin: str = "stochastic"  # stochastic | scripted | injected
    #: wind felt at each exposure point (world.geography.ExposurePoints), m/s; None = each
    #: point feels its island's wind
    point_wind_ms: np.ndarray | None = None
    #: distance of each island's coordinates from the storm's track, km (drawn storms only)
    track_distance_km: np.ndarray | None = None
    #: storm-total rain at each exposure point, mm (:func:`storm_rain_mm`); None = no rain
    point_rain_mm: np.ndarray | None = None
    #: a drawn storm's heading (degrees clockwise from north) and forward speed, km/h
    heading_deg: float | None = None
    speed_kmh: float | None = None
    #: a drawn storm's distance from each exposure point, km, and whether its centre crossed
    #: a large island's land
    point_distance_km: np.ndarray | None = None
    landfall: bool = False

    @property
    def hardest_hit(self) -> int:
        return int(np.argmax(self.wind_ms))


@dataclass
class Order:
    """An evacuation order: islands ordered out on a step, to refuges with room, until lifted."""

    step: int
    #: indices of the islands ordered out
    islands: list[int]
    #: (island index, people it can take in), filled in this order
    destinations: list[tuple[int, int]]
    #: first step from which evacuees may go home (None = not within the run)
    lifted_step: int | None = None
    name: str = ""
    origin: str = "scripted"


@dataclass
class Eruption:
    """A volcanic eruption: a share of an island's households in an exclusion zone, closed for
    ``months`` from ``step``."""

    step: int
    island: int
    exclusion_share: float
    months: int
    #: (island index, people it can take in); empty = host families on the island, or the refuge
    destinations: list[tuple[int, int]] = field(default_factory=list)
    name: str = ""
    origin: str = "scripted"


@dataclass
class MonthHazards:
    """The hazards of the month in progress, per island."""

    wind_ms: np.ndarray  # highest cyclone wind felt, m/s (0 = none)
    king_tide: np.ndarray  # bool: a king tide floods the low-lying band
    drought: bool
    storms: list[Cyclone] = field(default_factory=list)
    #: scripted swell, surge or king tide: water above today's high spring tide, m (None = none)
    flood_m: np.ndarray | None = None
    #: evacuation orders issued this month, and those lifted this month
    orders: list[Order] = field(default_factory=list)
    lifted: list[Order] = field(default_factory=list)
    eruptions: list[Eruption] = field(default_factory=list)
    #: plain-words lines for events that start this month (droughts)
    notices: list[str] = field(default_factory=list)
    #: highest cyclone wind felt at each exposure point, m/s (None = the island's wind)
    point_wind_ms: np.ndarray | None = None
    #: storm rain at each exposure point this month, mm (None = none)
    point_rain_mm: np.ndarray | None = None


@dataclass
class HazardSeries:
    """Month-by-month hazards of a run (index = model step)."""

    year: np.ndarray
    month: np.ndarray
    #: local relative sea level above the 1995-2014 mean, m
    slr_m: np.ndarray
    #: sea level above that of REFERENCE_YEAR ("today"), m
    slr_since_today_m: np.ndarray
    enso: np.ndarray
    drought: np.ndarray
    #: months x islands: a king tide floods the low-lying band
    king_tide: np.ndarray
    #: months x islands: highest cyclone wind felt, m/s (0 = none)
    wind_ms: np.ndarray
    cyclones: list[Cyclone] = field(default_factory=list)
    #: months x islands: scripted swell, surge or king tide, water above today's high tide, m
    flood_m: np.ndarray | None = None
    orders: list[Order] = field(default_factory=list)
    eruptions: list[Eruption] = field(default_factory=list)
    #: step -> plain-words lines of events starting then
    notices: dict[int, list[str]] = field(default_factory=dict)
    #: island of each exposure point (None = one point per island, the island itself)
    point_island: np.ndarray | None = None
    #: months x exposure points: highest cyclone wind felt, m/s
    point_wind_ms: np.ndarray | None = None
    #: months x exposure points: storm rain, mm (the month's storms' totals added)
    point_rain_mm: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.flood_m is None:
            self.flood_m = np.zeros_like(self.wind_ms)
        if self.point_island is None:
            self.point_island = np.arange(self.wind_ms.shape[1])
        if self.point_wind_ms is None:
            self.point_wind_ms = self.wind_ms[:, self.point_island].copy()
        if self.point_rain_mm is None:
            self.point_rain_mm = np.zeros_like(self.point_wind_ms)

    def add(self, cyclone: Cyclone) -> None:
        """Record a storm (also used for scripted and injected events)."""
        self.cyclones.append(cyclone)
        t = cyclone.step
        self.wind_ms[t] = np.maximum(self.wind_ms[t], cyclone.wind_ms)
        felt = cyclone.point_wind_ms
        if felt is None or len(felt) != len(self.point_island):
            felt = cyclone.wind_ms[self.point_island]
        self.point_wind_ms[t] = np.maximum(self.point_wind_ms[t], felt)
        rain = cyclone.point_rain_mm
        if rain is not None and len(rain) == len(self.point_island):
            self.point_rain_mm[t] = self.point_rain_mm[t] + rain

    def at(self, t: int) -> MonthHazards:
        """The hazards of step ``t`` (copies: a phase may not change the series)."""
        return MonthHazards(
            wind_ms=self.wind_ms[t].copy(),
            king_tide=self.king_tide[t].copy(),
            drought=bool(self.drought[t]),
            storms=[c for c in self.cyclones if c.step == t],
            flood_m=self.flood_m[t].copy() if self.flood_m[t].any() else None,
            orders=[o for o in self.orders if o.step == t],
            lifted=[o for o in self.orders if o.lifted_step == t],
            eruptions=[e for e in self.eruptions if e.step == t],
            notices=list(self.notices.get(t, [])),
            point_wind_ms=self.point_wind_ms[t].copy(),
            point_rain_mm=self.point_rain_mm[t].copy() if self.point_rain_mm[t].any() else None,
        )

    def fingerprint(self) -> str:
        """A digest of the whole series, to check that two runs saw the same hazards.

        Floats enter rounded to 1e-9: numpy's vectorised exp and power pick their SIMD path by
        the processor, so the same storms differ in their last bits (~1e-17 m/s) between
        machines, and a cluster's workers must still agree that they saw the same hazards."""
        h = hashlib.sha256()
        for arr in (self.slr_m, self.enso, self.drought, self.king_tide, self.wind_ms,
                    self.point_wind_ms):  # fmt: skip
            a = np.asarray(arr)
            if a.dtype.kind == "f":
                a = np.round(a, 9) + 0.0  # + 0.0: -0.0 and 0.0 alike
            h.update(np.ascontiguousarray(a).tobytes())
        return h.hexdigest()


def sea_level_series(
    years: np.ndarray, setting: Setting, scenario: Scenario, params: Parameters
) -> np.ndarray:
    """Local relative sea level (m above 1995-2014): AR6 global median + local rate.

    The global curve is the quadratic through 0 in 2005 and the AR6 medians of 2050 and 2100.
    """
    v50 = params.climate.slr_2050[scenario.ssp]
    v100 = params.climate.slr_2100[scenario.ssp]
    # solve a*45 + b*45^2 = v50, a*95 + b*95^2 = v100
    a, b = np.linalg.solve(np.array([[45.0, 45.0**2], [95.0, 95.0**2]]), np.array([v50, v100]))
    t = years - 2005.0
    local = setting.sea_level.local_rate_mm_per_year / 1000.0 * t
    return a * t + b * t**2 + local


def cyclone_climate(scenario: Scenario, params: Parameters) -> tuple[float, float]:
    """Intensity shift and frequency change of the run: the pathway's unless the scenario says."""
    shift = scenario.cyclone_intensity_shift
    if shift is None:
        shift = params.climate.intensity_shift[scenario.ssp]
    freq = scenario.cyclone_frequency_change
    if freq is None:
        freq = params.climate.frequency_change[scenario.ssp]
    return float(shift), float(freq)


def category_cdf(params: Parameters, shift: float) -> np.ndarray:
    """CDF over hurricane categories 1..5, tilted towards higher ones by ``shift``."""
    w = np.asarray(params.cyclones.category_weights) * np.exp(shift * np.arange(5))
    return np.cumsum(w) / w.sum()


def radius_max_wind_km(vmax: float, lat_deg: np.ndarray | float, params: Parameters) -> np.ndarray:
    """Radius of maximum wind, km: smaller for stronger storms, larger away from the equator
    (Willoughby, Darling & Rahn 2006, eq. 7a)."""
    pc = params.cyclones
    return pc.rmax_km * np.exp(-pc.rmax_wind_coef * vmax + pc.rmax_lat_coef * np.abs(lat_deg))


#: Earth's angular velocity, rad/s (for the Coriolis parameter f = 2 Ω sin|lat|)
EARTH_OMEGA = 7.292e-5


def holland_b(
    vmax: np.ndarray | float,
    lat_deg: np.ndarray | float,
    speed_kmh: np.ndarray | float,
    params: Parameters,
) -> np.ndarray:
    """Holland's shape parameter b of a storm of 1-minute surface wind ``vmax`` (m/s) at
    ``lat_deg`` moving at ``speed_kmh``: Holland (2008)'s surface b_s = c0 + c1 Δp + c2 Δp² +
    c3 |lat| + c4 vt^x, x = x0 (1 − Δp / x1) (Δp hPa, vt m/s; the pressure tendency term
    left out), with the pressure deficit Δp the one Holland's own relation vmax² = b_s Δp /
    (ρ e) gives (solved by bisection: the model knows a storm's wind, not its pressure), and b
    clipped to ``holland_b_range`` as CLIMADA does. Peakier (larger b) for deeper storms,
    flatter away from the equator."""
    pc = params.cyclones
    c0, c1, c2, c3, c4 = pc.holland_b_coefs
    x0, x1 = pc.holland_x_coefs
    lo_b, hi_b = pc.holland_b_range
    v = np.asarray(vmax, dtype=float)
    vt = np.minimum(np.asarray(speed_kmh, dtype=float) / 3.6, pc.translation_cap_ms)
    base = c0 + c3 * np.abs(np.asarray(lat_deg, dtype=float))
    target = v**2 * pc.air_density_kg_m3 * np.e / 100.0  # b Δp, Δp in hPa

    def b_of(dp: np.ndarray) -> np.ndarray:
        x = x0 * (1.0 - dp / x1)
        return np.clip(base + c1 * dp + c2 * dp**2 + c4 * vt**x, lo_b, hi_b)

    # b Δp rises with Δp up to the deepest storms (Δp ~ 180 hPa, vmax ~ 85 m/s)
    lo = np.zeros(np.broadcast(v, vt, base).shape)
    hi = np.full_like(lo, _HOLLAND_MAX_DP_HPA)
    for _ in range(_HOLLAND_BISECTIONS):
        mid = 0.5 * (lo + hi)
        low = b_of(mid) * mid < target
        lo, hi = np.where(low, mid, lo), np.where(low, hi, mid)
    return b_of(0.5 * (lo + hi))


#: the deepest pressure deficit searched for a storm's b (hPa; Holland 2008's b_s Δp peaks
#: near 185 hPa) and the bisection's steps (185 / 2^24 hPa: exact to the float)
_HOLLAND_MAX_DP_HPA, _HOLLAND_BISECTIONS = 185.0, 24


def holland_wind(
    vmax: np.ndarray | float,
    radius_km: np.ndarray,
    lat_deg: np.ndarray | float,
    speed_kmh: np.ndarray | float,
    params: Parameters,
    rmax_km: np.ndarray | float | None = None,
) -> np.ndarray:
    """Symmetric 1-minute surface wind at ``radius_km`` from a storm's centre, the Holland
    (1980) profile with the Coriolis term (eq. 4 with eq. 6, as CLIMADA's
    ``_stat_holland_1980``), written with the storm's maximum wind: V(r) = [vmax² (R/r)^b
    exp(1 − (R/r)^b) + (r f / 2)²]^½ − r f / 2, R the radius of maximum wind
    (``rmax_km``, e.g. a best track's, or else :func:`radius_max_wind_km`), b :func:`holland_b`.
    Rises from calm at the centre to about vmax at R, falls beyond it."""
    rmax = radius_max_wind_km(vmax, lat_deg, params) if rmax_km is None else rmax_km
    b = holland_b(vmax, lat_deg, speed_kmh, params)
    r_km = np.maximum(np.asarray(radius_km, dtype=float), 1e-3)
    xb = (rmax / r_km) ** b
    half_rf = 0.5 * r_km * 1000.0 * 2.0 * EARTH_OMEGA * np.sin(np.radians(np.abs(lat_deg)))
    return np.sqrt(np.asarray(vmax) ** 2 * xb * np.exp(1.0 - xb) + half_rf**2) - half_rf


def holland2010_wind(
    vmax: np.ndarray,
    radius_km: np.ndarray,
    rmax_km: np.ndarray,
    b: np.ndarray,
    knots_km: np.ndarray,
    knots_ms: np.ndarray,
    params: Parameters,
) -> np.ndarray:
    """Symmetric surface wind at ``radius_km`` (places, storms) from storms of maximum wind
    ``vmax``, radius of maximum wind ``rmax_km`` and Holland's b (each (1, storms)), with the
    outer profile fitted through observed winds: Holland, Belanger & Fritz (2010) eq. 6 as
    CLIMADA's ``_stat_holland_2010`` (vmax outside the brackets), V(r) = vmax [(R/r)^b
    exp(1 − (R/r)^b)]^x. Their eq. 10 (CLIMADA's ``_x_holland_2010``) makes x 0.5
    (``h10_x_inner``) inside R and linear in r from R to the radius ``r_n`` of a peripheral
    wind ``v_n`` with the x that puts v_n there; here each of ``knots_km`` (k, storms: e.g. the
    radii of 64-, 50- and 34-kt wind; NaN = none) with its wind ``knots_ms`` (k, storms) is such
    a point, x is linear between them in order of radius and held at the outermost's beyond it
    (no extrapolation past the last observation; where x would fall between two knots the log
    wind is linear instead, :func:`_piecewise_x`, so the wind never rises outwards), and never
    below ``h10_x_floor`` (CLIMADA's 0.4). A knot inside R, or of a wind at or above vmax, is
    left out. Without knots it is Holland's (2008) cyclostrophic profile (x = 0.5)."""
    pc = params.cyclones
    r = np.maximum(np.asarray(radius_km, dtype=float), 1e-3)

    def shape(radius: np.ndarray) -> np.ndarray:
        xb = (rmax_km / radius) ** b
        return xb * np.exp(1.0 - xb)

    rk = np.asarray(knots_km, dtype=float)
    vk = np.asarray(knots_ms, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        hk = shape(np.where(np.isfinite(rk) & (rk > 0), rk, 1.0))
        xk = np.log(vk / vmax) / np.log(hk)
    ok = np.isfinite(rk) & (rk > rmax_km) & (vk < vmax) & np.isfinite(xk)
    # knots in order of radius (absent ones last, at infinity), R first with x = x_inner
    rk = np.where(ok, rk, np.inf)
    order = np.argsort(rk, axis=0)
    rk = np.take_along_axis(rk, order, axis=0)
    xk = np.take_along_axis(np.where(ok, xk, np.nan), order, axis=0)
    rk = np.concatenate([np.broadcast_to(rmax_km, rk[:1].shape), rk])
    xk = np.concatenate([np.full(xk[:1].shape, pc.h10_x_inner), xk])
    # the log of the shape at the knots (0 at R) and at the places
    lk = np.log(shape(np.where(np.isfinite(rk), rk, 1e9)))
    hr = shape(r)
    x = np.full(np.broadcast_shapes(r.shape, rk[0].shape), pc.h10_x_inner)
    with np.errstate(invalid="ignore", divide="ignore"):
        x = _piecewise_x(x, r, np.log(hr), rk, xk, lk)
    x = np.maximum(x, pc.h10_x_floor)
    return vmax * hr**x


def _piecewise_x(
    x: np.ndarray, r: np.ndarray, lr: np.ndarray, rk: np.ndarray, xk: np.ndarray, lk: np.ndarray
) -> np.ndarray:
    """Holland et al.'s (2010) exponent at radii ``r`` (places, storms; ``lr`` the log of the
    profile's shape there): linear in r between the knots (``rk``, ``xk``, ``lk`` the log shape
    there: (k, storms), in order of radius, absent ones at infinity), held at the outermost's
    beyond it; ``x`` where r is inside the first knot. Where x falls from one knot to the next
    (a wide outer profile), a linear x could make the wind rise again between them, so there the
    log of the wind, x ln(shape), is linear in r instead: the profile still meets every knot and
    never rises outwards."""
    gk = xk * lk
    for j in range(len(rk)):
        lo = rk[j][None, :]
        beyond = r >= lo
        if j + 1 < len(rk):
            hi = rk[j + 1][None, :]
            last = ~np.isfinite(hi)
            inside = beyond & (r < hi)
            span = np.where(last, 1.0, hi - lo)
            t = np.where(last, 0.0, (r - lo) / span)
            rising = (xk[j + 1] >= xk[j])[None, :] | last
            step_x = np.where(last, 0.0, (xk[j + 1] - xk[j])[None, :])
            step_g = np.where(last, 0.0, (gk[j + 1] - gk[j])[None, :])
            lin_x = xk[j][None, :] + t * step_x
            lin_g = gk[j][None, :] + t * step_g
            by_g = np.where(lr < 0, lin_g / lr, xk[j][None, :])
            x = np.where(inside, np.where(rising, lin_x, by_g), x)
        else:
            x = np.where(beyond, xk[j][None, :], x)
    return x


def local_wind(
    vmax: float, distance_km: np.ndarray, params: Parameters, lat_deg: np.ndarray | float
) -> np.ndarray:
    """Strongest wind a place feels from a storm that passes ``distance_km`` from it (a straight
    track's distance, or a point storm's closest approach), over water: the Holland profile
    (:func:`holland_wind`) at that distance, or at the radius of maximum wind for a place
    nearer the track (the eyewall passes over it), at the prior forward speed
    ``translation_speed_kmh``."""
    rmax = radius_max_wind_km(vmax, lat_deg, params)
    r = np.maximum(np.asarray(distance_km, dtype=float), rmax)
    return holland_wind(vmax, r, lat_deg, params.cyclones.translation_speed_kmh, params)


def land_decay(wind: np.ndarray, hours: np.ndarray, params: Parameters) -> np.ndarray:
    """Wind ``hours`` after a storm's landfall, from its over-water ``wind`` (Kaplan & DeMaria
    1995: V(t) = Vb + (R V0 - Vb) exp(-alpha t)); never above the over-water wind."""
    pc = params.cyclones
    vb = pc.inland_floor_ms
    land = vb + (pc.landfall_wind_factor * wind - vb) * np.exp(-pc.inland_decay_per_hour * hours)
    return np.minimum(land, wind)


def inland_wind(wind: np.ndarray, inland_km: np.ndarray, params: Parameters) -> np.ndarray:
    """Wind left at places ``inland_km`` from the coast (Kaplan & DeMaria 1995 decay over the
    hours the storm takes to get there); a place on the shore keeps the over-water wind, and no
    place feels more than it."""
    hours = np.asarray(inland_km, dtype=float) / params.cyclones.translation_speed_kmh
    return np.where(np.asarray(inland_km) > 0, land_decay(wind, hours, params), wind)


def storm_winds(
    setting: Setting,
    params: Parameters,
    points: ExposurePoints,
    vmax: float,
    distance_km: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Winds of a storm of intensity ``vmax`` whose centre or track is ``distance_km`` from
    each exposure point: (per island = its highest point, per point), after inland decay and
    each island's ``wind_exposure``."""
    exposure = np.array([i.wind_exposure for i in setting.islands])[points.island]
    felt = inland_wind(local_wind(vmax, distance_km, params, points.lat), points.inland_km, params)
    felt = felt * exposure
    per_island = np.zeros(len(setting.islands))
    np.maximum.at(per_island, points.island, felt)
    return per_island, felt


def rain_rate_mm_h(vmax_ms: float, radius_km: np.ndarray, params: Parameters) -> np.ndarray:
    """Rain rate at ``radius_km`` from a storm's centre, mm/h: the R-CLIPER symmetric profile
    (Tuleya, DeMaria & Kuligowski 2007, NHC bias-adjusted coefficients): with U = 1 + (Vmax −
    35 kt) / 33 kt, the rate rises linearly from T0 at the centre to Tm at rm, then falls as
    exp(−(r − rm) / re); T0, Tm (inch/day) and rm, re (km) are each a + b U. Stronger storms
    rain harder near the centre and their rain falls off faster with distance."""
    pc = params.cyclones
    u = 1.0 + (vmax_ms / KNOT_MS - 35.0) / 33.0
    t0 = pc.rcliper_t0_in_day[0] + pc.rcliper_t0_in_day[1] * u
    tm = pc.rcliper_tm_in_day[0] + pc.rcliper_tm_in_day[1] * u
    rm = max(pc.rcliper_rm_km[0] + pc.rcliper_rm_km[1] * u, 1.0)
    re = max(pc.rcliper_re_km[0] + pc.rcliper_re_km[1] * u, 1.0)
    r = np.asarray(radius_km, dtype=float)
    inch_day = np.where(r <= rm, t0 + (tm - t0) * r / rm, tm * np.exp(-(r - rm) / re))
    return np.maximum(inch_day, 0.0) * 25.4 / 24.0


#: half-length of the track over which a place's storm rain is accumulated, km, and the step
_RAIN_TRACK_KM, _RAIN_STEP_KM = 1000.0, 2.0


def storm_rain_mm(vmax_ms: float, distance_km: np.ndarray, params: Parameters) -> np.ndarray:
    """Storm-total rain, mm, at places ``distance_km`` from a straight track (or a point storm's
    closest approach): the R-CLIPER rate integrated over the storm's pass at
    ``translation_speed_kmh`` (rain falls as long as the rain field is overhead: slower storms
    rain more). Falls with distance, rises with intensity."""
    s = np.arange(-_RAIN_TRACK_KM, _RAIN_TRACK_KM + _RAIN_STEP_KM / 2, _RAIN_STEP_KM)
    d = np.asarray(distance_km, dtype=float)
    r = np.hypot(d[..., None], s)
    hours_per_km = 1.0 / params.cyclones.translation_speed_kmh
    return rain_rate_mm_h(vmax_ms, r, params).sum(axis=-1) * _RAIN_STEP_KM * hours_per_km


#: metres per second in a knot
KNOT_MS = 0.514444


def _season_months(setting: Setting, params: Parameters) -> tuple[np.ndarray, np.ndarray]:
    """Calendar months of the cyclone season (in season order) and their shares."""
    table = (
        params.cyclones.south_pacific_months
        if setting.cyclones.season == "south-pacific"
        else params.cyclones.north_atlantic_months
    )
    start = min(table) if setting.cyclones.season == "north-atlantic" else 11
    months = sorted(table, key=lambda m: (m - start) % 12)
    shares = np.array([table[m] for m in months], dtype=float)
    return np.array(months), shares / shares.sum()


def generate_hazards(setting: Setting, scenario: Scenario, params: Parameters) -> HazardSeries:
    """Draw the hazard history of a run from the (seed, setting, pathway) stream."""
    n_months = scenario.years * 12
    n_isl = len(setting.islands)
    steps = np.arange(n_months)
    abs_month = scenario.start_year * 12 + (scenario.start_month - 1) + steps
    year, month = abs_month // 12, abs_month % 12 + 1
    # keyed by seed and setting only: the pathway changes the storms through inverse CDFs
    seq = np.random.SeedSequence([scenario.seed, stable_key(setting.name)])
    enso_rng, drought_rng, tide_rng, storm_rng = (np.random.default_rng(s) for s in seq.spawn(4))

    # sea level (deterministic)
    frac_year = year + (month - 0.5) / 12.0
    slr = sea_level_series(frac_year, setting, scenario, params)
    today = sea_level_series(np.array([REFERENCE_YEAR + 0.5]), setting, scenario, params)[0]
    slr_since_today = slr - today

    # ENSO: three-state Markov chain, started from its stationary distribution
    u = enso_rng.random((n_months, 2))
    enso = np.empty(n_months, dtype=np.int8)
    state = ENSO_NEUTRAL if u[0, 1] < 0.5 else (ENSO_EL_NINO if u[0, 1] < 0.75 else ENSO_LA_NINA)
    p_stay = params.climate.enso_persistence
    for t in range(n_months):
        if t > 0 and u[t, 0] >= p_stay:
            if state == ENSO_NEUTRAL:
                state = ENSO_EL_NINO if u[t, 1] < 0.5 else ENSO_LA_NINA
            else:
                state = ENSO_NEUTRAL
        enso[t] = state

    # drought in the ENSO phase that brings it
    dr = setting.drought
    phase = {"el-nino": ENSO_EL_NINO, "la-nina": ENSO_LA_NINA}.get(dr.enso_phase, -1)
    drought = (enso == phase) & (drought_rng.random(n_months) < dr.prob_in_phase)

    # king tides: today's chance doubles with every `king_tide_doubling_m` of rise
    p_tide = np.minimum(
        1.0,
        setting.sea_level.king_tide_flood_prob
        * 2.0 ** (np.maximum(slr_since_today, 0.0) / params.climate.king_tide_doubling_m),
    )
    king_tide = tide_rng.random((n_months, n_isl)) < p_tide[:, None]

    points = exposure_points(setting)
    series = HazardSeries(
        year=year,
        month=month,
        slr_m=slr,
        slr_since_today_m=slr_since_today,
        enso=enso,
        drought=drought,
        king_tide=king_tide,
        wind_ms=np.zeros((n_months, n_isl)),
        point_island=points.island,
        point_wind_ms=np.zeros((n_months, len(points.island))),
    )
    if scenario.stochastic_cyclones:
        # the storm stream is its own: skipping it leaves every other draw as it was
        _draw_cyclones(series, setting, scenario, params, storm_rng, abs_month[0])
    for event in scenario.events:
        add_event(series, event, setting, scenario, params)
    return series


def _draw_cyclones(
    series: HazardSeries,
    setting: Setting,
    scenario: Scenario,
    params: Parameters,
    rng: np.random.Generator,
    first_abs_month: int,
) -> None:
    """Seasonal storms: Poisson count, month, category and a track per season.

    A storm's track is a straight line across the setting with a heading and a forward speed
    drawn from the setting's best-track table, else its region's prior
    (:func:`storm_heading_deg`, :func:`storm_speed_kmh`),
    passing within ``radius_km`` of the setting's centre at an offset drawn uniformly across
    that band: every place is struck as often as its position says, whatever its island's
    size or population. Its winds come from the track code the hindcasts use
    (:func:`drawn_track`, :func:`track_winds`): the storm keeps its category over water and
    weakens over a large island's land (Kaplan & DeMaria 1995)."""
    shift, freq = cyclone_climate(scenario, params)
    mean = setting.cyclones.per_season * (1.0 + freq)
    cdf = category_cdf(params, shift)
    season_months, shares = _season_months(setting, params)
    month_cdf = np.cumsum(shares)
    points = exposure_points(setting)
    hulls = land_outlines(setting, points)
    island_xy = island_xy_km(setting)
    radius = setting.cyclones.radius_km
    n_months = len(series.year)
    vmax_by_cat = np.asarray(params.cyclones.vmax_ms)

    first_year = int(series.year[0]) - 1
    last_year = int(series.year[-1])
    for season_year in range(first_year, last_year + 1):
        # fixed consumption: one count draw + MAX slots x 5 draws
        u_count = rng.random()
        slots = rng.random((MAX_STORMS_PER_SEASON, 5))
        n_storms = min(int(poisson.ppf(u_count, mean)) if mean > 0 else 0, MAX_STORMS_PER_SEASON)
        for k in range(n_storms):
            u_month, u_cat, u_speed, u_head, u_off = slots[k]
            cal = season_months[min(np.searchsorted(month_cdf, u_month), len(season_months) - 1)]
            year = season_year if cal >= season_months[0] else season_year + 1
            step = year * 12 + cal - 1 - first_abs_month
            if not 0 <= step < n_months:
                continue
            h = setting.cyclones.hurricane_share
            if u_cat < 1.0 - h:
                cat = 0
            else:
                cat = 1 + int(np.searchsorted(cdf, (u_cat - (1.0 - h)) / h))
                cat = min(cat, 5)
            heading = storm_heading_deg(u_head, setting, params)
            offset = (2.0 * u_off - 1.0) * radius
            track = drawn_track(
                setting,
                params,
                points,
                hulls,
                heading,
                offset,
                float(vmax_by_cat[cat]),
                storm_speed_kmh(u_speed, setting, params),
            )
            wind, felt = track_winds(setting, params, points, track)
            normal = _track_normal(heading)
            series.add(
                Cyclone(
                    step=step,
                    category=cat,
                    wind_ms=wind,
                    point_wind_ms=felt,
                    track_distance_km=np.abs((island_xy - offset * normal) @ normal),
                    point_rain_mm=track_rain_mm(params, points, track),
                    heading_deg=heading,
                    speed_kmh=float(track.speed_kmh[0]),
                    point_distance_km=np.abs((points.xy_km - offset * normal) @ normal),
                    landfall=bool(track.over_land.any()),
                )
            )


def _normal_quantile(u: float) -> float:
    """The standard normal quantile of a uniform draw (kept off 0 and 1)."""
    return float(ndtri(min(max(u, 1e-9), 1.0 - 1e-9)))


def storm_heading_deg(u: float, setting: Setting, params: Parameters) -> float:
    """Heading of a drawn storm, degrees clockwise from north, from the uniform draw ``u``.

    With the setting's ``heading_shares`` (a best-track archive's storms near the islands in
    twelve 30-degree sectors) it is that table's inverse CDF, uniform within a sector: the
    South Pacific's headings are skewed (most south-east, a tail to the south-west), which a
    normal would not keep. Without it, normal around the region's mean heading with its spread
    (wrapped to 0-360). One uniform either way, so the storm stream's use is fixed."""
    cy = setting.cyclones
    if cy.heading_shares is not None:
        shares = np.asarray(cy.heading_shares, dtype=float)
        shares = shares / shares.sum()
        cdf = np.cumsum(shares)
        k = min(int(np.searchsorted(cdf, u, side="right")), len(shares) - 1)
        while shares[k] <= 0.0:  # u at the top of the last non-empty sector
            k -= 1
        below = cdf[k] - shares[k]
        # within the sector, short of its upper edge (the next sector's, perhaps an empty one)
        frac = min(max((u - below) / shares[k], 0.0), 1.0 - 1e-9)
        return float(((k + frac) * 360.0 / len(shares)) % 360.0)
    pc = params.cyclones
    if cy.season == "south-pacific":
        mean, sd = pc.south_pacific_heading_deg, pc.south_pacific_heading_sd_deg
    else:
        mean, sd = pc.north_atlantic_heading_deg, pc.north_atlantic_heading_sd_deg
    return float((mean + sd * _normal_quantile(u)) % 360.0)


def storm_speed_kmh(u: float, setting: Setting, params: Parameters) -> float:
    """Forward speed of a drawn storm, km/h, from the uniform draw ``u``: log-normal around
    the setting's archive median with its log spread (``speed_median_kmh``, ``speed_log_sd``),
    else the region's prior median and ``speed_log_sd`` (at least ``_MIN_SPEED_KMH``)."""
    pc, cy = params.cyclones, setting.cyclones
    median = cy.speed_median_kmh
    if median is None:
        median = (
            pc.south_pacific_speed_kmh
            if cy.season == "south-pacific"
            else pc.north_atlantic_speed_kmh
        )
    log_sd = pc.speed_log_sd if cy.speed_log_sd is None else cy.speed_log_sd
    speed = median * np.exp(log_sd * _normal_quantile(u))
    return float(max(speed, _MIN_SPEED_KMH))


def _track_normal(heading_deg: float) -> np.ndarray:
    """Unit normal (−cos φ, sin φ) of a track heading φ = ``heading_deg`` (x east, y north):
    a place at a positive offset along it from the track lies on the track's left."""
    theta = np.radians(heading_deg)
    return np.array([-np.cos(theta), np.sin(theta)])


def drawn_track(
    setting: Setting,
    params: Parameters,
    points: ExposurePoints,
    hulls: list[Any],
    heading_deg: float,
    offset_km: float,
    vmax_ms: float,
    speed_kmh: float,
) -> TrackSamples:
    """A drawn storm's straight track as :class:`TrackSamples` for :func:`track_winds`.

    The line heads ``heading_deg`` (clockwise from north) at ``speed_kmh`` through the point
    ``offset_km`` × (−cos φ, sin φ) from the setting's centre (the projection's origin; with
    a positive offset the centre lies on the track's right-hand side, as in
    :func:`make_cyclone`), sampled
    every ``TRACK_STEP_KM`` from far enough before the islands to far enough after them (at
    least the storm-rain reach, ``_RAIN_TRACK_KM``, either side). The storm holds ``vmax_ms``
    over water; over land (the hulls of :func:`land_outlines`) :func:`track_winds` applies
    the Kaplan & DeMaria decay, and a storm that leaves land keeps the intensity it had
    decayed to (the decayed wind without the coast's roughness factor): it does not
    re-intensify within the passage."""
    theta = np.radians(heading_deg)
    direction = np.array([np.sin(theta), np.cos(theta)])
    centre = offset_km * _track_normal(heading_deg)
    reach = float(np.hypot(*points.xy_km.T).max()) + abs(offset_km)
    half = max(_RAIN_TRACK_KM, reach + _RAIN_TRACK_KM / 2)
    n = int(np.ceil(2 * half / TRACK_STEP_KM)) + 1
    s = np.linspace(-half, half, n)
    xy = centre + s[:, None] * direction
    lat_mean = float(np.mean([i.lat for i in setting.islands]))
    lat = lat_mean + np.degrees(xy[:, 1] / EARTH_RADIUS_KM)
    hours = (s + half) / speed_kmh
    dt = np.full(n, (s[1] - s[0]) / speed_kmh)
    dt[-1] = 0.0
    over_land = np.zeros(n, dtype=bool)
    for hull in hulls:
        over_land |= hull.find_simplex(xy) >= 0
    vmax = np.full(n, vmax_ms)
    ashore = np.zeros(n)
    if over_land.any():
        edges = np.diff(over_land.astype(np.int8), prepend=0, append=0)
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        pc = params.cyclones
        for a, b in zip(starts, ends, strict=True):
            ashore[a:b] = hours[a:b] - hours[a]
            crossed = float(
                land_decay(np.array(vmax[a]), np.array(hours[b - 1] - hours[a]), params)
            )
            kept = crossed / pc.landfall_wind_factor if pc.landfall_wind_factor > 0 else crossed
            vmax[b:] = min(float(vmax[a]), kept)
    speed = np.full(n, speed_kmh)
    return TrackSamples(xy, lat, vmax, hours, dt, speed, over_land, ashore)


def add_event(
    series: HazardSeries,
    event: Any,
    setting: Setting,
    scenario: Scenario,
    params: Parameters,
    origin: str = "scripted",
) -> None:
    """Put a dated event of any kind (see :data:`hsmobility.config.schemas.Event`) into the
    series: a cyclone's winds, a flood's height, a drought's months, an order or an eruption."""
    if isinstance(event, ScriptedEvent):
        cyclone = scripted_cyclone(event, setting, scenario, params)
        cyclone.origin = origin
        series.add(cyclone)
        return
    step = _step_in_run(event, scenario)
    isl = setting.island_index
    if isinstance(event, EvacuationOrder):
        lifted = None if event.lifted is None else event_step(event.lifted, scenario)
        series.orders.append(
            Order(
                step=step,
                islands=[isl(i) for i in event.islands],
                destinations=_refuges(event.destinations, setting),
                lifted_step=lifted if lifted is not None and lifted < len(series.year) else None,
                name=event.name,
                origin=origin,
            )
        )
    elif isinstance(event, VolcanicEruption):
        series.eruptions.append(
            Eruption(
                step=step,
                island=isl(event.island),
                exclusion_share=event.exclusion_share,
                months=event.months,
                destinations=_refuges(event.destinations, setting),
                name=event.name,
                origin=origin,
            )
        )
    elif isinstance(event, Swell | KingTide):
        names = event.islands or [i.name for i in setting.islands]
        idx = [isl(i) for i in names]
        series.flood_m[step, idx] = np.maximum(series.flood_m[step, idx], event.height_m)
    elif isinstance(event, DroughtEvent):
        series.drought[step : step + event.months] = True
        end = min(step + event.months, len(series.year)) - 1
        name = f" ({event.name})" if event.name else ""
        series.notices.setdefault(step, []).append(
            f"drought{name}: {event.months} months of low rain, to "
            f"{MONTH_NAMES_SHORT[int(series.month[end]) - 1]} {int(series.year[end])}; "
            f"livelihoods lose {setting.drought.income_loss:.0%} of their income"
        )
    else:  # pragma: no cover - the schema admits no other kind
        raise ScenarioError(f"events: unknown kind {getattr(event, 'kind', event)!r}")


def _refuges(refuges: list[Refuge], setting: Setting) -> list[tuple[int, int]]:
    return [(setting.island_index(r.island), int(r.capacity_people)) for r in refuges]


MONTH_NAMES_SHORT = ["January", "February", "March", "April", "May", "June", "July",
                     "August", "September", "October", "November", "December"]  # fmt: skip


def _step_in_run(event: Any, scenario: Scenario) -> int:
    step = event_step(event.date, scenario)
    if not 0 <= step < scenario.years * 12:
        first = f"{scenario.start_year}-{scenario.start_month:02d}"
        raise ScenarioError(
            f"events: {event.name or event.kind} on {event.date} is outside the run, which "
            f"starts {first} and lasts {scenario.years} years"
        )
    return step


def event_step(date: str, scenario: Scenario) -> int:
    """Model step of a "YYYY-MM" date."""
    y, m = (int(p) for p in date.split("-"))
    return (y - scenario.start_year) * 12 + (m - scenario.start_month)


def scripted_cyclone(
    event: ScriptedEvent, setting: Setting, scenario: Scenario, params: Parameters
) -> Cyclone:
    """A named storm of given category passing ``distance_km`` from an island on a date."""
    step = event_step(event.date, scenario)
    n_months = scenario.years * 12
    if not 0 <= step < n_months:
        first = f"{scenario.start_year}-{scenario.start_month:02d}"
        raise ScenarioError(
            f"events: {event.name or 'event'} on {event.date} is outside the run, which starts "
            f"{first} and lasts {scenario.years} years"
        )
    if event.track is not None:
        return track_cyclone(
            setting,
            params,
            step,
            event.category,
            event.island,
            [(f.time, f.lat, f.lon, f.wind_kt) for f in event.track],
            name=event.name,
            origin="scripted",
            rain_mm=event.rain_mm,
            rmw_nmi=track_rmw_nmi(event.track),
            radii_nmi=track_radii_nmi(event.track),
        )
    return make_cyclone(
        setting,
        params,
        step,
        event.category,
        event.island,
        event.distance_km,
        name=event.name,
        origin="scripted",
        heading_deg=event.heading_deg,
        rain_mm=event.rain_mm,
    )


def track_rmw_nmi(track: list[Any]) -> list[float] | None:
    """A scripted track's radii of maximum wind, one per fix (nautical miles), or None when its
    fixes give none (the schema requires all or none)."""
    rmw = [f.rmw_nmi for f in track]
    return None if any(r is None for r in rmw) else [float(r) for r in rmw]


#: the wind of a best track's radii, knots, in the order of :func:`track_radii_nmi`'s columns
RADII_KT = (64.0, 50.0, 34.0)


def track_radii_nmi(track: list[Any]) -> np.ndarray | None:
    """A scripted track's wind radii, (fixes, 3): the mean over the four quadrants of each fix's
    radius of 64-, 50- and 34-kt wind (nautical miles; a quadrant with no such wind counts 0,
    as the best tracks give it), NaN where the fix gives none; None when no fix gives any."""
    out = np.full((len(track), len(RADII_KT)), np.nan)
    for i, fix in enumerate(track):
        for j, quads in enumerate((fix.r64_nmi, fix.r50_nmi, fix.r34_nmi)):
            if quads is not None:
                out[i, j] = float(np.mean(quads))
    return None if np.isnan(out).all() else out


def make_cyclone(
    setting: Setting,
    params: Parameters,
    step: int,
    category: int,
    island: str,
    distance_km: float = 0.0,
    name: str = "",
    origin: str = "injected",
    heading_deg: float | None = None,
    rain_mm: float | None = None,
) -> Cyclone:
    """A storm passing ``distance_km`` from ``island``.

    Without a heading the storm is a point and every exposure point feels it by its distance
    from ``island``'s coordinates; with one it is a straight track with ``island``'s
    coordinates on its right-hand side (a track heading south passes east of them), and every
    exposure point feels it by its distance from the track.

    Its rain is R-CLIPER's (:func:`storm_rain_mm`) by each point's distance; with ``rain_mm``
    (an observed storm total on ``island``) the rain field is scaled so that ``island``'s wettest
    point gets it (a slow or wet storm, such as Erika over Dominica in 2015, rains far more than
    the climatological profile of its wind says).
    """
    idx = setting.island_index(island)
    points = exposure_points(setting)
    xy = island_xy_km(setting)
    if heading_deg is None:
        d = np.hypot(np.hypot(*(points.xy_km - xy[idx]).T), distance_km)
    else:
        theta = np.radians(heading_deg)
        direction = np.array([np.sin(theta), np.cos(theta)])  # x east, y north
        normal = np.array([-direction[1], direction[0]])
        point = xy[idx] + distance_km * normal
        d = np.abs((points.xy_km - point) @ normal)
    vmax = params.cyclones.vmax_ms[category]
    wind, felt = storm_winds(setting, params, points, vmax, d)
    rain = storm_rain_mm(vmax, d, params)
    return _cyclone(step, category, wind, felt, rain, points.island == idx, rain_mm, name, origin)


def _cyclone(
    step: int,
    category: int,
    wind: np.ndarray,
    felt: np.ndarray,
    rain: np.ndarray,
    here: np.ndarray,
    rain_mm: float | None,
    name: str,
    origin: str,
) -> Cyclone:
    """A scripted storm's record; with ``rain_mm`` (an observed storm total) its rain field is
    scaled so that the wettest point where ``here`` gets it."""
    if rain_mm is not None:
        modelled = float(rain[here].max())
        rain = rain * (rain_mm / modelled) if modelled > 0 else np.where(here, rain_mm, 0.0)
    return Cyclone(
        step=step,
        category=category,
        wind_ms=wind,
        name=name,
        origin=origin,
        point_wind_ms=felt,
        point_rain_mm=rain,
    )


#: step at which a scripted track's fixes are interpolated, km
TRACK_STEP_KM = 2.0
#: slowest forward speed used for a track's segment, km/h (a stalled storm: no division by 0)
_MIN_SPEED_KMH = 1.0


def fix_hours(time: str) -> float:
    """Hours since 1970-01-01T00 UTC of a "YYYY-MM-DDTHH" fix time."""
    stamp = datetime.strptime(time, "%Y-%m-%dT%H").replace(tzinfo=UTC)
    return stamp.timestamp() / 3600.0


@dataclass
class TrackSamples:
    """A track interpolated along its fixes every ~``TRACK_STEP_KM``: centre, intensity, time,
    forward speed and whether the centre is over land (and for how long)."""

    xy_km: np.ndarray  # (n, 2), on the setting's projection
    lat: np.ndarray
    vmax_ms: np.ndarray  # 1-minute maximum sustained wind, interpolated between fixes
    hours: np.ndarray  # since the first fix
    dt_h: np.ndarray  # hours each sample stands for
    speed_kmh: np.ndarray  # forward speed of the sample's segment
    over_land: np.ndarray  # bool
    hours_over_land: np.ndarray  # since the centre last came ashore (0 over water)
    #: radius of maximum wind, km, from a best track (IBTrACS USA_RMW); None = Willoughby's
    rmax_km: np.ndarray | None = None
    #: radii of 64-, 50- and 34-kt wind, km, (3, n), from a best track's wind radii (NaN =
    #: none); None = no radii: the H08 profile (a track with radii takes Holland et al. 2010's)
    radii_km: np.ndarray | None = None
    #: the intensity is a best track's, observed over land as over water: no decay is added
    #: when the centre is ashore (a drawn storm's constant intensity decays by Kaplan & DeMaria)
    observed: bool = False


def land_outlines(setting: Setting, points: ExposurePoints) -> list[Any]:
    """Land a storm's centre can cross: per island with three or more exposure points, the
    convex hull of its points (a triangulation; towns ring a large island's coast, so the hull
    lies inside the coastline: land is under-counted, never invented)."""
    out = []
    for i in range(len(setting.islands)):
        xy = points.xy_km[points.island == i]
        if len(xy) >= 3 and np.linalg.matrix_rank(xy - xy.mean(axis=0)) == 2:
            out.append(Delaunay(xy))
    return out


def track_samples(
    setting: Setting,
    points: ExposurePoints,
    fixes: list[tuple[str, float, float, float]],
    rmw_nmi: list[float] | None = None,
    radii_nmi: np.ndarray | None = None,
) -> TrackSamples:
    """Interpolate ``fixes`` (time, lat, lon, wind in knots) linearly in position, time and
    intensity (and the best track's radius of maximum wind ``rmw_nmi``, one per fix, if
    given, and its wind radii ``radii_nmi``, :func:`track_radii_nmi`'s (fixes, 3): a fix
    without them takes its neighbours', interpolated between the fixes that have them and held
    beyond) every ~``TRACK_STEP_KM``; mark the samples whose centre is over land. The
    intensity is the best track's: :func:`track_winds` adds no decay over land."""
    lat_f = np.array([f[1] for f in fixes], dtype=float)
    xy_f = project_km(setting, [f[2] for f in fixes], list(lat_f))
    t_f = np.array([fix_hours(f[0]) for f in fixes]) - fix_hours(fixes[0][0])
    v_f = np.array([f[3] for f in fixes], dtype=float) * KNOT_MS
    frac_parts, seg_parts = [], []
    for k in range(len(fixes) - 1):
        length = float(np.hypot(*(xy_f[k + 1] - xy_f[k])))
        n = max(1, int(np.ceil(length / TRACK_STEP_KM)))
        frac_parts.append(np.arange(n) / n)
        seg_parts.append(np.full(n, k))
    frac = np.concatenate([*frac_parts, [1.0]])
    seg = np.concatenate([*seg_parts, [len(fixes) - 2]])

    def along(values: np.ndarray) -> np.ndarray:
        a, b = values[seg], values[seg + 1]
        f = frac.reshape((-1,) + (1,) * (values.ndim - 1))
        return a + (b - a) * f

    xy, lat, vmax, hours = along(xy_f), along(lat_f), along(v_f), along(t_f)
    seg_len = np.hypot(*(xy_f[1:] - xy_f[:-1]).T)
    seg_h = np.diff(t_f)
    speed = np.maximum(seg_len / np.maximum(seg_h, 1e-9), _MIN_SPEED_KMH)[seg]
    counts = np.bincount(seg[:-1], minlength=len(fixes) - 1).astype(float)
    dt = np.append(seg_h[seg[:-1]] / counts[seg[:-1]], 0.0)
    over_land = np.zeros(len(xy), dtype=bool)
    for hull in land_outlines(setting, points):
        over_land |= hull.find_simplex(xy) >= 0
    ashore = np.zeros(len(xy))
    for i in range(1, len(xy)):
        if over_land[i]:
            ashore[i] = ashore[i - 1] + (hours[i] - hours[i - 1] if over_land[i - 1] else 0.0)
    rmax = None if rmw_nmi is None else along(np.asarray(rmw_nmi, dtype=float) * NMI_KM)
    radii = None if radii_nmi is None else along(_fill_fixes(radii_nmi) * NMI_KM).T
    return TrackSamples(
        xy, lat, vmax, hours, dt, speed, over_land, ashore, rmax, radii, observed=True
    )


def _fill_fixes(values: np.ndarray) -> np.ndarray:
    """Each column of ``values`` (fixes, k) with its NaNs filled by linear interpolation over
    the fixes between those that have a value, held beyond the first and last (a column with
    none stays NaN)."""
    out = np.array(values, dtype=float)
    idx = np.arange(len(out))
    for j in range(out.shape[1]):
        known = ~np.isnan(out[:, j])
        if known.any():
            out[:, j] = np.interp(idx, idx[known], out[known, j])
    return out


#: km in a nautical mile
NMI_KM = 1.852


def track_winds(
    setting: Setting, params: Parameters, points: ExposurePoints, track: TrackSamples
) -> tuple[np.ndarray, np.ndarray]:
    """Winds of a storm along ``track``: each exposure point feels the strongest wind over the
    track's samples, each the Holland profile of the sample's intensity (:func:`track_wind_field`)
    at the point's distance and bearing, reduced by the Kaplan & DeMaria (1995) decay over the
    hours since landfall when the centre is over land (a drawn storm's; a best track's
    intensity is observed there, ``track.observed``), and otherwise over the hours the wind
    takes to cross the land to the point (its ``inland_km`` at the segment's forward speed).
    Returns (per island, per point), after each island's ``wind_exposure``."""
    over_water = track_wind_field(params, points.xy_km, track)
    land = track.over_land[None, :] & (not track.observed)
    inland = points.inland_km[:, None]
    hours = np.where(land, track.hours_over_land[None, :], inland / track.speed_kmh[None, :])
    felt = np.where(land | (inland > 0), land_decay(over_water, hours, params), over_water)
    exposure = np.array([i.wind_exposure for i in setting.islands])[points.island]
    per_point = felt.max(axis=1) * exposure
    per_island = np.zeros(len(setting.islands))
    np.maximum.at(per_island, points.island, per_point)
    return per_island, per_point


def track_wind_field(params: Parameters, xy_km: np.ndarray, track: TrackSamples) -> np.ndarray:
    """Over-water 1-minute wind at places ``xy_km`` (n, 2) from each of ``track``'s samples,
    (n, samples), as CLIMADA's Holland 2008 wind field (``_compute_windfields``): the symmetric
    :func:`holland_wind` less the forward speed vt times min(1, R/r) (the best-track maximum
    includes the storm's motion), turned cyclonically (anticlockwise north of the equator,
    clockwise south of it), plus the motion's vector times the same factor (Mouton & Nordbeck
    2005 absorbing factor). Stronger on the side where the rotation runs with the motion (the
    right of the track in the north, the left in the south), by up to 2 vt c."""
    rel = xy_km[:, None, :] - track.xy_km[None, :, :]
    d = np.maximum(np.hypot(rel[..., 0], rel[..., 1]), 1e-3)
    lat = track.lat[None, :]
    vmax = track.vmax_ms[None, :]
    if track.rmax_km is None:
        rmax = radius_max_wind_km(vmax, lat, params)
    else:
        rmax = track.rmax_km[None, :]
    step = np.gradient(track.xy_km, axis=0) if len(track.xy_km) > 1 else np.zeros((1, 2))
    heading = step / np.maximum(np.hypot(step[:, 0], step[:, 1]), 1e-9)[:, None]
    vt = np.minimum(track.speed_kmh / 3.6, params.cyclones.translation_cap_ms)
    vt = np.where(np.hypot(step[:, 0], step[:, 1]) > 0, vt, 0.0)[None, :]
    if track.radii_km is None:
        sym = holland_wind(vmax, d, lat, track.speed_kmh[None, :], params, rmax)
    else:
        b = holland_b(vmax, lat, track.speed_kmh[None, :], params)
        rmax = np.broadcast_to(rmax, vmax.shape)
        # the observed radius is the motion's too: the mean over the quadrants of the total
        # wind is about the symmetric wind less vt min(1, R/r), so the symmetric profile is
        # fitted through the threshold plus that
        knots = track.radii_km
        vk = np.asarray(RADII_KT)[:, None] * KNOT_MS + vt * np.minimum(
            1.0, rmax / np.maximum(knots, 1e-3)
        )
        sym = holland2010_wind(vmax, d, rmax, b, knots, vk, params)
    c = np.minimum(1.0, rmax / d)
    turn = np.where(lat >= 0, 1.0, -1.0)
    # cosine between the rotation's direction at the place and the storm's motion
    cos = turn * (rel[..., 0] * heading[None, :, 1] - rel[..., 1] * heading[None, :, 0]) / d
    a = np.maximum(sym - vt * c, 0.0)
    m = vt * c
    return np.sqrt(np.maximum(a**2 + m**2 + 2.0 * a * m * cos, 0.0))


def track_rain_mm(params: Parameters, points: ExposurePoints, track: TrackSamples) -> np.ndarray:
    """Storm-total rain at each exposure point along ``track``: the R-CLIPER rate
    (:func:`rain_rate_mm_h`) of each sample's intensity at the point's distance, times the hours
    the sample stands for (rain falls while the rain field is overhead: a slow storm rains
    more). Samples of one intensity are summed together (a drawn track has a few, one per
    stretch between land crossings; a best track's change at every sample)."""
    d = np.hypot(*(points.xy_km[:, None, :] - track.xy_km[None, :, :]).transpose(2, 0, 1))
    rain = np.zeros(len(points.island))
    for v in np.unique(track.vmax_ms):
        on = track.vmax_ms == v
        rain += rain_rate_mm_h(float(v), d[:, on], params) @ track.dt_h[on]
    return rain


def track_cyclone(
    setting: Setting,
    params: Parameters,
    step: int,
    category: int,
    island: str,
    fixes: list[tuple[str, float, float, float]],
    name: str = "",
    origin: str = "injected",
    rain_mm: float | None = None,
    rmw_nmi: list[float] | None = None,
    radii_nmi: np.ndarray | None = None,
) -> Cyclone:
    """A storm on its track of ``fixes`` (time "YYYY-MM-DDTHH", lat, lon, 1-minute wind in
    knots; ``rmw_nmi`` the radius of maximum wind at each, if the best track has it), e.g.
    IBTrACS best-track rows: winds by :func:`track_winds`, rain by
    :func:`track_rain_mm` (scaled to an observed total on ``island`` with ``rain_mm``, as for a
    point storm). ``category`` is the one reported at the islands (the event log's)."""
    idx = setting.island_index(island)
    points = exposure_points(setting)
    track = track_samples(setting, points, fixes, rmw_nmi, radii_nmi)
    wind, felt = track_winds(setting, params, points, track)
    rain = track_rain_mm(params, points, track)
    return _cyclone(step, category, wind, felt, rain, points.island == idx, rain_mm, name, origin)


def station_wind(
    setting: Setting,
    params: Parameters,
    fixes: list[tuple[str, float, float, float]],
    lon: float,
    lat: float,
    inland_km: float = 0.0,
    rmw_nmi: list[float] | None = None,
    radii_nmi: np.ndarray | None = None,
) -> float:
    """The 1-minute wind the model puts at one place (a weather station) under a storm on its
    track of ``fixes``: :func:`track_winds` at the place, with the land the setting's exposure
    points outline and no island's ``wind_exposure`` (a station measures the wind itself)."""
    points = exposure_points(setting)
    track = track_samples(setting, points, fixes, rmw_nmi, radii_nmi)
    here = ExposurePoints(
        island=np.zeros(1, dtype=np.int64),
        names=["station"],
        xy_km=project_km(setting, [lon], [lat]),
        lat=np.array([lat], dtype=float),
        inland_km=np.array([inland_km], dtype=float),
        cum_share=np.ones(1),
    )
    exposure = setting.islands[0].wind_exposure
    _, felt = track_winds(setting, params, here, track)
    return float(felt[0] / exposure)


#: bearings of the four quadrants' middles, degrees clockwise from north (IBTrACS's order of
#: the wind radii: north-east, south-east, south-west, north-west)
QUADRANT_BEARINGS_DEG = (45.0, 135.0, 225.0, 315.0)


def wind_radii_nmi(
    setting: Setting,
    params: Parameters,
    fixes: list[tuple[str, float, float, float]],
    time: str,
    threshold_kt: float = 64.0,
    rmw_nmi: list[float] | None = None,
    radii_nmi: np.ndarray | None = None,
) -> list[float]:
    """The model's radius of ``threshold_kt`` wind (nautical miles) in each quadrant of a storm
    on its track of ``fixes`` at the sample nearest ``time`` (a fix's "YYYY-MM-DDTHH"): the
    farthest distance along the quadrant's middle bearing at which the over-water field of
    :func:`track_wind_field` reaches the threshold, as the best track's wind radii (IBTrACS
    USA_R64: north-east, south-east, south-west, north-west) give it."""
    points = exposure_points(setting)
    track = track_samples(setting, points, fixes, rmw_nmi, radii_nmi)
    i = int(np.argmin(np.abs(track.hours - (fix_hours(time) - fix_hours(fixes[0][0])))))
    r_km = np.arange(1.0, 600.0, 0.5)
    out = []
    for bearing in QUADRANT_BEARINGS_DEG:
        theta = np.radians(bearing)
        xy = track.xy_km[i] + np.outer(r_km, [np.sin(theta), np.cos(theta)])
        wind = track_wind_field(params, xy, track)[:, i]
        above = r_km[wind >= threshold_kt * KNOT_MS]
        out.append(float(above.max()) / NMI_KM if len(above) else 0.0)
    return out
