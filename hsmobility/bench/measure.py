"""The measurements of ``hsmobility bench`` (see :mod:`hsmobility.bench`).

Times are CPU seconds of this process (``time.process_time``: immune to other processes on a
loaded machine, but it counts every thread of the process) and wall seconds; each size is run
several times (within a CPU budget) and, month by month, the fastest run is kept (a month slowed
down by another process does not count). Nothing here changes what the model computes: the
timers wrap calls (on the model instance, or the phase functions in ``hsmobility.model``'s
namespace for the duration of a run) and read the clock; the synthetic settings are objects
handed to the model, no file is written.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import math
import os
import platform
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from importlib import metadata
from typing import Any

import numpy as np

from hsmobility.bench import MONTHS, REFERENCE_SIZE, SIZES
from hsmobility.bench.reference import ReferenceModel
from hsmobility.bench.synthetic import bench_kwargs, synthetic_setting
from hsmobility.config.schemas import Setting

#: the synthetic settings share one name, so every size faces the same storms
NAME = "bench"
#: CPU seconds after which no more runs of a size are started (the bench stays within minutes)
BUDGET_S = 12.0
#: months stepped before memory is measured again (the table grows its capacity in month 1)
MEMORY_MONTHS = 3
#: the model's methods that make Mesa agents for new rows and place agents on island cells
AGENT_METHODS = ("_add_agents", "_place_agents")


def default_repeats(households: int) -> int:
    return 5 if households <= 5_000 else 3 if households <= 50_000 else 2


def model_factory(setting: Setting, seed: int = 1, years: int = 1) -> Callable[[], Any]:
    """A function that builds a fresh :class:`MobilityModel` of the benchmark scenario on
    ``setting``."""
    from hsmobility.model import MobilityModel

    return lambda: MobilityModel(setting, **bench_kwargs(setting, seed=seed, years=years))


class CpuTimer:
    """CPU seconds spent inside wrapped callables, by name, each exclusive of the wrapped
    callables it calls (``record`` does not count the agent placement it calls)."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self._children: list[float] = []

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._children.append(0.0)
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = time.process_time() - t
                inner = self._children.pop()
                self.seconds[name] += spent - inner
                if self._children:
                    self._children[-1] += spent

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


@contextlib.contextmanager
def phase_timers(timer: CpuTimer) -> Iterator[list[str]]:
    """Time every phase function the model module calls (those defined in ``hsmobility.phases``)
    by wrapping them in that module's namespace for the duration of the block."""
    import hsmobility.model as model_module

    names = [
        name
        for name, fn in vars(model_module).items()
        if callable(fn) and getattr(fn, "__module__", "").startswith("hsmobility.phases")
    ]
    originals = {name: getattr(model_module, name) for name in names}
    try:
        for name, fn in originals.items():
            setattr(model_module, name, timer.wrap(name, fn))
        yield names
    finally:
        for name, fn in originals.items():
            setattr(model_module, name, fn)


