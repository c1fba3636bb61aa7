"""Deaths from hazards, by cause (issue 9, survival).

Three causes, each with its own exposed group and rate (``[deaths]`` in parameters.toml):

- **wind**: occupants of a home the storm destroys this month (damage crossing
  ``destroyed_damage``: HAZUS's destruction state, not merely damaged) die with
  ``collapse_death_rate``;
- **surge**: people at home in a low-lying home under the storm surge (a height by felt wind,
  the Saffir-Simpson table) or under a scripted coastal flood drown with
  ``surge_mortality`` x depth / ``surge_reference_depth_m`` (mortality rises with depth);
- **rain**: people at home where a storm's rain (R-CLIPER's, or a scripted storm's observed
  total: world.hazards.storm_rain_mm) exceeds ``rain_threshold_mm`` die in rain-driven
  landslides and river floods with ``rain_death_rate`` per 100 mm above it x the island's
  ``landslide_terrain`` (steep volcanic relief; 1 = Dominica, 0 = atolls).

People who left home on the warning (a centre or kin) are not at home and die of none of them.
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.groups import death_factor
from hsmobility.world.households import Band, is_housed, take_members
from hsmobility.world.state import World

#: the causes, in the order their deaths are drawn; counter ``deaths_<cause>`` each
CAUSES = ("wind", "surge", "rain")
_WHERE = {
    "wind": "when the storm destroyed their homes",
    "surge": "when the sea flooded their low-lying homes",
    "rain": "in landslides and river floods the storm's rain set off",
}


def survive(world: World, rows: np.ndarray, rate: float | np.ndarray, where: str) -> int:
    """Each person of ``rows`` dies with chance ``rate`` (per row or one for all; the
    ``survival`` stream); a household's last member is spared, as in demography (rows are never
    removed). Counted in ``deaths_hazard`` (and in ``deaths``, which counts every death) and
    written in the event log; returns the people who died."""
    rate = np.broadcast_to(np.asarray(rate, dtype=np.float64), (len(rows),))
    if not len(rows) or not (rate > 0).any():
        return 0
    hh = world.households
    size = hh.size[rows].astype(np.int64)
    risk = np.clip(rate * death_factor(hh, world.params, rows), 0.0, 1.0)  # disability: higher
    died = np.minimum(world.streams["survival"].binomial(size, risk), size - 1)
    # the old and the young are the most likely to die in a disaster: elders, children, adults
    take_members(hh, rows, died)
    n = int(died.sum())
    world.counts.add("deaths", n)  # all deaths in resident households, hazard deaths included
    world.counts.add("deaths_hazard", n)
    if n:
        who = "1 person" if n * world.scale == 1 else f"{n * world.scale:,} people"
        world.log(f"{who} died {where}")
    return n


def surge_height_m(world: World, wind_ms: np.ndarray) -> np.ndarray:
    """Storm-surge height above the tide where the felt wind is ``wind_ms``: the
    Saffir-Simpson table (``surge_table_wind_ms`` -> ``surge_table_height_m``, interpolated; 0
    below its first wind), a continental-shelf figure, times ``surge_island_factor`` (small
    islands' steep shelves let less water pile up)."""
    pd = world.params.deaths
    table = np.interp(wind_ms, pd.surge_table_wind_ms, pd.surge_table_height_m, left=0.0)
    return pd.surge_island_factor * table


def water_depth_m(
    world: World, rows: np.ndarray, wind_ms: np.ndarray, flood_m: np.ndarray | None
) -> np.ndarray:
    """Depth of sea water in each low-lying home of ``rows`` this month, m: the storm surge at
    its felt wind and any scripted flood (``flood_m`` per island, with the sea-level rise since
    today), whichever is higher, above its band's elevation (and the works' height behind
    coastal works); raised (resilient) homes and homes off the low-lying band stay dry."""
    hh, geo = world.households, world.geo
    home = hh.home_island[rows]
    water = surge_height_m(world, wind_ms)
    if flood_m is not None:
        scripted = np.where(flood_m[home] > 0, flood_m[home], 0.0)
        water = np.maximum(water, scripted)
    water = np.where(water > 0, water + world.hazards.slr_since_today_m[world.t], 0.0)
    floor = geo.lowlying_elevation_m[home] + np.where(
        hh.protected[rows], world.policy.works.height[home], 0.0
    )
    low = (hh.band[rows] == Band.LOW) & ~hh.resilient[rows]
    return np.where(low, np.maximum(water - floor, 0.0), 0.0)


def landslide_terrain(world: World) -> np.ndarray:
    """Per island, its exposure to rain-driven landslides and river floods (the island's
    ``landslide_terrain``, else its setting's)."""
    st = world.setting
    return np.array(
        [
            st.landslide_terrain if isl.landslide_terrain is None else isl.landslide_terrain
            for isl in st.islands
        ]
    )


def storm_deaths(
    world: World,
    rows: np.ndarray,
    wind: np.ndarray,
    before: np.ndarray,
    dmg: np.ndarray,
    flood_m: np.ndarray | None = None,
    rain_mm: np.ndarray | None = None,
) -> dict[str, int]:
    """Deaths of this month's storm or flood by cause among the households ``rows`` (those on
    the islands), ``wind`` the wind each felt, ``before``/``dmg`` their damage before and after
    it, ``flood_m`` the scripted flood per island, ``rain_mm`` the storm rain each had (None =
    none). Only people at home (housed, not gone on the warning) are exposed. Counted in
    ``deaths_<cause>``; returns the deaths by cause."""
    hh, pd = world.households, world.params.deaths
    home = is_housed(hh.status[rows]) & (world.refuge.refuge_of(hh.n)[rows] == 0)
    out = dict.fromkeys(CAUSES, 0)
    if not home.any():
        return out
    # wind: homes destroyed this month
    destroyed = home & (dmg >= pd.destroyed_damage) & (before < pd.destroyed_damage)
    out["wind"] = survive(world, rows[destroyed], pd.collapse_death_rate, _WHERE["wind"])
    # surge and coastal floods: drowning in proportion to the depth of water in the home
    depth = water_depth_m(world, rows, wind, flood_m)
    under = home & (depth > 0)
    rate = pd.surge_mortality * depth[under] / pd.surge_reference_depth_m
    out["surge"] = survive(world, rows[under], rate, _WHERE["surge"])
    # rain: landslides and river floods, by the rain above the triggering threshold
    if rain_mm is not None:
        terrain = landslide_terrain(world)[hh.home_island[rows]]
        excess = np.maximum(np.asarray(rain_mm, dtype=float) - pd.rain_threshold_mm, 0.0)
        wet = home & (excess > 0) & (terrain > 0)
        rate = pd.rain_death_rate * terrain[wet] * excess[wet] / 100.0
        out["rain"] = survive(world, rows[wet], rate, _WHERE["rain"])
    for cause, n in out.items():
        world.counts.add(f"deaths_{cause}", n)
    return out
