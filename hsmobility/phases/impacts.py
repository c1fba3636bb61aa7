"""Damage and displacement: cyclone winds and surge, king tides, permanent inundation, and the
households forced out of their homes."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from hsmobility.config.params import CycloneParams
from hsmobility.phases.deaths import storm_deaths
from hsmobility.world.geography import island_distances_km
from hsmobility.world.hazards import MonthHazards
from hsmobility.world.households import (
    Band,
    BuildingClass,
    Displacement,
    Status,
    building_classes,
    is_housed,
)
from hsmobility.world.state import World


@dataclass
class Hit:
    """What this month's hazards did to homes (one entry per household row)."""

    new_damage: np.ndarray  # damage added this month, 0..1
    flooded: np.ndarray  # bool: a king tide flooded the home
    severe_now: np.ndarray  # rows pushed past severe damage this month
    #: bool: the storm's own damage state this month makes the home unlivable (its loss at least
    #: ``uninhabitable_damage``), whatever damage the home had before; None: no such record
    storm_unlivable: np.ndarray | None = None


def wind_damage(wind_ms: np.ndarray, half_damage_ms: np.ndarray | float, threshold_ms: float):
    """Mean share of a house's value lost to wind (Emanuel 2011 damage function)."""
    vn = np.maximum(wind_ms - threshold_ms, 0.0) / (half_damage_ms - threshold_ms)
    return vn**3 / (1.0 + vn**3)


def damage_state_exceedance(mean: np.ndarray | float, pc: CycloneParams) -> np.ndarray:
    """P(DS >= i), i = 1..4 (HAZUS minor, moderate, severe, destruction), for homes whose
    expected share of value lost is ``mean``: HAZUS v5.1's single-family homes at the wind
    where their mean loss is ``mean`` (``damage_state_exceed`` over ``damage_state_mean``,
    interpolated). Shape (..., 4)."""
    grid = np.asarray(pc.damage_state_mean, dtype=float)
    m = np.asarray(mean, dtype=float)
    return np.stack([np.interp(m, grid, row) for row in pc.damage_state_exceed], axis=-1)


def draw_damage_state(mean: np.ndarray, u: np.ndarray, pc: CycloneParams) -> np.ndarray:
    """Damage state (0 = none .. 4 = destruction) of homes with expected loss ``mean``, from
    one uniform draw ``u`` each: the number of states whose exceedance exceeds u (so a home's
    states are nested: one past severe is past moderate)."""
    return (u[:, None] < damage_state_exceedance(mean, pc)).sum(axis=1)


def state_loss(state: np.ndarray, pc: CycloneParams) -> np.ndarray:
    """Share of a home's value lost in damage state ``state`` (0 for none; HAZUS's loss ratio
    of each state, ``damage_state_loss``)."""
    return np.concatenate([[0.0], np.asarray(pc.damage_state_loss, dtype=float)])[state]


def damaged_damage(pc: CycloneParams) -> float:
    """Damage from which a home counts as damaged (``homes_damaged``): the loss ratio of
    ``damaged_state``, the lowest HAZUS damage state the assessments count as damaged."""
    return float(pc.damage_state_loss[pc.damaged_state - 1])


@functools.lru_cache(maxsize=64)
def _anchor(shares: tuple[float, ...], scale: tuple[float, ...]) -> float:
    """:func:`class_anchor`, once per setting's mix and parameter set (it is asked at every
    storm month)."""
    w = np.asarray(shares, dtype=float)
    k = np.asarray(scale, dtype=float)

    def mean_lost(a: float) -> float:
        x = 1.0 / (a * k)
        return float((w * x**3 / (1.0 + x**3)).sum())

    lo, hi = 0.01, 100.0  # mean_lost falls as a rises
    for _ in range(100):
        mid = np.sqrt(lo * hi)
        lo, hi = (mid, hi) if mean_lost(mid) > 0.5 else (lo, mid)
    return float(np.sqrt(lo * hi))


def class_anchor(shares: np.ndarray | tuple[float, ...], scale: np.ndarray | list[float]) -> float:
    """The factor ``a`` that puts the classes' curves on the regional one: at the regional V½
    the homes' mean value lost, over the classes in their ``shares``, is one half, when class
    c's V½ lies ``a * scale[c]`` times the regional (V½ - threshold) above the threshold.
    Eberenz et al. (2021) calibrate the mean over a country's mix, not each class."""
    return _anchor(
        tuple(float(x) for x in np.asarray(shares).ravel()),
        tuple(float(x) for x in np.asarray(scale).ravel()),
    )


