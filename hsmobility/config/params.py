"""Model parameters shared by all settings, read from ``scenarios/parameters.toml``.

Values live in the data file beside their sources; this module only types and checks them and
applies a scenario's ``params`` overrides ("group.name" = value).
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Any

from pydantic import Field, model_validator

from hsmobility.config.schemas import (
    HUGE,
    SSP,
    SSPS,
    Coefficient,
    Factor,
    Month,
    Months,
    NonNegative,
    Positive,
    ScenarioError,
    Share,
    Strict,
    Usd,
    WindSpeed,
    read_toml,
    scenarios_dir,
    validate,
)

#: a value per climate pathway (metres of sea-level rise, or a change in cyclones)
PerSSP = dict[SSP, Annotated[float, Field(ge=-1.0, le=10.0)]]
#: a positive length, metres or km
Length = Annotated[float, Field(gt=0.0, le=10_000.0)]
#: a shape parameter of a Beta or Gamma distribution
BetaShape = Annotated[float, Field(gt=0.0, le=1000.0)]
#: a relative weight (non-negative)
Weight = Annotated[float, Field(ge=0.0, le=HUGE)]
#: a storm surge's height above the tide, metres
SurgeHeight = Annotated[float, Field(ge=0.0, le=20.0)]
#: a count of months (a delay)
MonthCount = Annotated[int, Field(ge=0, le=120)]
#: a pair (a, b) of a linear law a + b U (R-CLIPER's rain profile)
RainPair = Annotated[
    list[Annotated[float, Field(ge=-1000.0, le=1000.0)]], Field(min_length=2, max_length=2)
]
#: the share of a season's storms falling in a month, by month (1-12)
SeasonMonths = dict[Annotated[int, Field(ge=1, le=12, strict=False)], Share]


class Climate(Strict):
    slr_2050: PerSSP
    slr_2100: PerSSP
    intensity_shift: PerSSP
    frequency_change: PerSSP
    king_tide_doubling_m: Length
    enso_persistence: Share


def _rises(values: list[float], strictly: bool = True) -> bool:
    """Whether a table's values rise from one entry to the next (or never fall)."""
    return all(b > a if strictly else b >= a for a, b in pairwise(values))


