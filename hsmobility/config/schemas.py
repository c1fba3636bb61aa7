"""Typed, validated scenario, setting and regime files.

Everything a run depends on enters the model through these objects, read from TOML files in
``scenarios/``. Validation happens here, once, so that the model can trust its inputs; a bad file
raises :class:`ScenarioError` whose one-line message names the file, the field and what was
expected.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    ValidationError,
    model_validator,
)

# --------------------------------------------------------------------------------------------
# Locations of the data folders
# --------------------------------------------------------------------------------------------


def scenarios_dir() -> Path:
    """The folder holding ``settings/``, ``regimes/`` and ready-made scenarios.

    ``HSMOBILITY_SCENARIOS`` overrides it; by default it is ``scenarios/`` beside the package.
    """
    env = os.environ.get("HSMOBILITY_SCENARIOS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "scenarios"


class ScenarioError(ValueError):
    """A scenario, setting or regime that cannot be used; the message is one line for the user."""


# --------------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------------


class Strict(BaseModel):
    """Base for file schemas: unknown keys are errors (a typo must not pass silently), types are
    strict (``true`` is not a number, ``"3"`` is not 3) and every float is finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


#: the largest value any unbounded-looking number may take: far beyond anything meaningful, far
#: below where arithmetic overflows
HUGE = 1e9

Share = Annotated[float, Field(ge=0.0, le=1.0)]
Positive = Annotated[float, Field(gt=0.0, le=HUGE)]
NonNegative = Annotated[float, Field(ge=0.0, le=HUGE)]
#: a multiplier or weight: 0..100
Factor = Annotated[float, Field(ge=0.0, le=100.0)]
#: a coefficient of the decision rule (any sign): -100..100
Coefficient = Annotated[float, Field(ge=-100.0, le=100.0)]
#: an amount of money, US$
Usd = Annotated[float, Field(ge=0.0, le=1e8)]
#: a number of months (durations, delays)
Months = Annotated[float, Field(ge=0.0, le=1200.0)]
#: a wind speed, m/s (the strongest cyclone measured: ~96 m/s)
WindSpeed = Annotated[float, Field(gt=0.0, le=150.0)]
#: a count of people or households
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]
#: a calendar month
Month = Annotated[int, Field(ge=1, le=12)]

#: the largest resident population of a setting the model accepts (memory is checked as well)
MAX_POPULATION = 10_000_000

SSPS = ("SSP1-2.6", "SSP2-4.5", "SSP5-8.5")
SSP = Literal["SSP1-2.6", "SSP2-4.5", "SSP5-8.5"]


class Place(Strict):
    """A town or village group within an exposure point where part of the point's people live
    (issue 9, sixth session): its households feel the wind at its own coordinates."""

    name: str
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    #: people living there (a census count); the point's people beyond its places live at the
    #: point's own coordinates
    population: Annotated[int, Field(gt=0, le=MAX_POPULATION)]
    #: typical distance of its homes from the coast, km (0 = on the shore)
    inland_km: Annotated[float, Field(ge=0.0, le=500.0)] = 0.0


class ExposurePoint(Place):
    """A place within a large island (a census province, district or town) that storms strike
    on its own: its people feel the wind at its coordinates, weakened by its distance inland
    (the fields of :class:`Place`; the island's households are shared among its points by
    population)."""

    #: towns within the point that storms strike at their own coordinates; the rest of the
    #: point's people live at the point's coordinates (issue 9, sixth session)
    places: list[Place] = []

    @model_validator(mode="after")
    def _places_fit(self) -> ExposurePoint:
        total = sum(p.population for p in self.places)
        if total > self.population:
            raise ValueError(
                f"places: their populations add up to {total:,}, more than the point's "
                f"{self.population:,}"
            )
        return self


class Island(Strict):
    """A home island (or island group) of a setting: a node of the Network space."""

    name: str
    lon: Annotated[float, Field(ge=-180, le=180)]
    lat: Annotated[float, Field(ge=-90, le=90)]
    population: Annotated[int, Field(gt=0, le=MAX_POPULATION)]
    capital: bool = False
    #: share of households in the low-lying coastal band (storm surge, king tides, sea-level rise)
    lowlying_share: Share
    #: share of households on high ground (no surge, no tidal flooding)
    highground_share: Share = 0.0
    #: height of the low-lying band above today's high spring tide, in metres
    lowlying_elevation_m: Annotated[float, Field(gt=0.0, le=100.0)]
    #: today's return period of a wave-driven wash-over of the island's inhabited low-lying land,
    #: years (atolls; none = the parameter ``sea_level.overwash_return_years``) (issue 9)
    overwash_return_years: Annotated[float, Field(gt=0.0, le=100_000.0)] | None = None
    #: household income on this island relative to the national mean
    income_factor: Annotated[float, Field(gt=0.0, le=100.0)] = 1.0
    #: relative exposure to a passing cyclone's winds (1 = as the setting's reference point)
    wind_exposure: Annotated[float, Field(gt=0.0, le=100.0)] = 1.0
    #: places within the island that storms strike separately; none = the island is one point
    points: list[ExposurePoint] = []
    #: exposure to rain-driven landslides and river floods (steep relief; 1 = Dominica); None =
    #: the setting's ``landslide_terrain`` (issue 9, deaths)
    landslide_terrain: Share | None = None
    #: a second urban centre (another island of the setting, not the capital) to which a share
    #: ``town_share`` of this island's moves to town go instead of the capital (issue 8, ninth
    #: session: Ebeye, on Kwajalein, for the Ralik chain); None = every such move goes to the
    #: capital (ODD 7.8.1)
    town: str | None = None
    #: share of this island's moves to the capital that go to ``town`` instead
    town_share: Share = 0.0

    @model_validator(mode="after")
    def _shares_add_up(self) -> Island:
        if self.lowlying_share + self.highground_share > 1.0 + 1e-9:
            raise ValueError("lowlying_share + highground_share must be at most 1")
        if self.points:
            total = sum(p.population for p in self.points)
            if abs(total - self.population) > 0.02 * self.population:
                raise ValueError(
                    f"points: their populations add up to {total:,}, not the island's "
                    f"{self.population:,} (within 2%)"
                )
        return self


class YearCount(Strict):
    """People counted in one year: a diaspora at a census, workers a scheme took that year."""

    year: Annotated[int, Field(ge=1900, le=2100)]
    people: Count


