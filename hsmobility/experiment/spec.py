"""Experiment files: which scenarios, regimes, uncertain parameters, sampler and seeds to run.

An experiment file (``experiments/*.toml``) is read into :class:`ExperimentFile` (pydantic, unknown
keys are errors) and then checked against the data folders by :func:`load_experiment`: settings,
scenario files, regimes and parameter names must exist and every range must be usable. Any problem
is an :class:`ExperimentError` whose one-line message names the file and the field.

Three kinds of uncertain parameter can be named (EMA Workbench's uncertainties and levers):

- a model parameter ``"group.name"`` of ``scenarios/parameters.toml`` (``decisions.beta_risk``);
- a lever parameter ``"lever.param"`` (``ballots.quota_multiplier``);
- a scenario field: ``cyclone_intensity_shift`` or ``cyclone_frequency_change``.

Ranges (``low``/``high``, end points included) and explicit values (grid ``values``, a scenario's
fixed ``params`` and ``levers``) are checked here against their fields' types and bounds, and the
fixed overrides against every regime; a combination that only fails inside a run (a sampled value
that breaks a check across fields) fails that run, recorded with its error, not all of them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from hsmobility.config.params import Parameters
from hsmobility.config.regimes import (
    LEVER_NAMES,
    Levers,
    RegimeNotApplicable,
    available_regimes,
    build_regime,
    flatten_levers,
    is_regime_file,
    load_regime_file,
)
from hsmobility.config.scenario import available_settings, check_scenario, load_setting
from hsmobility.config.schemas import (
    SSP,
    Scenario,
    ScenarioError,
    Strict,
    read_toml,
    scenarios_dir,
    validate,
)


class ExperimentError(ScenarioError):
    """An experiment that cannot run as asked; the message is one line for the user."""


#: summary fields analysed and compared unless a file names others
DEFAULT_OUTCOMES = [
    "displaced_person_months",
    "displaced_peak",
    "moves_abroad",
    "trapped_share",
    "forced_move_share",
    "poverty_rate_end",
    "population_end",
    "people_at_risk_in_storm",
]

#: summary fields an experiment may name as outcomes (numbers, one per run); checked against a
#: real run's summary by the test suite, so that the two cannot drift apart
OUTCOMES = (
    "months", "households_start", "households_end", "population_start", "population_end",
    "displaced_peak", "displaced_peak_households", "displaced_person_months",
    "displacement_episodes", "mean_months_displaced", "returns", "still_displaced_end",
    "moves_forced_inundation", "evacuation_centre_people_peak", "severely_damaged_people_peak",
    "poverty_rate_end", "remittances_total", "cyclones", "cyclones_hurricane_force",
    "slr_end_m", "drought_months", "moves_abroad", "moves_abroad_people", "moves_internal",
    "relocated_households", "moves_forced", "moves_voluntary", "forced_move_share",
    "trapped_share", "trapped_households_end", "trapped_household_months",
    "voluntary_stayers_end", "ballot_registrations",
    "ballot_places", "ballot_oversubscription", "people_at_risk_in_storm",
    "households_resilient_end", "public_cost_usd", "households_abroad_end",
    "poverty_rate_mean", "poverty_rate_last_year",
    "returns_from_abroad", "seasonal_settled",
    "trapped_survey_share", "queued_households_end", "ballot_registrations_people",
    "deaths_hazard",
)  # fmt: skip
#: summary fields that are tables (by pathway, by group): outcomes "TABLE.KEY"
OUTCOME_TABLES = (
    "ballot_oversubscription_by_pathway", "moves_by_pathway", "trapped_share_by_group",
    "displaced_person_months_by_group", "forced_move_share_by_group", "regime_activity",
    "seasonal_recruitments_by_pathway", "public_cost_by_lever", "remittances_by_source",
    "moves_by_channel",
    "returns_from_abroad_by_pathway", "poverty_rate_by_year",
    "deaths_by_cause",
)  # fmt: skip


def is_outcome(name: str) -> bool:
    """Whether ``name`` is a summary field an experiment can analyse."""
    table, dot, key = name.partition(".")
    return name in OUTCOMES or (bool(dot) and bool(key) and table in OUTCOME_TABLES)


#: scenario fields that may be sampled (numbers that change the hazards, not the run's identity)
SCENARIO_PARAMETERS = ("cyclone_intensity_shift", "cyclone_frequency_change")

SAMPLERS = ("none", "grid", "latin", "sobol", "morris")


# --------------------------------------------------------------------------------------------
# The file's schema
# --------------------------------------------------------------------------------------------


class Range(Strict):
    """An uncertain parameter: a range ``low``..``high`` or, for a grid, explicit ``values``."""

    low: float | None = None
    high: float | None = None
    values: Annotated[list[Any], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Range:
        has_range = self.low is not None or self.high is not None
        if self.values is not None and has_range:
            raise ValueError("give either low and high, or values, not both")
        if self.values is None:
            if self.low is None or self.high is None:
                raise ValueError("give low and high (or values, for a grid)")
            if not (math.isfinite(self.low) and math.isfinite(self.high)):
                raise ValueError("low and high must be finite numbers")
            if self.low >= self.high:
                raise ValueError(
                    f"bad range: low must be below high (low={self.low}, high={self.high})"
                )
        return self


class Sampler(Strict):
    """How parameter values are drawn (SALib for Latin hypercube, Sobol and Morris)."""

    method: Literal["none", "grid", "latin", "sobol", "morris"] = "none"
    #: latin: number of samples; sobol: base sample N (a power of two; N*(D+2) samples, or
    #: N*(2D+2) with second-order indices); morris: number of trajectories (N*(D+1) samples)
    n: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    #: grid: points per low..high range; morris: levels of the grid trajectories move on
    levels: Annotated[int, Field(ge=2, le=1000)] = 4
    #: sobol: also compute second-order indices
    second_order: bool = False
    #: seed of the sampler itself (the runs' seeds are ``seed``/``seeds`` of the experiment)
    seed: Annotated[int, Field(ge=0, lt=2**32)] = 0


class ScenarioEntry(Strict):
    """One scenario of the experiment: a setting (or a scenario file) with fixed overrides."""

    #: a setting's name (``tuvalu``) ...
    setting: str | None = None
    #: ... or a scenario file (a path relative to the experiment file, or a ready-made scenario)
    file: str | None = None
    #: label used in tables and figures (default: the setting's or file's name)
    name: str | None = None
    ssp: SSP | None = None
    years: Annotated[int, Field(ge=1, le=100)] | None = None
    start_year: Annotated[int, Field(ge=1950, le=2100)] | None = None
    start_month: Annotated[int, Field(ge=1, le=12)] | None = None
    #: one agent stands for ``scale`` households: keeps the large settings affordable
    scale: Annotated[int, Field(ge=1, le=1000)] | None = None
    cyclone_intensity_shift: float | None = None
    cyclone_frequency_change: float | None = None
    stochastic_cyclones: bool | None = None
    #: fixed lever overrides, "lever.param" -> value (or nested tables)
    levers: dict[str, Any] = {}
    #: fixed model-parameter overrides, "group.name" -> value (or nested tables)
    params: dict[str, Any] = {}

    @model_validator(mode="after")
    def _one_source(self) -> ScenarioEntry:
        if (self.setting is None) == (self.file is None):
            raise ValueError("give either setting or file")
        return self


class ExperimentFile(Strict):
    """An experiment file, as written in ``experiments/NAME.toml``."""

    title: str = ""
    description: str = ""
    #: settings by name, or tables (see :class:`ScenarioEntry`)
    scenarios: Annotated[list[ScenarioEntry], Field(min_length=1)]
    regimes: Annotated[list[str], Field(min_length=1)] = ["status-quo"]
    #: the regime others are compared against on common seeds (default: the first)
    baseline: str | None = None
    #: runs per combination, with seeds ``seed``, ``seed + 1``, ...; the same for every regime
    #: and sample (common random numbers)
    replicates: Annotated[int, Field(ge=1, le=100_000)] = 1
    seed: Annotated[int, Field(ge=0, lt=2**62)] = 0
    #: explicit seeds instead of ``replicates`` and ``seed``
    seeds: Annotated[list[Annotated[int, Field(ge=0, lt=2**63)]], Field(min_length=1)] | None = None
    #: defaults for every scenario that does not set them
    ssp: SSP | None = None
    years: Annotated[int, Field(ge=1, le=100)] | None = None
    sampler: Sampler = Sampler()
    parameters: dict[str, Range] = {}
    outcomes: Annotated[list[str], Field(min_length=1)] = DEFAULT_OUTCOMES

    @field_validator("scenarios", mode="before")
    @classmethod
    def _names_to_entries(cls, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [{"setting": v} if isinstance(v, str) else v for v in value]

    @field_validator("parameters", mode="before")
    @classmethod
    def _flatten_parameters(cls, value: Any) -> Any:
        # `decisions.beta_risk = {...}` unquoted in TOML is a nested table: flatten it back
        if not isinstance(value, dict):
            return value
        return _flatten(value, leaf_keys=set(Range.model_fields))


def _flatten(table: dict[str, Any], leaf_keys: set[str] | None = None) -> dict[str, Any]:
    """{"a": {"b": x}} -> {"a.b": x}; stops at a table whose keys are ``leaf_keys`` (a Range)."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        is_leaf = not isinstance(value, dict) or (
            leaf_keys is not None and value and set(value) <= leaf_keys
        )
        if is_leaf or not value:
            flat[key] = value
        else:
            flat.update({f"{key}.{k}": v for k, v in _flatten(value, leaf_keys).items()})
    return flat


