"""Property-based bad input: hypothesis generates, on every run, over a thousand bad inputs
across every kind of file (scenario, setting, regime, parameters, experiment) and the command's
arguments, and each must be refused in one line naming the file and the field, with exit code 2,
no traceback, and an existing ``--out`` folder byte-identical afterwards.

Each input is one valid file with one thing broken: a value of the wrong type (``true`` for a
number, ``"3"`` for 3, a list for a table...), a float that is not finite or far out of bounds, a
number just outside its bounds, an unknown key, a required key left out. The values come from the
schemas' own field types, so new fields are covered as they are added. Examples are derandomized
(the same inputs on every run) and bounded (``max_examples``), so CI time stays fixed.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tomllib
import types
import typing
from pathlib import Path
from typing import Any, Literal
from unittest import mock

import pytest
from helpers import REPO
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from test_bad_input import assert_refused, cli, earlier_results, snapshot

from hsmobility.config.levers import Levers
from hsmobility.config.params import Parameters
from hsmobility.config.regimes import RegimeFile
from hsmobility.config.schemas import Scenario, ScriptedEvent, Setting, scenarios_dir
from hsmobility.experiment.spec import ExperimentFile, Range, Sampler, ScenarioEntry

#: inputs per kind; together at least 1,000 (asserted)
QUOTAS = {
    "scenario": 260,
    "setting": 240,
    "regime": 120,
    "parameters": 140,
    "experiment": 180,
    "arguments": 100,
}
assert sum(QUOTAS.values()) >= 1000


def budget(kind: str) -> settings:
    return settings(
        max_examples=int(QUOTAS[kind] * 1.15),
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
    )


# --------------------------------------------------------------------------- TOML, by hand
def toml_value(v: Any) -> str:
    """``v`` as an inline TOML value (floats include nan and inf, as TOML allows)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def toml_document(data: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in data.items())


# ------------------------------------------------------------------ bad values by field type
NOT_NUMBERS = [True, False, "3", "0.5", "", "nan", [1], {"a": 1}, [], {}]
NOT_FINITE = [math.nan, math.inf, -math.inf, 1e308, -1e308]
NOT_STRINGS = [True, 3, 0.5, math.nan, ["a"], {"a": "b"}]
NOT_BOOLS = [1, 0, 1.0, "true", "yes", ["true"], {"a": True}]
NOT_LISTS = [True, 3, "a", math.nan, {"a": 1}]
NOT_TABLES = [True, 3, "a", math.nan, [1, 2]]


def _plain(annotation: Any) -> Any:
    """``X | None`` -> X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _outside(info: FieldInfo, integer: bool) -> list[Any]:
    """Numbers just outside the field's bounds."""
    out: list[Any] = []
    for m in info.metadata:
        for attr, step in (("ge", -1), ("gt", 0), ("le", 1), ("lt", 0)):
            bound = getattr(m, attr, None)
            if bound is None:
                continue
            value = bound + step if integer else bound + step * max(1.0, abs(bound))
            out.append(int(value) if integer else float(value))
    return out


def bad_values(info: FieldInfo) -> list[Any]:
    """Values that no field typed like ``info`` may accept."""
    a = _plain(info.annotation)
    origin = typing.get_origin(a)
    if a is bool:
        return NOT_BOOLS
    if a is int:
        return [*NOT_NUMBERS, *NOT_FINITE, 1.5, 2.0, *_outside(info, True)]
    if a is float:
        return [*NOT_NUMBERS, *NOT_FINITE, *_outside(info, False)]
    if a is str:
        return NOT_STRINGS
    if origin is Literal:
        return [*NOT_STRINGS, "bogus", ""]
    if origin is list:
        (item,) = typing.get_args(a) or (Any,)
        wrong_items = [[{"x": 1}]] if _plain(item) in (int, float, str) else [[True], [3]]
        return [*NOT_LISTS, *wrong_items]
    if origin is dict:
        return NOT_TABLES
    if isinstance(a, type) and issubclass(a, BaseModel):
        return NOT_TABLES
    return []


def mutations(model: type[BaseModel], skip: tuple[str, ...] = ()) -> st.SearchStrategy:
    """(field, value, drop) breaking one field of ``model``: a bad value, or a missing
    required field (drop)."""
    fields = [(n, f) for n, f in model.model_fields.items() if n not in skip]
    bad = st.sampled_from([(n, v) for n, f in fields for v in bad_values(f)])
    required = [n for n, f in fields if f.is_required()]
    unknown = st.from_regex(r"\A[a-z]{2,10}_(x|y|zz)\Z").map(lambda k: (k, 1))
    options = [bad.map(lambda p: (*p, False)), unknown.map(lambda p: (*p, False))]
    if required:
        options.append(st.sampled_from(required).map(lambda n: (n, None, True)))
    return st.one_of(*options)