def class_half_damage_ms(world: World) -> np.ndarray:
    """V½ of each building class (engineered, light, traditional) in the setting: the regional
    V½ (Eberenz et al. 2021) spread by ``class_half_damage_scale`` about the setting's census
    mix of classes (:func:`class_anchor`); where the setting has no census mix, every home is
    LIGHT and every class's V½ is the regional one."""
    pc, setting = world.params.cyclones, world.setting
    if setting.building_classes is None:
        return np.full(len(BuildingClass), setting.wind_half_damage_ms)
    scale = np.asarray(pc.class_half_damage_scale, dtype=float)
    a = class_anchor(np.asarray(setting.building_classes.shares()), scale)
    thr = pc.damage_threshold_ms
    return thr + a * scale * (setting.wind_half_damage_ms - thr)


def building_class(world: World, rows: np.ndarray) -> np.ndarray:
    """Building class of the homes of ``rows``; a household formed or arrived during the run
    (class -1) gets one here, from the setting's shares (:func:`building_classes`)."""
    hh = world.households
    cls = hh.building_class[rows]
    unset = cls < 0
    if unset.any():
        cls[unset] = building_classes(rows[unset], world.setting)
        hh.building_class[rows[unset]] = cls[unset]
    return cls


def home_half_damage_ms(world: World, rows: np.ndarray) -> np.ndarray:
    """Half-damage wind V½ of the homes of ``rows``: its building class's V½
    (:func:`class_half_damage_ms`: the setting's regional V½, Eberenz et al. 2021, calibrated on
    the share of asset *value* lost, spread across classes) plus ``home_half_damage_extra_ms``
    (homes, as damage assessments count them, may resist more; 0 unless set, docs/validation.md
    "Homes damaged as the assessments count them"), plus ``resilient_extra_ms`` for a resilient
    home. The evacuation warning keeps the regional V½ (a forecast of value lost)."""
    extra = world.params.cyclones.home_half_damage_extra_ms
    resilient = world.params.decisions.resilient_extra_ms * world.households.resilient[rows]
    return class_half_damage_ms(world)[building_class(world, rows)] + extra + resilient


def _at_points(world: World, per_point: np.ndarray | None, rows: np.ndarray) -> np.ndarray | None:
    """``per_point`` (one value per exposure point of world.geography) at the point of each
    household of ``rows`` on its home island; None when the setting has no points or the
    values are not per point."""
    points = world.geo.points
    if points is None or per_point is None or len(per_point) != len(points.island):
        return None
    island = world.households.home_island[rows]
    return per_point[points.point_of(island, world.households.site_u[rows])]


def household_wind(world: World, month: MonthHazards, rows: np.ndarray) -> np.ndarray:
    """This month's cyclone wind at the exposure point of each household of ``rows`` on its
    home island (a large island's places feel a storm differently; world.geography)."""
    felt = _at_points(world, month.point_wind_ms, rows)
    return month.wind_ms[world.households.home_island[rows]] if felt is None else felt


def household_rain(world: World, month: MonthHazards, rows: np.ndarray) -> np.ndarray | None:
    """This month's storm rain, mm, at the exposure point of each household of ``rows`` on its
    home island (None when no storm rained this month)."""
    rain = month.point_rain_mm
    felt = _at_points(world, rain, rows)
    if felt is not None or rain is None or len(rain) != len(world.setting.islands):
        return felt
    return rain[world.households.home_island[rows]]