class CycloneParams(Strict):
    #: maximum sustained wind of a tropical storm and of categories 1-5, m/s (increasing)
    vmax_ms: Annotated[list[WindSpeed], Field(min_length=6, max_length=6)]
    #: relative frequency of categories 1-5 (non-negative, positive sum)
    category_weights: Annotated[list[Weight], Field(min_length=5, max_length=5)]
    #: radius of maximum wind, km = rmax_km * exp(-rmax_wind_coef * vmax + rmax_lat_coef * |lat|)
    rmax_km: Length
    rmax_wind_coef: Annotated[float, Field(ge=0.0, le=1.0)]
    rmax_lat_coef: Annotated[float, Field(ge=0.0, le=1.0)]
    #: Holland wind profile (issue 9, seventh session): air density, kg/m³; Holland 2008's
    #: b_s = c0 + c1 Δp + c2 Δp² + c3 |lat| + c4 vt^x with x = x0 (1 - Δp / x1); b's clip range;
    #: the forward speed's cap, m/s
    air_density_kg_m3: Annotated[float, Field(gt=0.5, le=2.0)]
    holland_b_coefs: Annotated[list[float], Field(min_length=5, max_length=5)]
    holland_x_coefs: Annotated[
        list[Annotated[float, Field(gt=0.0, le=1000.0)]], Field(min_length=2, max_length=2)
    ]
    holland_b_range: Annotated[
        list[Annotated[float, Field(gt=0.0, le=5.0)]], Field(min_length=2, max_length=2)
    ]
    translation_cap_ms: Annotated[float, Field(gt=0.0, le=100.0)]
    #: Holland et al. (2010) outer profile for a best track with wind radii (issue 9, ninth
    #: session): V = vmax [(R/r)^b exp(1 - (R/r)^b)]^x, x = ``h10_x_inner`` inside R, then
    #: linear in r through the x that puts each observed radius's wind there, never below
    #: ``h10_x_floor``
    h10_x_inner: Annotated[float, Field(gt=0.0, le=2.0)]
    h10_x_floor: Annotated[float, Field(gt=0.0, le=2.0)]
    #: inland decay (Kaplan & DeMaria 1995): v = floor + (factor * v0 - floor) exp(-rate * hours)
    landfall_wind_factor: Share
    inland_floor_ms: WindSpeed
    inland_decay_per_hour: Annotated[float, Field(ge=0.0, le=10.0)]
    translation_speed_kmh: Annotated[float, Field(gt=0.0, le=200.0)]
    damage_threshold_ms: WindSpeed
    #: damage states (issue 9, seventh session): HAZUS v5.1 single-family homes' minor,
    #: moderate, severe and destruction states: each state's loss ratio, and the chance of
    #: being in it or worse (one row a state) at each mean loss of ``damage_state_mean``
    damage_state_loss: Annotated[list[Share], Field(min_length=4, max_length=4)]
    damage_state_mean: Annotated[list[Share], Field(min_length=2, max_length=50)]
    damage_state_exceed: Annotated[
        list[Annotated[list[Share], Field(min_length=2, max_length=50)]],
        Field(min_length=4, max_length=4),
    ]
    #: the lowest damage state (1..4) the damage assessments count as a damaged home
    damaged_state: Annotated[int, Field(ge=1, le=4)]
    #: homes resist more than the regional value curve's V½ says (issue 9, damage2), m/s
    home_half_damage_extra_ms: Annotated[float, Field(ge=0.0, le=100.0)]
    #: building classes (issue 9, sixth session): each class's V½ above the damage threshold,
    #: relative to the others (engineered, light, traditional; non-increasing)
    class_half_damage_scale: Annotated[
        list[Annotated[float, Field(gt=0.0, le=10.0)]], Field(min_length=3, max_length=3)
    ]
    surge_wind_ms: WindSpeed
    surge_extra_damage: Share
    link_cut_months: MonthCount
    south_pacific_months: SeasonMonths
    north_atlantic_months: SeasonMonths
    #: drawn storms' tracks (issue 9, fifth session): heading, degrees clockwise from north,
    #: normal with this mean and spread; forward speed log-normal with this median and log sd
    south_pacific_heading_deg: Annotated[float, Field(ge=0.0, lt=360.0)]
    south_pacific_heading_sd_deg: Annotated[float, Field(ge=0.0, le=180.0)]
    north_atlantic_heading_deg: Annotated[float, Field(ge=0.0, lt=360.0)]
    north_atlantic_heading_sd_deg: Annotated[float, Field(ge=0.0, le=180.0)]
    south_pacific_speed_kmh: Annotated[float, Field(gt=0.0, le=200.0)]
    north_atlantic_speed_kmh: Annotated[float, Field(gt=0.0, le=200.0)]
    speed_log_sd: Annotated[float, Field(ge=0.0, le=3.0)]
    #: R-CLIPER rain profile (issue 9): (a, b) of T0 = a + b U and Tm (inch/day), rm and re (km)
    rcliper_t0_in_day: RainPair
    rcliper_tm_in_day: RainPair
    rcliper_rm_km: RainPair
    rcliper_re_km: RainPair

    @model_validator(mode="after")
    def _consistent(self) -> CycloneParams:
        if not _rises(self.vmax_ms):
            raise ValueError(f"vmax_ms must increase from category to category: {self.vmax_ms}")
        if sum(self.category_weights) <= 0:
            raise ValueError("category_weights: at least one weight must be positive")
        scale = self.class_half_damage_scale
        if not scale[0] >= scale[1] >= scale[2]:
            raise ValueError(
                "class_half_damage_scale: an engineered home resists at least as much as a light "
                f"one, and a light one as a traditional one (non-increasing): {scale}"
            )
        self._check_damage_states()
        for name in ("south_pacific_months", "north_atlantic_months"):
            if sum(getattr(self, name).values()) <= 0:
                raise ValueError(f"{name}: at least one month must have a positive share")
        return self

    def _check_damage_states(self) -> None:
        """The damage-state table: losses rise from state to state, the mean-loss grid rises
        from 0 to 1, every row has one value per grid point, the chance of a state or worse
        rises with the mean loss and falls from state to state."""
        loss, grid, rows = self.damage_state_loss, self.damage_state_mean, self.damage_state_exceed
        if not _rises(loss):
            raise ValueError(f"damage_state_loss must rise from state to state: {loss}")
        if not _rises(grid) or grid[0] != 0.0 or grid[-1] != 1.0:
            raise ValueError(f"damage_state_mean must rise from 0 to 1: {grid}")
        if any(len(r) != len(grid) for r in rows):
            raise ValueError("damage_state_exceed: each state's row needs one value per mean loss")
        for i, r in enumerate(rows):
            if any(b < a for a, b in zip(r, r[1:], strict=False)):
                raise ValueError(f"damage_state_exceed: state {i + 1} must not fall as loss rises")
            if i and any(b > a for a, b in zip(rows[i - 1], r, strict=True)):
                raise ValueError(
                    f"damage_state_exceed: state {i + 1} or worse cannot be likelier than state {i}"
                )