def apply(data: dict[str, Any], mutation: tuple[str, Any, bool]) -> dict[str, Any]:
    name, value, drop = mutation
    data = dict(data)
    if drop:
        data.pop(name, None)
    else:
        data[name] = value
    return data


def group_fields(container: type[BaseModel]) -> list[tuple[str, FieldInfo]]:
    """ "group.name" and field of every parameter of ``Parameters`` or ``Levers``."""
    out = []
    for group, ginfo in container.model_fields.items():
        for name, info in ginfo.annotation.model_fields.items():
            out.append((f"{group}.{name}", info))
    return out


PARAMETER_VALUES = [(k, v) for k, f in group_fields(Parameters) for v in bad_values(f)]
LEVER_VALUES = [(k, v) for k, f in group_fields(Levers) for v in bad_values(f)]
PARAMETER_BAD = st.sampled_from(PARAMETER_VALUES)
LEVER_BAD = st.sampled_from(LEVER_VALUES)


def named(key: str) -> str:
    """What a message must name for a field ``key``: its last part."""
    return key.rsplit(".", 1)[-1]


# ------------------------------------------------------------------------------- the harness
class Harness:
    """A folder for the inputs and an --out folder of earlier results that must not change."""

    def __init__(self, base: Path, kind: str) -> None:
        self.base = base
        self.out = base / "out"
        self.before = earlier_results(self.out)
        self.seen: set[str] = set()
        self.kind = kind

    def check(self, args: list[Any], key: str, *names: object) -> None:
        self.seen.add(key)
        result = cli(*args)
        assert_refused(result, *names)
        assert snapshot(self.out) == self.before, "the --out folder changed"

    def assert_enough(self) -> None:
        print(f"{self.kind}: {len(self.seen)} distinct bad inputs")
        assert len(self.seen) >= QUOTAS[self.kind], (self.kind, len(self.seen))


@pytest.fixture
def harness(tmp_path, request) -> Harness:
    return Harness(tmp_path, request.node.name.removeprefix("test_bad_").split("_")[0])


# ---------------------------------------------------------------------------------- scenario
SCENARIO_BASE = {"setting": "tuvalu", "years": 1}
EVENT_BASE = {"date": "2025-03", "category": 3, "island": "Funafuti"}


@st.composite
def scenario_files(draw) -> tuple[dict[str, Any], str]:
    which = draw(st.sampled_from(["field", "event", "param", "lever"]))
    if which == "field":
        m = draw(mutations(Scenario, skip=("title",)))
        return apply(SCENARIO_BASE, m), m[0]
    if which == "event":
        m = draw(mutations(ScriptedEvent, skip=("name",)))
        return {**SCENARIO_BASE, "events": [apply(EVENT_BASE, m)]}, m[0]
    if which == "param":
        key, value = draw(PARAMETER_BAD)
        return {**SCENARIO_BASE, "params": {key: value}}, key
    key, value = draw(LEVER_BAD)
    return {**SCENARIO_BASE, "levers": {key: value}}, key


def test_bad_scenario_files(harness):
    path = harness.base / "scenario.toml"

    @budget("scenario")
    @given(scenario_files())
    def check(case):
        data, key = case
        text = toml_document(data)
        path.write_text(text)
        harness.check(["run", path, "--out", harness.out], text, path, named(key))

    check()
    harness.assert_enough()


# ----------------------------------------------------------------------------------- setting
def _setting_parts() -> dict[str, type[BaseModel]]:
    return {
        name: _plain(info.annotation)
        if typing.get_origin(_plain(info.annotation)) is not list
        else typing.get_args(_plain(info.annotation))[0]
        for name, info in Setting.model_fields.items()
        if name in ("islands", "destinations", "links", "pathways", "cyclones", "sea_level",
                    "drought")
    }  # fmt: skip


@st.composite
def setting_files(draw, base: dict[str, Any]) -> tuple[dict[str, Any], str]:
    parts = _setting_parts()
    which = draw(st.sampled_from(["field", "lever", *parts]))
    if which == "field":
        m = draw(mutations(Setting, skip=("name", "title", "sources")))
        return apply(base, m), m[0]
    if which == "lever":
        key, value = draw(LEVER_BAD)
        lever, _, param = key.partition(".")
        return {**base, "levers": {lever: {param: value}}}, key
    m = draw(mutations(parts[which]))
    data = dict(base)
    if isinstance(base.get(which), list):
        items = list(base[which])
        k = draw(st.integers(0, len(items) - 1))
        items[k] = apply(items[k], m)
        data[which] = items
    else:
        data[which] = apply(base.get(which, {}), m)
    return data, m[0]


