"""Demography: births, deaths, ageing of heads and members, and household formation."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import numpy as np

from hsmobility.config.schemas import Setting
from hsmobility.world.households import Displacement, Status, income_factor, take_members
from hsmobility.world.state import World

#: lower bounds of the abridged life table's age groups (0, 1-4, 5-9, ..., 95-99, 100+)
LIFE_TABLE_AGES = np.array([0.0, 1.0, *range(5, 105, 5)])
#: ages at which members come of working age and become elders
WORKING_AGE, OLD_AGE = 15.0, 65.0
#: years of a setting's ``birth_rates`` (2000, 2005, ..., 2060)
BIRTH_RATE_YEARS = np.arange(2000.0, 2065.0, 5.0)


class LifeRates(NamedTuple):
    """Yearly rates per person of the three member groups (per person-year)."""

    child_death: float  # deaths of children (0-14)
    adult_death: float  # deaths of working-age adults (15-64)
    elder_death: float  # deaths of elders (65+)
    coming_of_age: float  # children who turn 15
    old_age: float  # adults who turn 65


def _stable(
    death_rates: tuple[float, ...], growth: float, step: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ages (mid-points of ``step``), the life table's death rate at each, and the stable
    population's weight l(x) e^(-growth x) at each."""
    x = np.arange(0.0, 130.0, step) + step / 2.0
    mu = np.asarray(death_rates)[np.searchsorted(LIFE_TABLE_AGES, x, side="right") - 1]
    hazard = np.cumsum(mu * step) - mu * step / 2.0  # integral of mu from 0 to x
    return x, mu, np.exp(-hazard - growth * x)


@lru_cache(maxsize=64)
def stable_rates(death_rates: tuple[float, ...], growth: float, step: float = 0.05) -> LifeRates:
    """The three groups' death and ageing rates in the stable population of a life table
    (Lotka): people at age x in proportion to l(x) e^(-growth x), with l(x) the survivors of the
    table's central death rates ``death_rates`` (constant within each age group). A group's
    death rate is its deaths over its people; its ageing rate is the people reaching its upper
    age over its people. With ``growth`` = 0 (a stationary population) the shares of children,
    working-age adults and elders are the life table's and stay there."""
    x, mu, w = _stable(death_rates, growth, step)

    def at(age: float) -> float:
        return float(np.exp(-(mu[x < age] * step).sum() - growth * age))

    def group(lo: float, hi: float) -> tuple[float, float]:
        sel = (x >= lo) & (x < hi)
        return float((mu[sel] * w[sel]).sum() / w[sel].sum()), float(w[sel].sum() * step)

    child, n_child = group(0.0, WORKING_AGE)
    adult, n_adult = group(WORKING_AGE, OLD_AGE)
    elder, _ = group(OLD_AGE, np.inf)
    return LifeRates(child, adult, elder, at(WORKING_AGE) / n_child, at(OLD_AGE) / n_adult)


def birth_rate(setting: Setting, year: float) -> float | None:
    """Births per person a year in ``year`` from the setting's ``birth_rates`` (per 1,000,
    linear between the five-yearly values, held beyond them); None without them."""
    if setting.birth_rates is None:
        return None
    return float(np.interp(year, BIRTH_RATE_YEARS, np.asarray(setting.birth_rates))) / 1000.0


@lru_cache(maxsize=64)
def growth_for_elders(death_rates: tuple[float, ...], elders_share: float) -> float:
    """Growth r of the stable population of the life table whose elders (65+) are
    ``elders_share`` of the people (bisection; the share falls as r rises): the within-group
    age mix that matches the setting's observed age structure. A population that grew faster
    in the past than its births now suggest holds younger adults and elders than the stable
    population of today's birth rate, and dies less."""
    lo, hi = -0.05, 0.10
    for _ in range(60):
        mid = (lo + hi) / 2.0
        x, _, w = _stable(death_rates, mid, 0.1)
        if w[x >= OLD_AGE].sum() / w.sum() > elders_share:
            lo = mid
        else:
            hi = mid
    return round((lo + hi) / 2.0, 5)