def _check_counts(counts: list[YearCount], today: int, field: str, today_field: str) -> None:
    """Years rise and the last count is today's figure (``today_field``)."""
    years = [c.year for c in counts]
    if any(b <= a for a, b in zip(years, years[1:], strict=False)):
        raise ValueError(f"{field}: years must rise, got {years}")
    if counts and counts[-1].people != today:
        raise ValueError(
            f"{field}: the last count ({counts[-1].people}) must be {today_field} ({today}), "
            "today's figure"
        )


def interpolate_counts(counts: list[YearCount], year: int) -> float:
    """``counts`` (years rising, at least one) in ``year``: linear between two counts, the
    first before them, the last after them."""
    if year <= counts[0].year:
        return float(counts[0].people)
    for a, b in zip(counts, counts[1:], strict=False):
        if year <= b.year:
            return a.people + (year - a.year) / (b.year - a.year) * (b.people - a.people)
    return float(counts[-1].people)


class Destination(Strict):
    """A place abroad that households of the setting move to."""

    name: str
    #: cost for a household to move there (fares, visa, first months), US$
    move_cost_usd: Annotated[float, Field(gt=0.0, le=1e8)]
    #: income there relative to income at home
    wage_premium: Annotated[float, Field(gt=0.0, le=100.0)]
    #: people from the setting living there today
    diaspora: Count
    #: yearly earnings of a working migrant from the setting there, US$ (a destination survey:
    #: Stats NZ, ABS, ACS, ...; or a prior where none is sourced): what the diaspora living
    #: there and the run's emigrants to it remit ``economy.remit_share`` of (issue 8)
    earnings_usd: Annotated[float, Field(gt=0.0, le=1e7)]
    #: the diaspora counted there in given years (censuses), years rising (issue 8, fifth
    #: session): a run starting in a year between two counts starts with the linear
    #: interpolation of the two, before the first count with the first, after the last with the
    #: last, which must be ``diaspora`` (today's figure). Empty: ``diaspora`` whatever the year
    diaspora_counts: Annotated[list[YearCount], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _counts(self) -> Destination:
        _check_counts(self.diaspora_counts, self.diaspora, "diaspora_counts", "diaspora")
        return self

    def diaspora_in(self, year: int) -> int:
        """People from the setting living there in ``year``: ``diaspora_counts`` interpolated
        linearly, held before the first and after the last; ``diaspora`` without counts."""
        if not self.diaspora_counts:
            return self.diaspora
        return round(interpolate_counts(self.diaspora_counts, year))


class EmigrantStock(Strict):
    """People born in the setting living in any other country at two mid-years (UN DESA
    International Migrant Stock): an observation, not an input. Its rise per year plus the
    deaths of its mean at ``demography.crude_death_rate`` is the natives' net emigration
    (emigrants less those who came back), which the model is validated against (issue 8)."""

    stock_start: Annotated[int, Field(ge=0, le=100_000_000)]
    stock_end: Annotated[int, Field(ge=0, le=100_000_000)]
    year_start: Annotated[int, Field(ge=1900, le=2100)]
    year_end: Annotated[int, Field(ge=1900, le=2100)]

    @model_validator(mode="after")
    def _years(self) -> EmigrantStock:
        if self.year_end <= self.year_start:
            raise ValueError(f"year_end ({self.year_end}) must be after year_start")
        return self

    def net_emigration_per_year(self, crude_death_rate: float) -> float:
        """Natives' net emigration, people a year: the stock's rise per year plus the deaths
        of its mean stock (the emigrants needed to keep it on its path as its members die)."""
        rise = (self.stock_end - self.stock_start) / (self.year_end - self.year_start)
        return rise + crude_death_rate * (self.stock_start + self.stock_end) / 2.0


class Seafarers(Strict):
    """Seafarers on foreign merchant and fishing ships (Kiribati, Tuvalu): a temporary labour
    channel abroad with a fixed number of berths, filled again as contracts end (issue 8)."""

    #: people from the setting at sea at any one time
    berths: Count
    #: length of a contract, months; the seafarer comes home at its end and the berth is filled
    contract_months: Annotated[int, Field(ge=1, le=36)]
    #: sent home per seafarer per year at sea, US$ (allotments to the family)
    remit_usd_per_year: Annotated[float, Field(gt=0.0, le=1e6)]


class Link(Strict):
    """A sea, air or road link between two home islands; cut for weeks after a cyclone."""

    a: str
    b: str
    mode: Literal["sea", "air", "road"] = "sea"
    #: households it can carry per month in normal times
    capacity_households_per_month: Annotated[int, Field(gt=0, le=10_000_000)]


def _when(value: Any) -> Any:
    """A year (``2012``) or a year and month (``"2012-07"``) as ``"YYYY-MM"`` (a year is its
    January); anything else is an error naming what is expected."""
    if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200:
        return f"{value:04d}-01"
    if isinstance(value, str) and re.fullmatch(
        r"(19\d\d|2[01]\d\d|2200)(-(0[1-9]|1[0-2]))?", value
    ):
        return value if len(value) == 7 else f"{value}-01"
    raise ValueError('expected a year (2012) or a year and month ("2012-07"), 1900-2200')


#: when a pathway or channel opens or closes: a year or "YYYY-MM", kept as "YYYY-MM"
When = Annotated[str, BeforeValidator(_when)]


def _open_in(opens: str | None, closes: str | None, year: int, month: int) -> bool:
    """Whether a pathway or channel that ``opens`` and ``closes`` (``"YYYY-MM"``, None = always)
    takes registrations, recruits or grants in ``year``-``month``."""
    now = f"{year:04d}-{month:02d}"
    return (opens is None or opens <= now) and (closes is None or now < closes)


def _opens_before_closes(opens: str | None, closes: str | None) -> None:
    if opens is not None and closes is not None and closes <= opens:
        raise ValueError(f"closes ({closes}) must come after opens ({opens})")


class Window(Strict):
    """One period in which a pathway or channel is open: from ``opens`` (None = from the start
    of any run) to the month before ``closes`` (None = never closes)."""

    opens: When | None = None
    closes: When | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        _opens_before_closes(self.opens, self.closes)
        return self


class Dated(Strict):
    """When a pathway or channel is open: one window (``opens``/``closes``) or several
    (``windows``, e.g. a scheme suspended after a coup and reinstated later)."""

    #: first month it takes registrations, recruits, grants or admits: a year (its January) or
    #: "YYYY-MM" (e.g. a scheme's launch, from a source); None = open from the start of any run
    opens: When | None = None
    #: first month it no longer does (e.g. replaced by a successor); None = never closes
    closes: When | None = None
    #: several periods open, in order and not overlapping, instead of ``opens``/``closes``
    windows: Annotated[list[Window], Field(min_length=1, max_length=50)] | None = None

    @model_validator(mode="after")
    def _windows(self) -> Dated:
        _opens_before_closes(self.opens, self.closes)
        if self.windows is None:
            return self
        if self.opens is not None or self.closes is not None:
            raise ValueError("give either opens/closes or windows, not both")
        for k in range(1, len(self.windows)):
            before, now = self.windows[k - 1], self.windows[k]
            if before.closes is None:
                raise ValueError(f"windows.{k - 1} never closes, so windows.{k} cannot follow it")
            if now.opens is None:
                raise ValueError(f"windows.{k} needs opens (only the first window may omit it)")
            if now.opens < before.closes:
                raise ValueError(
                    f"windows.{k} must open ({now.opens}) no earlier than windows.{k - 1} "
                    f"closes ({before.closes})"
                )
        return self

    def periods(self) -> list[tuple[str | None, str | None]]:
        """The (opens, closes) periods it is open, in order."""
        if self.windows is None:
            return [(self.opens, self.closes)]
        return [(w.opens, w.closes) for w in self.windows]

    def open_in(self, year: int, month: int) -> bool:
        """Whether it is open in ``year``-``month`` (``opens`` <= then < ``closes``, in one of
        its windows)."""
        return any(_open_in(a, b, year, month) for a, b in self.periods())


class Pathway(Dated):
    """A legal migration pathway open to the setting today (a policy lever, see ``policy/``)."""

    name: str
    kind: Literal["ballot", "free-movement", "seasonal", "humanitarian"]
    destination: str
    #: places per year, in people (principals with their families for ballots and visas, as the
    #: schemes count them; workers for seasonal schemes); 0 = no cap
    quota_per_year: Annotated[int, Field(ge=0, le=10_000_000)] = 0
    registration_fee_usd: Usd = 0.0
    min_age: Annotated[int, Field(ge=0, le=120)] = 0
    max_age: Annotated[int, Field(ge=0, le=120)] = 120
    job_offer_required: bool = False
    #: whether the whole household may go (else the principal alone)
    families: bool = True
    #: seasonal schemes: months away per season and net earnings sent home per season, US$
    months_away: Annotated[int, Field(ge=0, le=48)] = 0
    earnings_per_season_usd: Usd = 0.0
    #: seasonal schemes: share of ``earnings_per_season_usd`` the worker sends home during the
    #: season, month by month; the rest is saved abroad and brought home when the season ends
    #: (issue 8, eighth session). 1 (the default): all of it sent month by month
    remitted_share: Share = 1.0
    #: seasonal schemes: workers the scheme took from the setting in given years (a season is
    #: counted in the year it starts), years rising, the last one ``quota_per_year`` (today's
    #: places; issue 8, fifth session). A season recruits ``quota_per_year`` x the count of its
    #: year / the last count (:meth:`quota_in`): the sourced numbers while the levers leave the
    #: places alone, scaled with them when a regime multiplies them. Empty: today's places in
    #: every year
    quota_counts: Annotated[list[YearCount], Field(max_length=50)] = []
    #: seasonal schemes: chance that a worker settles abroad when its stay ends; None: the
    #: parameters' ``returns.seasonal_settle_prob_by_scheme`` (or ``seasonal_settle_prob``).
    #: Given here where a setting's source says how many stay on (issue 8, eleventh session:
    #: Fiji's students and temporary workers)
    settle_prob: Share | None = None
    #: seasonal schemes: whether ``seasonal.quota_multiplier`` scales the places. False for a
    #: route no regime's quota governs (students, temporary workers, protection claims)
    lever_scaled: bool = True

    @model_validator(mode="after")
    def _ages(self) -> Pathway:
        if self.min_age > self.max_age:
            raise ValueError(f"min_age ({self.min_age}) must be at most max_age ({self.max_age})")
        if self.quota_counts and self.kind != "seasonal":
            raise ValueError(f"quota_counts: only for a seasonal scheme, not a {self.kind} one")
        if self.settle_prob is not None and self.kind != "seasonal":
            raise ValueError(f"settle_prob: only for a seasonal scheme, not a {self.kind} one")
        if not self.lever_scaled and self.kind != "seasonal":
            raise ValueError(f"lever_scaled: only for a seasonal scheme, not a {self.kind} one")
        _check_counts(self.quota_counts, self.quota_per_year, "quota_counts", "quota_per_year")
        if self.quota_counts and self.quota_per_year <= 0:
            raise ValueError("quota_counts: today's places (quota_per_year) must be above 0")
        return self

    def quota_in(self, year: int) -> float:
        """Places (workers) of the season starting in ``year``: ``quota_per_year`` scaled by
        ``quota_counts`` (interpolated, held beyond), or ``quota_per_year`` without counts."""
        if not self.quota_counts:
            return float(self.quota_per_year)
        shape = interpolate_counts(self.quota_counts, year) / self.quota_counts[-1].people
        return self.quota_per_year * shape


class Channel(Dated):
    """A regular emigration channel beyond ballots (family or partner sponsorship, skilled or
    student visas, a diversity lottery): who qualifies, what it costs and how many it admits a
    year. Households granted a place take it up through the decision rule like a drawn visa."""

    name: str
    #: family: sponsorship by kin abroad (needs ties to the destination or kin who emigrated);
    #: skilled, student: by skills (and income); lottery: a random draw among entrants
    route: Literal["family", "skilled", "student", "lottery"]
    destination: str
    #: people admitted per year from the setting (principals with their families), from a source
    places_per_year: Annotated[int, Field(gt=0, le=10_000_000)]
    #: fees beyond the move itself (visa, medicals, sponsorship), US$ per household
    cost_usd: Usd = 0.0
    #: money the household must show, beyond the fees and the move, to be granted a place, and
    #: keeps (issue 8, ninth session): a student visa's evidence of funds for the first year's
    #: living costs; counted from the same means as the fees (savings, help from kin at the
    #: destination, credit on the offer), never spent by the channel. 0: no such test
    funds_shown_usd: Usd = 0.0
    #: age of the principal (the head, or an adult child of an older head)
    min_age: Annotated[int, Field(ge=0, le=120)] = 0
    max_age: Annotated[int, Field(ge=0, le=120)] = 120
    #: skills (0..1) the principal needs (skilled and student routes)
    min_skills: Share = 0.0
    #: national income quintile (1..5) the household needs at least (savings, fees, sponsors)
    min_quintile: Annotated[int, Field(ge=1, le=5)] = 1
    #: a family route whose sponsor at the destination pays the fees and the move (issues 8
    #: and 10, eighth session): the petitioner of a US family visa files and pays the petition
    #: and signs an affidavit of support (I-864) showing the means to support the migrant, so a
    #: household granted the place pays nothing itself and is never barred by money. False:
    #: the household pays, helped by ``tie_support_usd`` per tie and credit on the offer
    sponsor_pays: bool = False
    #: the cap counts places used (admissions, visas issued, a destination's stock's rise), not
    #: places offered (issue 8 item 1, ninth session): the places that lapse unused are granted
    #: again the next year (:func:`hsmobility.phases.channels.lapsed_places`), as on a route
    #: whose sponsor pays. False: a lapsed place is lost
    regrant_lapsed: bool = False

    @model_validator(mode="after")
    def _ages(self) -> Channel:
        if self.min_age > self.max_age:
            raise ValueError(f"min_age ({self.min_age}) must be at most max_age ({self.max_age})")
        if self.sponsor_pays and self.route != "family":
            raise ValueError(f"sponsor_pays is for a family route, not a {self.route} route")
        return self


class ImmigrantOrigin(Strict):
    """A part of a setting's immigrants by where they come from (issue 8 item 4)."""

    name: str
    #: share of the setting's immigrant inflow from this origin
    share: Share
    #: a destination of the setting that these immigrants come from: their inflow is the
    #: counterpart of free movement with it (OECS nationals under the Revised Treaty of
    #: Basseterre), so it rises when a regime opens free movement with that destination and falls
    #: while free movement with it is closed (``immigration.free_movement_factor``); None: not
    #: tied to any pathway
    destination: str | None = None


class Immigration(Strict):
    """People born abroad who come to live in the setting (not its returning emigrants): the
    inflow that keeps the foreign-born stock on its observed path (UN DESA International
    Migrant Stock at two mid-years), as households settling on ``island``."""

    #: foreign-born residents at mid-``year_start`` and mid-``year_end`` (UN DESA)
    stock_start: Annotated[int, Field(ge=0, le=10_000_000)]
    stock_end: Annotated[int, Field(ge=0, le=10_000_000)]
    year_start: Annotated[int, Field(ge=1900, le=2100)]
    year_end: Annotated[int, Field(ge=1900, le=2100)]
    #: the island where arriving households settle (most immigrants live around the capital)
    island: str
    #: parts of the inflow by origin (shares add up to at most 1; the rest is tied to nothing)
    origins: Annotated[list[ImmigrantOrigin], Field(max_length=50)] = []

    @model_validator(mode="after")
    def _consistent(self) -> Immigration:
        if self.year_end <= self.year_start:
            raise ValueError(f"year_end ({self.year_end}) must be after year_start")
        if sum(o.share for o in self.origins) > 1.0 + 1e-9:
            raise ValueError("the origins' shares add up to more than 1")
        return self


class Cyclones(Strict):
    """Tropical-cyclone climate of the setting today."""

    season: Literal["south-pacific", "north-atlantic"]
    #: mean number of storms passing within ``radius_km`` per season
    per_season: Annotated[float, Field(ge=0.0, le=100.0)]
    radius_km: Annotated[float, Field(gt=0.0, le=5000.0)]
    #: share of those storms reaching hurricane / severe tropical cyclone force (category >= 1)
    hurricane_share: Share
    #: drawn storms' headings near the setting (issue 9, sixth session): shares of the storms
    #: passing within ``radius_km`` in twelve 30-degree sectors clockwise from north (0-30,
    #: 30-60, ...), from a best-track archive; None = the region's normal prior in parameters
    heading_shares: Annotated[list[Share], Field(min_length=12, max_length=12)] | None = None
    #: their forward speed: median, km/h, and spread of its log; None = the region's prior
    speed_median_kmh: Annotated[float, Field(gt=0.0, le=100.0)] | None = None
    speed_log_sd: Annotated[float, Field(ge=0.0, le=2.0)] | None = None

    @model_validator(mode="after")
    def _heading_shares_add_up(self) -> Cyclones:
        if self.heading_shares is not None and abs(sum(self.heading_shares) - 1.0) > 0.01:
            raise ValueError(
                f"heading_shares: the twelve sectors' shares add up to "
                f"{sum(self.heading_shares):.3f}, not 1 (within 0.01)"
            )
        return self


class BuildingClasses(Strict):
    """Shares of the setting's homes by building class (issue 9, sixth session), from a census's
    main material of the outer walls: each class has its own damage curve
    (``cyclones.class_half_damage_scale``). The shares may leave out the census's "other" and
    "not stated": they are normalised to add up to 1."""

    #: walls of concrete, brick or block
    engineered: Share
    #: walls of timber or corrugated iron (and mixed timber and concrete)
    light: Share
    #: traditional (bure, thatch, bamboo) and makeshift walls
    traditional: Share

    @model_validator(mode="after")
    def _consistent(self) -> BuildingClasses:
        total = self.engineered + self.light + self.traditional
        if not 0.8 <= total <= 1.0 + 1e-9:
            raise ValueError(
                f"building_classes: the shares add up to {total:.3f}; they must add up to "
                "between 0.8 (a census's other and not stated left out) and 1"
            )
        return self

    def shares(self) -> tuple[float, float, float]:
        """Engineered, light and traditional shares, normalised to add up to 1."""
        total = self.engineered + self.light + self.traditional
        return (self.engineered / total, self.light / total, self.traditional / total)


class SeaLevel(Strict):
    """Local sea level: adds to the AR6 global trajectory."""

    #: local rate beyond the global mean (vertical land motion, regional), mm per year
    local_rate_mm_per_year: Annotated[float, Field(ge=-100.0, le=100.0)] = 0.0
    #: monthly chance today that a king tide floods the low-lying band of an island
    king_tide_flood_prob: Share = 0.0


class Drought(Strict):
    """ENSO-linked drought (atolls without groundwater lenses to spare)."""

    #: ENSO phase that brings drought, or none
    enso_phase: Literal["el-nino", "la-nina", "none"] = "none"
    #: monthly chance of drought while that phase holds
    prob_in_phase: Share = 0.0
    #: share of livelihood income lost in a drought month
    income_loss: Share = 0.0


class Setting(Strict):
    """One country or island group, as read from ``scenarios/settings/NAME.toml``."""

    name: str
    title: str
    region: Literal["pacific", "caribbean"]
    #: mean people per household (at least 1: a household is its members)
    household_size: Annotated[float, Field(ge=1.0, le=30.0)]
    #: mean household income at home, US$ per year (household survey where one is sourced)
    household_income_usd: Annotated[float, Field(gt=0.0, le=1e7)]
    #: earnings abroad of one member of the older diaspora, US$ per year: the basis of what the
    #: diaspora remits (``remit_share`` of it), independent of income at home. None (the
    #: setting files): the mean of the destinations' ``earnings_usd`` weighted by their
    #: diaspora (:meth:`diaspora_earnings`); a number overrides it (hand-built tests)
    diaspora_earnings_usd: Annotated[float, Field(gt=0.0, le=1e7)] | None = None
    #: real growth of household incomes, per year (World Bank real GDP per capita, 2000-2019)
    income_growth: Annotated[float, Field(ge=-0.05, le=0.10)] = 0.0
    #: the year ``household_income_usd`` describes (the survey's it was backed out of): a run
    #: starting in another year starts from it grown at ``income_growth`` to its start year
    #: (:meth:`at_year`; issues 8 and 10, eighth session). None: the livelihood is every start
    #: year's (today's behaviour where no survey year is given)
    income_year: Annotated[int, Field(ge=1950, le=2100)] | None = None
    #: dispersion (sigma) of log household income
    income_sigma: Annotated[float, Field(gt=0, le=2)]
    #: poverty line, US$ per year, per ``poverty_line_unit``
    poverty_line_usd: Annotated[float, Field(gt=0.0, le=1e7)]
    #: unit of the national poverty line, as its survey states it: per person, or per adult
    #: equivalent (then consumption per person is compared with the line x
    #: ``economy.adult_equivalents_per_person``)
    poverty_line_unit: Literal["person", "adult_equivalent"] = "person"
    #: consumption floor, US$ per person per year: the least a household spends on subsistence
    #: (food and basic needs) while its savings last (ODD 7.6), from a source of its own (a
    #: food line, a basic-needs line found in a survey). None: the poverty line per person. The
    #: poverty measure always uses ``poverty_line_usd``; this only decides consumption
    consumption_floor_usd: Annotated[float, Field(gt=0.0, le=1e7)] | None = None
    #: share of households that receive remittances from family abroad (household survey);
    #: the older diaspora's members are shared among that many households only. None: among
    #: all households (Poisson around the mean)
    remittance_households_share: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    #: how the older diaspora's members abroad rise with the receiving household's livelihood:
    #: each receiver's expected members are proportional to (income / mean) ** elasticity
    #: (the mean, and so the national total, held). 0: the same for every receiver (issue 8,
    #: seventh session; Tonga's fitted to its HIES consumption Gini)
    remittance_income_elasticity: Annotated[float, Field(ge=0.0, le=4.0)] = 0.0
    #: share of the remittances counted in the national (balance-of-payments) total that
    #: reaches household budgets as the household survey sees them (issue 8, eighth session):
    #: the household spends that part as income; the rest goes where the survey's household
    #: consumption does not see it (churches and community, ceremonies, capital uses). The
    #: national-total measure counts all of it. None: all of it (1)
    remittance_budget_share: Annotated[float, Field(gt=0.0, le=1.0)] | None = None
    #: natural increase of the resident population, per year
    natural_increase: Annotated[float, Field(ge=-0.05, le=0.05)]
    #: savings at the start, in months of income
    savings_months: Months
    #: shares of the population aged 0-14 (children) and 65 and over (elders): the household
    #: members' composition at the start (census or CIA World Factbook age structure); the rest
    #: are working-age adults (15-64)
    children_share: Share
    elders_share: Share
    #: life table (issue 10, fourth session): central death rates per person-year by age, both
    #: sexes, for the abridged age groups 0, 1-4, 5-9, ..., 95-99, 100+ (22 values; UN World
    #: Population Prospects 2024, medium variant, 2025-2030). Members die and age by age group
    #: from it (:mod:`hsmobility.phases.demography`); None: the flat
    #: ``demography.crude_death_rate`` and the prior ageing rates
    death_rates: (
        Annotated[
            list[Annotated[float, Field(ge=0.0, le=5.0)]], Field(min_length=22, max_length=22)
        ]
        | None
    ) = None
    #: births per 1,000 people a year in 2000, 2005, ..., 2060 (13 values; UN World Population
    #: Prospects 2024, estimates then medium variant), linear between and held beyond; only with
    #: ``death_rates``. None: births are ``natural_increase`` plus the deaths
    birth_rates: (
        Annotated[
            list[Annotated[float, Field(ge=0.0, le=100.0)]], Field(min_length=13, max_length=13)
        ]
        | None
    ) = None
    #: remittances received by the country, US$ per year (World Bank or central bank; an
    #: observation the model is validated against, not an input; None where no figure is sourced)
    remittances_usd_per_year: Annotated[float, Field(ge=0.0, le=1e12)] | None = None
    #: share of people below the national basic-needs poverty line (HIES or Country Poverty
    #: Assessment; an observation the model is validated against, not an input; None where no
    #: figure is sourced)
    poverty_headcount: Share | None = None
    #: net international migration 2010-2020, per 1,000 residents per year (UN World Population
    #: Prospects or national statistics; an observation the model is validated against, not an
    #: input; None where no figure is sourced)
    net_migration_per_1000: Annotated[float, Field(ge=-1000.0, le=1000.0)] | None = None
    #: people born in the setting living abroad at two mid-years (UN DESA International Migrant
    #: Stock 2020; an observation the model is validated against, not an input; None where no
    #: figure is sourced): the natives' net emigration it implies (issue 8, fifth session)
    emigrant_stock: EmigrantStock | None = None
    #: exposure of its islands to rain-driven landslides and river floods in a storm: steep
    #: volcanic relief with homes on slopes and in narrow valleys; 1 = Dominica, 0 = atolls
    #: (issue 9, deaths; an island may set its own)
    landslide_terrain: Share = 0.0
    #: the capital's pull in this setting beyond ``decisions.asc_capital`` (issue 9): fitted to
    #: the setting's intercensal growth of the capital's share (docs/validation.md); 0 = none
    capital_pull: Annotated[float, Field(ge=-20.0, le=20.0)] = 0.0
    #: yearly chance that a household living on the capital whose family land is on another
    #: island goes back there (issue 9, seventh session; ODD 7.8.7); 0 = nobody goes back
    capital_return_rate: Share = 0.0
    #: cost to rebuild a destroyed house, US$
    house_value_usd: Annotated[float, Field(gt=0.0, le=1e8)]
    #: wind speed (m/s) at which half of a typical house's value is lost (Emanuel 2011 curve)
    wind_half_damage_ms: Annotated[float, Field(gt=26, le=120)]
    #: shares of its homes by building class, from a census (issue 9, sixth session); None:
    #: every home follows the regional curve ``wind_half_damage_ms``
    building_classes: BuildingClasses | None = None
    #: days after a storm at which the evacuation centres close (they are schools, and close
    #: when the schools reopen); those still in them go back to their plot (issue 9, damage).
    #: None: the centres stay open while anyone needs them
    centres_close_days: Annotated[int, Field(ge=1, le=366)] | None = None
    cyclones: Cyclones
    sea_level: SeaLevel = SeaLevel()
    drought: Drought = Drought()
    islands: Annotated[list[Island], Field(min_length=1, max_length=1000)]
    destinations: Annotated[list[Destination], Field(min_length=1, max_length=1000)]
    links: list[Link] = []
    pathways: list[Pathway] = []
    #: seafarers on foreign ships (None: the setting sends none)
    seafarers: Seafarers | None = None
    #: regular emigration channels beyond ballots (family, skilled, student, lottery)
    channels: Annotated[list[Channel], Field(max_length=100)] = []
    #: people born abroad who come to live in the setting (issue 8 item 4); None: nobody
    immigration: Immigration | None = None
    #: today's levers beyond the pathways (e.g. Tuvalu's land reclamation, Fiji's relocation
    #: programme): the status quo, on which every regime builds (see hsmobility.config.regimes)
    levers: dict[str, dict[str, Any]] = {}
    #: free-text sources, by short key used in the file's comments
    sources: dict[str, str] = {}

    @model_validator(mode="after")
    def _consistent(self) -> Setting:
        names = [i.name for i in self.islands]
        if len(set(names)) != len(names):
            raise ValueError("island names must be unique")
        if self.children_share + self.elders_share >= 1.0:
            raise ValueError("children_share + elders_share must leave some working-age adults")
        if self.birth_rates is not None and self.death_rates is None:
            raise ValueError("birth_rates need a life table: give death_rates too")
        if sum(i.capital for i in self.islands) != 1:
            raise ValueError("exactly one island must have capital = true")
        capital = next(i.name for i in self.islands if i.capital)
        for isl in self.islands:
            if isl.town is None:
                if isl.town_share > 0:
                    raise ValueError(f"island {isl.name!r}: town_share needs a town")
            elif isl.town not in names or isl.town in (capital, isl.name):
                raise ValueError(
                    f"island {isl.name!r}: town {isl.town!r} must be another island of {names}, "
                    "not the capital"
                )
        for link in self.links:
            for end in (link.a, link.b):
                if end not in names:
                    raise ValueError(f"link end {end!r} is not one of the islands {names}")
        dests = [d.name for d in self.destinations]
        if len(set(dests)) != len(dests):
            raise ValueError("destination names must be unique")
        residents = sum(i.population for i in self.islands)
        if residents > MAX_POPULATION:
            raise ValueError(
                f"the islands' populations add up to {residents:,}; at most "
                f"{MAX_POPULATION:,} residents are supported"
            )
        for p in self.pathways:
            if p.destination not in dests:
                raise ValueError(
                    f"pathway {p.name!r}: destination {p.destination!r} is not one of {dests}"
                )
        channel_names = [c.name for c in self.channels]
        if len(set(channel_names)) != len(channel_names):
            raise ValueError("channel names must be unique")
        for c in self.channels:
            if c.destination not in dests:
                raise ValueError(
                    f"channel {c.name!r}: destination {c.destination!r} is not one of {dests}"
                )
        if self.immigration is not None:
            im = self.immigration
            if im.island not in names:
                raise ValueError(f"immigration: island {im.island!r} is not one of {names}")
            for o in im.origins:
                if o.destination is not None and o.destination not in dests:
                    raise ValueError(
                        f"immigration origin {o.name!r}: destination {o.destination!r} is not "
                        f"one of {dests}"
                    )
        return self

    def at_year(self, year: int) -> Setting:
        """The setting as a run starting in ``year`` sees it: each destination's diaspora
        counted for that year (:meth:`Destination.diaspora_in`), and the livelihood of its
        ``income_year`` grown to that year (:meth:`livelihood_in`); itself if neither applies."""
        update: dict[str, object] = {}
        if any(d.diaspora_counts for d in self.destinations):
            update["destinations"] = [
                d.model_copy(update={"diaspora": d.diaspora_in(year)}) for d in self.destinations
            ]
        if self.income_year is not None and self.income_year != year:
            update["household_income_usd"] = self.livelihood_in(year)
            update["income_year"] = year
        return self.model_copy(update=update) if update else self

    def livelihood_in(self, year: int) -> float:
        """Mean household livelihood at the start of ``year``, US$: ``household_income_usd``
        grown (or shrunk, before it) at ``income_growth`` from ``income_year``, the year its
        survey describes; the file's value if no year is given. A livelihood backed out of a
        survey in 2008 is the 2008 level, not the level of a run starting in 2025."""
        if self.income_year is None:
            return self.household_income_usd
        return self.household_income_usd * (1.0 + self.income_growth) ** (year - self.income_year)

    def diaspora_earnings(self) -> float:
        """Earnings abroad of one member of the older diaspora, US$ per year: the override
        ``diaspora_earnings_usd`` if given, else the destinations' ``earnings_usd`` weighted by
        the diaspora living in each (all destinations alike if none has a diaspora)."""
        if self.diaspora_earnings_usd is not None:
            return self.diaspora_earnings_usd
        weights = [float(d.diaspora) for d in self.destinations]
        if sum(weights) <= 0:
            weights = [1.0] * len(self.destinations)
        earned = sum(w * d.earnings_usd for w, d in zip(weights, self.destinations, strict=True))
        return earned / sum(weights)

    @property
    def capital_index(self) -> int:
        return next(i for i, isl in enumerate(self.islands) if isl.capital)

    def island_index(self, name: str) -> int:
        for i, isl in enumerate(self.islands):
            if isl.name.lower() == name.lower():
                return i
        raise ScenarioError(
            f"setting {self.name}: no island called {name!r}; "
            f"expected one of {[i.name for i in self.islands]}"
        )


Date = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
IslandNames = Annotated[list[str], Field(min_length=1)]


FixTime = Annotated[
    str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3])$")
]