def damage(world: World, month: MonthHazards) -> Hit:
    """Storms and king tides damage homes; links are cut; storm-time counts are made."""
    hh, t = world.households, world.t
    p, pc = world.params, world.params.cyclones
    rng = world.streams["impacts"]
    # storms and tides strike homes: a displaced household's home is on its home island
    on_island = np.flatnonzero(hh.status != Status.ABROAD)
    before = hh.damage[on_island].copy()
    dmg = before.copy()
    storm_unlivable = np.zeros(hh.n, dtype=bool)

    # cyclone winds and surge, as felt at each household's exposure point
    wind = household_wind(world, month, on_island)
    struck = np.flatnonzero(wind > pc.damage_threshold_ms)
    if len(struck):
        v = wind[struck]
        rows = on_island[struck]
        mean = wind_damage(v, home_half_damage_ms(world, rows), pc.damage_threshold_ms)
        low = (hh.band[rows] == Band.LOW) & ~hh.protected[rows]
        surge = np.clip((v - pc.surge_wind_ms) / (pc.vmax_ms[5] - pc.surge_wind_ms), 0.0, 1.0)
        mean = np.where(low, mean + (1.0 - mean) * pc.surge_extra_damage * surge, mean)
        # each home's damage state from HAZUS's spread at that mean loss (one draw a home)
        d = state_loss(draw_damage_state(mean, rng.random(len(struck)), pc), pc)
        dmg[struck] = 1.0 - (1.0 - dmg[struck]) * (1.0 - d)
        storm_unlivable[rows] = d >= p.displacement.uninhabitable_damage
        _count_homes_hit(world, before[struck], dmg[struck])
        hit_islands = month.wind_ms >= pc.surge_wind_ms
        world.access.links_cut_until[hit_islands] = t + pc.link_cut_months

    # king tides wet the floors of the low-lying band for hours. A home the water leaves livable
    # is cleaned within the month by the household's own hands: no lasting damage, no repair
    # bill. One it makes unlivable has lost the depth's share (the same floors and contents
    # wetted again: not compounded tide after tide)
    flooded_here = tide_flooded(world, month, on_island)
    tide_m = king_tide_depth(world)
    if tide_m >= p.displacement.flood_unlivable_depth_m:
        dmg[flooded_here] = np.maximum(dmg[flooded_here], depth_loss(world, tide_m))
    if month.flood_m is not None:
        under, flood_dmg, depth = coastal_flood(world, month.flood_m, on_island)
        dmg = 1.0 - (1.0 - dmg) * (1.0 - flood_dmg)
        flooded_here |= under
        _log_floods(world, month.flood_m, on_island[under], dmg[under], depth[under])
    flooded = np.zeros(hh.n, dtype=bool)
    flooded[on_island[flooded_here]] = True

    hh.damage[on_island] = dmg
    new_damage = np.zeros(hh.n, dtype=np.float32)
    new_damage[on_island] = dmg - before

    severe = p.displacement.severe_damage
    severe_now = on_island[(dmg >= severe) & (before < severe)]
    rain = household_rain(world, month, on_island)
    storm_toll(world, on_island, wind, before, dmg, month.flood_m, rain)
    return Hit(
        new_damage=new_damage,
        flooded=flooded,
        severe_now=severe_now,
        storm_unlivable=storm_unlivable,
    )


def _count_homes_hit(world: World, before: np.ndarray, after: np.ndarray) -> None:
    """Count the homes the storm's wind took past :func:`damaged_damage` (damaged, as damage
    assessments count them) and past ``destroyed_damage`` (destroyed: HAZUS's destruction
    state), as PDNAs count them."""
    damaged = damaged_damage(world.params.cyclones)
    destroyed = world.params.deaths.destroyed_damage
    world.counts.add("homes_damaged", int(((after >= damaged) & (before < damaged)).sum()))
    world.counts.add("homes_destroyed", int(((after >= destroyed) & (before < destroyed)).sum()))


def storm_toll(
    world: World,
    rows: np.ndarray,
    wind: np.ndarray,
    before: np.ndarray,
    dmg: np.ndarray,
    flood_m: np.ndarray | None = None,
    rain_mm: np.ndarray | None = None,
) -> int:
    """People who rode out this month's storm or flood at home: those in a home left severely
    damaged by hurricane-force wind are counted (``people_at_risk_in_storm``); deaths come by
    cause (:func:`hsmobility.phases.deaths.storm_deaths`: destroyed homes, surge and flood
    depth, rain on steep islands). Households that left on the warning (``evacuation.warn``:
    a centre or kin) are not at home. ``rows`` are the households on the islands, ``wind``,
    ``before`` and ``dmg`` their wind and damage before and after, ``flood_m`` the scripted
    flood per island, ``rain_mm`` the storm rain each had. Returns the people who died."""
    hh, p = world.households, world.params
    home = is_housed(hh.status[rows]) & (world.refuge.refuge_of(hh.n)[rows] == 0)
    severe = dmg >= p.displacement.severe_damage
    struck_hard = home & (wind >= p.cyclones.surge_wind_ms) & severe
    world.counts.add("people_at_risk_in_storm", int(hh.size[rows][struck_hard].sum()))
    return sum(storm_deaths(world, rows, wind, before, dmg, flood_m, rain_mm).values())


def king_tide_depth(world: World) -> float:
    """Water over the floor of a low-lying home a king tide floods this month, m: today's
    ``king_tide_depth_m`` plus the sea-level rise since today (issue 9, kingtide)."""
    rise = float(world.hazards.slr_since_today_m[world.t])
    return world.params.sea_level.king_tide_depth_m + max(rise, 0.0)


def depth_loss(world: World, depth_m: np.ndarray | float) -> np.ndarray:
    """Share of a home's value lost under ``depth_m`` of water over its floor: the JRC
    residential depth-damage function in ``[sea_level]`` (0 for a dry home)."""
    ps = world.params.sea_level
    return np.interp(np.maximum(depth_m, 0.0), ps.flood_depth_m, ps.flood_depth_damage)


def tide_flooded(world: World, month: MonthHazards, rows: np.ndarray) -> np.ndarray:
    """Per household of ``rows``: a king tide floods its home this month (the tide on its home
    island, the home in the low-lying band, neither behind coastal works nor raised)."""
    hh = world.households
    flooded = month.king_tide[hh.home_island[rows]] & (hh.band[rows] == Band.LOW)
    return flooded & ~(hh.protected[rows] | hh.resilient[rows])


