"""The regime builder's logic, apart from its page: lever fields read from the pydantic models of
``hsmobility.config.levers``, typed values checked by ``build_regime`` (as the CLI's ``--set``
checks them, so the messages are the CLI's), and the regime written as a TOML file that
``hsmobility run SETTING --regime FILE`` reads.
"""

from __future__ import annotations

import ast
import functools
import inspect
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_origin

import annotated_types as at

from hsmobility.config.levers import LEVER_NAMES, Levers
from hsmobility.config.regimes import (
    Regime,
    RegimeNotApplicable,
    available_regimes,
    build_regime,
    flatten_levers,
    load_regime_file,
)
from hsmobility.config.scenario import load_setting
from hsmobility.config.schemas import ScenarioError

#: what the builder's messages name as the source of a value
SOURCE = "regime builder"


@dataclass(frozen=True)
class LeverField:
    """One lever parameter as a control: its type, bounds and the comment beside it in levers.py."""

    lever: str
    name: str
    kind: str  # "bool", "int", "float" or "list"
    low: float | None
    high: float | None
    #: whether the bounds are strict (gt / lt)
    low_open: bool
    high_open: bool
    help: str

    @property
    def key(self) -> str:
        return f"{self.lever}.{self.name}"

    def bounds(self) -> str:
        """The allowed range in words, e.g. "0 to 1" or "more than 0"."""
        lo = None if self.low is None else _num(self.low)
        hi = None if self.high is None else _num(self.high)
        if lo is not None and hi is not None and not (self.low_open or self.high_open):
            return f"{lo} to {hi}"
        parts = []
        if lo is not None:
            parts.append(f"more than {lo}" if self.low_open else f"at least {lo}")
        if hi is not None:
            parts.append(f"less than {hi}" if self.high_open else f"at most {hi}")
        return ", ".join(parts)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _comments(cls: type) -> dict[str, str]:
    """The ``#:`` comments above each field of a lever class, joined into one line."""
    out: dict[str, str] = {}
    pending: list[str] = []
    for line in inspect.getsource(cls).splitlines()[1:]:
        text = line.strip()
        if text.startswith("#:"):
            pending.append(text[2:].strip())
        elif m := re.match(r"(\w+)\s*:", text):
            out[m.group(1)] = " ".join(pending)
            pending = []
        elif not text.startswith("#"):
            pending = []
    return out


@functools.cache
def lever_titles() -> dict[str, str]:
    """Each lever's title: the first line of its class docstring."""
    return {
        name: (type(getattr(Levers(), name)).__doc__ or name).strip().splitlines()[0]
        for name in LEVER_NAMES
    }


@functools.cache
def lever_fields() -> tuple[LeverField, ...]:
    """Every lever parameter, in the order of levers.py."""
    fields = []
    for lever in LEVER_NAMES:
        cls = type(getattr(Levers(), lever))
        notes = _comments(cls)
        for name, info in cls.model_fields.items():
            ann = info.annotation
            kind = (
                "list"
                if get_origin(ann) is list
                else {bool: "bool", int: "int", float: "float"}.get(ann, "text")
            )
            low = high = None
            low_open = high_open = False
            for m in info.metadata:
                if isinstance(m, at.Ge):
                    low = float(m.ge)
                elif isinstance(m, at.Gt):
                    low, low_open = float(m.gt), True
                elif isinstance(m, at.Le):
                    high = float(m.le)
                elif isinstance(m, at.Lt):
                    high, high_open = float(m.lt), True
            fields.append(
                LeverField(lever, name, kind, low, high, low_open, high_open, notes.get(name, ""))
            )
    return tuple(fields)


# ------------------------------------------------------------------------ values and checks
def parse(field: LeverField, value: Any) -> Any:
    """A value typed in a control, as the lever expects it; anything unreadable is passed on
    unchanged so that the lever's own check names the problem."""
    if field.kind == "bool" or not isinstance(value, str):
        return value
    text = value.strip()
    if field.kind == "list":
        if text.startswith("["):
            try:
                return ast.literal_eval(text)
            except (ValueError, SyntaxError):
                return text
        return [t.strip().strip("\"'") for t in text.split(",") if t.strip()]
    if field.kind in ("int", "float"):
        try:
            number = float(text)
        except ValueError:
            return text
        if field.kind == "int" and number.is_integer():
            return int(number)
        return number if math.isfinite(number) else text
    return text