# --------------------------------------------------------------------------------------------
# Parameters: where each one goes and what values it takes
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameter:
    """An uncertain parameter, routed to the scenario field, lever or model parameter it sets."""

    name: str
    #: "scenario", "lever" or "param"
    kind: str
    integer: bool
    low: float | None = None
    high: float | None = None
    values: tuple[Any, ...] | None = None

    def convert(self, value: Any) -> Any:
        """A sampled number as the model takes it: a plain float, or rounded to an int."""
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        return round(float(value)) if self.integer else float(value)


def _field_info(name: str) -> tuple[str, FieldInfo] | None:
    """The kind and pydantic field of a parameter name, or None if there is no such field."""

    if name in SCENARIO_PARAMETERS:
        return "scenario", Scenario.model_fields[name]
    group, _, param = name.partition(".")
    if not param:
        return None
    if group in LEVER_NAMES:
        model = Levers.model_fields[group].annotation
        kind = "lever"
    elif group in Parameters.model_fields:
        model = Parameters.model_fields[group].annotation
        kind = "param"
    else:
        return None
    fields = getattr(model, "model_fields", {})
    return (kind, fields[param]) if param in fields else None


def _unknown_parameter(name: str) -> str:

    group, _, param = name.partition(".")
    if param and group in LEVER_NAMES:
        known = Levers.model_fields[group].annotation.model_fields  # type: ignore[union-attr]
        return f"unknown parameter of lever {group}; expected one of {', '.join(known)}"
    if param and group in Parameters.model_fields:
        known = Parameters.model_fields[group].annotation.model_fields  # type: ignore[union-attr]
        return f"unknown parameter; {group} has: {', '.join(sorted(known))}"
    groups = sorted([*Parameters.model_fields, *LEVER_NAMES])
    return (
        "unknown parameter; expected GROUP.NAME with GROUP one of "
        f"{', '.join(groups)}, or one of {', '.join(SCENARIO_PARAMETERS)}"
    )