def time_steps(
    make: Callable[[], Any],
    months: int,
    repeats: int,
    phases: bool = False,
    budget_s: float = BUDGET_S,
) -> dict[str, Any]:
    """Build and run the model ``repeats`` times (fewer once ``budget_s`` CPU seconds are
    spent); per month keep the fastest run."""
    inf = [math.inf] * months
    cpu, wall, record, agents = list(inf), list(inf), list(inf), list(inf)
    phase_cpu: dict[str, list[float]] = {}
    build_cpu, build_wall = [], []
    rows = [0] * months
    runs, started = 0, time.process_time()
    while runs < repeats and (runs == 0 or time.process_time() - started < budget_s):
        runs += 1
        gc.collect()
        w, c = time.perf_counter(), time.process_time()
        model = make()
        build_cpu.append(time.process_time() - c)
        build_wall.append(time.perf_counter() - w)
        households_start = model.households.n
        timer = CpuTimer()
        model.record = timer.wrap("record", model.record)
        for method in AGENT_METHODS:  # Mesa agents made and placed on their island's cell
            if hasattr(model, method):
                setattr(model, method, timer.wrap("agents", getattr(model, method)))
        with phase_timers(timer) if phases else contextlib.nullcontext([]) as names:
            for k in range(months):
                rows[k] = model.households.n
                before = dict(timer.seconds)
                w, c = time.perf_counter(), time.process_time()
                model.step()
                cpu_k = time.process_time() - c
                wall[k] = min(wall[k], time.perf_counter() - w)
                if cpu_k < cpu[k]:  # the phases and indicators of the fastest run of the month
                    cpu[k] = cpu_k
                    record[k] = timer.seconds["record"] - before.get("record", 0.0)
                    agents[k] = timer.seconds["agents"] - before.get("agents", 0.0)
                    for name in names:
                        spent = timer.seconds[name] - before.get(name, 0.0)
                        if spent or name in phase_cpu:  # (phases only, not the builders)
                            phase_cpu.setdefault(name, [0.0] * months)[k] = spent
        households_end = model.households.n
        del model
    hh_months = sum(rows)
    out = {
        "households_start": households_start,
        "households_end": households_end,
        "household_months": hh_months,
        "months": months,
        "repeats": runs,
        "step_cpu_s": sum(cpu),
        "step_wall_s": sum(wall),
        "build_cpu_s": min(build_cpu),
        "build_wall_s": min(build_wall),
        "record_cpu_s": sum(record),
        "agents_cpu_s": sum(agents),
    }
    if phases:
        out["phase_cpu_s"] = {name: sum(v) for name, v in phase_cpu.items()}
    return out