@pytest.fixture
def scenarios_folder(tmp_path) -> Path:
    copy = tmp_path / "scenarios"
    shutil.copytree(scenarios_dir(), copy)
    return copy


def test_bad_setting_files(harness, scenarios_folder):
    path = scenarios_folder / "settings" / "tuvalu.toml"
    with open(path, "rb") as fh:
        base = tomllib.load(fh)

    @budget("setting")
    @given(setting_files(base))
    def check(case):
        data, key = case
        text = toml_document(data)
        path.write_text(text)
        with mock.patch.dict(os.environ, {"HSMOBILITY_SCENARIOS": str(scenarios_folder)}):
            harness.check(["run", "tuvalu", "--out", harness.out], text, path, named(key))

    check()
    harness.assert_enough()


# ------------------------------------------------------------------------------------ regime
@st.composite
def regime_files(draw) -> tuple[dict[str, Any], str]:
    base = {"title": "mine", "levers": {"ballots": {"quota_multiplier": 2.0}}}
    which = draw(st.sampled_from(["field", "lever", "lever", "unknown"]))
    if which == "field":
        m = draw(mutations(RegimeFile))
        return apply(base, m), m[0]
    if which == "unknown":
        lever = draw(st.sampled_from([*Levers.model_fields, "bogus_x"]))
        param = draw(st.from_regex(r"\A[a-z]{2,8}_q\Z"))
        return {**base, "levers": {lever: {param: 1}}}, param
    key, value = draw(LEVER_BAD)
    lever, _, param = key.partition(".")
    return {**base, "levers": {lever: {param: value}}}, key


def test_bad_regime_files(harness):
    path = harness.base / "regime.toml"

    @budget("regime")
    @given(regime_files())
    def check(case):
        data, key = case
        text = toml_document(data)
        path.write_text(text)
        args = ["run", "tuvalu", "--regime", path, "--out", harness.out]
        harness.check(args, text, path, named(key))

    check()
    harness.assert_enough()


# -------------------------------------------------------------------------------- parameters
def test_bad_parameters(harness, scenarios_folder):
    """--set GROUP.NAME=VALUE, and the parameters file itself."""
    path = scenarios_folder / "parameters.toml"
    with open(path, "rb") as fh:
        base = tomllib.load(fh)

    @budget("parameters")
    @given(PARAMETER_BAD, st.booleans())
    def check(pair, in_file):
        key, value = pair
        if in_file:
            group, _, name = key.partition(".")
            data = {**base, group: {**base[group], name: value}}
            path.write_text("".join(f"[{g}]\n{toml_document(t)}" for g, t in data.items()))
            with mock.patch.dict(os.environ, {"HSMOBILITY_SCENARIOS": str(scenarios_folder)}):
                harness.check(["run", "tuvalu", "--out", harness.out], f"file {key}={value!r}",
                              path, named(key))  # fmt: skip
        else:
            item = f"{key}={toml_value(value)}"
            harness.check(["run", "tuvalu", "--set", item, "--out", harness.out], f"set {item}",
                          "--set", named(key))  # fmt: skip

    check()
    harness.assert_enough()


# -------------------------------------------------------------------------------- experiment
EXPERIMENT_BASE = {"scenarios": [{"setting": "tuvalu", "years": 1}], "replicates": 1}


@st.composite
def experiment_files(draw) -> tuple[dict[str, Any], str]:
    which = draw(
        st.sampled_from(["field", "entry", "sampler", "range", "values", "fixed", "names"])
    )
    if which == "field":
        m = draw(mutations(ExperimentFile, skip=("title", "description")))
        return apply(EXPERIMENT_BASE, m), m[0]
    if which == "entry":
        m = draw(mutations(ScenarioEntry, skip=("name", "file", "setting")))
        return {**EXPERIMENT_BASE, "scenarios": [apply(EXPERIMENT_BASE["scenarios"][0], m)]}, m[0]
    if which == "sampler":
        m = draw(mutations(Sampler))
        return {**EXPERIMENT_BASE, "sampler": apply({"method": "grid"}, m),
                "parameters": {"decisions.beta_risk": {"values": [1.0]}}}, m[0]  # fmt: skip
    if which == "range":
        end = draw(st.sampled_from(["low", "high"]))
        value = draw(st.sampled_from(bad_values(Range.model_fields["low"])))
        rng = {"low": 0.5, "high": 1.5, end: value}
        return {**EXPERIMENT_BASE, "sampler": {"method": "latin", "n": 2},
                "parameters": {"decisions.beta_risk": rng}}, "decisions.beta_risk"  # fmt: skip
    if which == "values":
        key, value = draw(st.one_of(PARAMETER_BAD, LEVER_BAD))
        return {**EXPERIMENT_BASE, "sampler": {"method": "grid"},
                "parameters": {key: {"values": [value]}}}, key  # fmt: skip
    if which == "fixed":
        table = draw(st.sampled_from(["params", "levers"]))
        key, value = draw(PARAMETER_BAD if table == "params" else LEVER_BAD)
        entry = {**EXPERIMENT_BASE["scenarios"][0], table: {key: value}}
        return {**EXPERIMENT_BASE, "scenarios": [entry]}, key
    field = draw(st.sampled_from(["outcomes", "regimes", "scenarios"]))
    name = draw(st.from_regex(r"\A[a-z][a-z-]{1,12}_w\Z"))
    value = [name] if field != "scenarios" else [{"setting": name}]
    return {**EXPERIMENT_BASE, field: value}, name