def _mentions(tp: Any, target: type) -> bool:
    """Whether a type annotation is ``target`` or has it among its arguments."""
    return tp is target or any(_mentions(a, target) for a in typing.get_args(tp))


def _is_integer(info: FieldInfo) -> bool:
    return _mentions(info.annotation, int) and not _mentions(info.annotation, float)


def _is_number(info: FieldInfo) -> bool:
    a = info.annotation
    return (_mentions(a, int) or _mentions(a, float)) and not _mentions(a, bool)


#: explicit values are checked as strictly as the files' own fields
STRICT = ConfigDict(strict=True, allow_inf_nan=False)


def _check_value(info: FieldInfo, value: Any) -> str | None:
    """Why ``value`` is not valid for the field, or None if it is."""
    annotated = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    try:
        TypeAdapter(annotated, config=STRICT).validate_python(value)
    except ValidationError as err:
        first = err.errors()[0]
        given = first.get("input")
        shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
        return f"{first['msg']}{shown}"
    except RecursionError:
        return "values nested too deeply"
    return None


def _parameter(name: str, rng: Range, source: str) -> Parameter:
    where = f"{source}: parameters.{name}"
    found = _field_info(name)
    if found is None:
        raise ExperimentError(f"{where}: {_unknown_parameter(name)}")
    kind, info = found
    integer = _is_integer(info)
    if rng.values is not None:
        for k, value in enumerate(rng.values):
            problem = _check_value(info, value)
            if problem:
                raise ExperimentError(f"{where}.values[{k}]: {problem}")
        return Parameter(name, kind, integer, values=tuple(rng.values))
    if not _is_number(info):
        raise ExperimentError(f"{where}: bad range: {name} is not a number; give values instead")
    for end, value in (("low", rng.low), ("high", rng.high)):
        probe = round(value) if integer else value
        problem = _check_value(info, probe)
        if problem:
            raise ExperimentError(
                f"{where}: bad range: {end} = {value} is not a valid value ({problem})"
            )
    return Parameter(name, kind, integer, low=rng.low, high=rng.high)