def measure_memory(make: Callable[[], Any], months: int) -> dict[str, Any]:
    """Bytes the model holds (``tracemalloc``: numpy buffers and Python objects, the Mesa agents
    included) after it is built and after ``months`` steps, per household."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        model = make()
        built = tracemalloc.get_traced_memory()[0] - base
        hh = model.households
        n_built = hh.n
        row_bytes = sum(getattr(hh, c).nbytes for c in hh.column_names()) / hh.n
        table_built = row_bytes * hh.capacity
        agents = len(model.agents)
        for _ in range(months):
            model.step()
        after = tracemalloc.get_traced_memory()[0] - base
        n_after = hh.n
        table_after = row_bytes * hh.capacity
        del model, hh
    finally:
        tracemalloc.stop()
    return {
        "bytes_per_household": built / n_built,
        "bytes_per_household_after_run": after / n_after,
        "column_bytes_per_row": row_bytes,
        "table_bytes_per_household": table_built / n_built,
        "table_bytes_per_household_after_run": table_after / n_after,
        "other_bytes_per_household": (built - table_built) / n_built,
        "agents": agents,
    }


def measure_reference(make: Callable[[], Any], month: int, repeats: int) -> dict[str, Any]:
    """The per-agent reference against the vectorised decisions phase, in the same month.

    The vectorised model runs to month ``month`` (storms, ballot draws, relocation offers and
    visas are then in play). In that month its decisions phase (``decide_moves``) runs
    ``repeats`` times, timed, on the same inputs (the random stream rewound each time, so every
    run makes the same draws; the phase only writes its outputs), and the per-agent model is
    built from those households and that month's damage; after the month the per-agent model
    makes its decisions with the same draws (timed) and both are compared household by household.
    """
    import hsmobility.model as model_module
    from hsmobility.phases.choices import deciders

    original = model_module.decide_moves
    seen: dict[str, Any] = {}

    def decide_moves(world: Any, hit: Any) -> Any:
        if world.t != month - 1:
            return original(world, hit)
        stream = world.streams["decisions"]
        state = stream.bit_generator.state
        vec_cpu = []
        for _ in range(repeats):
            stream.bit_generator.state = state
            gc.collect()
            c = time.process_time()
            choices = original(world, hit)
            vec_cpu.append(time.process_time() - c)
        hh, rows = world.households, deciders(world)
        replay = type(stream.bit_generator)()
        replay.state = state
        choice = np.zeros(hh.n, dtype=np.int64)
        choice[choices.rows] = choices.option
        c = time.process_time()
        ref = ReferenceModel(world, rows, hit.new_damage, seed=1)
        seen.update(
            reference=ref,
            build=time.process_time() - c,
            rows=rows,
            u=np.random.Generator(replay).random((2, len(rows))),
            vec_cpu=min(vec_cpu),
            aspires=hh.aspires[rows],
            trapped=hh.trapped[rows],
            stayer=hh.voluntary_stayer[rows],
            choice=choice[rows],
            barrier=hh.barrier[rows],
        )
        return choices

    model_module.decide_moves = decide_moves
    try:
        model = make()
        for _ in range(month):
            model.step()
    finally:
        model_module.decide_moves = original

    ref: ReferenceModel = seen["reference"]
    rows, u = seen["rows"], seen["u"]
    index = {int(r): k for k, r in enumerate(rows)}
    for agent in ref.agents:
        k = index[agent.row]
        agent.u_review, agent.u_choice = float(u[0, k]), float(u[1, k])
    ref_cpu = []
    for _ in range(repeats):
        gc.collect()
        c = time.process_time()
        ref.step()
        ref_cpu.append(time.process_time() - c)

    agree = 0
    for agent in ref.agents:
        k = index[agent.row]
        agree += (
            agent.aspires == seen["aspires"][k]
            and agent.trapped == seen["trapped"][k]
            and agent.voluntary_stayer == seen["stayer"][k]
            and agent.choice == seen["choice"][k]
            and agent.barrier == seen["barrier"][k]
        )
    return {
        "households": len(rows),
        "month": month,
        "agree": int(agree),
        "aspiring": int(seen["aspires"].sum()),
        "trapped": int(seen["trapped"].sum()),
        "trapped_by_barrier": np.bincount(seen["barrier"], minlength=6).tolist(),
        "choosing_to_act": int((seen["choice"] > 0).sum()),
        "vectorised_decisions_cpu_s": seen["vec_cpu"],
        "reference_decisions_cpu_s": min(ref_cpu),
        "reference_build_cpu_s": seen["build"],
    }


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("hsmobility", "numpy", "mesa", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "?"
    return out


def run_bench(
    sizes: tuple[int, ...] = SIZES,
    months: int = MONTHS,
    repeats: int | None = None,
    reference_size: int = REFERENCE_SIZE,
    phases: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Every measurement; the result is what ``hsmobility bench --json`` prints."""
    say = progress or (lambda _msg: None)
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    per_size: dict[str, dict[str, Any]] = {}
    for n in sizes:
        setting = synthetic_setting(n, name=NAME)
        make = model_factory(setting)
        say(f"{n:,} households: timing {months} months x {repeats or default_repeats(n)}")
        timing = time_steps(make, months, repeats or default_repeats(n), phases)
        say(f"{n:,} households: memory")
        memory = measure_memory(make, min(months, MEMORY_MONTHS))
        per_size[str(n)] = {"islands": len(setting.islands), **timing, **memory}

    result: dict[str, Any] = {
        "households_months_per_s": {
            k: v["household_months"] / v["step_cpu_s"] for k, v in per_size.items()
        },
        "households_months_per_wall_s": {
            k: v["household_months"] / v["step_wall_s"] for k, v in per_size.items()
        },
        "bytes_per_household": {k: v["bytes_per_household"] for k, v in per_size.items()},
        "bytes_per_household_after_run": {
            k: v["bytes_per_household_after_run"] for k, v in per_size.items()
        },
        "indicators_share": {k: v["record_cpu_s"] / v["step_cpu_s"] for k, v in per_size.items()},
        # making Mesa agents for new households and moving agents between island cells
        "agents_share": {k: v["agents_cpu_s"] / v["step_cpu_s"] for k, v in per_size.items()},
        "build_seconds": {k: v["build_cpu_s"] for k, v in per_size.items()},
        "build_wall_seconds": {k: v["build_wall_s"] for k, v in per_size.items()},
        "ns_per_household_month": {
            k: v["step_cpu_s"] / v["household_months"] * 1e9 for k, v in per_size.items()
        },
    }
    # how cost per household changes from one size to the next (1.0 = linear in households)
    keys = list(per_size)
    result["cost_growth"] = {
        f"{a}->{b}": (per_size[b]["step_cpu_s"] / per_size[a]["step_cpu_s"])
        / (per_size[b]["household_months"] / per_size[a]["household_months"])
        for a, b in zip(keys, keys[1:], strict=False)
    }
    if phases:
        result["phase_share"] = {
            k: {
                name: s / v["step_cpu_s"]
                for name, s in sorted(v["phase_cpu_s"].items(), key=lambda x: -x[1])
            }
            for k, v in per_size.items()
        }

    if reference_size:
        setting = synthetic_setting(reference_size, name=NAME)
        say(f"{reference_size:,} households: per-agent reference")
        ref = measure_reference(model_factory(setting), month=5, repeats=3)
        rate = ref["households"] / ref["reference_decisions_cpu_s"]
        result["reference_households_months_per_s"] = rate
        result["vectorised_decisions_households_months_per_s"] = (
            ref["households"] / ref["vectorised_decisions_cpu_s"]
        )
        result["speedup_vs_reference"] = (
            ref["reference_decisions_cpu_s"] / ref["vectorised_decisions_cpu_s"]
        )
        full = result["households_months_per_s"].get(str(reference_size))
        result["speedup_full_month_vs_reference"] = full / rate if full else None
        result["reference"] = ref

    result["sizes"] = per_size
    result["machine"] = {
        "cpu_count": os.cpu_count(),
        "load_average_start": load_start,
        "load_average_end": os.getloadavg()[0],
        "platform": f"{platform.system()} {platform.machine()}",
        **versions(),
    }
    result["bench_wall_s"] = time.perf_counter() - started
    return result