def life_rates(setting: Setting) -> LifeRates | None:
    """The setting's member rates from its life table (``death_rates``) in the stable
    population whose elders' share is the setting's at the start (:func:`growth_for_elders`);
    None for a setting without a life table."""
    if setting.death_rates is None:
        return None
    table = tuple(setting.death_rates)
    return stable_rates(table, growth_for_elders(table, float(setting.elders_share)))


def demography(world: World) -> np.ndarray:
    """Members are born and die in resident households; large households split in two.

    Births are set so that births minus deaths give the setting's natural increase; a household's
    last member does not die (rows are never removed, so deaths are capped at size - 1 and only
    deaths that happen are counted). Heads age each January; a head older than ``head_age_max`` is
    succeeded by a member ``succession_age_gap`` years younger. Households form as fast as needed
    to keep the mean size of resident households at the setting's ``household_size``: each month
    the shortfall is made up by splitting large settled households, chosen at random.

    Returns the rows of the households formed this month.
    """
    hh, rng = world.households, world.streams["demography"]
    p = world.params.demography
    resident = np.flatnonzero(hh.status != Status.ABROAD)
    size = hh.size[resident]
    rates = life_rates(world.setting)
    if rates is None:
        birth_rate = world.setting.natural_increase + p.crude_death_rate
        births = rng.poisson(np.maximum(birth_rate, 0.0) / 12.0 * size)
        deaths = np.minimum(rng.binomial(size, p.crude_death_rate / 12.0), size - 1 + births)
        born = births > 0  # (only households with a birth change)
        hh.size[resident[born]] = size[born] + births[born]
        hh.children[resident[born]] += births[born].astype(hh.children.dtype)
        # most deaths are of the old: elders die first, then children (infant deaths), adults
        died = deaths > 0  # (the few households with a death: the same as taking 0 elsewhere)
        take_members(hh, resident[died], deaths[died])
    else:
        births, deaths = life_table_month(world, resident, rates, rng)
    world.counts.add("births", int(births.sum()))
    world.counts.add("deaths", int(deaths.sum()))
    away = hh.displacement[resident] == Displacement.ABROAD  # not residents while away
    world.counts.add("births_displaced_abroad", int(births[away].sum()))
    world.counts.add("deaths_displaced_abroad", int(deaths[away].sum()))

    if world.calendar_month == 1:
        hh.head_age[:] += 1
        old = hh.head_age > p.head_age_max
        hh.head_age[old] -= p.succession_age_gap
        age_members(world, resident)

    # household formation: make up the shortfall of households at the setting's mean size
    target = world.setting.household_size
    shortfall = int(hh.size[resident].sum() / target) - len(resident)
    settled = resident[hh.status[resident] != Status.DISPLACED]
    big = settled[hh.size[settled] > max(p.split_factor * target, 2)]
    if shortfall > 0 and len(big):
        parents = rng.permutation(big)[:shortfall]
        return form_households(world, parents, rng)
    return np.zeros(0, dtype=np.int64)


