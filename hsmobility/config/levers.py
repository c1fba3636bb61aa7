"""Policy levers: each a small validated object with its parameters; a regime composes them.

A lever's defaults mean "not in force". The status quo of a setting (its pathways and its
``[levers]`` table) is the base; a regime file changes some lever parameters on top of it; a
scenario file and ``--set lever.param=value`` change them again.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from hsmobility.config.schemas import Share, Strict, Usd

Multiplier = Annotated[float, Field(ge=0.0, le=100.0)]


class Ballots(Strict):
    """Visa ballots with annual quotas (NZ Pacific Access Category, PEV, Falepili Union)."""

    #: multiplies every ballot's annual places
    quota_multiplier: Multiplier = 1.0
    #: multiplies every ballot's registration fee
    fee_multiplier: Multiplier = 1.0
    #: lifts the upper age limit of every ballot (families-included, no upper age: Falepili)
    no_upper_age: bool = False


class FreeMovement(Strict):
    """Free movement without a cap to the listed destinations (those the setting has)."""

    destinations: list[str] = []
    #: multiplies the cost of moving to those destinations (no visa costs, assisted travel)
    move_cost_multiplier: Multiplier = 1.0


class Seasonal(Strict):
    """Seasonal and circular labour schemes (RSE, PALM, SAWP): one member away, money home."""

    #: multiplies every seasonal scheme's places (not a setting's temporary routes abroad)
    quota_multiplier: Multiplier = 1.0


class Humanitarian(Strict):
    """Humanitarian visas opened after a disaster for the households it hit hardest."""

    enabled: bool = False
    #: the first of these that the setting has receives the visa holders
    destinations: list[str] = []
    #: places per year as a share of the setting's residents at the start
    quota_share_per_year: Share = 0.0
    #: share of an island's households newly displaced that opens the visa for that island
    trigger_displaced_share: Share = 0.05
    #: months the visa stays open after the disaster
    open_months: Annotated[int, Field(ge=1, le=120)] = 12
    #: share of the move's cost the household still pays (the rest is assisted travel)
    move_cost_multiplier: Multiplier = 0.5


class Relocation(Strict):
    """Planned relocation of whole communities off exposed land (Fiji's Planned Relocation
    Guidelines 2018 and SOPs 2023): a low-lying community asks and is listed; after assessment
    and consultation it votes; if enough of its households agree, the programme funds its site
    as capacity allows, and after building it moves as a whole to a site with so many houses."""

    enabled: bool = False
    #: islands whose low-lying communities may be relocated (empty = all)
    islands: list[str] = []
    #: a community asks when the sea comes within this many metres of its land ...
    trigger_slr_margin_m: Annotated[float, Field(ge=0.0, le=100.0)] = 0.2
    #: ... or when one storm displaces this share of its households
    trigger_displaced_share: Share = 0.3
    #: a community's requests by its own exposure: each month it asks with chance
    #: 1 - exp(-rate x exposure / 12), exposure the share of its households out of their homes
    #: plus the damage of the others' homes, plus the sea's rise over its margin (0 = it asks
    #: only at the triggers above; above 0 the storm trigger is replaced by this chance)
    request_rate_per_year: Annotated[float, Field(ge=0.0, le=1000.0)] = 0.0
    #: the stages of Fiji's Planned Relocation Guidelines (2018) and SOPs (2023), in years:
    #: from a community's request to the government's assessment that it needs to move ...
    assessment_years: Annotated[float, Field(ge=0, le=50)] = 1.0
    #: ... then consultation, the community's consent (its vote) and a site and land approved ...
    consultation_years: Annotated[float, Field(ge=0, le=50)] = 2.0
    #: ... then, once the programme funds it (``sites_per_year``), building, and the move
    building_years: Annotated[float, Field(ge=0, le=50)] = 4.0
    #: sites (villages) the programme may list over the run (0 = every community that asks)
    listed_sites: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    #: sites whose building the programme can fund per year (land, houses, services)
    sites_per_year: Annotated[float, Field(ge=0.0, le=10_000.0)] = 1.0
    #: houses built at each destination site (Vunidogoloa: 30 houses for 26 households)
    site_houses: Annotated[int, Field(ge=1, le=100_000)] = 30
    #: share of a community's households that must agree for the community to move (consent)
    vote_threshold: Share = 0.5
    #: cross-border community relocation: atoll communities (islands with no high ground) move
    #: as communities to the first of these destinations the setting has (empty = within)
    abroad_destinations: list[str] = []
    #: cost to government per relocated household, US$ (land, houses, services): Fiji's
    #: Nabavatu, FJ$5.9 million for 37 houses (FBC News 2024) at ~0.44 US$/FJ$, as the
    #: ``planned-relocation`` regime sets it, so that every regime that relocates reports the
    #: same sourced price (was an unsourced 30,000, which the integrated regime reported)
    cost_per_household_usd: Usd = 70000.0


class Adaptation(Strict):
    """In-situ adaptation: coastal protection and land raising, resilient housing, early warning."""

    #: islands with coastal protection or raised land ("*" = every island)
    protection_islands: list[str] = []
    #: share of those islands' low-lying households that the works cover
    protection_share: Share = 0.0
    #: height the works add above the low-lying band, metres (TCAP: raised to ~2.4 m)
    protection_height_m: Annotated[float, Field(ge=0.0, le=100.0)] = 0.0
    #: year the works are finished
    protection_year: Annotated[int, Field(ge=1950, le=2100)] = 2025
    #: share of the cost of a resilient (cyclone-rated, raised) house paid by government
    resilient_subsidy: Share = 0.0
    #: public retrofit programme: share of the non-resilient homes made resilient each year
    retrofit_share_per_year: Share = 0.0
    #: early warning and evacuation centres: 0 = as today, 1 = everyone exposed shelters
    early_warning: Share = 0.0


class Protection(Strict):
    """Social protection: post-disaster cash transfers and parametric insurance payouts."""

    #: paid once to each household whose home is severely damaged by a storm, US$
    cash_transfer_usd: Usd = 0.0
    #: paid to every household of an island where the wind passes the trigger, US$
    parametric_payout_usd: Usd = 0.0
    parametric_trigger_ms: Annotated[float, Field(gt=0.0, le=150.0)] = 50.0


class Targeting(Strict):
    """Participatory targeting: the most vulnerable first (low income, female-, elderly-headed,
    a member with a disability)."""

    vulnerable_first: bool = False
    #: multiplies cash transfers and payouts to vulnerable households
    vulnerable_top_up: Multiplier = 1.0


class WorksProject(Strict):
    """One coastal protection or land-raising project: the islands it covers, the share of
    their low-lying households behind it, its height and the year it is finished."""

    label: str
    islands: list[str]
    share: Share
    height_m: Annotated[float, Field(ge=0.0, le=100.0)]
    year: Annotated[int, Field(ge=1950, le=2100)]


def works_project(a: Adaptation, label: str) -> WorksProject | None:
    """The project an ``adaptation`` lever describes (None when it covers nothing)."""
    if a.protection_share <= 0 or not a.protection_islands:
        return None
    return WorksProject(
        label=label,
        islands=list(a.protection_islands),
        share=a.protection_share,
        height_m=a.protection_height_m,
        year=a.protection_year,
    )


class Levers(Strict):
    """All levers of a regime, applied to one setting."""

    ballots: Ballots = Ballots()
    free_movement: FreeMovement = FreeMovement()
    seasonal: Seasonal = Seasonal()
    humanitarian: Humanitarian = Humanitarian()
    relocation: Relocation = Relocation()
    adaptation: Adaptation = Adaptation()
    protection: Protection = Protection()
    targeting: Targeting = Targeting()


LEVER_NAMES = tuple(Levers.model_fields)