#: a best track's wind radii in the four quadrants (NE, SE, SW, NW), nautical miles
QuadrantRadii = Annotated[
    list[Annotated[float, Field(ge=0.0, le=1000.0)]], Field(min_length=4, max_length=4)
]


class TrackFix(Strict):
    """One fix of a scripted storm's track (issue 9, tracks): where its centre was and how strong
    it was, e.g. a 6-hourly IBTrACS v04 row (``ISO_TIME``, ``LAT``, ``LON``, ``USA_WIND``)."""

    #: UTC, "YYYY-MM-DDTHH"
    time: FixTime
    #: centre, degrees north (negative south)
    lat: Annotated[float, Field(ge=-60.0, le=60.0)]
    #: centre, degrees east (-180 to 360: a track crossing the antimeridian may go on past 180)
    lon: Annotated[float, Field(ge=-180.0, le=360.0)]
    #: 1-minute maximum sustained wind, knots (IBTrACS USA_WIND; WMO_WIND is 10-minute)
    wind_kt: Annotated[float, Field(ge=0.0, le=250.0)]
    #: radius of maximum wind, nautical miles (IBTrACS USA_RMW, issue 9 eighth session); none =
    #: Willoughby et al.'s (2006) R from the wind and latitude (world.hazards.radius_max_wind_km).
    #: Give it on every fix of a track or on none.
    rmw_nmi: Annotated[float, Field(gt=0.0, le=200.0)] | None = None
    #: radii of 34-, 50- and 64-kt wind, nautical miles, in the four quadrants (north-east,
    #: south-east, south-west, north-west; 0 = no such wind there), as HURDAT2 and IBTrACS
    #: (USA_R34/R50/R64) give them (issue 9, ninth session): the outer wind profile is fitted
    #: through their means (world.hazards.wind_profile_knots); any fix may have them or not
    r34_nmi: QuadrantRadii | None = None
    r50_nmi: QuadrantRadii | None = None
    r64_nmi: QuadrantRadii | None = None

    @model_validator(mode="after")
    def _a_real_time(self) -> TrackFix:
        try:
            datetime.strptime(self.time, "%Y-%m-%dT%H")
        except ValueError:
            raise ValueError(f"time {self.time!r} is not a date of the calendar") from None
        return self


