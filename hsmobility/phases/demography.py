"""Demography: births, deaths, ageing of heads, and household formation."""

from __future__ import annotations

import numpy as np

from hsmobility.world.households import Displacement, Status, income_factor, take_members
from hsmobility.world.state import World


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
    birth_rate = world.setting.natural_increase + p.crude_death_rate
    births = rng.poisson(np.maximum(birth_rate, 0.0) / 12.0 * size)
    deaths = np.minimum(rng.binomial(size, p.crude_death_rate / 12.0), size - 1 + births)
    hh.size[resident] = size + births
    hh.children[resident] += births.astype(hh.children.dtype)
    # most deaths are of the old: elders die first, then children (infant deaths), then adults
    take_members(hh, resident, deaths)
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


def age_members(world: World, rows: np.ndarray) -> None:
    """Each January, children of households ``rows`` come of working age (15) with yearly
    chance ``coming_of_age_rate`` and working-age adults reach 65 with ``old_age_rate`` (the
    ``members`` stream): the age structure moves with births, deaths and ageing."""
    hh, p = world.households, world.params.demography
    rng = world.streams["members"]
    grown = rng.binomial(hh.children[rows], p.coming_of_age_rate)
    aged = rng.binomial(hh.adults[rows], p.old_age_rate)
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
        "protected", "community", "kin_capital",
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