# --------------------------------------------------------------------------------------------
# A checked experiment
# --------------------------------------------------------------------------------------------


@dataclass
class Experiment:
    """A checked experiment: its file's content, resolved scenarios, parameters and seeds."""

    file: ExperimentFile
    source: str
    sha256: str
    #: scenario label -> the scenario's fields (as a scenario file holds them), fixed overrides in
    scenarios: dict[str, dict[str, Any]]
    parameters: list[Parameter]
    seeds: list[int]
    regimes: list[str]
    baseline: str
    outcomes: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return Path(self.source).stem if self.source.endswith(".toml") else self.source


def _scenario_data(
    entry: ScenarioEntry, exp: ExperimentFile, base_dir: Path, where: str
) -> dict[str, Any]:
    """A scenario entry as the fields of a scenario file, with the experiment's defaults."""

    if entry.file is not None:
        candidates = [base_dir / entry.file, Path(entry.file), scenarios_dir() / entry.file]
        if not entry.file.endswith(".toml"):
            candidates.append(scenarios_dir() / f"{entry.file}.toml")
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise ExperimentError(
                f"{where}.file: no scenario file {entry.file!r} (looked beside the experiment "
                f"file and in {scenarios_dir()})"
            )
        data = read_toml(path)
        validate(Scenario, data, str(path))
    else:
        data = {"setting": entry.setting}
    setting = data.get("setting", entry.setting)
    if setting not in available_settings():
        raise ExperimentError(
            f"{where}.setting: unknown setting {setting!r}; expected one of: "
            f"{', '.join(available_settings())}"
        )
    data = {k: v for k, v in data.items() if k not in ("title", "seed", "regime")}
    for key in ("ssp", "years"):
        if getattr(exp, key) is not None:
            data[key] = getattr(exp, key)
    fixed = entry.model_dump(exclude={"setting", "file", "name", "levers", "params"})
    data.update({k: v for k, v in fixed.items() if v is not None})
    levers = {**flatten_levers(data.get("levers", {})), **flatten_levers(entry.levers)}
    params = {**_flatten(data.get("params", {})), **_flatten(entry.params)}
    for kind, table in (("lever", levers), ("param", params)):
        for key, value in table.items():
            found = _field_info(key)
            if found is None or found[0] != kind:
                raise ExperimentError(f"{where}.{kind}s.{key}: {_unknown_parameter(key)}")
            problem = _check_value(found[1], value)
            if problem:
                raise ExperimentError(f"{where}.{kind}s.{key}: {problem}")
    data["levers"] = levers
    data["params"] = params
    return data