class ScriptedEvent(Strict):
    """A cyclone on a date, for hindcasts (e.g. Irma, category 5, Barbuda, 2017-09): a point, a
    straight line (``heading_deg``) or a track of fixes (``track``)."""

    kind: Literal["cyclone"] = "cyclone"
    name: str = ""
    #: "YYYY-MM"
    date: Date
    #: Saffir-Simpson category at the island (0 = tropical storm)
    category: Annotated[int, Field(ge=0, le=5)]
    island: str
    #: distance of the storm's centre (or track) from the island, km (0 = direct hit)
    distance_km: Annotated[float, Field(ge=0.0, le=5000.0)] = 0.0
    #: heading of a straight track, degrees clockwise from north; none = a point storm
    heading_deg: Annotated[float, Field(ge=0, lt=360)] | None = None
    #: observed storm-total rain on the island, mm (a rain gauge's total); none = the
    #: climatological rain of the storm's wind and distance (R-CLIPER)
    rain_mm: Annotated[float, Field(gt=0.0, le=5000.0)] | None = None
    #: the storm's track, fixes in time order (at least two); every place feels the strongest
    #: wind along it (world.hazards.track_cyclone); none = a point or a straight line
    track: Annotated[list[TrackFix], Field(min_length=2, max_length=500)] | None = None

    @model_validator(mode="after")
    def _track_alone(self) -> ScriptedEvent:
        if self.track is None:
            return self
        if self.heading_deg is not None or self.distance_km != 0.0:
            raise ValueError("a track replaces distance_km and heading_deg: give one or the other")
        if len({f.rmw_nmi is None for f in self.track}) > 1:
            raise ValueError("track: give rmw_nmi on every fix or on none")
        times = [f.time for f in self.track]
        for a, b in zip(times, times[1:], strict=False):
            if b <= a:
                raise ValueError(f"track: fix times must increase ({b} after {a})")
        if not any(t.startswith(self.date) for t in times):
            raise ValueError(f"track: no fix falls in the event's month ({self.date})")
        return self

    def islands_named(self) -> list[str]:
        return [self.island]


