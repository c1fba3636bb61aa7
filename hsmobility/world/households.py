"""Household state: numpy columns (one row per household) and the Mesa agents that view them.

Every phase of the monthly step works on whole columns at once; the ``Household`` agent is a
thin view onto one row, for inspection, selection and portrayal. Rows are never deleted: a
household that leaves the setting keeps its row with status ``abroad``, so every household is
somewhere every month (conservation).
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
from scipy.optimize import brentq

from hsmobility.config.params import Parameters
from hsmobility.config.schemas import Setting

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


class Status(IntEnum):
    """Where a household is, in the human-security lens's words."""

    HOME = 0  # at home, never displaced or moved
    DISPLACED = 1  # forced out by a hazard, waiting to return
    MOVED_INTERNAL = 2  # moved to the capital or higher ground
    RELOCATED = 3  # moved by a planned community relocation
    ABROAD = 4  # left the setting
    RETURNED = 5  # back home after displacement, or back from abroad


class Displacement(IntEnum):
    """Where a displaced household stays."""

    NONE = 0
    SHELTER = 1  # evacuation centre
    HOST_FAMILY = 2  # with relatives or friends on the same island
    OTHER_ISLAND = 3  # on another island of the setting
    ABROAD = 4  # with family abroad


class Band(IntEnum):
    """Elevation band of the home: decides exposure to surge, king tides and sea-level rise."""

    LOW = 0
    MID = 1
    HIGH = 2


class BuildingClass(IntEnum):
    """What a home is made of (census outer walls; issue 9, sixth session): each class has its
    own wind damage curve (``cyclones.class_half_damage_scale``)."""

    ENGINEERED = 0  # concrete, brick or block walls
    LIGHT = 1  # timber or corrugated-iron walls
    TRADITIONAL = 2  # bure, thatch, bamboo; makeshift


STATUS_NAMES = [s.name.lower() for s in Status]
#: statuses of households living in a home of their own in the setting (can be damaged, displaced)
HOUSED = (Status.HOME, Status.MOVED_INTERNAL, Status.RELOCATED, Status.RETURNED)
_HOUSED_LUT = np.isin(np.arange(len(Status)), HOUSED)


def is_housed(status: np.ndarray) -> np.ndarray:
    """True where a household lives in a home of its own in the setting."""
    return _HOUSED_LUT[status]


def members_back(hh: HouseholdTable) -> np.ndarray:
    """Per household, its working-age members living back in its damaged home while the rest
    of it is displaced in the setting (0 for every other household): the ``members_back``
    column, read only where it still applies (a household that moved on, or lost adults, since
    recovery last set it) and never more than its adults or than all but one of its members."""
    out = np.zeros(hh.n, dtype=np.int64)
    # computed on the few displaced rows only: the same values as over every row
    here = np.flatnonzero(
        (hh.status == Status.DISPLACED) & (hh.displacement != Displacement.ABROAD)
    )
    if len(here):
        cap = np.minimum(hh.adults[here], hh.size[here] - 1).astype(np.int64)
        back = hh.members_back[here].astype(np.int64)
        out[here] = np.clip(back, 0, np.maximum(cap, 0))
    return out


DISPLACEMENT_NAMES = [d.name.lower() for d in Displacement]
RESIDENT_STATUSES = np.array(
    [Status.HOME, Status.DISPLACED, Status.MOVED_INTERNAL, Status.RELOCATED, Status.RETURNED]
)

#: (sqrt(5) - 1) / 2: multiples of it modulo 1 fill 0..1 evenly (a Weyl sequence)
GOLDEN_FRACTION = 0.6180339887498949
#: sqrt(2) - 1: the step of the building classes' low-discrepancy sequence over rows
SQRT2_FRACTION = 0.41421356237309515