def format_table(r: dict[str, Any]) -> str:
    """The result as a readable table."""
    sizes = list(r["sizes"])
    m = r["machine"]
    lines = [
        "hsmobility bench: the full monthly step (all phases and data collection) on synthetic "
        "settings",
        f"python {m['python']}, numpy {m['numpy']}, mesa {m['mesa']}; {m['cpu_count']} CPUs; "
        f"load average {m['load_average_start']:.1f} at the start, "
        f"{m['load_average_end']:.1f} at the end",
        "",
        f"{'households (target)':<44}" + "".join(f"{int(k):>12,}" for k in sizes),
    ]

    def row(label: str, values: list[str]) -> None:
        lines.append(f"{label:<44}" + "".join(f"{v:>12}" for v in values))

    s = r["sizes"]
    row("households at start / islands", [f"{s[k]['households_start']:,}/{s[k]['islands']}"
                                          for k in sizes])  # fmt: skip
    row("months x runs (fastest run of each month)",
        [f"{s[k]['months']}x{s[k]['repeats']}" for k in sizes])  # fmt: skip
    row("household-months per CPU-second",
        [f"{r['households_months_per_s'][k] / 1e6:.2f} M" for k in sizes])  # fmt: skip
    row("household-months per wall-second",
        [f"{r['households_months_per_wall_s'][k] / 1e6:.2f} M" for k in sizes])  # fmt: skip
    row("CPU ns per household-month", [f"{r['ns_per_household_month'][k]:.0f}" for k in sizes])
    row("CPU ms per month", [f"{s[k]['step_cpu_s'] / s[k]['months'] * 1e3:.1f}" for k in sizes])
    row("indicators (record) share of the step",
        [f"{r['indicators_share'][k]:.1%}" for k in sizes])  # fmt: skip
    row("Mesa agents (made, placed) share of the step",
        [f"{r['agents_share'][k]:.1%}" for k in sizes])  # fmt: skip
    row("build, CPU s", [f"{r['build_seconds'][k]:.3f}" for k in sizes])
    row("bytes per household, built (agents incl.)",
        [f"{r['bytes_per_household'][k]:.0f}" for k in sizes])  # fmt: skip
    row("  of which table columns",
        [f"{s[k]['table_bytes_per_household']:.0f}" for k in sizes])  # fmt: skip
    row(f"bytes per household after {min(r['sizes'][sizes[0]]['months'], MEMORY_MONTHS)} months",
        [f"{r['bytes_per_household_after_run'][k]:.0f}" for k in sizes])  # fmt: skip
    for pair, g in r["cost_growth"].items():
        a, b = pair.split("->")
        lines.append(
            f"cost per household-month, {int(b):,} vs {int(a):,} households: x{g:.2f}"
            " (1.00 = linear)"
        )
    if "phase_share" in r:
        lines += ["", "share of the step's CPU time by phase"]
        names = list(r["phase_share"][sizes[-1]])
        for name in names:
            row(f"  {name}", [f"{r['phase_share'][k].get(name, 0):.1%}" for k in sizes])
    if "reference" in r:
        ref = r["reference"]
        lines += [
            "",
            f"per-agent Mesa reference ({ref['households']:,} deciding households, month "
            f"{ref['month']}; one mesa.Agent each, shuffle_do):",
            "  compared: the decision rule only (wishes, legal options, means, transport, review, "
            "barrier, choice) in both models",
            f"  reference decisions, CPU s                 "
            f"{ref['reference_decisions_cpu_s']:>10.3f}"
            f"  ({r['reference_households_months_per_s'] / 1e6:.3f} M household-months/s)",
            f"  vectorised decisions phase, CPU s          "
            f"{ref['vectorised_decisions_cpu_s']:>10.3f}"
            f"  ({r['vectorised_decisions_households_months_per_s'] / 1e6:.2f} M)",
            f"  speed-up, decision rule vs decision rule   {r['speedup_vs_reference']:>10.1f}x",
        ]
        if r.get("speedup_full_month_vs_reference"):
            lines.append(
                f"  vectorised whole month vs reference decisions alone "
                f"{r['speedup_full_month_vs_reference']:>4.1f}x (the reference does less work)"
            )
        lines.append(
            f"  same decisions (aspires, trapped, barrier, stayer, choice): {ref['agree']:,} of "
            f"{ref['households']:,} households"
        )
    lines.append(f"\nbench took {r['bench_wall_s']:.0f} s wall")
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """``hsmobility bench``: print the table, or one JSON object with ``--json``."""
    try:
        sizes = tuple(int(x) for x in str(args.sizes).split(",") if x.strip())
    except ValueError:
        print(f"hsmobility bench: --sizes {args.sizes!r}: expected numbers", file=sys.stderr)
        return 2
    if not sizes or min(sizes) < 50 or args.months < 1 or (args.repeats or 1) < 1:
        print("hsmobility bench: sizes of 50 households or more, months and repeats >= 1",
              file=sys.stderr)  # fmt: skip
        return 2

    def progress(msg: str) -> None:
        print(f"  {msg}", file=sys.stderr, flush=True)

    result = run_bench(
        sizes,
        months=args.months,
        repeats=args.repeats,
        reference_size=args.reference_size,
        phases=args.phases,
        progress=None if args.json else progress,
    )
    print(json.dumps(result) if args.json else format_table(result))
    return 0


def cli(argv: list[str] | None = None) -> int:
    """``python -m hsmobility.bench``."""
    from hsmobility.bench import add_arguments

    parser = argparse.ArgumentParser(prog="hsmobility bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return main(parser.parse_args(argv))