class Refuge(Strict):
    """An island that receives evacuees, and how many people it has room for."""

    island: str
    #: people it can take in (evacuation centres and host families together)
    capacity_people: Annotated[int, Field(gt=0)]


def _dates_in_order(first: str, then: str | None, what: str) -> None:
    if then is not None and then <= first:
        raise ValueError(f"{what} ({then}) must come after date ({first})")


class EvacuationOrder(Strict):
    """A government order to leave islands on a date, to islands with room, until it is lifted
    (e.g. Ambae, 2018-07, to Espiritu Santo, Pentecost and Maewo)."""

    kind: Literal["evacuation-order"]
    name: str = ""
    date: Date
    #: islands ordered out
    islands: IslandNames
    #: where evacuees go, filled in the order listed
    destinations: Annotated[list[Refuge], Field(min_length=1)]
    #: "YYYY-MM" from which evacuees may go home; none = in force to the end of the run
    lifted: Date | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EvacuationOrder:
        _dates_in_order(self.date, self.lifted, "lifted")
        ordered = {i.lower() for i in self.islands}
        for r in self.destinations:
            if r.island.lower() in ordered:
                raise ValueError(f"destination {r.island!r} is itself under the order")
        return self

    def islands_named(self) -> list[str]:
        return [*self.islands, *(r.island for r in self.destinations)]


