"""The ``experiment``, ``compare`` and ``analyse`` commands.

:func:`add_commands` registers them on the ``hsmobility`` parser's subparsers; each sets
``func`` to its handler, which returns an exit code and raises :class:`ScenarioError` (one line,
exit code 2) for anything the user can fix. They are registered by ``hsmobility.cli``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from hsmobility.config.outfolder import check_out, out_path
from hsmobility.config.schemas import SSPS
from hsmobility.experiment.executors import EXECUTORS, check_executor
from hsmobility.experiment.manifest import check_results_folder, code_digest, read_manifest
from hsmobility.experiment.spec import ExperimentError, load_experiment

#: what ``analyse`` writes under ``FOLDER/analysis/``
ANALYSIS_OUTPUTS = ("analysis.md", "ensemble.csv", "differences.csv", "sensitivity.csv")


def _add_executor_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="local",
        help="where runs execute: local processes (default), a Dask cluster, or this process",
    )
    p.add_argument("--workers", type=int, help="worker processes (default: one per core)")
    p.add_argument(
        "--scheduler",
        "--address",
        dest="address",
        help="Dask scheduler address (e.g. tcp://127.0.0.1:8786); without it --executor dask "
        "starts a local cluster",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: on a terminal)",
    )


def _add_restart_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--restart",
        action="store_true",
        help="discard the runs already stored in the results folder and start afresh (needed "
        "when they came from another version of the model: a resume never mixes versions)",
    )


def add_commands(subparsers: Any) -> None:
    """Register ``experiment``, ``compare`` and ``analyse`` on ``subparsers``."""
    p = subparsers.add_parser(
        "experiment",
        help="run an experiment file (many runs, Parquet results; resumes where it stopped)",
    )
    p.add_argument("file", help="an experiment file, e.g. experiments/pacific-regimes.toml")
    p.add_argument("--out", help="results folder (default results/NAME, NAME the file's name)")
    p.add_argument("--retry-failed", action="store_true", help="run failed runs again")
    _add_restart_option(p)
    _add_executor_options(p)
    p.set_defaults(func=cmd_experiment)

    p = subparsers.add_parser(
        "compare", help="compare regimes on one setting, on common seeds, with a report"
    )
    p.add_argument("setting", help="a setting's name, e.g. tuvalu")
    p.add_argument(
        "--regimes",
        required=True,
        help="comma-separated regimes; the first is the baseline (e.g. status-quo,free-movement)",
    )
    p.add_argument("--replicates", type=int, default=20, help="seeds per regime (default 20)")
    p.add_argument("--ssp", choices=SSPS, help="climate pathway (default SSP2-4.5)")
    p.add_argument("--years", type=int, help="horizon in years (default 30)")
    p.add_argument("--seed", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--scale", type=int, help="households per agent (for the large settings)")
    p.add_argument(
        "--out",
        help="results folder (default results/compare-SETTING-HASH, HASH of the comparison and "
        "the model's version)",
    )
    _add_restart_option(p)
    _add_executor_options(p)
    p.set_defaults(func=cmd_compare)

    p = subparsers.add_parser(
        "analyse", help="ensemble summaries and sensitivity indices of a results folder"
    )
    p.add_argument("folder", help="an experiment's results folder")
    p.add_argument("--outcomes", help="comma-separated summary fields (default: the file's)")
    p.set_defaults(func=cmd_analyse)


def _names(text: str, option: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ExperimentError(f"{option}: expected comma-separated names")
    return names


def cmd_experiment(args: argparse.Namespace) -> int:
    # the file, the options and the output folder are checked before the model is imported
    exp = load_experiment(args.file)
    out = out_path(args.out) if args.out is not None else Path("results") / exp.name
    check_executor(args.executor, args.workers, args.address)
    check_results_folder(out, exp.sha256, exp.source, code_digest(), args.restart)

    from hsmobility.experiment.runner import run_experiment

    done = run_experiment(
        exp,
        out,
        executor=args.executor,
        workers=args.workers,
        address=args.address,
        retry_failed=args.retry_failed,
        progress=args.progress,
        restart=args.restart,
    )
    print(done.describe())
    for s in done.skipped:
        print(f"  skipped {s['scenario']} x {s['regime']} (noted in the manifest)")
    if done.failed:
        from hsmobility.experiment.store import read_runs

        runs = read_runs(out)
        failed = runs[runs["status"] == "failed"]
        print(f"  {len(failed)} failed run(s) stored with their error, e.g.:")
        for error, n in failed["error"].value_counts().head(3).items():
            print(f"    {n} x {error}")
    print(f"results: {out}  (runs/, monthly/, manifest.json; `hsmobility analyse {out}`)")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from hsmobility.experiment.runner import interruptible_if_asked

    interruptible_if_asked()  # a job of the app stops on its cancel
    regimes = _names(args.regimes, "--regimes")
    check_executor(args.executor, args.workers, args.address)
    if args.out is not None:
        out_path(args.out)
    if not 1 <= args.replicates <= 100_000:
        raise ExperimentError(f"--replicates: expected 1 to 100000 (got {args.replicates})")

    from hsmobility.experiment.compare import run_compare

    result = run_compare(
        args.setting,
        regimes,
        replicates=args.replicates,
        ssp=args.ssp,
        years=args.years,
        seed=args.seed,
        scale=args.scale,
        out=args.out,
        executor=args.executor,
        workers=args.workers,
        address=args.address,
        progress=args.progress,
        restart=args.restart,
    )
    for s in result.skipped:
        print(f"skipped {s['regime']}: {s['note']}")
    print(result.tables())
    print()
    print("public cost and cost-effectiveness")
    print(result.costs)
    print()
    if len(result.failed):
        print(f"{len(result.failed)} run(s) failed; see the report")
    print(f"report: {result.report}")
    print(f"figures: {', '.join(str(p) for p in result.figures)}")
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    folder = out_path(args.folder, "analyse")
    if not folder.is_dir():
        raise ExperimentError(f"{folder}: no such results folder")
    outcomes = _names(args.outcomes, "--outcomes") if args.outcomes is not None else None
    read_manifest(folder)
    check_out(folder / "analysis", ANALYSIS_OUTPUTS, "analyse")

    from hsmobility.experiment.analyse import analyse

    result = analyse(folder, outcomes)
    print(result.text())
    print()
    print(f"report: {result.report}")
    return 0
