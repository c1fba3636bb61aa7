"""Damage and displacement phase: cyclones, storm surge, king tides and permanent inundation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.phases.adaptation import pay_protection, shelter_share
from hsmobility.world.households import Band, Displacement, Status, is_housed

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def wind_damage(wind_ms: np.ndarray, half_damage_ms: np.ndarray | float, threshold_ms: float):
    """Mean share of a house's value lost to wind (Emanuel 2011 damage function)."""
    vn = np.maximum(wind_ms - threshold_ms, 0.0) / (half_damage_ms - threshold_ms)
    return vn**3 / (1.0 + vn**3)


def damage_and_displacement(model: MobilityModel) -> None:
    """Storms and floods damage homes; households whose home is unlivable are displaced."""
    hh, now, t = model.households, model.now, model.month_index
    p, pc = model.params, model.params.cyclones
    rng = model.streams["impacts"]
    # storms and tides strike homes: a displaced household's home is on its home island
    on_island = np.flatnonzero(hh.status != Status.ABROAD)
    island = hh.home_island[on_island]
    before = hh.damage[on_island].copy()
    damage = before.copy()

    # cyclone winds and surge
    wind = now.wind_ms[island]
    struck = np.flatnonzero(wind > pc.damage_threshold_ms)
    if len(struck):
        v = wind[struck]
        rows = on_island[struck]
        half = (
            model.setting.wind_half_damage_ms + p.decisions.resilient_extra_ms * hh.resilient[rows]
        )
        mean = wind_damage(v, half, pc.damage_threshold_ms)
        low = (hh.band[rows] == Band.LOW) & ~hh.protected[rows]
        surge = np.clip((v - pc.surge_wind_ms) / (pc.vmax_ms[5] - pc.surge_wind_ms), 0.0, 1.0)
        mean = np.where(low, mean + (1.0 - mean) * pc.surge_extra_damage * surge, mean)
        mean = np.clip(mean, 1e-4, 1 - 1e-4)
        k = pc.damage_dispersion
        d = rng.beta(mean * k, (1.0 - mean) * k)
        damage[struck] = 1.0 - (1.0 - damage[struck]) * (1.0 - d)
        hit_islands = now.wind_ms >= pc.surge_wind_ms
        model.links_cut_until[hit_islands] = t + pc.link_cut_months

    # king tides flood the low-lying band
    flooded = now.king_tide[island] & (hh.band[on_island] == Band.LOW)
    flooded &= ~(hh.protected[on_island] | hh.resilient[on_island])
    damage[flooded] = 1.0 - (1.0 - damage[flooded]) * (1.0 - p.sea_level.king_tide_damage)
    now.flooded = np.zeros(hh.n, dtype=bool)
    now.flooded[on_island[flooded]] = True

    hh.damage[on_island] = damage
    now.new_damage = np.zeros(hh.n, dtype=np.float32)
    now.new_damage[on_island] = damage - before

    # people who spend the storm in an evacuation centre: the exposed under hurricane-force winds
    housed = is_housed(hh.status[on_island])
    exposed = (
        housed
        & (wind >= pc.surge_wind_ms)
        & ((hh.band[on_island] == Band.LOW) | (damage >= p.displacement.severe_damage))
    )
    seek = shelter_share(model)
    model.counts["evacuation_centre_people"] += round(
        seek * float(hh.size[on_island][exposed].sum())
    )
    severe = p.displacement.severe_damage
    severe_now = on_island[(damage >= severe) & (before < severe)]
    struck_hard = housed & (wind >= pc.surge_wind_ms) & (damage >= severe)
    # survival proxy: people who rode out the storm in a home it wrecked
    model.counts["people_at_risk_in_storm"] += round(
        (1.0 - seek) * float(hh.size[on_island][struck_hard].sum())
    )
    pay_protection(model, severe_now)

    inundation(model)
    _displace(model)