class VolcanicEruption(Strict):
    """An eruption that closes part of an island (its exclusion zone) for some months."""

    kind: Literal["volcanic-eruption"]
    name: str = ""
    date: Date
    island: str
    #: share of the island's households living in the exclusion zone
    exclusion_share: Annotated[float, Field(gt=0.0, le=1.0)]
    #: months the exclusion zone stays closed
    months: Annotated[int, Field(ge=1, le=600)]
    #: where the zone's households go; none = host families on the island, or (a whole island)
    #: the island's refuge
    destinations: list[Refuge] = []

    def islands_named(self) -> list[str]:
        return [self.island, *(r.island for r in self.destinations)]


class Swell(Strict):
    """Swell or storm surge from a distant storm, without local wind, flooding the coast."""

    kind: Literal["swell"]
    name: str = ""
    date: Date
    islands: IslandNames
    #: water level above today's high spring tide at the shore, m (wave run-up included)
    height_m: Annotated[float, Field(gt=0.0, le=15.0)]

    def islands_named(self) -> list[str]:
        return list(self.islands)


class KingTide(Strict):
    """A king tide of given height (every island of the setting, or those listed)."""

    kind: Literal["king-tide"]
    name: str = ""
    date: Date
    #: water level above today's high spring tide, m (sea-level rise since today adds to it)
    height_m: Annotated[float, Field(gt=0.0, le=5.0)]
    #: islands flooded; none = every island
    islands: list[str] = []

    def islands_named(self) -> list[str]:
        return list(self.islands)