def life_table_month(
    world: World, resident: np.ndarray, rates: LifeRates, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """A month of births and deaths in households ``resident`` from the life table: each
    child, adult and elder dies with its group's monthly chance; births follow the setting's
    WPP crude birth rates (:func:`birth_rate`), or without them its natural increase plus this
    month's crude death rate of the residents, all born children. A
    household's last member does not die (its deaths are capped at size - 1 + births, elders'
    first). Returns births and deaths per household."""
    hh = world.households
    size = hh.size[resident]
    groups = [hh.children[resident], hh.adults[resident], hh.elders[resident]]
    yearly = np.array([rates.child_death, rates.adult_death, rates.elder_death])
    people = max(float(size.sum()), 1.0)
    crude = float(sum(r * g.sum() for r, g in zip(yearly, groups, strict=True))) / people
    born = birth_rate(world.setting, world.year + (world.calendar_month - 0.5) / 12.0)
    born = max(world.setting.natural_increase + crude, 0.0) if born is None else born
    births = rng.poisson(born / 12.0 * size)
    monthly = 1.0 - np.exp(-yearly / 12.0)
    drawn = [rng.binomial(g, q) for g, q in zip(groups, monthly, strict=True)]
    room = (size - 1 + births).astype(np.int64)
    dead = {}
    for name, d in (("elders", drawn[2]), ("children", drawn[0]), ("adults", drawn[1])):
        dead[name] = np.minimum(d, np.maximum(room, 0))
        room -= dead[name]
    born = births > 0  # (only households with a birth change)
    hh.size[resident[born]] = size[born] + births[born]
    hh.children[resident[born]] += births[born].astype(hh.children.dtype)
    for name, d in dead.items():
        died = d > 0  # (the few households with a death: the same as taking 0 elsewhere)
        take_members(hh, resident[died], d[died], (name,))
    return births, dead["children"] + dead["adults"] + dead["elders"]


def age_members(world: World, rows: np.ndarray) -> None:
    """Each January, children of households ``rows`` come of working age (15) and working-age
    adults reach 65 (the ``members`` stream), at the life table's stable rates where the
    setting has one (:func:`life_rates`), else with yearly chances ``coming_of_age_rate`` and
    ``old_age_rate``: the age structure moves with births, deaths and ageing."""
    hh, p = world.households, world.params.demography
    rng = world.streams["members"]
    rates = life_rates(world.setting)
    if rates is None:
        grown_p, aged_p = p.coming_of_age_rate, p.old_age_rate
    else:
        grown_p = 1.0 - np.exp(-rates.coming_of_age)
        aged_p = 1.0 - np.exp(-rates.old_age)
    grown = rng.binomial(hh.children[rows], grown_p)
    aged = rng.binomial(hh.adults[rows], aged_p)
    hh.children[rows] -= grown.astype(hh.children.dtype)
    hh.adults[rows] += (grown - aged).astype(hh.adults.dtype)
    hh.elders[rows] += aged.astype(hh.elders.dtype)


def split_members(world: World, parents: np.ndarray, n: np.ndarray) -> dict[str, np.ndarray]:
    """The ``n`` members who leave each of ``parents`` to form a household: working-age adults
    first, at most half of them and at least one where there is one (the new head and a
    partner), then children, then elders; the parent keeps the rest."""
    hh = world.households
    adults = hh.adults[parents].astype(np.int64)
    first = np.minimum(n, np.maximum(np.minimum(adults, 1), adults // 2))
    taken = take_members(hh, parents, first, ("adults",))
    rest = take_members(hh, parents, n - first, ("children", "elders", "adults"))
    return {k: taken.get(k, 0) + rest[k] for k in ("children", "adults", "elders")}


def form_households(world: World, parents: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Large households split: the young household keeps island, band, ties and attachment,
    takes half the members and a gift of savings, draws its own income, and remembers its
    ``parent`` (to whom it sends remittances if it emigrates)."""
    hh, p = world.households, world.params.demography
    size = hh.size[parents]
    child_size = size // 2
    members = split_members(world, parents, child_size.astype(np.int64))
    gift = hh.savings[parents] * p.split_savings_gift
    hh.savings[parents] -= gift
    setting = world.setting
    # today's level: the setting's mean income grown since the start
    growth = (1.0 + setting.income_growth) ** ((world.t + 1) / 12.0)
    island_mean = (
        setting.household_income_usd
        * growth
        * np.array([i.income_factor for i in setting.islands])[hh.home_island[parents]]
    )
    sigma = setting.income_sigma
    income = rng.lognormal(np.log(island_mean) - sigma**2 / 2, sigma)
    income *= income_factor(
        hh.female_head[parents], child_size, setting.household_size, world.params
    )
    same = (
        "home_island", "island", "destination", "status", "displacement", "band",
        "attachment", "quintile", "female_head", "disability", "skills", "forced",
        "protected", "community", "kin_capital", "origin_island",
    )  # fmt: skip
    cols = {name: getattr(hh, name)[parents] for name in same}
    cols["ties"] = hh.ties[parents]
    cols.update(
        size=child_size,
        **members,
        head_age=rng.integers(p.new_head_age_min, p.new_head_age_max + 1, len(parents)),
        income=income,
        savings=gift,
        risk=hh.risk[parents],
        damage=hh.damage[parents],
        formed_step=np.full(len(parents), world.t),
        parent=parents,
    )
    rows = hh.append(cols)
    world.counts.add("households_formed", len(rows))
    return rows