def inundation(model: MobilityModel) -> None:
    """Once the sea has risen past an island's low-lying band, nobody can live on it: its housed
    households move, in the month the land is lost and whenever one returns to it later.

    Households behind coastal protection or on raised land go only once the sea has also risen
    past the works' extra height.
    """
    hh, t = model.households, model.month_index
    rise = model.hazards.slr_since_today_m[t]
    height = model.regime.levers.adaptation.protection_height_m
    lost = rise >= model.lowlying_elevation_m
    if not lost.any():
        return
    lost_behind_works = rise >= model.lowlying_elevation_m + height
    newly = (lost & ~model.inundated) | (lost_behind_works & ~model.inundated_behind_works)
    model.inundated |= lost
    model.inundated_behind_works |= lost_behind_works
    on_lost_land = (
        lost[np.maximum(hh.island, 0)]
        & (hh.island >= 0)
        & (hh.band == Band.LOW)
        & is_housed(hh.status)
        & ~(hh.protected & ~lost_behind_works[np.maximum(hh.island, 0)])
    )
    for i in np.flatnonzero(lost):
        rows = np.flatnonzero(on_lost_land & (hh.island == i))
        if not len(rows):
            continue
        # to high ground on the same island if it has any, else to the capital
        target = i if model.setting.islands[i].highground_share > 0 else model.capital
        hh.status[rows] = Status.MOVED_INTERNAL
        hh.island[rows] = target
        hh.home_island[rows] = target
        hh.band[rows] = Band.HIGH if target == i else Band.MID
        hh.damage[rows] = 0.0
        hh.protected[rows] = False
        hh.forced[rows] = True
        model.counts["moves_forced_inundation"] += len(rows)
        model.counts["moves_internal"] += len(rows)
        model.counts["moves_internal_people"] += int(hh.size[rows].sum())
        model.counts["moves_forced"] += len(rows)
        if newly[i]:
            model.log(
                f"sea level has risen {rise:.2f} m: the low-lying land of "
                f"{model.setting.islands[i].name} is lost; {len(rows) * model.scale} households "
                f"moved to {model.setting.islands[target].name}"
            )


def _displace(model: MobilityModel) -> None:
    """Households in unlivable homes leave them; islands mostly destroyed are evacuated."""
    hh, t, pd = model.households, model.month_index, model.params.displacement
    rng = model.streams["impacts"]
    housed = is_housed(hh.status)
    unlivable = housed & (hh.damage >= pd.uninhabitable_damage)
    n_isl = len(model.setting.islands)
    on = hh.island >= 0
    per_island = np.bincount(hh.island[on & housed], minlength=n_isl)
    broken = np.bincount(hh.island[unlivable], minlength=n_isl)
    evacuate = (broken >= pd.evacuation_share * np.maximum(per_island, 1)) & (broken > 0)
    evacuate &= np.arange(n_isl) != model.capital  # the capital shelters its own
    evacuate &= model.separate_island  # regions linked by road are not evacuated
    people = np.bincount(hh.island[on & housed], weights=hh.size[on & housed], minlength=n_isl)
    evacuate &= people * model.scale <= pd.evacuation_max_people  # only small islands
    evacuate &= model.now.wind_ms > model.params.cyclones.damage_threshold_ms  # struck this month
    evacuated = housed & evacuate[np.maximum(hh.island, 0)] & on
    for i in np.flatnonzero(evacuate):
        model.island_closed_until[i] = t + model.params.recovery.evacuation_closure_months
        model.log(
            f"{model.setting.islands[i].name} is evacuated: most homes are destroyed; "
            f"{int(np.sum(evacuated & (hh.island == i))) * model.scale} households "
            f"taken to {model.setting.islands[model.refuge_island[i]].name}"
        )

    rows = np.flatnonzero(unlivable | evacuated)
    model.now.displaced_rows = rows
    if not len(rows):
        return
    u = rng.random(len(rows))
    has_tie = hh.ties[rows].sum(axis=1) > 0
    kind = np.where(
        evacuated[rows],
        Displacement.OTHER_ISLAND,
        np.where(
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
        ),
    )
    hh.status[rows] = Status.DISPLACED
    hh.displacement[rows] = kind
    hh.months_displaced[rows] = 0
    hh.episodes[rows] += 1
    hh.forced[rows] = True
    away = rows[kind == Displacement.OTHER_ISLAND]
    hh.island[away] = model.refuge_island[hh.home_island[away]]
    abroad = rows[kind == Displacement.ABROAD]
    hh.island[abroad] = -1
    hh.destination[abroad] = np.argmax(hh.ties[abroad], axis=1)
    model.counts["displaced_new"] += len(rows)
    model.counts["displaced_new_people"] += int(hh.size[rows].sum())