def show(value: Any) -> str:
    """A lever value as its control shows it."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return _num(value)
    return str(value)


def current_values(regime: Regime) -> dict[str, Any]:
    """ "lever.param" -> the value in force under ``regime``."""
    return flatten_levers(regime.levers.model_dump())


@dataclass
class Check:
    """The builder's state checked: the regime as it applies, or the one-line problem."""

    regime: Regime | None
    overrides: dict[str, Any]
    error: str = ""
    #: set when the regime is valid but changes nothing for the setting
    note: str = ""


def check(base: str, setting: str, typed: dict[str, Any]) -> Check:
    """Apply the typed values ("lever.param" -> text or bool) to the base regime on a setting,
    with the function the CLI uses; values equal to what is already in force are dropped."""
    fields = {f.key: f for f in lever_fields()}
    overrides = {k: parse(fields[k], v) for k, v in typed.items() if k in fields}
    try:
        start = current_values(build_regime(base, load_setting(setting)))
    except RegimeNotApplicable:
        start = {}
    except ScenarioError as exc:
        return Check(None, overrides, error=str(exc))
    overrides = {k: v for k, v in overrides.items() if start.get(k, object()) != v}
    try:
        regime = build_regime(base, load_setting(setting), overrides, SOURCE)
    except RegimeNotApplicable as exc:
        return Check(None, overrides, note=str(exc))
    except ScenarioError as exc:
        return Check(None, overrides, error=str(exc))
    return Check(regime, overrides)


# ------------------------------------------------------------------------------ saving
NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,48}$")


def check_name(name: str) -> str:
    """A regime file name: lower-case letters, digits and dashes, not a built-in regime."""
    if not NAME.match(name):
        return "name: use lower-case letters, digits and dashes (e.g. my-quota-regime)"
    if name in available_regimes():
        return f"name: {name!r} is a built-in regime; choose another name"
    return ""


def regime_file(base: str, overrides: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The levers of the saved file: the base regime's own changes plus the builder's."""
    flat = {**flatten_levers(load_regime_file(base).levers), **overrides}
    nested: dict[str, dict[str, Any]] = {}
    for key, value in flat.items():
        lever, _, param = key.partition(".")
        nested.setdefault(lever, {})[param] = value
    return nested


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a TOML basic string


def to_toml(title: str, description: str, levers: dict[str, dict[str, Any]], base: str) -> str:
    lines = [
        f"# made with the hsmobility app's regime builder, starting from {base!r}",
        f"title = {_toml_value(title)}",
        f"description = {_toml_value(description)}",
    ]
    for lever in LEVER_NAMES:
        if lever in levers:
            lines += ["", f"[levers.{lever}]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in levers[lever].items()]
    return "\n".join(lines) + "\n"


def save(
    folder: Path, name: str, title: str, description: str, base: str, setting: str, typed: dict
) -> Path:
    """Write ``folder/NAME.toml`` after checking it; then read it back through the config
    functions (as ``hsmobility run --regime FILE`` will) and check it gives the same levers."""
    if problem := check_name(name):
        raise ScenarioError(problem)
    if not title.strip():
        raise ScenarioError("title: give the regime a title in plain words")
    result = check(base, setting, typed)
    if result.error:
        raise ScenarioError(result.error)
    text = to_toml(title.strip(), description.strip(), regime_file(base, result.overrides), base)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    tmp = path.with_name(f".tmp-{path.name}")
    tmp.write_text(text)
    try:
        if result.regime is not None:
            again = build_regime(str(tmp), load_setting(setting))
            if again.levers != result.regime.levers:
                raise ScenarioError(f"{path}: the saved file does not give the same levers")
        else:
            load_regime_file(str(tmp))
    except ScenarioError:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return path


def saved_regimes(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.toml")) if folder.is_dir() else []
