"""Loading settings and scenarios by name or file, and the checks across files.

A scenario is checked against its setting, parameters and regime here, once, so that the model
can trust its inputs.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

from hsmobility.config.params import load_parameters
from hsmobility.config.regimes import build_regime, check_status_quo
from hsmobility.config.schemas import (
    Scenario,
    ScenarioError,
    Setting,
    read_toml,
    scenarios_dir,
    validate,
)


def available_settings() -> list[str]:
    return sorted(p.stem for p in (scenarios_dir() / "settings").glob("*.toml"))


def available_scenarios() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.toml") if p.stem != "parameters")


def load_setting(name: str) -> Setting:
    """Load ``scenarios/settings/NAME.toml``."""
    path = scenarios_dir() / "settings" / f"{name}.toml"
    if not path.exists():
        raise ScenarioError(
            f"unknown setting {name!r}; expected one of: {', '.join(available_settings())}"
        )
    setting = validate(Setting, read_toml(path), str(path))
    if setting.name != name:
        raise ScenarioError(
            f"{path}: name: expected {name!r} (the file's name), got {setting.name!r}"
        )
    check_status_quo(setting, str(path))
    return setting


def load_scenario(path_or_name: str | Path, **overrides: Any) -> Scenario:
    """A scenario from a TOML file, or the default scenario of a setting given by name.

    ``overrides`` (e.g. ``years=10``) replace fields of the file; ``None`` values are ignored.
    The setting is checked to exist, so the returned scenario is ready to run.
    """
    text = str(path_or_name)
    path = Path(text)
    if path.suffix == ".toml" or path.exists():
        data = read_toml(path)
        source = str(path)
    elif (scenarios_dir() / f"{text}.toml").exists():
        path = scenarios_dir() / f"{text}.toml"
        data = read_toml(path)
        source = str(path)
    elif text in available_settings():
        data = {"setting": text}
        source = f"setting {text!r}"
    else:
        raise ScenarioError(
            f"{text!r} is neither a scenario file nor a known setting; expected a .toml file or "
            f"one of: {', '.join(available_settings())}"
        )
    data = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    scenario = validate(Scenario, data, source)
    check_scenario(scenario, source)
    return scenario


def check_scenario(scenario: Scenario, source: str) -> None:
    """What the schema alone cannot check: the setting, the events' islands and dates, and the
    parameter and lever overrides, each reported against ``source``."""
    if scenario.setting not in available_settings():
        raise ScenarioError(
            f"{source}: setting: unknown setting {scenario.setting!r}; "
            f"expected one of: {', '.join(available_settings())}"
        )
    setting = load_setting(scenario.setting)
    for k, event in enumerate(scenario.events):
        check_event(event, setting, scenario, f"{source}: events.{k}")
    load_parameters(scenario.params, f"{source}: params")
    build_regime(scenario.regime, setting, scenario.levers, f"{source}: levers")
    check_memory(scenario, setting, source)


def check_event(event: Any, setting: Setting, scenario: Scenario, where: str) -> None:
    """An event's islands are the setting's and its dates fall within the run (``where`` names
    the event in the message, e.g. "scenario.toml: events.2")."""
    islands = [i.name.lower() for i in setting.islands]
    for name in event.islands_named():
        if name.lower() not in islands:
            raise ScenarioError(
                f"{where}.island: no island called {name!r} in "
                f"{setting.name}; expected one of {[i.name for i in setting.islands]}"
            )
    first = scenario.start_year * 12 + scenario.start_month - 1
    y, m = (int(x) for x in event.date.split("-"))
    if not 0 <= y * 12 + m - 1 - first < scenario.years * 12:
        raise ScenarioError(
            f"{where}.date: {event.date} is outside the run, which starts "
            f"{scenario.start_year}-{scenario.start_month:02d} and lasts {scenario.years} years"
        )


#: memory a run needs beyond its households (interpreter, libraries, tables), bytes
BASE_MEMORY = 400 * 2**20
#: memory per simulated household (state columns, Mesa agent, growth over the run), bytes;
#: measured ~1 kB on Fiji (1 and 10 years) and ~2.5 kB on Tuvalu over 30 years
MEMORY_PER_HOUSEHOLD = 3_000


def available_memory() -> int:
    """Bytes of memory available to a new run (MemAvailable on Linux, else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return 2**63


def memory_estimate(scenario: Scenario, setting: Setting) -> tuple[int, int]:
    """(simulated households, bytes of memory) a run of ``scenario`` needs, roughly."""
    households = sum(
        max(1, round(i.population / setting.household_size / scenario.scale))
        for i in setting.islands
    )
    return households, BASE_MEMORY + MEMORY_PER_HOUSEHOLD * households


def check_memory(scenario: Scenario, setting: Setting, source: str) -> None:
    """Refuse, up front, a run that would not fit in memory, saying which ``scale`` would."""
    households, need = memory_estimate(scenario, setting)
    have = available_memory()
    if need <= have:
        return
    per_agent = max(1, have - BASE_MEMORY) / MEMORY_PER_HOUSEHOLD
    scale = math.ceil(scenario.scale * households / per_agent) if have > BASE_MEMORY else None
    advice = f"set scale = {scale} or more" if scale and scale <= 1000 else "use a smaller setting"
    raise ScenarioError(
        f"{source}: scale: the run would need about {need / 2**30:.1f} GiB of memory "
        f"({households:,} simulated households) but about {have / 2**30:.1f} GiB is available; "
        f"{advice} (one agent for SCALE households)"
    )