def _scripted_depth(world: World, flood_m: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Water over the floor of the homes of ``rows`` under a scripted flood ``flood_m`` (per
    island, above today's high spring tide), m; 0 or less where dry."""
    hh, geo = world.households, world.geo
    home = hh.home_island[rows]
    water = flood_m[home] + world.hazards.slr_since_today_m[world.t]
    floor = geo.lowlying_elevation_m[home] + np.where(
        hh.protected[rows], world.policy.works.height[home], 0.0
    )
    return np.where(
        (hh.band[rows] == Band.LOW) & ~hh.resilient[rows] & (flood_m[home] > 0),
        water - floor,
        0.0,
    )


def flood_depth(world: World, month: MonthHazards, rows: np.ndarray) -> np.ndarray:
    """Water over the floor of the homes of ``rows`` this month, m (0: dry): a king tide's
    (:func:`king_tide_depth`, on homes :func:`tide_flooded`) or a scripted flood's, the deeper."""
    depth = np.where(tide_flooded(world, month, rows), king_tide_depth(world), 0.0)
    if month.flood_m is not None:
        depth = np.maximum(depth, _scripted_depth(world, month.flood_m, rows))
    return depth


def coastal_flood(
    world: World, flood_m: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scripted swell, surge or king tide: water ``flood_m`` (per island) above today's high
    spring tide, plus the sea-level rise since today, floods low-lying homes above their band's
    elevation (and above coastal works' height for homes behind them); raised homes stay dry.

    Returns, for ``rows``, whether each home is under water, the damage the depth does (the
    sourced depth-damage function in ``[sea_level]``) and the depth over the floor (m, 0 if dry).
    """
    depth = np.maximum(_scripted_depth(world, flood_m, rows), 0.0)
    return depth > 0, depth_loss(world, depth), depth


def _log_floods(
    world: World, flood_m: np.ndarray, rows: np.ndarray, dmg: np.ndarray, depth: np.ndarray
) -> None:
    """One line per water height: the islands it reached, homes under water and unlivable (water
    ``flood_unlivable_depth_m`` or more over the floor, or no room standing: D at least
    ``return_max_damage``; :func:`unlivable_homes`)."""
    hh, k, names = world.households, world.scale, [i.name for i in world.setting.islands]
    unlivable = depth >= world.params.displacement.flood_unlivable_depth_m
    unlivable |= dmg >= world.params.recovery.return_max_damage
    for height in np.unique(flood_m[flood_m > 0]):
        islands = np.flatnonzero(flood_m == height)
        here = np.isin(hh.home_island[rows], islands)
        where = names[islands[0]] if len(islands) == 1 else f"{len(islands)} islands"
        if len(islands) == len(names) and len(names) > 1:
            where = "every island"
        n, broken = int(here.sum()) * k, int((here & unlivable).sum()) * k
        world.log(
            f"the sea {height:.1f} m above today's high tide on {where}: "
            + (
                f"{n:,} low-lying homes under water, {broken:,} of them unlivable"
                if n
                else "no home under water"
            )
        )


def overwash_per_year(world: World, freeboard_m: np.ndarray | float = 0.0) -> np.ndarray:
    """Per island, wave-driven wash-overs of the low-lying land a year: today's rate (one in the
    island's ``overwash_return_years``, else the parameter's), doubled with every
    ``overwash_doubling_m`` of sea-level rise since today and halved with every as much
    ``freeboard_m`` added (coastal works, raised land). 0 on islands with high ground, which do
    not live on a freshwater lens."""
    ps = world.params.sea_level
    rise = float(world.hazards.slr_since_today_m[world.t])
    isl = world.setting.islands
    years = np.array([i.overwash_return_years or ps.overwash_return_years for i in isl])
    atoll = np.array([i.highground_share == 0 for i in isl])
    rate = 2.0 ** ((rise - np.asarray(freeboard_m, dtype=float)) / ps.overwash_doubling_m) / years
    return np.where(atoll, rate, 0.0)


def habitability(world: World, freeboard_m: np.ndarray | float = 0.0) -> np.ndarray:
    """Per island, the expected share of the time the freshwater lens under the low-lying land
    is potable: exp(-f x ``lens_recovery_months`` / 12), f the wash-overs a year
    (:func:`overwash_per_year`, with ``freeboard_m`` of works or raised land), each leaving the
    lens brackish for ``lens_recovery_months`` (Terry & Falkland 2010). Near 1 today; about
    0.4 once overwash comes every year, when Storlazzi et al. (2018) find an atoll
    uninhabitable; 1 on islands with high ground."""
    months = world.params.sea_level.lens_recovery_months
    return np.exp(-overwash_per_year(world, freeboard_m) * months / 12.0)


def inundation(world: World, flooded: np.ndarray | None = None) -> np.ndarray:
    """Land lost to the sea: its housed households move off it.

    Slow onset: after a wash-over of its island a household on its own low-lying land gives it
    up when the land is no longer habitable for it (:func:`_overwashed`; ``flooded`` from
    :func:`damage`, None for a call that only moves households off lost land). Once the sea
    has risen past an island's low-lying band nobody can live on it: every housed household
    there moves, in the month the land is lost and whenever one returns to it later.
    Households behind coastal protection or on raised land go only once the sea has also risen
    past the works' extra height. Both go to high ground on the same island if it has any, else
    to the capital's middle band. Returns the rows moved.
    """
    hh, t, geo, land = world.households, world.t, world.geo, world.land
    rise = world.hazards.slr_since_today_m[t]
    height = world.policy.works.height  # per island: the highest finished works
    lost = rise >= geo.lowlying_elevation_m
    overwashed = _overwashed(world, flooded, lost)
    if not lost.any():
        if len(overwashed):
            _move_off_land(world, overwashed)
        return overwashed
    lost_behind_works = rise >= geo.lowlying_elevation_m + height
    newly = (lost & ~land.inundated) | (lost_behind_works & ~land.inundated_behind_works)
    land.inundated |= lost
    land.inundated_behind_works |= lost_behind_works
    on_lost_land = (
        lost[np.maximum(hh.island, 0)]
        & (hh.island >= 0)
        & (hh.band == Band.LOW)
        & is_housed(hh.status)
        & ~(hh.protected & ~lost_behind_works[np.maximum(hh.island, 0)])
    )
    moved = []
    for i in np.flatnonzero(lost):
        rows = np.flatnonzero(on_lost_land & (hh.island == i))
        if not len(rows):
            continue
        target = _move_off_land(world, rows)
        moved.append(rows)
        if newly[i]:
            world.log(
                f"sea level has risen {rise:.2f} m: the low-lying land of "
                f"{world.setting.islands[i].name} is lost; {len(rows) * world.scale} households "
                f"moved to {world.setting.islands[int(target[0])].name}"
            )
    if len(overwashed):
        _move_off_land(world, overwashed)
        moved.append(overwashed)
    return np.concatenate(moved) if moved else np.zeros(0, dtype=np.int64)


def ocean_side(world: World) -> np.ndarray:
    """Per household row, whether its home is in the ocean-side part of its island that a
    wave-driven wash-over floods: the share ``overwash_reach_share`` of each island's
    households, always the same ones (``site_u`` below the share: a fixed place on the island).
    Swell overwashes the ocean-facing ridge and large sections behind it, not the lagoon shore
    (Ford et al. 2012, AGU Fall Meeting GC13A-1061, Majuro)."""
    hh = world.households
    return hh.site_u[: hh.n] < world.params.sea_level.overwash_reach_share


def _overwashed(world: World, flooded: np.ndarray | None, lost: np.ndarray) -> np.ndarray:
    """Rows of housed households on their own low-lying land who give it up after this month's
    wash-over (islands whose land is not lost already: those all move); logged per island.

    Each atoll island is washed over this month with chance 1 - exp(-f / 12) (one draw per
    island, stream ``slowonset``; land behind works or raised only by a wave big enough to
    overtop them: the same draw against the lower rate) and the wash-over reaches the island's
    ocean-side part (:func:`ocean_side`); a scripted swell or surge washes over the homes it
    floods (``flooded`` on an island with a scripted flood). Households tolerate
    the habitability they have lived through: at a wash-over each leaves with chance
    1 - H_now / H_seen, H_seen the island's habitability at its last wash-over (or at the run's
    start), then H_seen = H_now. So nobody leaves at a wash-over at today's sea level, and the
    share who have left by the time habitability is H is 1 - H / H_start (tolerances spread
    evenly below today's habitability). ``flooded`` None: not this month's main call, no draw.
    """
    if flooded is None:
        return np.zeros(0, dtype=np.int64)
    hh, land, t = world.households, world.land, world.t
    n_isl = len(world.setting.islands)
    height = np.asarray(world.policy.works.height, dtype=float)
    h_open, h_works = habitability(world), habitability(world, height)
    if land.overwash_seen is None or land.overwash_seen_works is None:
        land.overwash_seen, land.overwash_seen_works = h_open.copy(), h_works.copy()
    u = world.streams["slowonset"].random(n_isl)
    wash_open = u < -np.expm1(-overwash_per_year(world) / 12.0)
    wash_works = u < -np.expm1(-overwash_per_year(world, height) / 12.0)
    flood_m = world.hazards.flood_m[t] if world.hazards.flood_m is not None else None
    scripted = np.zeros(n_isl, dtype=bool) if flood_m is None else flood_m > 0
    isl = np.maximum(hh.island, 0)
    at_home = (hh.island >= 0) & (hh.island == hh.home_island) & is_housed(hh.status)
    at_home &= (hh.band == Band.LOW) & ~hh.resilient & ~lost[isl]
    washed = np.where(hh.protected, wash_works[isl], wash_open[isl])
    swell = flooded[: hh.n] & scripted[isl]
    # waves wash over the ocean-facing part, not the whole island: one draw per household of a
    # washed island all the same, so that the stream (and the next wash-overs) do not depend on
    # the share reached
    reached = (washed & ocean_side(world)) | swell
    rows = np.flatnonzero(at_home & (washed | swell))
    seen_open, seen_works = land.overwash_seen, land.overwash_seen_works
    ratio = np.where(
        hh.protected[rows],
        h_works[isl[rows]] / seen_works[isl[rows]],
        h_open[isl[rows]] / seen_open[isl[rows]],
    )
    loss = 1.0 - np.minimum(ratio, 1.0)
    leave = np.zeros(len(rows), dtype=bool)
    if (loss > 0).any():
        leave = world.streams["slowonset"].random(len(rows)) < loss
    out = rows[leave & reached[rows]]
    # those still there have now lived through this habitability
    hit_open = wash_open | scripted
    land.overwash_seen = np.where(hit_open, np.minimum(seen_open, h_open), seen_open)
    land.overwash_seen_works = np.where(
        wash_works | scripted, np.minimum(seen_works, h_works), seen_works
    )
    months = world.params.sea_level.lens_recovery_months
    for i in np.unique(isl[rows]):
        n = int(np.sum(isl[out] == i)) * world.scale
        world.log(
            f"waves wash over the low-lying land of {world.setting.islands[int(i)].name}: its "
            f"freshwater lens takes ~{months:g} months to recover; "
            + ("nobody gives" if n == 0 else f"{n:,} household gives" if n == 1 else
               f"{n:,} households give")
            + " up their land"
        )  # fmt: skip
    return out


def _move_off_land(world: World, rows: np.ndarray) -> np.ndarray:
    """Move households ``rows`` off land the sea has taken: to high ground on their island if it
    has any, else to the capital's middle band. Counted as forced internal moves; returns the
    island each went to."""
    hh, geo, t = world.households, world.geo, world.t
    has_high = np.array([isl.highground_share > 0 for isl in world.setting.islands])
    here = hh.island[rows]
    target = np.where(has_high[here], here, geo.capital)
    hh.status[rows] = Status.MOVED_INTERNAL
    hh.island[rows] = target
    hh.home_island[rows] = target
    # up the island's own hill; else the capital's middle band (an atoll capital's own too)
    hh.band[rows] = np.where(has_high[here], Band.HIGH, Band.MID)
    hh.damage[rows] = 0.0
    hh.protected[rows] = False
    hh.forced[rows] = True
    hh.moved_step[rows] = t
    hh.moves_month[rows] += 1
    hh.forced_moves_month[rows] += 1
    world.counts.add("moves_forced_inundation", len(rows))
    world.counts.add("moves_internal", len(rows))
    world.counts.add("moves_internal_people", int(hh.size[rows].sum()))
    world.counts.add("moves_of_displaced", len(rows))
    return target


def host_room(world: World) -> np.ndarray:
    """People (agents' people, not x scale) each island can still take in: households living
    there in a home not severely damaged host ``host_people_per_household`` each, less the
    displaced already staying with hosts or come from other islands."""
    hh, pd = world.households, world.params.displacement
    n_isl = len(world.setting.islands)
    on = hh.island >= 0
    hosts = on & is_housed(hh.status) & (hh.damage < pd.severe_damage)
    guests = on & (hh.status == Status.DISPLACED)
    guests &= np.isin(hh.displacement, (Displacement.HOST_FAMILY, Displacement.OTHER_ISLAND))
    room = pd.host_people_per_household * np.bincount(hh.island[hosts], minlength=n_isl)
    room -= np.bincount(hh.island[guests], weights=hh.size[guests], minlength=n_isl)
    return np.maximum(room, 0.0)


def _evacuate_island(world: World, i: int, rows: np.ndarray, closed: np.ndarray) -> np.ndarray:
    """Take the households ``rows`` of island ``i`` to islands with host room, its refuge
    island first, then the others nearest first (none being evacuated, ``closed``); returns the
    destination of each row (-1: no room anywhere, they stay on ``i``)."""
    hh = world.households
    dist = island_distances_km(world.setting)[i]
    order = [int(world.geo.refuge_island[i])] + [int(j) for j in np.argsort(dist)]
    room = host_room(world)
    dest = np.full(len(rows), -1, dtype=np.int64)
    left = np.arange(len(rows))
    seen: set[int] = set()
    for j in order:
        if j == i or j in seen or closed[j] or not len(left):
            continue
        seen.add(j)
        people = np.cumsum(hh.size[rows[left]].astype(np.int64))
        n = int(np.searchsorted(people, room[j], "right"))
        dest[left[:n]] = j
        left = left[n:]
    return dest


def unlivable_homes(
    world: World, month: MonthHazards, storm_unlivable: np.ndarray | None = None
) -> np.ndarray:
    """Per household row, whether this month's hazards leave its home unlivable, by hazard
    (issue 9, kingtide): after a storm by the wind's damage state, HAZUS's moderate state or
    worse (``storm_unlivable`` from :func:`damage`: the state the storm drew this month has a
    loss of at least ``uninhabitable_damage``; without it, a home the month's wind struck with
    D at least ``uninhabitable_damage``); after a flood or king tide by the water over its floor,
    ``flood_unlivable_depth_m`` or more (FEMA's "major" water line); whatever the hazard, a home
    with no room standing, D at least ``return_max_damage``. A king tide or shallow flood that
    wets a home, however often, does not by itself make it unlivable."""
    hh, pd = world.households, world.params.displacement
    out = np.zeros(hh.n, dtype=bool)
    rows = np.flatnonzero(hh.status != Status.ABROAD)
    d = hh.damage[rows]
    out[rows] = d >= world.params.recovery.return_max_damage
    if storm_unlivable is not None:
        out[rows] |= storm_unlivable[rows]
    else:
        thr = world.params.cyclones.damage_threshold_ms
        struck = household_wind(world, month, rows) > thr
        out[rows] |= struck & (d >= pd.uninhabitable_damage)
    out[rows] |= flood_depth(world, month, rows) >= pd.flood_unlivable_depth_m
    return out


def displace(
    world: World,
    month: MonthHazards,
    new_damage: np.ndarray | None = None,
    storm_unlivable: np.ndarray | None = None,
) -> np.ndarray:
    """Households whose home this month's hazards left unlivable (:func:`unlivable_homes`: a
    storm by the wind's damage, a flood or king tide by the water's depth) leave it; islands
    mostly destroyed are evacuated to islands with room; the islands struck lose services.

    ``new_damage`` (per row, from ``damage``) limits displacement to homes damaged this month,
    so that a household gone back to repair a partly livable home is not displaced again;
    without it every unlivable home counts. ``storm_unlivable`` (per row, from ``damage``): the
    storm's own damage state made the home unlivable (:func:`unlivable_homes`). Returns the rows
    displaced this month.
    """
    hh, t, pd, geo = world.households, world.t, world.params.displacement, world.geo
    rng = world.streams["impacts"]
    housed = is_housed(hh.status)
    unlivable = housed & unlivable_homes(world, month, storm_unlivable)
    if new_damage is not None:
        unlivable &= new_damage[: hh.n] > 0
    n_isl = len(world.setting.islands)
    on = hh.island >= 0
    struck = month.wind_ms > world.params.cyclones.damage_threshold_ms
    if month.flood_m is not None:
        struck |= month.flood_m > 0
    _lose_services(world, struck)
    per_island = np.bincount(hh.island[on & housed], minlength=n_isl)
    broken = np.bincount(hh.island[unlivable & on], minlength=n_isl)
    evacuate = (broken >= pd.evacuation_share * np.maximum(per_island, 1)) & (broken > 0)
    evacuate &= np.arange(n_isl) != geo.capital  # the capital shelters its own
    evacuate &= geo.separate_island  # regions linked by road are not evacuated
    evacuate &= struck
    evacuated = housed & evacuate[np.maximum(hh.island, 0)] & on
    destination = np.full(hh.n, -1, dtype=np.int64)
    names = [i.name for i in world.setting.islands]
    for i in np.flatnonzero(evacuate):
        rows_i = rng.permutation(np.flatnonzero(evacuated & (hh.island == i)))
        dest = _evacuate_island(world, int(i), rows_i, evacuate)
        destination[rows_i] = dest
        evacuated[rows_i[dest < 0]] = False  # no room anywhere: they stay, displaced or not
        world.access.closed_until[i] = t + world.params.recovery.evacuation_closure_months
        went = dest[dest >= 0]
        where = ", ".join(
            f"{np.sum(went == j) * world.scale:,} to {names[j]}" for j in np.unique(went)
        )
        stay = int(np.sum(dest < 0)) * world.scale
        world.log(
            f"{names[i]} is evacuated: most homes are destroyed; households taken "
            f"{where or 'nowhere'}" + (f"; {stay:,} found no island with room" if stay else "")
        )

    rows = np.flatnonzero(unlivable | evacuated)
    if not len(rows):
        return rows
    u = rng.random(len(rows))
    has_tie = hh.ties[rows].sum(axis=1) > 0
    kind = np.where(
        has_tie & (u < pd.abroad_share),
        Displacement.ABROAD,
        np.where(
            u < pd.abroad_share + pd.other_island_share,
            Displacement.OTHER_ISLAND,
            np.where(
                u < pd.abroad_share + pd.other_island_share + pd.shelter_share,
                Displacement.SHELTER,
                Displacement.HOST_FAMILY,
            ),
        ),
    )
    # where they spent the storm decides where they stay: a centre or kin on the warning
    refuge = world.refuge.refuge_of(hh.n)[rows]
    kind = np.where(refuge == 1, Displacement.SHELTER, kind)
    kind = np.where(refuge == 2, Displacement.HOST_FAMILY, kind)
    # households without kin with room (drawn on the warning if they left, else now) go to a
    # centre rather than to hosts; an island's evacuation takes everyone elsewhere
    fresh = rows[refuge == 0]
    hh.no_kin[fresh] = rng.random(len(fresh)) < pd.no_kin_share
    no_kin = hh.no_kin[rows]
    kind = np.where(
        no_kin & np.isin(kind, (Displacement.HOST_FAMILY, Displacement.OTHER_ISLAND)),
        Displacement.SHELTER,
        kind,
    )
    kind = np.where(evacuated[rows], Displacement.OTHER_ISLAND, kind)
    # the others who leave for another island go to its refuge island while hosts have room
    room = host_room(world)
    taken = destination[rows] >= 0
    room -= np.bincount(destination[rows][taken], weights=hh.size[rows][taken], minlength=n_isl)
    elsewhere = np.flatnonzero((kind == Displacement.OTHER_ISLAND) & ~taken)
    to = geo.refuge_island[hh.home_island[rows[elsewhere]]]
    for j in np.unique(to):
        idx = elsewhere[to == j]
        people = np.cumsum(hh.size[rows[idx]].astype(np.int64))
        n = int(np.searchsorted(people, max(room[j], 0.0), "right"))
        destination[rows[idx[:n]]] = j
        kind[idx[n:]] = Displacement.HOST_FAMILY
    # evacuation centres take people only up to their places; the rest go to host families
    free = world.refuge.shelter_places // world.scale - in_centres(world)
    for i in np.unique(hh.island[rows[kind == Displacement.SHELTER]]):
        idx = np.flatnonzero((kind == Displacement.SHELTER) & (hh.island[rows] == i))
        # those already there first, then those without kin
        idx = idx[np.lexsort((~no_kin[idx], refuge[idx] != 1))]
        people = np.cumsum(hh.size[rows[idx]].astype(np.int64))
        n = int(np.searchsorted(people, max(int(free[i]), 0), "right"))
        kind[idx[n:]] = Displacement.HOST_FAMILY
    hh.status[rows] = Status.DISPLACED
    hh.displacement[rows] = kind
    hh.shelter_kit[rows] = False  # a new episode: any kit of an earlier one is used up
    hh.months_displaced[rows] = 0
    hh.episodes[rows] += 1
    hh.forced[rows] = True
    away = rows[kind == Displacement.OTHER_ISLAND]
    hh.island[away] = destination[away]
    abroad = rows[kind == Displacement.ABROAD]
    hh.island[abroad] = -1
    hh.destination[abroad] = np.argmax(hh.ties[abroad], axis=1)
    hh.displaced_step[rows] = t
    world.counts.add("people_left_setting", int(hh.size[abroad].sum()))
    world.counts.add("displaced_new", len(rows))
    world.counts.add("displaced_new_people", int(hh.size[rows].sum()))
    return rows


def in_centres(world: World) -> np.ndarray:
    """Agents' people staying in each island's evacuation centres as displaced households."""
    hh = world.households
    there = (hh.status == Status.DISPLACED) & (hh.displacement == Displacement.SHELTER)
    there &= hh.island >= 0
    n_isl = len(world.setting.islands)
    return np.bincount(hh.island[there], weights=hh.size[there], minlength=n_isl).astype(np.int64)


def _lose_services(world: World, struck: np.ndarray) -> None:
    """An island struck this month keeps at most the share of its homes not severely damaged
    working (water, power, clinics, schools come back as ``recovery.repair`` restores them)."""
    if not struck.any():
        return
    hh = world.households
    n_isl = len(world.setting.islands)
    homes = hh.status != Status.ABROAD
    severe = homes & (hh.damage >= world.params.displacement.severe_damage)
    total = np.bincount(hh.home_island[homes], minlength=n_isl)
    share = np.bincount(hh.home_island[severe], minlength=n_isl) / np.maximum(total, 1)
    svc = world.refuge.services
    svc[struck] = np.minimum(svc[struck], 1.0 - share[struck])