class SeaLevelParams(Strict):
    #: water over the floor of a low-lying home a king tide floods, today, m (issue 9 kingtide)
    king_tide_depth_m: Annotated[float, Field(ge=0.0, le=10.0)]
    king_tide_income_loss: Share
    flood_depth_m: Annotated[list[NonNegative], Field(min_length=2)]
    flood_depth_damage: Annotated[list[Share], Field(min_length=2)]
    # slow onset (issue 9): overwash of atolls' low-lying land
    overwash_return_years: Annotated[float, Field(gt=0.0, le=100_000.0)]
    overwash_doubling_m: Annotated[float, Field(gt=0.0, le=10.0)]
    lens_recovery_months: Annotated[float, Field(ge=0.0, le=240.0)]
    overwash_reach_share: Share


class DisplacementParams(Strict):
    #: after a storm: a home this damaged (wind damage state) is unlivable
    uninhabitable_damage: Share
    #: after a flood or king tide: water this deep over the floor makes a home unlivable, m
    flood_unlivable_depth_m: Annotated[float, Field(gt=0.0, le=10.0)]
    severe_damage: Share
    evacuation_share: Share
    warning_reach_base: Share
    warning_compliance: Share
    shelter_places_per_person: Share
    host_people_per_household: Annotated[float, Field(ge=0.0, le=50.0)]
    shelter_share: Share
    leave_shelter_prob: Share
    abroad_share: Share
    other_island_share: Share
    order_compliance: Share
    exclusion_zone_death_rate: Share
    # who goes to a centre on a warning; households without kin (issue 9, shelters)
    warning_centre_share: Share
    no_kin_share: Share


class DeathParams(Strict):
    """Deaths from hazards by cause (issue 9, survival; phases/deaths.py)."""

    destroyed_damage: Share
    collapse_death_rate: Share
    surge_table_wind_ms: Annotated[list[WindSpeed], Field(min_length=2, max_length=20)]
    surge_table_height_m: Annotated[list[SurgeHeight], Field(min_length=2, max_length=20)]
    surge_island_factor: Share
    surge_mortality: Share
    surge_reference_depth_m: Length
    rain_threshold_mm: Annotated[float, Field(ge=0.0, le=5000.0)]
    rain_death_rate: Share

    @model_validator(mode="after")
    def _surge_table(self) -> DeathParams:
        wind, height = self.surge_table_wind_ms, self.surge_table_height_m
        if len(wind) != len(height):
            raise ValueError("surge_table_height_m must have one height per surge_table_wind_ms")
        if not _rises(wind):
            raise ValueError("surge_table_wind_ms must increase")
        if not _rises(height, strictly=False):
            raise ValueError("surge_table_height_m must not decrease")
        return self


class RecoveryParams(Strict):
    repair_rate: Share
    repair_rate_without_means: Share
    return_prob: Share
    return_damage_power: Annotated[float, Field(gt=0.0, le=100.0)]
    young_head_return_factor: Factor
    old_head_return_factor: Factor
    abroad_return_factor: Factor
    evacuation_closure_months: MonthCount
    young_head_age: Annotated[int, Field(ge=15, le=100)]
    return_attachment_base: Factor
    repaired_below_damage: Share
    return_max_damage: Share
    away_repair_factor: Share
    services_restore_months: Annotated[float, Field(gt=0.0, le=600.0)]
    shelter_kit_share: Share
    shelter_kit_months: Annotated[float, Field(gt=0.0, le=600.0)]
    kit_return_factor: Share
    members_back_prob: Share


class EconomyParams(Strict):
    displaced_income_factor: Share
    damage_income_loss: Share
    consumption_share: Share
    poverty_income_factor: Annotated[float, Field(gt=0.0, le=100.0)]
    max_income_loss: Share
    savings_dispersion: Annotated[float, Field(ge=0, le=3)]
    remit_share: Share
    remittance_half_life_years: Positive
    diaspora_years_abroad: NonNegative
    parent_remit_share: Share
    remittance_disaster_boost: NonNegative
    obligations_share: Share
    savings_call_rate: Share
    internal_move_income_convergence: Share
    income_size_elasticity: Share
    adult_equivalents_per_person: Annotated[float, Field(gt=0.0, le=1.0)]


class PerceptionParams(Strict):
    half_life_months: Annotated[float, Field(gt=0.0, le=1200.0)]
    initial_risk: Factor
    initial_risk_lowlying: Factor
    damage_weight: Factor
    flood_weight: Factor
    cyclone_nearby_weight: Factor
    initial_risk_shape: BetaShape


