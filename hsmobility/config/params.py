"""Model parameters shared by all settings, read from ``scenarios/parameters.toml``.

Values live in the data file beside their sources; this module only types and checks them and
applies a scenario's ``params`` overrides ("group.name" = value).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from hsmobility.config.schemas import (
    SSPS,
    NonNegative,
    Positive,
    ScenarioError,
    Share,
    Strict,
    read_toml,
    scenarios_dir,
    validate,
)

PerSSP = dict[str, float]


class Climate(Strict):
    slr_2050: PerSSP
    slr_2100: PerSSP
    intensity_shift: PerSSP
    frequency_change: PerSSP
    king_tide_doubling_m: Positive
    enso_persistence: Share


class CycloneParams(Strict):
    vmax_ms: Annotated[list[float], Field(min_length=6, max_length=6)]
    category_weights: Annotated[list[float], Field(min_length=5, max_length=5)]
    radius_max_wind_km: Positive
    wind_decay_exponent: Positive
    damage_threshold_ms: Positive
    damage_dispersion: Positive
    surge_wind_ms: Positive
    surge_extra_damage: Share
    link_cut_months: Annotated[int, Field(ge=0)]
    south_pacific_months: dict[int, NonNegative]
    north_atlantic_months: dict[int, NonNegative]


class SeaLevelParams(Strict):
    king_tide_damage: Share
    king_tide_income_loss: Share
    flood_depth_m: Annotated[list[NonNegative], Field(min_length=2)]
    flood_depth_damage: Annotated[list[Share], Field(min_length=2)]


class DisplacementParams(Strict):
    uninhabitable_damage: Share
    severe_damage: Share
    evacuation_share: Share
    evacuation_max_people: NonNegative
    shelter_seek_share: Share
    shelter_share: Share
    leave_shelter_prob: Share
    abroad_share: Share
    other_island_share: Share
    order_compliance: Share
    storm_death_rate: Share
    exclusion_zone_death_rate: Share


class RecoveryParams(Strict):
    repair_rate: Share
    repair_rate_without_means: Share
    return_prob: Share
    return_damage_power: Positive
    young_head_return_factor: NonNegative
    old_head_return_factor: NonNegative
    abroad_return_factor: NonNegative
    evacuation_closure_months: Annotated[int, Field(ge=0)]
    young_head_age: Annotated[int, Field(ge=15, le=100)]
    return_attachment_base: NonNegative
    repaired_below_damage: Share


class EconomyParams(Strict):
    displaced_income_factor: Share
    damage_income_loss: Share
    consumption_share: Share
    poverty_income_factor: Positive
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


class PerceptionParams(Strict):
    half_life_months: Positive
    initial_risk: NonNegative
    initial_risk_lowlying: NonNegative
    damage_weight: NonNegative
    flood_weight: NonNegative
    cyclone_nearby_weight: NonNegative
    initial_risk_shape: Positive


class DemographyParams(Strict):
    crude_death_rate: Annotated[float, Field(ge=0, le=0.1)]
    split_factor: Annotated[float, Field(gt=1)]
    head_age_min: Annotated[int, Field(ge=15, le=40)]
    head_age_max: Annotated[int, Field(ge=60, le=110)]
    elderly_age: Annotated[int, Field(ge=50, le=90)]
    disability_share: Share
    female_head_share: Share
    attachment_mean: Annotated[float, Field(gt=0, lt=1)]
    tie_factor: NonNegative
    members_abroad_factor: NonNegative
    succession_age_gap: Annotated[int, Field(ge=10, le=60)]
    head_age_beta_a: Positive
    head_age_beta_b: Positive
    new_head_age_min: Annotated[int, Field(ge=15, le=60)]
    new_head_age_max: Annotated[int, Field(ge=15, le=60)]
    split_savings_gift: Share
    attachment_concentration: Positive
    skills_beta_a: Positive
    skills_beta_b: Positive
    max_tie_probability: Share


class DecisionParams(Strict):
    review_prob: Share
    review_after_damage: Share
    review_with_offer: Share
    aspiration_threshold: float
    worsened_risk: NonNegative
    asc_abroad: float
    asc_capital: float
    asc_higher: float
    asc_relocation: float
    asc_adapt: float
    beta_income: float
    beta_ties: float
    beta_risk: float
    beta_damage: float
    beta_displaced: float
    beta_attachment: float
    beta_young: float
    beta_cost: NonNegative
    move_inertia: NonNegative
    offer_inertia_factor: NonNegative
    capital_risk_relief: Share
    abroad_attachment: Share
    capital_attachment: Share
    higher_attachment: Share
    relocation_attachment: Share
    internal_move_cost_months: NonNegative
    higher_ground_cost_share: NonNegative
    resilient_cost_share: NonNegative
    resilient_extra_ms: NonNegative
    tie_support_usd: NonNegative
    offer_credit_months: NonNegative
    register_prob: Share
    register_prob_other: Share
    registration_month: Annotated[int, Field(ge=1, le=12)]
    drawn_valid_months: Annotated[int, Field(ge=1, le=36)]
    job_offer_prob: Share
    seasonal_month: Annotated[int, Field(ge=1, le=12)]
    seasonal_apply_prob: Share
    tie_spread: NonNegative
    young_head_age: Annotated[int, Field(ge=15, le=100)]
    job_offer_skill_base: NonNegative
    adult_child_household_size: Annotated[int, Field(ge=1, le=50)]
    adult_child_parent_age: Annotated[int, Field(ge=15, le=120)]
    adult_child_age: Annotated[int, Field(ge=0, le=120)]
    seasonal_worker_household_size: Annotated[int, Field(ge=1, le=50)]
    seasonal_poor_boost: NonNegative
    seasonal_poor_max_quintile: Annotated[int, Field(ge=0, le=5)]


class GroupParams(Strict):
    vulnerable_max_quintile: Annotated[int, Field(ge=0, le=5)]
    nonvulnerable_subsidy_factor: Share


class CostParams(Strict):
    coastal_works_usd_per_household: NonNegative
    early_warning_usd_per_person_year: NonNegative
    shelter_usd_per_person: NonNegative
    settlement_support_usd_per_household: NonNegative


class Parameters(Strict):
    """All model parameters, by group (the tables of ``parameters.toml``)."""

    climate: Climate
    cyclones: CycloneParams
    sea_level: SeaLevelParams
    displacement: DisplacementParams
    recovery: RecoveryParams
    economy: EconomyParams
    perception: PerceptionParams
    demography: DemographyParams
    decisions: DecisionParams
    groups: GroupParams
    costs: CostParams


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
