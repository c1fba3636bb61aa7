"""The ``hsmobility`` command."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
import typing
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hsmobility.config.outfolder import RUN_OUTPUTS, check_out, out_path
from hsmobility.config.regimes import (
    available_regimes,
    flatten_levers,
    is_regime_file,
    load_regime_file,
)
from hsmobility.config.scenario import (
    available_scenarios,
    available_settings,
    load_scenario,
    load_setting,
)
from hsmobility.config.schemas import SSPS, Scenario, ScenarioError, read_toml, scenarios_dir

#: summary fields shown in the readable table, with their labels
SUMMARY_ROWS = [
    ("population_start", "residents at start"),
    ("population_end", "residents at end"),
    ("households_start", "households at start"),
    ("households_end", "households at end (in the country)"),
    ("households_abroad_end", "households abroad at end"),
    ("cyclones", "cyclones felt"),
    ("cyclones_hurricane_force", "  of hurricane force on an island"),
    ("displacement_episodes", "displacements (households)"),
    ("displaced_peak", "peak displaced (people)"),
    ("displaced_person_months", "displaced person-months"),
    ("mean_months_displaced", "mean months displaced"),
    ("evacuation_centre_people_peak", "peak people in evacuation centres"),
    ("returns", "returns (households)"),
    ("still_displaced_end", "still displaced at end (households)"),
    ("moves_forced_inundation", "moved by sea-level rise (households)"),
    ("severely_damaged_people_peak", "peak people in severely damaged homes"),
    ("poverty_rate_end", "poverty rate at end"),
    ("remittances_total", "remittances received (US$)"),
    ("drought_months", "drought months"),
    ("slr_end_m", "sea level at end (m above 1995-2014)"),
    ("moves_abroad", "moved abroad (households)"),
    ("moves_internal", "moved within the country (households)"),
    ("relocated_households", "relocated (households)"),
    ("forced_move_share", "share of moves that were forced"),
    ("trapped_share", "trapped households (mean monthly share)"),
    ("trapped_survey_share", "people who wanted to move and could not (survey-comparable)"),
    ("queued_households_end", "households queued in a ballot at end"),
    ("ballot_oversubscription", "people registered per ballot place"),
    ("people_at_risk_in_storm", "people riding out storms in wrecked homes"),
    ("deaths_hazard", "people killed by storms, floods and eruptions"),
    ("public_cost_usd", "public cost of levers (US$)"),
]


def parse_seeds(text: str) -> list[int]:
    """Seeds given as ``1-3`` (a range, both ends included) or ``1,4,7``."""
    try:
        if "-" in text.strip("-"):
            first, last = (int(x) for x in text.split("-", 1))
            seeds = list(range(first, last + 1))
        else:
            seeds = [int(x) for x in text.split(",")]
    except ValueError:
        seeds = []
    if not seeds or len(set(seeds)) != len(seeds):
        raise argparse.ArgumentTypeError(
            f"expected seeds as a range such as 1-3 or a list such as 1,4,7, not {text!r}"
        )
    return seeds


def parse_value(text: str) -> Any:
    """A --set value as TOML would read it (number, boolean, list...), else the plain string."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        return text