class DemographyParams(Strict):
    crude_death_rate: Annotated[float, Field(ge=0, le=0.1)]
    split_factor: Annotated[float, Field(gt=1, le=100)]
    head_age_min: Annotated[int, Field(ge=15, le=40)]
    head_age_max: Annotated[int, Field(ge=60, le=110)]
    elderly_age: Annotated[int, Field(ge=50, le=90)]
    disability_share: Share
    female_head_share: Share
    attachment_mean: Annotated[float, Field(gt=0, lt=1)]
    tie_factor: Factor
    members_abroad_factor: Factor
    succession_age_gap: Annotated[int, Field(ge=10, le=60)]
    head_age_beta_a: BetaShape
    head_age_beta_b: BetaShape
    new_head_age_min: Annotated[int, Field(ge=15, le=60)]
    new_head_age_max: Annotated[int, Field(ge=15, le=60)]
    split_savings_gift: Share
    attachment_concentration: BetaShape
    skills_beta_a: BetaShape
    skills_beta_b: BetaShape
    max_tie_probability: Share
    #: members' ageing (issue 10), per year: children who turn 15, adults who turn 65
    coming_of_age_rate: Share
    old_age_rate: Share

    @model_validator(mode="after")
    def _new_head_ages(self) -> DemographyParams:
        if self.new_head_age_min > self.new_head_age_max:
            raise ValueError(
                f"new_head_age_min ({self.new_head_age_min}) must be at most new_head_age_max "
                f"({self.new_head_age_max})"
            )
        return self


class DecisionParams(Strict):
    review_prob: Share
    review_after_damage: Share
    review_with_offer: Share
    aspiration_threshold: Coefficient
    worsened_risk: Factor
    asc_abroad: Coefficient
    asc_capital: Coefficient
    asc_higher: Coefficient
    asc_relocation: Coefficient
    asc_adapt: Coefficient
    beta_income: Coefficient
    beta_ties: Coefficient
    beta_risk: Coefficient
    beta_damage: Coefficient
    beta_displaced: Coefficient
    beta_attachment: Coefficient
    beta_young: Coefficient
    beta_cost: Factor
    move_inertia: Factor
    offer_inertia_factor: Factor
    capital_risk_relief: Share
    beta_crowding: Factor
    burn_in_months: Annotated[int, Field(ge=0, le=120)]
    abroad_attachment: Share
    capital_attachment: Share
    higher_attachment: Share
    relocation_attachment: Share
    internal_move_cost_months: Months
    higher_ground_cost_share: Factor
    resilient_cost_share: Factor
    resilient_extra_ms: Annotated[float, Field(ge=0.0, le=150.0)]
    tie_support_usd: Usd
    offer_credit_months: Months
    register_asc: Coefficient
    register_beta_wish: Coefficient
    register_beta_ties: Coefficient
    register_beta_capital: Coefficient
    register_beta_fee: Coefficient
    register_beta_renew: Coefficient
    survey_window_years: Annotated[int, Field(ge=1, le=50)]
    wanted_min_reviews: Annotated[int, Field(ge=1, le=2)]
    registration_month: Month
    drawn_valid_months: Annotated[int, Field(ge=1, le=36)]
    job_offer_prob: Share
    seasonal_month: Month
    seasonal_apply_prob: Share
    tie_spread: Factor
    young_head_age: Annotated[int, Field(ge=15, le=100)]
    job_offer_skill_base: Factor
    adult_child_household_size: Annotated[int, Field(ge=1, le=50)]
    adult_child_parent_age: Annotated[int, Field(ge=15, le=120)]
    adult_child_age: Annotated[int, Field(ge=0, le=120)]
    seasonal_worker_household_size: Annotated[int, Field(ge=1, le=50)]
    seasonal_poor_boost: Factor
    seasonal_poor_max_quintile: Annotated[int, Field(ge=0, le=5)]
    # kin who pay for a move to the capital (issues 8 and 10, fourth session)
    kin_capital_share: Share
    kin_help_share: Share


class GroupParams(Strict):
    vulnerable_max_quintile: Annotated[int, Field(ge=0, le=5)]
    nonvulnerable_subsidy_factor: Share
    # groups with mechanisms (issue 10 item 8)
    young_head_age: Annotated[int, Field(ge=15, le=100)]
    female_head_income_factor: Annotated[float, Field(gt=0.0, le=2.0)]
    female_head_seasonal_factor: Share
    disability_extra_cost: Annotated[float, Field(ge=0.0, le=5.0)]
    disability_evacuation_factor: Share
    disability_death_factor: Annotated[float, Field(ge=1.0, le=100.0)]


