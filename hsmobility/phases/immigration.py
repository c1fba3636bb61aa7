"""Immigration: people born abroad who come to live in the setting (issue 8 item 4).

A setting's ``[immigration]`` gives its foreign-born stock at two mid-years (UN DESA International
Migrant Stock) and the island where immigrants settle. The yearly inflow in people is what keeps
that stock on its observed path when the arrivals age and die like everyone else: the stock's
rise per year plus its deaths at ``demography.crude_death_rate``. Parts of the inflow are tied to
a destination (OECS nationals to "Other OECS states"): they are the counterpart of free movement
with it, so they come ``immigration.free_movement_factor`` times as often while free movement with
that destination is in force as without it, relative to the setting's status quo (where the
observed inflow was measured). Arrivals are new households, drawn each month from the
``immigration`` stream, with every column filled as a household formed in the setting would have
it (ODD 7.15).
"""

from __future__ import annotations

import numpy as np

from hsmobility.config.schemas import Setting
from hsmobility.world.households import Band, Displacement, Status, income_factor, initial_members
from hsmobility.world.state import World


def inflow_people_per_year(setting: Setting, crude_death_rate: float) -> float:
    """People born abroad arriving a year in the status quo: the foreign-born stock's rise per
    year (never below 0) plus the deaths of its mean stock at ``crude_death_rate``."""
    im = setting.immigration
    if im is None:
        return 0.0
    rise = max(im.stock_end - im.stock_start, 0) / (im.year_end - im.year_start)
    return rise + 0.5 * (im.stock_start + im.stock_end) * crude_death_rate


def free_movement_now(world: World, destination: str) -> bool:
    """Whether a free-movement pathway to ``destination`` is in the regime and open this month."""
    return any(
        p.kind == "free-movement"
        and p.destination == destination
        and p.open_in(world.year, world.calendar_month)
        for p in world.policy.regime.pathways
    )


def arrivals_per_year(world: World) -> float:
    """People arriving a year under this month's regime and dates: each origin's share of the
    inflow, x ``free_movement_factor`` if free movement with its destination is in force now but
    not in the setting's status quo, / the factor if it is in the status quo but not in force now
    (closed by its dates or by the regime); the rest of the inflow as it is."""
    setting = world.setting
    im = setting.immigration
    if im is None:
        return 0.0
    total = inflow_people_per_year(setting, world.params.demography.crude_death_rate)
    f = world.params.immigration.free_movement_factor
    status_quo = {p.destination for p in setting.pathways if p.kind == "free-movement"}
    rate = total * (1.0 - sum(o.share for o in im.origins))
    for o in im.origins:
        power = 0
        if o.destination is not None:
            power = int(free_movement_now(world, o.destination)) - int(o.destination in status_quo)
        rate += total * o.share * f**power
    return rate


def immigrate(world: World) -> np.ndarray:
    """Households from abroad arrive this month: Poisson(arrivals per year / 12 / (household
    size x scale)) rows settle on the setting's immigration island. Returns their rows (the model
    gives them Mesa agents)."""
    setting = world.setting
    if setting.immigration is None:
        return np.zeros(0, dtype=np.int64)
    rng = world.streams["immigration"]
    rows_per_month = arrivals_per_year(world) / 12.0 / (setting.household_size * world.scale)
    n = int(rng.poisson(rows_per_month))
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    rows = world.households.append(arriving_households(world, n, rng))
    world.counts.add("households_immigrated", n)
    world.counts.add("people_immigrated", int(world.households.size[rows].sum()))
    return rows


def arriving_households(world: World, n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """The columns of ``n`` households arriving from abroad on the immigration island: size,
    members, female head, disability, skills, attachment and savings drawn as for the starting
    households; income from the setting's distribution on that island at today's level; a head
    of working age; a band from the island's shares (never land lost to the sea); no ties or kin
    abroad of the setting's diaspora; the community of a resident household of the same island
    and band."""
    setting, params, hh = world.setting, world.params, world.households
    demo, p = params.demography, params.immigration
    island = setting.island_index(setting.immigration.island)
    isl = setting.islands[island]
    size = 1 + rng.poisson(setting.household_size - 1.0, n)
    head_age = rng.integers(p.head_age_min, p.head_age_max + 1, n)
    members = initial_members(size, head_age, setting, params, rng)
    female_head = rng.random(n) < demo.female_head_share
    disability = rng.random(n) < demo.disability_share
    growth = (1.0 + setting.income_growth) ** ((world.t + 1) / 12.0)
    mean = setting.household_income_usd * growth * isl.income_factor
    sigma = setting.income_sigma
    income = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma, n)
    income *= income_factor(female_head, size, setting.household_size, params)
    u = rng.random(n)
    low, high = isl.lowlying_share, isl.highground_share
    band = np.where(u < low, Band.LOW, np.where(u < low + high, Band.HIGH, Band.MID))
    if world.land.inundated[island]:
        band = np.where(band == Band.LOW, Band.MID, band)
    # national quintile of the arrival's income among the households living in the setting
    living = np.flatnonzero(hh.island >= 0)
    cuts = np.quantile(hh.income[living], [0.2, 0.4, 0.6, 0.8]) if len(living) else np.zeros(4)
    quintile = 1 + np.searchsorted(cuts, income)
    sd = params.economy.savings_dispersion
    savings = setting.savings_months * income / 12.0 * rng.lognormal(-(sd**2) / 2, sd, n)
    conc = demo.attachment_concentration
    attachment = rng.beta(demo.attachment_mean * conc, (1 - demo.attachment_mean) * conc, n)
    shape = params.perception.initial_risk_shape
    risk = (
        params.perception.initial_risk
        * np.where(band == Band.LOW, params.perception.initial_risk_lowlying, 1.0)
        * rng.gamma(shape, 1.0 / shape, n)
    )
    community = _community(world, island, band, rng)
    return {
        "home_island": np.full(n, island),
        "island": np.full(n, island),
        "destination": np.full(n, -1),
        "status": np.full(n, Status.HOME),
        "displacement": np.full(n, Displacement.NONE),
        "band": band,
        "size": size,
        **members,
        "head_age": head_age,
        "female_head": female_head,
        "disability": disability,
        "quintile": quintile,
        "skills": rng.beta(demo.skills_beta_a, demo.skills_beta_b, n),
        "income": income,
        "savings": savings,
        "attachment": attachment,
        "risk": risk,
        "formed_step": np.full(n, world.t),
        "community": community,
        "ties": np.zeros((n, len(setting.destinations)), dtype=np.float32),
    }


def _community(world: World, island: int, band: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each arrival, the community (village) of a household living in a home of its own on
    ``island`` in the same band, drawn at random; a band nobody lives in gets a new community."""
    hh = world.households
    out = np.zeros(len(band), dtype=np.int64)
    fresh = int(hh.community.max()) + 1 if hh.n else 0
    for b in np.unique(band):
        mine = np.flatnonzero(band == b)
        there = np.flatnonzero((hh.home_island == island) & (hh.island == island) & (hh.band == b))
        if len(there):
            out[mine] = hh.community[there[rng.integers(0, len(there), len(mine))]]
        else:
            out[mine] = fresh
            fresh += 1
    return out