def load_experiment(path: str | Path) -> Experiment:
    """Read and check an experiment file; any problem is a one-line :class:`ExperimentError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExperimentError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise ExperimentError(f"{path}: is a folder, expected an experiment .toml file") from None
    data = read_toml(path)
    try:
        exp = validate(ExperimentFile, data, str(path))
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None
    return _checked(exp, str(path), hashlib.sha256(raw).hexdigest(), path.parent)


def experiment_from_dict(data: dict[str, Any], source: str) -> Experiment:
    """An experiment built in code (e.g. by ``compare``); its hash is that of its content."""
    try:
        exp = validate(ExperimentFile, data, source)
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None
    digest = hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
    return _checked(exp, source, digest, Path.cwd())


def _checked(exp: ExperimentFile, source: str, sha256: str, base_dir: Path) -> Experiment:
    """:func:`check_experiment`, any refusal an :class:`ExperimentError`."""
    try:
        return check_experiment(exp, source, sha256, base_dir)
    except ExperimentError:
        raise
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None


def check_experiment(exp: ExperimentFile, source: str, sha256: str, base_dir: Path) -> Experiment:
    """Check an experiment's names and ranges against the data folders."""

    scenarios: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(exp.scenarios):
        where = f"{source}: scenarios[{i}]"
        data = _scenario_data(entry, exp, base_dir, where)
        label = entry.name or entry.setting or Path(entry.file or "").stem
        if label in scenarios:
            raise ExperimentError(
                f"{where}.name: two scenarios are called {label!r}; give each a distinct name"
            )
        # the scenario's own fields (horizon, pathway, scale) must hold for every run
        validate(Scenario, data, f"{where} ({label})")
        scenarios[label] = data

    known = available_regimes()
    regimes = []
    for i, regime in enumerate(exp.regimes):
        if is_regime_file(regime):
            path = Path(regime) if Path(regime).is_absolute() else base_dir / regime
            if not path.is_file() and Path(regime).is_file():
                path = Path(regime)
            try:
                load_regime_file(str(path))
            except ScenarioError as exc:
                raise ExperimentError(f"{source}: regimes[{i}]: {exc}") from None
            regimes.append(str(path))
        elif regime not in known:
            raise ExperimentError(
                f"{source}: regimes[{i}]: unknown regime {regime!r}; expected one of: "
                f"{', '.join(known)}, or a regime .toml file"
            )
        else:
            regimes.append(regime)
    if len(set(exp.regimes)) != len(exp.regimes):
        raise ExperimentError(f"{source}: regimes: a regime is named twice")
    baseline = exp.baseline or exp.regimes[0]
    if baseline not in exp.regimes:
        raise ExperimentError(
            f"{source}: baseline: {baseline!r} is not one of the regimes {exp.regimes}"
        )
    baseline = regimes[exp.regimes.index(baseline)]
    # the fixed overrides hold for every run: a bad one is refused now, not run after run
    for label, data in scenarios.items():
        where = f"{source}: scenarios ({label})"
        # the setting, the events' islands and dates, the overrides, the memory it needs
        check_scenario(validate(Scenario, data, where), where)
        setting = load_setting(data["setting"])
        for regime in regimes:
            # a regime that changes nothing is skipped when planned, and noted in the manifest
            with contextlib.suppress(RegimeNotApplicable):
                build_regime(regime, setting, data["levers"], f"{where}: levers")

    for k, outcome in enumerate(exp.outcomes):
        if not is_outcome(outcome):
            raise ExperimentError(
                f"{source}: outcomes[{k}]: unknown outcome {outcome!r}; expected summary fields "
                f"such as {', '.join(DEFAULT_OUTCOMES[:4])} (or TABLE.KEY of "
                f"{', '.join(OUTCOME_TABLES)})"
            )

    params = [_parameter(name, rng, source) for name, rng in exp.parameters.items()]
    method = exp.sampler.method
    if method == "none" and params:
        raise ExperimentError(
            f"{source}: sampler.method: parameters are given but no sampler; choose one of "
            f"{', '.join(SAMPLERS[1:])}"
        )
    if method != "none" and not params:
        raise ExperimentError(
            f"{source}: parameters: sampler {method!r} needs at least one parameter"
        )
    if method in ("latin", "sobol", "morris"):
        for p in params:
            if p.values is not None:
                raise ExperimentError(
                    f"{source}: parameters.{p.name}: sampler {method!r} needs low and high, "
                    "not values"
                )
    if method == "sobol" and exp.sampler.n & (exp.sampler.n - 1):
        raise ExperimentError(
            f"{source}: sampler.n: Sobol' needs a power of two (got {exp.sampler.n})"
        )

    seeds = list(exp.seeds) if exp.seeds else [exp.seed + k for k in range(exp.replicates)]
    if len(set(seeds)) != len(seeds):
        raise ExperimentError(f"{source}: seeds: a seed is given twice")
    return Experiment(
        file=exp,
        source=source,
        sha256=sha256,
        scenarios=scenarios,
        parameters=params,
        seeds=seeds,
        regimes=regimes,
        baseline=baseline,
        outcomes=list(exp.outcomes),
    )