# name -> dtype of each per-household column (2-D columns are declared in _MATRIX_COLUMNS)
COLUMNS: dict[str, Any] = {
    "home_island": np.int16,  # island the household belongs to
    "island": np.int16,  # island where it lives now (-1 when abroad)
    "destination": np.int16,  # destination index when abroad (-1 otherwise)
    "status": np.int8,
    "displacement": np.int8,
    "band": np.int8,
    "size": np.int16,  # members living with the household
    # its members by age (issue 10): size == children + adults + elders, every month
    "children": np.int16,  # members aged 0-14
    "adults": np.int16,  # working-age members, 15-64: those who can take a labour or visa route
    "elders": np.int16,  # members aged 65 and over
    "members_abroad": np.int16,  # members of the older diaspora who remit to it (at the start)
    "head_age": np.int16,
    "female_head": np.bool_,
    "disability": np.bool_,
    "quintile": np.int8,  # national income quintile at formation, 1..5
    "skills": np.float32,  # 0..1, drives job offers abroad
    "income": np.float64,  # livelihood potential, US$ per year
    "income_month": np.float64,  # what it earned this month, US$ (incl. remittances)
    "remittances_month": np.float64,  # what of them reached its budget, US$ (ODD 7.6)
    "savings": np.float64,  # US$
    "damage": np.float32,  # house damage 0..1
    # where on its home island the household lives, 0..1: its exposure point is the island's
    # point whose population-share interval holds it (world.geography.ExposurePoints)
    "site_u": np.float64,
    "attachment": np.float32,  # place attachment 0..1
    "risk": np.float32,  # perceived risk (rises with experience, decays with memory)
    "months_displaced": np.int16,  # length of the current displacement
    "episodes": np.int16,  # displacement episodes so far
    "forced": np.bool_,  # its last move was forced
    "formed_step": np.int32,  # step at which the household was formed (-1 = at start)
    # adaptation
    "resilient": np.bool_,  # lives in a cyclone-rated, raised house
    # what its home is made of (BuildingClass; -1 = not yet assigned: given at the first storm)
    "building_class": np.int8,
    "protected": np.bool_,  # its low-lying home is behind coastal protection or on raised land
    # decisions (refreshed every month) and pathways
    "aspires": np.bool_,  # wishes to move
    "trapped": np.bool_,  # wishes to move but cannot
    "voluntary_stayer": np.bool_,  # could move but prefers to stay
    "barrier": np.int8,  # trapped: what stops its most-wished move (decisions.Barrier)
    "queued": np.bool_,  # wishes to move, registered in (or drawn by) the ballot it waits on
    "unentered": np.bool_,  # wishes to move, eligible for that ballot but did not enter it
    "wanted_step": np.int32,  # last step it wanted a move it could not make (-1 = never)
    # the step it wanted one before that (-1 = never): a wish that recurs is an intention
    "wanted_prev_step": np.int32,
    # that wanted move was the household's own, off damaged or flooded land (the survey counts
    # all its members); else the move concerned its working-age adults (issue 10)
    "wanted_whole": np.bool_,
    "registered": np.bool_,  # registered in at least one ballot (this year's registration)
    "ballot_entries": np.int64,  # ballots it is registered in, bit k = pathway k; renewed yearly
    "drawn_pathway": np.int8,  # ballot it was drawn in (-1 = none)
    "drawn_until": np.int32,  # last step the draw can be used
    "job_offer": np.bool_,  # the drawn principal has a qualifying job offer
    "visa_until": np.int32,  # humanitarian visa eligibility ends after this step (-1 = none)
    "community": np.int32,  # village it belongs to: one island and elevation band (relocation)
    "seasonal_left": np.int8,  # months a seasonal worker is still away
    "seasonal_pay": np.float32,  # sent home per month while away, US$
    "seasonal_saved": np.float32,  # saved abroad this season, brought home at its end, US$
    "pathway_used": np.int8,  # pathway it left by (-1 = none)
    "channel_granted": np.int8,  # regular channel that granted it a place (-1 = none)
    "channel_until": np.int32,  # last step the channel's place can be used (-1 = none)
    "channel_used": np.int8,  # regular channel it left by (-1 = none)
    "moved_step": np.int32,  # step of its last move, chosen or off land lost to the sea (-1 = none)
    "displaced_step": np.int32,  # step it was last displaced (-1 = never)
    "moves_month": np.int8,  # moves it made this month (chosen, relocated, off lost land)
    "forced_moves_month": np.int8,  # of which forced (made while displaced or flooded out)
    "barred_until": np.int32,  # last step an evacuation order or exclusion zone bars return
    # livelihoods: family links that carry remittances
    "parent": np.int32,  # row of the household it split from (-1 = none, or at start)
    "kin_capital": np.int32,  # row of its kin on the capital, who would help it move (-1: none)
    # island of its family land off the capital (issue 9, seventh session): where a household
    # living on the capital would go back to; the island it came from when it moved there, or,
    # at the start, the island of the outer-island kin it is linked to (-1: none)
    "origin_island": np.int16,
    "kin_abroad": np.int16,  # kin households that emigrated during the run and remit to it
    "remit_kin_usd": np.float64,  # what those kin send, US$ per year (decays with years abroad)
    # social protection and poverty (issue 10 item 7)
    "transfers_month": np.float64,  # cash transfers and payouts received this month, US$
    "consumption_month": np.float64,  # consumed this month, US$, per need (disability costs more)
    # return and circular migration (phases/returns.py)
    "seasonal_scheme": np.int8,  # pathway of the seasonal worker away (-1 = none)
    "seafarer_left": np.int8,  # months a seafarer of the household is still at sea (issue 8)
    "seafarer_on": np.bool_,  # a member is on a contract at sea (home when seafarer_left is 0)
    "returned_step": np.int32,  # step it last came back from abroad (-1 = never)
    # return to a partly livable home (phases/recovery.py, issue 9 item 4)
    "shelter_kit": np.bool_,  # displaced, it has an emergency shelter kit (tarpaulins) for its home
    # who stays in evacuation centres (phases/evacuation.py, impacts.displace; issue 9 item 2)
    "no_kin": np.bool_,  # in its last episode it had no kin with room: it stays in a centre
    # working-age members first (issue 9 item 4): a displaced household's adults back in its
    # partly livable home to repair it, while its children and elders stay where it is displaced
    "members_back": np.int16,
}
#: columns whose "nothing" value is -1 rather than 0
MINUS_ONE = ("destination", "drawn_pathway", "drawn_until", "visa_until", "pathway_used",
             "channel_granted", "channel_until", "channel_used",
             "moved_step", "displaced_step", "formed_step", "barred_until",
             "parent", "seasonal_scheme", "returned_step", "wanted_step",
             "wanted_prev_step", "kin_capital", "building_class", "origin_island")  # fmt: skip
