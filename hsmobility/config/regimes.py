"""Policy regimes: named sets of levers applied on top of a setting's status quo."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from hsmobility.config.levers import LEVER_NAMES, Levers
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

__all__ = ["LEVER_NAMES", "Levers", "Regime", "RegimeNotApplicable", "available_regimes",
           "build_regime", "flatten_levers"]  # fmt: skip


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


def regime_path(name: str) -> Path:
    """A regime's file: ``scenarios/regimes/NAME.toml``, or NAME itself when it ends in .toml
    (a regime file saved elsewhere, e.g. by the app's regime builder)."""
    return Path(name) if name.endswith(".toml") else scenarios_dir() / "regimes" / f"{name}.toml"


def load_regime_file(name: str) -> RegimeFile:
    path = regime_path(name)
    if name.endswith(".toml") and not path.is_file():
        raise ScenarioError(f"{path}: regime file not found")
    if not path.exists():
        raise ScenarioError(
            f"unknown regime {name!r}; expected one of: {', '.join(available_regimes())}"
        )
    return validate(RegimeFile, read_toml(path), str(path))


def build_regime(
    name: str, setting: Setting, overrides: dict[str, Any] | None = None, source: str = "levers"
) -> Regime:
    """The regime ``name`` applied to ``setting``, with lever ``overrides`` ("lever.param")."""
    rfile = load_regime_file(name)
    path = regime_path(name)
    status_quo: dict[str, dict[str, Any]] = {}
    _merge(status_quo, flatten_levers(setting.levers), f"setting {setting.name} [levers]")
    merged = {k: dict(v) for k, v in status_quo.items()}
    _merge(merged, flatten_levers(rfile.levers), str(path))
    _merge(merged, flatten_levers(overrides or {}), source)
    try:
        levers = Levers.model_validate(merged)
    except ValidationError as err:
        raise ScenarioError(_describe(err, f"{path} (with {source})")) from None
    pathways, notes = effective_pathways(setting, levers)

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
    return Regime(name=name, title=rfile.title, levers=levers, pathways=pathways, notes=notes)


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
        elif p.kind == "seasonal":
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
