"""Policy regimes: named sets of levers applied on top of a setting's status quo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hsmobility.config.levers import LEVER_NAMES, Levers, WorksProject, works_project
from hsmobility.config.schemas import (
    Pathway,
    ScenarioError,
    Setting,
    Strict,
    _describe,
    read_toml,
    scenarios_dir,
    validate,
)

__all__ = ["LEVER_NAMES", "NEVER_WEAKER", "Levers", "Regime", "RegimeNotApplicable",
           "WorksProject", "available_regimes", "build_regime", "check_status_quo",
           "coastal_works", "flatten_levers", "is_regime_file", "regime_path"]  # fmt: skip


class RegimeNotApplicable(ScenarioError):
    """The regime changes nothing for this setting: comparing it would mislead."""


class RegimeFile(Strict):
    """A file in ``scenarios/regimes/``."""

    title: str
    description: str = ""
    #: lever -> {parameter: value}, applied on top of the setting's status quo
    levers: dict[str, dict[str, Any]] = {}


@dataclass
class Regime:
    """A regime as it applies to one setting: its levers and the pathways they open."""

    name: str
    title: str
    levers: Levers
    pathways: list[Pathway]
    notes: list[str] = field(default_factory=list)
    #: coastal works in force: the status quo's projects, then the regime's (never fewer)
    works: list[WorksProject] = field(default_factory=list)


#: lever parameters a regime may only strengthen beyond a setting's status quo: "max" keeps the
#: larger value, "min" the smaller (a shorter lead time), booleans stay on once on. A regime file
#: that asks for less keeps the status quo's value (and says so in the regime's notes); an explicit
#: override (a scenario file, ``--set``) is the user's choice and is applied as given.
NEVER_WEAKER: dict[str, str] = {
    "adaptation.early_warning": "max",
    "adaptation.resilient_subsidy": "max",
    "adaptation.retrofit_share_per_year": "max",
    "ballots.quota_multiplier": "max",
    "ballots.no_upper_age": "max",
    "seasonal.quota_multiplier": "max",
    "humanitarian.enabled": "max",
    "humanitarian.quota_share_per_year": "max",
    "protection.cash_transfer_usd": "max",
    "protection.parametric_payout_usd": "max",
    "relocation.enabled": "max",
    "relocation.sites_per_year": "max",
    "relocation.assessment_years": "min",
    "relocation.consultation_years": "min",
    "relocation.building_years": "min",
    "targeting.vulnerable_first": "max",
}


def _never_weaker(
    status_quo: dict[str, dict[str, Any]], merged: dict[str, dict[str, Any]], title: str
) -> list[str]:
    """Put back the status quo's value wherever the regime's would weaken it; returns notes."""
    notes = []
    for key, how in NEVER_WEAKER.items():
        lever, _, param = key.partition(".")
        if param not in status_quo.get(lever, {}) or param not in merged.get(lever, {}):
            continue
        before, after = status_quo[lever][param], merged[lever][param]
        try:
            weaker = after < before if how == "max" else after > before
        except TypeError:
            continue  # a wrong type is reported by the schema
        if weaker:
            merged[lever][param] = before
            notes.append(
                f"{key}: kept the status quo's {before!r} ({title} asks for {after!r}, which "
                "would weaken what the setting already has)"
            )
    return notes


def available_regimes() -> list[str]:
    return sorted(p.stem for p in (scenarios_dir() / "regimes").glob("*.toml"))


def flatten_levers(levers: dict[str, Any]) -> dict[str, Any]:
    """{"ballots": {"quota_multiplier": 4}} and {"ballots.quota_multiplier": 4} -> the latter."""
    flat: dict[str, Any] = {}
    for key, value in levers.items():
        if isinstance(value, dict) and "." not in key:
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def _merge(base: dict[str, dict[str, Any]], flat: dict[str, Any], source: str) -> None:
    for key, value in flat.items():
        lever, _, param = key.partition(".")
        if lever not in LEVER_NAMES or not param:
            raise ScenarioError(
                f"{source}: {key}: unknown lever; expected LEVER.PARAM with LEVER one of "
                f"{', '.join(LEVER_NAMES)}"
            )
        known = type(Levers().__getattribute__(lever)).model_fields
        if param not in known:
            raise ScenarioError(
                f"{source}: {key}: unknown parameter of lever {lever}; expected one of "
                f"{', '.join(known)}"
            )
        base.setdefault(lever, {})[param] = value


def is_regime_file(name: str) -> bool:
    """Whether ``name`` names a regime file (a path ending in .toml) rather than a built-in."""
    return name.endswith(".toml") or "/" in name or "\\" in name


def regime_path(name: str) -> Path:
    """The file of regime ``name``: a built-in's in ``scenarios/regimes/``, or ``name`` itself
    when it is a path to a regime TOML file (as the app's regime builder saves them)."""
    if is_regime_file(name):
        path = Path(name)
        if not path.is_file():
            what = "is a folder" if path.is_dir() else "file not found"
            raise ScenarioError(f"regime {name}: {what}; expected a regime .toml file")
        return path
    path = scenarios_dir() / "regimes" / f"{name}.toml"
    if not path.exists():
        raise ScenarioError(
            f"unknown regime {name!r}; expected one of: {', '.join(available_regimes())}, "
            "or a regime .toml file"
        )
    return path


def load_regime_file(name: str) -> RegimeFile:
    """A built-in regime by name, or a regime TOML file by path, validated."""
    path = regime_path(name)
    rfile = validate(RegimeFile, read_toml(path), str(path))
    _merge({}, flatten_levers(rfile.levers), str(path))  # lever names exist
    return rfile


def _known_destinations() -> set[str]:
    """Destination names of every setting (a regime names destinations of many settings)."""
    names: set[str] = set()
    for path in (scenarios_dir() / "settings").glob("*.toml"):
        try:
            dests = read_toml(path).get("destinations", [])
        except ScenarioError:
            continue  # a broken setting is reported when it is loaded
        if isinstance(dests, list):
            names.update(d["name"] for d in dests if isinstance(d, dict) and "name" in d)
    return names


def _check_names(flat: dict[str, Any], setting: Setting, source: str) -> None:
    """Every island and destination a lever names exists (islands: in this setting)."""
    islands = [i.name for i in setting.islands]
    for key in ("adaptation.protection_islands", "relocation.islands"):
        value = flat.get(key)
        if not isinstance(value, list):
            continue  # a wrong type is reported by the schema
        allowed = [*islands, "*"] if key == "adaptation.protection_islands" else islands
        for name in value:
            if isinstance(name, str) and name not in allowed:
                raise ScenarioError(
                    f"{source}: {key}: no island called {name!r} in {setting.name}; expected "
                    f"names from {allowed}"
                )
    own = {d.name for d in setting.destinations}
    for key in (
        "free_movement.destinations",
        "humanitarian.destinations",
        "relocation.abroad_destinations",
    ):
        value = flat.get(key)
        if not isinstance(value, list):
            continue
        unknown = [d for d in value if isinstance(d, str) and d not in own]
        if unknown:
            known = _known_destinations() | own
            bad = [d for d in unknown if d not in known]
            if bad:
                raise ScenarioError(
                    f"{source}: {key}: no destination called {bad[0]!r} in any setting; "
                    f"expected names from {sorted(known)}"
                )


def check_status_quo(setting: Setting, source: str) -> None:
    """A setting's own ``[levers]`` (its status quo), checked and reported against its file."""
    flat = flatten_levers(setting.levers)
    base: dict[str, dict[str, Any]] = {}
    _merge(base, flat, f"{source}: levers")
    try:
        Levers.model_validate(base)
    except ValidationError as err:
        raise ScenarioError(_describe(err, f"{source}: levers")) from None
    _check_names(flat, setting, f"{source}: levers")


def build_regime(
    name: str, setting: Setting, overrides: dict[str, Any] | None = None, source: str = "levers"
) -> Regime:
    """The regime ``name`` (a built-in, or a regime file's path) applied to ``setting``, with
    lever ``overrides`` ("lever.param")."""
    rfile = load_regime_file(name)
    path = regime_path(name)
    layers = [
        (flatten_levers(setting.levers), f"setting {setting.name} [levers]"),
        (flatten_levers(rfile.levers), str(path)),
        (flatten_levers(overrides or {}), source),
    ]
    status_quo: dict[str, dict[str, Any]] = {}
    _merge(status_quo, layers[0][0], layers[0][1])
    merged = {k: dict(v) for k, v in status_quo.items()}
    _merge(merged, layers[1][0], layers[1][1])
    kept = _never_weaker(status_quo, merged, f"regime {name!r}")
    _merge(merged, layers[2][0], layers[2][1])
    try:
        levers = Levers.model_validate(merged)
    except ValidationError as err:
        raise ScenarioError(_describe(err, f"{path} (with {source})")) from None
    for flat, where in layers:
        _check_names(flat, setting, where)
    pathways, notes = effective_pathways(setting, levers)
    notes += kept
    works = coastal_works(name, status_quo, levers)

    if name != "status-quo":
        base = Levers.model_validate(status_quo)
        base_paths, _ = effective_pathways(setting, base)
        via_pathways = {"ballots", "free_movement", "seasonal", "humanitarian"}
        others = [k for k in LEVER_NAMES if k not in via_pathways]
        same_levers = all(getattr(levers, k) == getattr(base, k) for k in others)
        if same_levers and pathways == base_paths:
            raise RegimeNotApplicable(
                f"regime {name!r} ({rfile.title}) does not apply to {setting.name}: it changes "
                "nothing there: " + ("; ".join(notes) if notes else "compare another regime")
            )
    return Regime(
        name=name, title=rfile.title, levers=levers, pathways=pathways, notes=notes, works=works
    )


def coastal_works(
    name: str, status_quo: dict[str, dict[str, Any]], levers: Levers
) -> list[WorksProject]:
    """The coastal works in force: the status quo's project and, for any other regime, the
    regime's own project on top of it (a regime adds works, never removes the status quo's).
    Under the status quo the overrides change the status quo's project itself."""
    own = works_project(levers.adaptation, name)
    if name == "status-quo":
        return [own] if own else []
    try:
        base = works_project(Levers.model_validate(status_quo).adaptation, "status-quo")
    except ValidationError:
        base = None  # reported when the setting is checked
    projects = [p for p in (base, own) if p is not None]
    if base and own and own.model_dump(exclude={"label"}) == base.model_dump(exclude={"label"}):
        projects = [base]
    return projects


def effective_pathways(setting: Setting, levers: Levers) -> tuple[list[Pathway], list[str]]:
    """The setting's pathways as the levers change them, plus the free-movement ones they open."""
    notes: list[str] = []
    out: list[Pathway] = []
    b = levers.ballots
    for p in setting.pathways:
        if p.kind == "ballot":
            p = p.model_copy(
                update={
                    "quota_per_year": round(p.quota_per_year * b.quota_multiplier),
                    "registration_fee_usd": p.registration_fee_usd * b.fee_multiplier,
                    "max_age": 120 if b.no_upper_age else p.max_age,
                }
            )
        elif p.kind == "seasonal" and p.lever_scaled:
            p = p.model_copy(
                update={
                    "quota_per_year": round(p.quota_per_year * levers.seasonal.quota_multiplier)
                }
            )
        out.append(p)
    if not any(p.kind == "ballot" for p in setting.pathways) and b.quota_multiplier != 1.0:
        notes.append(f"{setting.name} has no ballot pathway whose quota could change")
    dests = {d.name for d in setting.destinations}
    already_free = {p.destination for p in setting.pathways if p.kind == "free-movement"}
    missing = [d for d in levers.free_movement.destinations if d not in dests]
    if missing:
        notes.append(f"{setting.name} has none of {', '.join(missing)} as a destination")
    for d in levers.free_movement.destinations:
        if d not in dests:
            continue
        if d in already_free:
            notes.append(f"{setting.name} already has free movement to {d}")
        else:
            out.append(
                Pathway(
                    name=f"free-movement-{d.lower().replace(' ', '-')}",
                    kind="free-movement",
                    destination=d,
                )
            )
    h = levers.humanitarian
    if h.enabled:
        dest = next((d for d in h.destinations if d in dests), None)
        if dest is None:
            notes.append(
                f"{setting.name} has none of the humanitarian destinations {h.destinations}"
            )
        else:
            residents = sum(i.population for i in setting.islands)
            out.append(
                Pathway(
                    name="humanitarian-visa",
                    kind="humanitarian",
                    destination=dest,
                    quota_per_year=round(h.quota_share_per_year * residents),
                )
            )
    return out, notes