def test_bad_experiment_files(harness):
    path = harness.base / "experiment.toml"

    @budget("experiment")
    @given(experiment_files())
    def check(case):
        data, key = case
        text = toml_document(data)
        path.write_text(text)
        args = ["experiment", path, "--out", harness.out, "--executor", "serial"]
        harness.check(args, text, path, named(key))

    check()
    harness.assert_enough()


# --------------------------------------------------------------------------------- arguments
def _out_of(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(max_value=low - 1), st.integers(min_value=high + 1, max_value=2**70)
    ).map(str)


BAD_SETS = ["x", "a.b", "=1", "recovery.repair_rate=", "bogus.x=1", "recovery.bogus=1",
            "ballots.bogus=1", "x=1", ".=1"]  # fmt: skip
WORDS = st.sampled_from(["x", "true", "1.5", "nan", "", "--", "1e3", "0x10", "ten"])


@st.composite
def arguments(draw, base: Path) -> tuple[list[str], str]:
    exp = str(REPO / "experiments" / "tuvalu-sensitivity.toml")
    out = str(base / "out")
    choice = draw(st.integers(0, 11))
    if choice == 0:
        return ["run", "tuvalu", "--years", draw(_out_of(1, 100) | WORDS), "--out", out], "years"
    if choice == 1:
        seed = draw(_out_of(0, 2**63 - 1) | WORDS)
        return ["run", "tuvalu", "--seed", seed, "--out", out], "seed"
    if choice == 2:
        name = draw(st.from_regex(r"\A[a-z][a-z-]{0,15}\Z").filter(lambda s: s != "tuvalu"))
        flag = draw(st.sampled_from(["--regime", "--ssp"]))
        return ["run", "tuvalu", flag, name + "-q", "--out", out], flag.strip("-")
    if choice == 3:
        name = draw(st.from_regex(r"\A[a-z][a-z0-9-]{0,15}\Z"))
        return ["run", name + "-nowhere", "--out", out], name
    if choice == 4:
        item = draw(st.sampled_from(BAD_SETS))
        return ["run", "tuvalu", "--set", item, "--out", out], "--set"
    if choice == 5:
        workers = draw(st.integers(max_value=0).map(str) | st.integers(min_value=1025).map(str)
                       | WORDS)  # fmt: skip
        return ["experiment", exp, "--workers", workers, "--out", out], "workers"
    if choice == 6:
        address = draw(st.from_regex(r"\A[a-z:/.]{1,20}\Z"))
        return ["experiment", exp, "--executor", "dask", "--scheduler", address + "-no",
                "--out", out], "--scheduler"  # fmt: skip
    if choice == 7:
        name = draw(st.from_regex(r"\A[a-z]{1,10}\Z"))
        return ["experiment", exp, "--executor", name + "-q", "--out", out], "executor"
    if choice == 8:
        reps = draw(_out_of(1, 100_000) | WORDS)
        return ["compare", "tuvalu", "--regimes", "status-quo", "--replicates", reps,
                "--out", out], "replicates"  # fmt: skip
    if choice == 9:
        regimes = draw(st.from_regex(r"\A[a-z,]{1,20}\Z").filter(lambda s: "status" not in s))
        return ["compare", "tuvalu", "--regimes", regimes + ",-x", "--out", out], "regime"
    if choice == 10:
        name = draw(st.from_regex(r"\A[a-z]{1,12}\Z"))
        return ["analyse", str(base / f"{name}-missing")], name
    missing = draw(st.from_regex(r"\A[a-z]{1,12}\Z"))
    return ["experiment", str(base / f"{missing}.toml"), "--out", out], missing


def test_bad_arguments(harness):
    @budget("arguments")
    @given(arguments(harness.base))
    def check(case):
        args, name = case
        harness.check(args, repr(args), name)

    check()
    harness.assert_enough()