class CostParams(Strict):
    coastal_works_usd_per_household: Usd
    early_warning_usd_per_person_year: Usd
    shelter_usd_per_person: Usd
    settlement_support_usd_per_household: Usd


class CommunityParams(Strict):
    """Communities: the villages that planned relocation lists, votes with and moves."""

    #: households per community (village) at the start
    community_households: Annotated[int, Field(ge=1, le=10_000)]


class ChannelParams(Strict):
    """Regular emigration channels (the setting files' ``[[channels]]``)."""

    #: month in which each channel's applications are decided (once a year)
    grant_month: Month
    #: yearly chance that an eligible household wishing to go to the channel's destination applies
    apply_prob: Share
    #: the same for an eligible household that does not (yet) wish to go (a relative sponsors it)
    apply_prob_other: Share
    #: family routes: x (1 + this x ties to the destination) on the chance to apply
    family_ties_boost: Factor
    #: months a granted household has to go
    valid_months: Annotated[int, Field(ge=1, le=36)]


class ReturnParams(Strict):
    """Return from abroad and seasonal workers who settle abroad (ODD 7.14)."""

    base_rate_per_year: Share
    early_years: NonNegative
    early_factor: Factor
    older_age: Annotated[int, Field(ge=0, le=120)]
    older_factor: Factor
    retiree_age: Annotated[int, Field(ge=0, le=120)]
    retiree_factor: Factor
    kind_factor: dict[str, Factor]
    pathway_factor: dict[str, Factor]
    capital_share: Share
    savings_months_abroad: Months
    seasonal_settle_prob: Share
    seasonal_settle_prob_by_scheme: dict[str, Share]
    settler_age_min: Annotated[int, Field(ge=15, le=80)]
    settler_age_max: Annotated[int, Field(ge=15, le=80)]
    #: a seasonal scheme whose workers are away this long is long-stay: they are emigrants
    usual_residence_months: Annotated[int, Field(ge=1, le=48)]

    @model_validator(mode="after")
    def _ordered(self) -> ReturnParams:
        if self.retiree_age < self.older_age:
            raise ValueError(f"retiree_age {self.retiree_age} < older_age {self.older_age}")
        if self.settler_age_max < self.settler_age_min:
            raise ValueError("settler_age_max must be at least settler_age_min")
        return self


class ImmigrationParams(Strict):
    """People born abroad who come to live in a setting (the settings' ``[immigration]``)."""

    #: arrivals with free movement / arrivals without it, from an origin tied to a destination
    free_movement_factor: Factor
    #: age of an arriving household's head, drawn uniformly in [min, max]
    head_age_min: Annotated[int, Field(ge=15, le=100)]
    head_age_max: Annotated[int, Field(ge=15, le=100)]

    @model_validator(mode="after")
    def _ordered(self) -> ImmigrationParams:
        if self.head_age_max < self.head_age_min:
            raise ValueError("head_age_max must be at least head_age_min")
        return self


class Parameters(Strict):
    """All model parameters, by group (the tables of ``parameters.toml``)."""

    climate: Climate
    cyclones: CycloneParams
    sea_level: SeaLevelParams
    displacement: DisplacementParams
    deaths: DeathParams
    recovery: RecoveryParams
    economy: EconomyParams
    perception: PerceptionParams
    demography: DemographyParams
    decisions: DecisionParams
    groups: GroupParams
    costs: CostParams
    communities: CommunityParams
    channels: ChannelParams
    returns: ReturnParams
    immigration: ImmigrationParams


def load_parameters(overrides: dict[str, Any] | None = None, source: str = "params") -> Parameters:
    """Read ``parameters.toml`` and apply ``overrides`` ("group.name" -> value), validated."""
    path = scenarios_dir() / "parameters.toml"
    data = read_toml(path)
    for key, value in (overrides or {}).items():
        group, _, name = key.partition(".")
        if not name or group not in data:
            raise ScenarioError(
                f"{source}: {key}: unknown parameter; expected GROUP.NAME with GROUP one of "
                f"{', '.join(sorted(data))}"
            )
        if name not in data[group]:
            raise ScenarioError(
                f"{source}: {key}: unknown parameter; {group} has: {', '.join(sorted(data[group]))}"
            )
        data[group][name] = value
    params = validate(Parameters, data, f"{path} (with {source})" if overrides else str(path))
    for table in ("slr_2050", "slr_2100", "intensity_shift", "frequency_change"):
        missing = set(SSPS) - set(getattr(params.climate, table))
        if missing:
            raise ScenarioError(f"{path}: climate.{table}: missing pathway(s) {sorted(missing)}")
    return params