def parse_sets(items: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or "." not in key or not value.strip():
            raise ScenarioError(
                f"--set {item!r}: expected GROUP.NAME=VALUE, e.g. recovery.repair_rate=0.2"
            )
        out[key.strip()] = parse_value(value.strip())
    return out


def apply_sets(scenario: Scenario, items: Sequence[str]) -> Scenario:
    """Route ``--set`` values to lever overrides (LEVER.PARAM) or model parameters (GROUP.NAME),
    validating both before anything runs."""
    from hsmobility.config.params import load_parameters
    from hsmobility.config.regimes import LEVER_NAMES, build_regime

    sets = parse_sets(items)
    levers = {k: v for k, v in sets.items() if k.split(".")[0] in LEVER_NAMES}
    params = {k: v for k, v in sets.items() if k not in levers}
    update: dict[str, Any] = {}
    if params:
        update["params"] = {**scenario.params, **params}
        load_parameters(update["params"], "--set")
    if levers:
        update["levers"] = {**flatten_levers(scenario.levers), **levers}
        build_regime(scenario.regime, load_setting(scenario.setting), update["levers"], "--set")
    return scenario.model_copy(update=update) if update else scenario


def format_summary(summary: dict[str, Any]) -> str:
    """The run summary as a readable two-column table."""
    head = (
        f"{summary['setting']}  |  regime {summary['regime']}  |  {summary['ssp']}  |  "
        f"{summary['start_year']}-{summary['start_year'] + summary['years'] - 1}  |  "
        f"seed {summary['seed']}"
    )
    lines = [head, "-" * len(head)]
    for key, label in SUMMARY_ROWS:
        if key not in summary:
            continue
        v = summary[key]
        if v is None:
            txt = "-"  # undefined (e.g. a share of no moves)
        elif isinstance(v, float):
            pct = key.endswith("rate_end") or key.endswith("_share")
            txt = f"{v:.1%}" if pct else f"{v:,.2f}"
        else:
            txt = f"{v:,}"
        lines.append(f"{label:<42} {txt:>14}")
    for text in summary.get("triggers_never_fired", []):
        lines.append(f"never triggered: {text}")
    return "\n".join(lines)


def cmd_list(args: argparse.Namespace) -> int:
    print("settings:")
    for name in available_settings():
        s = load_setting(name)
        pop = sum(i.population for i in s.islands)
        print(f"  {name:<24} {s.title:<32} {len(s.islands):>2} islands  {pop:>9,} people")
    print("regimes:")
    for name in available_regimes():
        print(f"  {name:<28} {load_regime_file(name).title}")
    print("scenarios:")
    for name in available_scenarios():
        title = read_toml(scenarios_dir() / f"{name}.toml").get("title", "")
        print(f"  {name:<24} {title}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    # everything is checked with the config layer alone before the model is imported
    scenario = load_scenario(
        args.scenario,
        regime=args.regime,
        ssp=args.ssp,
        years=args.years,
        seed=args.seed,
        scale=args.scale,
    )
    scenario = apply_sets(scenario, args.set or [])
    if args.out is not None:
        out = out_path(args.out)
    else:
        regime = Path(scenario.regime).stem if is_regime_file(scenario.regime) else scenario.regime
        out = Path("results") / f"{scenario.setting}-{regime}-seed{scenario.seed}"
    check_out(out, RUN_OUTPUTS)

    from hsmobility.run import run_scenario, write_outputs

    result = run_scenario(scenario)
    written = write_outputs(result, out)
    if args.json:
        print(json.dumps(result.summary))
    else:
        print(format_summary(result.summary))
        print()
        for line in result.events[:12]:
            print(f"  {line}")
        if len(result.events) > 12:
            print(f"  ... {len(result.events) - 12} more events in {written['events.txt']}")
        print()
        print(f"monthly indicators: {written['monthly.parquet']} (and .csv)")
        print(f"figure:             {written['figure.png']}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from hsmobility.validate import format_table, validate

    rows = validate(args.seed, only=args.only, seeds=args.seeds, jobs=args.jobs)
    if not rows:
        print(
            f"hsmobility validate: --only: no target's name contains {args.only!r}", file=sys.stderr
        )
        return 2
    print(json.dumps(rows, indent=2) if args.json else format_table(rows))
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from hsmobility.bench.measure import main as bench_main

    return bench_main(args)


def cmd_app(args: argparse.Namespace) -> int:
    from hsmobility.app.server import serve

    return serve(args.host, args.port, args.results)


class Parser(argparse.ArgumentParser):
    """argparse, but a refusal is one line in the format of every other one, exit code 2."""

    def error(self, message: str) -> typing.NoReturn:
        print(f"hsmobility: error: {self.prog}: {one_line(message)}", file=sys.stderr)
        sys.exit(2)


def one_line(text: str) -> str:
    """``text`` on one line: line breaks (of any kind) shown as ``\\n``."""
    return "\\n".join(str(text).splitlines()) if text else ""


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="hsmobility",
        description="Climate mobility on Pacific and Caribbean islands, seen through the human "
        "security lens.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    p_list = sub.add_parser("list", help="settings, regimes and ready-made scenarios")
    p_list.set_defaults(func=cmd_list)

    p_run = sub.add_parser("run", help="run one scenario and write its indicators and figure")
    p_run.add_argument("scenario", help="a setting's name (e.g. tuvalu) or a scenario .toml file")
    p_run.add_argument(
        "--regime",
        help="policy regime: a name (see `hsmobility list`; default status-quo) or a regime "
        ".toml file",
    )
    p_run.add_argument("--ssp", choices=SSPS, help="climate pathway")
    p_run.add_argument("--years", type=int, help="horizon in years")
    p_run.add_argument(
        "--scale",
        type=int,
        metavar="K",
        help="one agent for K households (default 1; e.g. 10 for a quick look at Fiji)",
    )
    p_run.add_argument("--seed", type=int, help="random seed")
    p_run.add_argument("--out", help="output folder (default results/SETTING-REGIME-seedN)")
    p_run.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p_run.add_argument(
        "--set",
        action="append",
        metavar="GROUP.NAME=VALUE",
        help="override a lever (e.g. ballots.quota_multiplier=4) or a model parameter "
        "(e.g. recovery.repair_rate=0.2); repeatable",
    )
    p_run.set_defaults(func=cmd_run)

    from hsmobility.experiment.cli import add_commands

    add_commands(sub)

    p_val = sub.add_parser("validate", help="calibration targets against the model")
    p_val.add_argument("--seed", type=int, default=1)
    p_val.add_argument(
        "--seeds",
        type=parse_seeds,
        metavar="LIST",
        help="several seeds, e.g. 1-3 or 1,4,7: each target's verdict is on their mean, "
        "with the spread shown (overrides --seed)",
    )
    p_val.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes for --seeds (default: the machine's cores)",
    )
    p_val.add_argument("--json", action="store_true")
    p_val.add_argument(
        "--only", metavar="TEXT", help="measure only the targets whose name contains TEXT"
    )
    p_val.set_defaults(func=cmd_validate)

    from hsmobility.bench import add_arguments as add_bench_arguments

    p_bench = sub.add_parser("bench", help="speed and memory of the monthly step (--json)")
    add_bench_arguments(p_bench)
    p_bench.set_defaults(func=cmd_bench)

    p_app = sub.add_parser("app", help="the web app: compare regimes, build a regime, results")
    p_app.add_argument("--host", default="127.0.0.1", help="address to serve on (127.0.0.1)")
    p_app.add_argument("--port", type=int, default=8765, help="port (default 8765)")
    p_app.add_argument("--results", help="results folder it lists and writes (default results)")
    p_app.set_defaults(func=cmd_app)
    return parser


def dispatch(args: argparse.Namespace) -> int:
    """Run a parsed command: a user error is one line on stderr and exit code 2."""
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"hsmobility: error: {one_line(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hsmobility: interrupted; an experiment resumes if run again", file=sys.stderr)
        return 130


def main(argv: Sequence[str] | None = None) -> int:
    return dispatch(build_parser().parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