_MATRIX_COLUMNS = {"ties": np.float32}  # households x destinations: network ties abroad


class HouseholdTable:
    """Columnar store of all households; attribute access returns a writable view of live rows."""

    def __init__(self, n_destinations: int, capacity: int = 1024) -> None:
        self.n = 0
        self.n_destinations = n_destinations
        self._data: dict[str, np.ndarray] = {}
        self._alloc(max(capacity, 16))

    def _alloc(self, capacity: int) -> None:
        old = self._data
        self._data = {k: np.zeros(capacity, dtype=t) for k, t in COLUMNS.items()}
        self._data.update(
            {
                k: np.zeros((capacity, self.n_destinations), dtype=t)
                for k, t in _MATRIX_COLUMNS.items()
            }
        )
        for k, arr in old.items():
            self._data[k][: self.n] = arr[: self.n]

    @property
    def capacity(self) -> int:
        return len(self._data["status"])

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is None or name not in data:
            raise AttributeError(name)
        return data[name][: self.n]

    def append(self, columns: dict[str, np.ndarray]) -> np.ndarray:
        """Add households (columns not given start at zero); returns their row indices."""
        k = len(next(iter(columns.values())))
        if self.n + k > self.capacity:
            # grow by half, with a tenth of headroom: households form every month, and doubling
            # a 200,000-row table for the first one would double its memory
            self._alloc(max(self.capacity * 3 // 2, (self.n + k) * 11 // 10))
        rows = np.arange(self.n, self.n + k)
        for name in MINUS_ONE:
            self._data[name][rows] = -1
        if "site_u" not in columns:
            # a low-discrepancy sequence over rows: every island's households spread over its
            # places in proportion to their populations, without a random draw
            self._data["site_u"][rows] = ((rows + 1) * GOLDEN_FRACTION) % 1.0
        for name, values in columns.items():
            if name not in self._data:
                raise KeyError(f"unknown household column {name!r}")
            self._data[name][rows] = values
        self.n += k
        return rows

    def column_names(self) -> list[str]:
        return list(COLUMNS) + list(_MATRIX_COLUMNS)


def income_quintiles(income: np.ndarray) -> np.ndarray:
    """Quintile 1 (poorest) to 5 of each income within the given distribution."""
    if not len(income):
        return np.zeros(0, dtype=np.int8)
    cuts = np.quantile(income, [0.2, 0.4, 0.6, 0.8])
    return (1 + np.searchsorted(cuts, income)).astype(np.int8)


def income_factor(
    female_head: np.ndarray, size: np.ndarray, household_size: float, params: Parameters
) -> np.ndarray:
    """Livelihood of each household relative to the setting's mean: female-headed households
    earn ``female_head_income_factor`` of the others', and livelihood grows with household size
    (more earners) as ``(size / household_size) ** income_size_elasticity``. Divided by its
    expected value, so that the setting's (observed) mean income holds whatever the group
    shares: the gaps move income between groups, not the mean."""
    g, e = params.groups, params.economy.income_size_elasticity
    share = params.demography.female_head_share
    gap = np.where(female_head, g.female_head_income_factor, 1.0)
    expected_gap = 1.0 - share * (1.0 - g.female_head_income_factor)
    by_size = (np.maximum(size, 1) / household_size) ** e
    return gap * by_size / (expected_gap * _expected_size_factor(household_size, e))


def _expected_size_factor(household_size: float, e: float) -> float:
    """E[(size / mean) ** e] for size = 1 + Poisson(mean - 1), the draw of the starting table."""
    lam = max(household_size - 1.0, 0.0)
    k = np.arange(0, int(lam + 12 * np.sqrt(lam + 1) + 12))
    log_pmf = -lam + k * np.log(max(lam, 1e-12)) - np.cumsum(np.log(np.maximum(k, 1)))
    pmf = np.exp(log_pmf)
    return float(np.sum(pmf * ((1 + k) / household_size) ** e) / pmf.sum())


def initial_households(
    setting: Setting, params: Parameters, scale: int, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Draw the starting households of a setting (one row stands for ``scale`` households)."""
    demo = params.demography
    n_by_island = [
        max(1, round(isl.population / setting.household_size / scale)) for isl in setting.islands
    ]
    n = sum(n_by_island)
    home = np.repeat(np.arange(len(setting.islands)), n_by_island).astype(np.int16)
    low = np.array([i.lowlying_share for i in setting.islands])[home]
    high = np.array([i.highground_share for i in setting.islands])[home]
    u = rng.random(n)
    band = np.where(u < low, Band.LOW, np.where(u < low + high, Band.HIGH, Band.MID))

    size = 1 + rng.poisson(setting.household_size - 1.0, n)
    island_factor = np.array([i.income_factor for i in setting.islands])[home]
    sigma = setting.income_sigma
    mean = setting.household_income_usd * island_factor
    income = rng.lognormal(np.log(mean) - sigma**2 / 2, sigma)
    female_head = rng.random(n) < demo.female_head_share
    disability = rng.random(n) < demo.disability_share
    income = income * income_factor(female_head, size, setting.household_size, params)
    # quintiles of the whole setting's starting income distribution
    quintile = income_quintiles(income)

    population = sum(i.population for i in setting.islands)
    dias = np.array([d.diaspora for d in setting.destinations], dtype=float)
    tie_p = np.minimum(demo.max_tie_probability, demo.tie_factor * dias / population)
    ties = (rng.random((n, len(dias))) < tie_p).astype(np.float32)
    # the diaspora's members, shared among the setting's households (real households, not rows)
    households_real = population / setting.household_size
    members_abroad = draw_members_abroad(
        demo.members_abroad_factor * dias.sum() / households_real,
        setting.remittance_households_share,
        n,
        rng,
        income=income,
        elasticity=setting.remittance_income_elasticity,
    )

    span = demo.head_age_max - demo.head_age_min
    head_age = demo.head_age_min + np.floor(
        span * rng.beta(demo.head_age_beta_a, demo.head_age_beta_b, n)
    )
    conc = demo.attachment_concentration
    sd = params.economy.savings_dispersion
    shape = params.perception.initial_risk_shape
    attachment = rng.beta(demo.attachment_mean * conc, (1 - demo.attachment_mean) * conc, n)
    return {
        "home_island": home,
        "island": home,
        "destination": np.full(n, -1),
        "status": np.full(n, Status.HOME),
        "displacement": np.full(n, Displacement.NONE),
        "band": band,
        "size": size,
        "members_abroad": members_abroad,
        "head_age": head_age,
        "female_head": female_head,
        "disability": disability,
        "quintile": quintile,
        "skills": rng.beta(demo.skills_beta_a, demo.skills_beta_b, n),
        "income": income,
        "savings": setting.savings_months * income / 12.0 * rng.lognormal(-(sd**2) / 2, sd, n),
        "attachment": attachment,
        "risk": params.perception.initial_risk
        * np.where(band == Band.LOW, params.perception.initial_risk_lowlying, 1.0)
        * rng.gamma(shape, 1.0 / shape, n),
        "formed_step": np.full(n, -1),
        "community": communities(home, band, params.communities.community_households, scale),
        "building_class": building_classes(np.arange(n), setting),
        "ties": ties,
    }


def building_classes(rows: np.ndarray, setting: Setting) -> np.ndarray:
    """The building class (:class:`BuildingClass`) of the homes of ``rows``, in the setting's
    census shares (all LIGHT where it gives none). A low-discrepancy sequence over rows, not a
    random draw (no stream moves; the shares hold on every island and at every exposure point:
    its step, sqrt(2) - 1, is independent of ``site_u``'s golden ratio)."""
    u = ((rows + 1) * SQRT2_FRACTION) % 1.0
    if setting.building_classes is None:
        return np.full(len(rows), BuildingClass.LIGHT, dtype=np.int8)
    cuts = np.cumsum(setting.building_classes.shares())[:-1]
    return np.searchsorted(cuts, u, side="right").astype(np.int8)


def draw_members_abroad(
    mean: float,
    receiving_share: float | None,
    n: int,
    rng: np.random.Generator,
    income: np.ndarray | None = None,
    elasticity: float = 0.0,
) -> np.ndarray:
    """Members of the older diaspora who remit to each of ``n`` households, ``mean`` per
    household on average. With a surveyed ``receiving_share`` (the share of households that
    receive remittances) they are shared among that many households only, each receiver with
    at least one (1 + Poisson); the mean holds, so the national total is unchanged while the
    households without family abroad live on their own livelihood (HIES: remittances reach
    most, not all, households). Without it, Poisson around the mean for every household.

    With an ``elasticity`` > 0 (and the households' ``income``), a receiver's expected members
    are proportional to (income / mean income) ** elasticity (:func:`_members_per_receiver`):
    better-off households have more, and better-paid, family abroad (migrants are positively
    selected on their household's income), so remittances rise with the receiver's livelihood
    instead of being the same for the poorest and the richest."""
    if receiving_share is None:
        return rng.poisson(mean, n)
    share = min(receiving_share, mean)
    if share <= 0.0:
        return np.zeros(n, dtype=np.int64)
    receives = rng.random(n) < share
    if elasticity <= 0.0 or income is None or not receives.any():
        return np.where(receives, 1 + rng.poisson(max(mean / share - 1.0, 0.0), n), 0)
    extra = _members_per_receiver(mean / share, income, receives, elasticity) - 1.0
    return np.where(receives, 1 + rng.poisson(extra), 0)


def _members_per_receiver(
    per_receiver: float, income: np.ndarray, receives: np.ndarray, elasticity: float
) -> np.ndarray:
    """Expected members abroad of each household (1 + the Poisson part), max(1, c x w) with
    w = (income / mean income of the receivers) ** ``elasticity`` and c found by root-finding so
    that their mean over the receivers is ``per_receiver`` (the national total is held)."""
    w = (income / income[receives].mean()) ** elasticity
    if per_receiver <= 1.0:
        return np.ones(len(income))
    wr = w[receives]
    hi = per_receiver / max(float(wr.mean()), 1e-12) + 1.0
    c = brentq(lambda c: np.maximum(1.0, c * wr).mean() - per_receiver, 0.0, hi, xtol=1e-12)
    return np.maximum(1.0, c * w)


def poverty_line_per_person(setting: Setting, params: Parameters) -> float:
    """The setting's poverty line in US$ per person per year: its line as stated where the
    survey counts people, else the line per adult equivalent x
    ``economy.adult_equivalents_per_person`` (consumption per adult equivalent below the line
    is consumption per person below this)."""
    if setting.poverty_line_unit == "adult_equivalent":
        return setting.poverty_line_usd * params.economy.adult_equivalents_per_person
    return setting.poverty_line_usd


def consumption_floor_per_person(setting: Setting, params: Parameters) -> float:
    """The least a household consumes per person per year while its savings last (ODD 7.6),
    US$: ``economy.poverty_income_factor`` x the setting's ``consumption_floor_usd`` where a
    source gives one (a food or basic-needs line), else x its poverty line per person. Kept
    apart from the line so that a line backed out of a headcount changes the measure only."""
    floor = setting.consumption_floor_usd
    if floor is None:
        floor = poverty_line_per_person(setting, params)
    return params.economy.poverty_income_factor * floor


#: the member columns, in the order :func:`take_members` removes people by default
MEMBER_COLUMNS = ("elders", "children", "adults")


def initial_members(
    size: np.ndarray,
    head_age: np.ndarray,
    setting: Setting,
    params: Parameters,
    rng: np.random.Generator,
) -> dict[str, np.ndarray]:
    """Children, working-age adults and elders of each starting household, from the setting's
    age structure: the head is an adult (an elder from ``demography.elderly_age``), the other
    members are drawn (multinomial) with shares set so that the setting's shares of children
    and elders hold in expectation over all people."""
    old_head = head_age >= params.demography.elderly_age
    others = np.maximum(size - 1, 0)
    n_others = max(float(others.sum()), 1.0)
    total = float(size.sum())
    p_child = min(1.0, setting.children_share * total / n_others)
    p_elder = min(
        1.0 - p_child, max(0.0, (setting.elders_share * total - old_head.sum()) / n_others)
    )
    draw = rng.multinomial(others, [p_child, p_elder, 1.0 - p_child - p_elder])
    return {
        "children": draw[:, 0],
        "adults": draw[:, 2] + (~old_head & (size > 0)),
        "elders": draw[:, 1] + (old_head & (size > 0)),
    }


def can_spare_adult(hh: HouseholdTable, rows: np.ndarray) -> np.ndarray:
    """Whether a working-age adult can leave each of households ``rows`` alone (a seasonal or
    long-stay worker, a student): it has one, and an adult or an elder stays to head the home,
    so that no household is left of children only."""
    return (hh.adults[rows] >= 1) & (hh.adults[rows] + hh.elders[rows] >= 2)


def take_members(
    hh: HouseholdTable, rows: np.ndarray, n: np.ndarray, order: tuple[str, ...] = MEMBER_COLUMNS
) -> dict[str, np.ndarray]:
    """Remove ``n`` members from each household of ``rows`` (distinct rows), taking them from
    the member columns in ``order`` (the first column until it is empty, then the next), and
    lower ``size`` to match; returns how many were taken from each column."""
    left = np.asarray(n, dtype=np.int64).copy()
    taken = {}
    for name in order:
        col = getattr(hh, name)
        k = np.minimum(left, col[rows])
        col[rows] -= k.astype(col.dtype)
        left -= k
        taken[name] = k
    if (left > 0).any():
        raise ValueError("take_members: more people taken than the household has")
    hh.size[rows] -= np.asarray(n).astype(hh.size.dtype)
    return taken


def communities(home: np.ndarray, band: np.ndarray, households: int, scale: int) -> np.ndarray:
    """Community (village) of each starting household: the households of one island and
    elevation band, in row order, in groups of ``households`` real households (at least one
    row each); ids run over the whole setting."""
    size = max(1, round(households / scale))
    out = np.zeros(len(home), dtype=np.int32)
    next_id = 0
    for key in np.unique(home.astype(np.int64) * 3 + band):
        rows = np.flatnonzero(home.astype(np.int64) * 3 + band == key)
        out[rows] = next_id + np.arange(len(rows)) // size
        next_id += -(-len(rows) // size)
    return out


class Household(mesa.Agent):
    """One household (or ``scale`` alike): a view onto its row of the household table."""

    def __init__(self, model: MobilityModel, row: int) -> None:
        super().__init__(model)
        self.row = row

    def _get(self, column: str) -> Any:
        return self.model.households.__getattr__(column)[self.row]

    @property
    def status(self) -> str:
        return STATUS_NAMES[self._get("status")]

    @property
    def home_island(self) -> str:
        return self.model.setting.islands[self._get("home_island")].name

    @property
    def location(self) -> str:
        """Island it lives on now, or its destination abroad."""
        if self._get("status") == Status.ABROAD or self._get("displacement") == Displacement.ABROAD:
            dest = self._get("destination")
            return self.model.setting.destinations[dest].name if dest >= 0 else "abroad"
        return self.model.setting.islands[self._get("island")].name

    @property
    def cell(self) -> Any:
        """The Network cell of the island it lives on (None while abroad)."""
        island = self._get("island")
        return self.model.space[int(island)] if island >= 0 else None

    @property
    def size(self) -> int:
        return int(self._get("size"))

    @property
    def damage(self) -> float:
        return float(self._get("damage"))

    @property
    def months_displaced(self) -> int:
        return int(self._get("months_displaced"))

    def as_dict(self) -> dict[str, Any]:
        """Every column of this household's row, plus readable names."""
        out = {k: self._get(k) for k in COLUMNS}
        out.update(status=self.status, home_island=self.home_island, location=self.location)
        return out