class DroughtEvent(Strict):
    """A drought of given length (livelihoods lose the setting's drought income loss)."""

    kind: Literal["drought"]
    name: str = ""
    #: "YYYY-MM", first month of the drought
    date: Date
    months: Annotated[int, Field(ge=1, le=120)]

    def islands_named(self) -> list[str]:
        return []


EVENT_KINDS = ("cyclone", "evacuation-order", "volcanic-eruption", "swell", "king-tide", "drought")


def _event_kind(value: Any) -> str:
    if isinstance(value, dict):
        return value.get("kind", "cyclone")  # a cyclone may omit its kind (older files)
    return getattr(value, "kind", "cyclone")


Event = Annotated[
    Annotated[ScriptedEvent, Tag("cyclone")]
    | Annotated[EvacuationOrder, Tag("evacuation-order")]
    | Annotated[VolcanicEruption, Tag("volcanic-eruption")]
    | Annotated[Swell, Tag("swell")]
    | Annotated[KingTide, Tag("king-tide")]
    | Annotated[DroughtEvent, Tag("drought")],
    Discriminator(
        _event_kind,
        custom_error_type="event_kind",
        custom_error_message=f"kind must be one of {', '.join(EVENT_KINDS)}",
    ),
]
_EVENT = TypeAdapter(Event)


def parse_event(data: dict[str, Any], source: str) -> Any:
    """One event from its fields; a problem becomes a one-line ScenarioError naming the field."""
    try:
        return _EVENT.validate_python(data)
    except ValidationError as err:
        raise ScenarioError(_describe(err, source)) from None


class Scenario(Strict):
    """A setting, a climate pathway, a regime, a period and a seed: everything one run needs."""

    setting: str
    ssp: SSP = "SSP2-4.5"
    #: tilt of cyclone categories towards the stronger ones (0 = today's climate); None = the
    #: pathway's value in parameters.toml
    cyclone_intensity_shift: Annotated[float, Field(ge=-1.0, le=2.0)] | None = None
    #: relative change in cyclone frequency; None = the pathway's value in parameters.toml
    cyclone_frequency_change: Annotated[float, Field(ge=-0.9, le=2.0)] | None = None
    regime: str = "status-quo"
    start_year: Annotated[int, Field(ge=1950, le=2100)] = 2025
    start_month: Annotated[int, Field(ge=1, le=12)] = 1
    years: Annotated[int, Field(ge=1, le=100)] = 30
    seed: Annotated[int, Field(ge=0, lt=2**63)] = 0
    #: one agent stands for ``scale`` households (outputs are scaled back)
    scale: Annotated[int, Field(ge=1, le=1000)] = 1
    #: hazards and orders on dates: cyclones, evacuation orders, eruptions, swells, king
    #: tides, droughts (see the event classes above)
    events: list[Event] = []
    #: draw seasonal storms (switch off for a hindcast of scripted storms alone)
    stochastic_cyclones: bool = True
    #: lever overrides, "lever.param" -> value (see ``hsmobility.config.regimes``)
    levers: dict[str, Any] = {}
    #: model-parameter overrides, "group.param" -> value (see ``hsmobility.config.params``)
    params: dict[str, Any] = {}
    title: str = ""

    @model_validator(mode="after")
    def _horizon(self) -> Scenario:
        if self.start_year + self.years > 2101:
            raise ValueError("start_year + years must end by 2100")
        return self


# --------------------------------------------------------------------------------------------
# Loading with one-line errors
# --------------------------------------------------------------------------------------------


def _describe(err: ValidationError, source: str, data: Any = None) -> str:
    """Condense a pydantic error into one line: file, field (an event's name too, when ``data``
    holds the events), what was expected."""
    first = err.errors()[0]
    # an event's kind tag is not a field: "events.0.category", not "events.0.cyclone.category"
    loc = ".".join(str(p) for p in first["loc"] if p not in EVENT_KINDS) or "(top level)"
    name = _event_name(first["loc"], data)
    if name:
        loc = f"{loc} ({name})"
    msg = first["msg"]
    if first["type"] == "extra_forbidden":
        msg = "unknown field"
    elif first["type"] == "missing":
        msg = "required field is missing"
    given = first.get("input")
    given_txt = ""
    if first["type"] not in ("missing",) and not isinstance(given, dict | list):
        given_txt = f" (got {given!r})"
    more = len(err.errors()) - 1
    tail = f"; and {more} more problem(s)" if more > 0 else ""
    return f"{source}: {loc}: {msg}{given_txt}{tail}"


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning a missing or malformed file into a one-line ScenarioError."""
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{path}: is a folder, expected a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a UTF-8 text file") from None
    except RecursionError:
        raise ScenarioError(f"{path}: not usable TOML: values nested too deeply") from None
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _event_name(loc: tuple[Any, ...], data: Any) -> str:
    """The ``name`` of the event an error location ("events", i, ...) points at, if any."""
    if not isinstance(data, dict) or len(loc) < 2 or loc[0] != "events":
        return ""
    events, i = data.get("events"), loc[1]
    if not isinstance(events, list) or not isinstance(i, int) or not 0 <= i < len(events):
        return ""
    event = events[i]
    name = event.get("name") if isinstance(event, dict) else None
    return name if isinstance(name, str) else ""


def validate(cls: type[Strict], data: dict[str, Any], source: str) -> Any:
    """Build ``cls`` from ``data``; any problem becomes a one-line ScenarioError."""
    try:
        return cls.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(_describe(err, source, data)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: values nested too deeply") from None
