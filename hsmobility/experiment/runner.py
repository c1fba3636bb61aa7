"""Run an experiment: expand it into runs, execute them anywhere, stream results to the store.

The runs of an experiment are scenarios x regimes x parameter samples x seeds. Each run gets a
``run_id``: a hash of what it runs (its scenario fields, regime, seed and values) and of where it
sits in the design (scenario label, sample number), so the same file gives the same run_ids in any
process. Runs already in the output folder are skipped (resume); a run that raises is stored as
failed with its error text and the others go on.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from hsmobility.config.outfolder import out_path
from hsmobility.config.schemas import Scenario, ScenarioError
from hsmobility.experiment.executors import check_executor, default_workers, make_executor
from hsmobility.experiment.manifest import (
    DERIVED,
    check_code,
    check_results_folder,
    check_resume,
    code_digest,
)
from hsmobility.experiment.samplers import sample_matrix, samples
from hsmobility.experiment.spec import Experiment
from hsmobility.experiment.store import MONTHLY, RUNS, ResultStore

#: packages whose versions the manifest records
PACKAGES = ("hsmobility", "mesa", "numpy", "pandas", "pyarrow", "dask", "distributed", "SALib")

#: summary fields that repeat the run's own coordinates (kept once, from the run spec)
COORDINATES = ("setting", "regime", "ssp", "seed", "years", "start_year", "scale")


@dataclass(frozen=True)
class RunSpec:
    """One run of an experiment: where it sits in the design and the scenario it runs."""

    run_id: str
    scenario: str
    regime: str
    sample: int
    replicate: int
    seed: int
    #: the sampled parameter values
    values: dict[str, Any]
    #: the scenario's fields, as a scenario file would hold them (validated by the worker)
    data: dict[str, Any]

    def row(self) -> dict[str, Any]:
        """The run's coordinates, as the first columns of its runs-table row."""
        fields = ("ssp", "start_year", "years", "scale")
        coords = {k: self.data.get(k, Scenario.model_fields[k].default) for k in fields}
        return {
            "run_id": self.run_id,
            "scenario": self.scenario,
            "setting": self.data["setting"],
            **coords,
            "regime": self.regime,
            "seed": self.seed,
            "replicate": self.replicate,
            "sample": self.sample,
            **{k: _column_value(v) for k, v in self.values.items()},
        }


@dataclass
class RunOutput:
    """What a worker sends back: the runs-table row and the monthly table (None if failed)."""

    row: dict[str, Any]
    monthly: pa.Table | None


def _column_value(value: Any) -> Any:
    return json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value


def run_id_of(scenario: str, sample: int, data: dict[str, Any]) -> str:
    """A stable 16-hex-digit id for a run (the same in every process and on every machine)."""
    text = json.dumps(
        {"scenario": scenario, "sample": sample, "run": data},
        sort_keys=True,
        separators=(",", ":"),
        allow_nan=False,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


# --------------------------------------------------------------------------------- planning
def plan(exp: Experiment) -> tuple[list[RunSpec], list[dict[str, str]]]:
    """Every run of the experiment, in design order, and the (scenario, regime) combinations
    skipped because the regime changes nothing for that setting."""
    from hsmobility.config.regimes import RegimeNotApplicable, build_regime
    from hsmobility.config.scenario import load_setting

    designs = samples(exp)
    runs: list[RunSpec] = []
    skipped: list[dict[str, str]] = []
    for label, base in exp.scenarios.items():
        setting = load_setting(base["setting"])
        for regime in exp.regimes:
            try:
                build_regime(regime, setting, base.get("levers"), f"{exp.source} levers")
            except RegimeNotApplicable as exc:
                skipped.append({"scenario": label, "regime": regime, "note": str(exc)})
                continue
            except ScenarioError:
                pass  # a bad fixed value: each run fails with the message, and says so
            for k, values in enumerate(designs):
                data = _run_data(exp, base, regime, values)
                for r, seed in enumerate(exp.seeds):
                    data_r = {**data, "seed": seed}
                    runs.append(
                        RunSpec(
                            run_id=run_id_of(label, k, data_r),
                            scenario=label,
                            regime=regime,
                            sample=k,
                            replicate=r,
                            seed=seed,
                            values=values,
                            data=data_r,
                        )
                    )
    return runs, skipped


def _run_data(
    exp: Experiment, base: dict[str, Any], regime: str, values: dict[str, Any]
) -> dict[str, Any]:
    data = {**base, "regime": regime}
    data["levers"], data["params"] = dict(base["levers"]), dict(base["params"])
    for p in exp.parameters:
        target = {"scenario": data, "lever": data["levers"], "param": data["params"]}[p.kind]
        target[p.name] = values[p.name]
    return data


# --------------------------------------------------------------------------------- one run
def execute_run(spec: RunSpec) -> RunOutput:
    """Run one spec (in a worker); any error becomes a failed row with its text."""
    from hsmobility.config.schemas import validate
    from hsmobility.run import run_scenario

    row = spec.row()
    try:
        result = run_scenario(
            validate(Scenario, spec.data, f"run {spec.run_id}"), island_table=False
        )
        summary = flatten_summary(result.summary)
        monthly = pa.Table.from_pandas(result.monthly, preserve_index=False)
        monthly = monthly.add_column(0, "run_id", pa.array([spec.run_id] * monthly.num_rows))
    except Exception as exc:  # any failure is recorded with its text, not fatal to the others
        return RunOutput({**row, "status": "failed", "error": describe_error(exc)}, None)
    return RunOutput({**row, "status": "ok", "error": "", **summary}, monthly)


def flatten_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The run summary as flat columns: nested dicts become "field.key" columns."""
    out: dict[str, Any] = {}
    for key, value in summary.items():
        if key in COORDINATES:
            continue
        if isinstance(value, dict):
            out.update({f"{key}.{k}": _plain(v) for k, v in value.items()})
        else:
            out[key] = _plain(value)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple):
        return json.dumps(list(value))
    return value


def describe_error(exc: BaseException) -> str:
    """An error as one line: the model's own message, or the exception and where it arose."""
    text = " ".join(str(exc).split())
    if isinstance(exc, ScenarioError):
        return text
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (at {Path(frames[-1].filename).name}:{frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {text}{where}"


# ------------------------------------------------------------------------------- manifest
def package_versions() -> dict[str, str]:
    """Versions of Python and the packages results depend on."""
    out = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def build_manifest(
    exp: Experiment, runs: list[RunSpec], skipped: list[dict[str, str]], code: str | None = None
) -> dict[str, Any]:
    """What the experiment runs: enough to redo it and to read its results."""
    matrix = sample_matrix(exp)
    numeric = matrix is not None and all(
        isinstance(v, int | float | np.number) and not isinstance(v, bool)
        for row in matrix
        for v in row
    )
    return {
        "format": 1,
        "experiment": {
            "name": exp.name,
            "source": exp.source,
            "sha256": exp.sha256,
            "title": exp.file.title,
        },
        "spec": exp.file.model_dump(mode="json"),
        "versions": package_versions(),
        "code_sha256": code or code_digest(),
        "scenarios": exp.scenarios,
        "regimes": exp.regimes,
        "baseline": exp.baseline,
        "seeds": exp.seeds,
        "parameters": [
            {
                "name": p.name,
                "kind": p.kind,
                "integer": p.integer,
                "low": p.low,
                "high": p.high,
                "values": list(p.values) if p.values is not None else None,
            }
            for p in exp.parameters
        ],
        "sampler": exp.file.sampler.model_dump(mode="json"),
        "outcomes": exp.outcomes,
        "samples": len(samples(exp)),
        "sample_matrix": np.asarray(matrix, dtype=float).tolist() if numeric else None,
        "runs_planned": len(runs),
        "skipped": skipped,
    }


# ---------------------------------------------------------------------------- the runner
@dataclass
class ExperimentRun:
    """What running (or resuming) an experiment did."""

    out: Path
    planned: int
    already_stored: int
    ran: int = 0
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    skipped: list[dict[str, str]] = field(default_factory=list)
    executor: str = ""

    def describe(self) -> str:
        return (
            f"{self.out}: {self.planned} runs planned, {self.already_stored} already stored, "
            f"{self.ran} run now ({self.ok} ok, {self.failed} failed) in {self.seconds:.1f} s"
        )


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


#: set to "1" in the environment of a comparison the app starts (:mod:`hsmobility.app.jobs`)
INTERRUPTIBLE_ENV = "HSMOBILITY_INTERRUPTIBLE"


def interruptible_if_asked() -> None:
    """Make SIGINT interrupt this process (KeyboardInterrupt: stored runs kept, manifest
    "interrupted") when it runs as a job the app may cancel, even if it was started with SIGINT
    ignored (a shell's background job without job control passes SIG_IGN down; the app's cancel
    then did nothing and the comparison ran to its end)."""
    if os.environ.get(INTERRUPTIBLE_ENV) == "1":
        signal.signal(signal.SIGINT, signal.default_int_handler)


def run_experiment(
    exp: Experiment,
    out: str | Path,
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    retry_failed: bool = False,
    progress: bool | None = None,
    log: Callable[[str], None] = _log,
    restart: bool = False,
) -> ExperimentRun:
    """Run every run of ``exp`` not yet stored in ``out``; results stream to ``out`` as they
    finish. ``progress`` None shows a progress bar on a terminal only. Runs stored by another
    version of the model are refused (one line), unless ``restart``, which discards every stored
    run (and the reports made from them) first."""
    # every check runs before anything is created: a refusal leaves ``out`` as it was
    check_executor(executor, workers, address)
    out = out_path(out)
    code = code_digest()
    check_results_folder(out, exp.sha256, exp.source, code, restart)
    runs, skipped = plan(exp)
    manifest = build_manifest(exp, runs, skipped, code)
    started = time.perf_counter()
    with ResultStore(out) as store:
        old = store.read_manifest()
        if old is not None:  # again, under the lock (another process may have written it)
            check_resume(old, exp.sha256, exp.source, out)
        if restart:
            _discard(out, log)
            old = None
        else:
            check_code(old or {}, code, out)
        manifest["created"] = (old or {}).get("created") or _now()
        store.write_manifest({**manifest, "updated": _now(), "state": "running"})
        for s in skipped:
            log(f"skipped {s['scenario']} x {s['regime']}: {s['note']}")

        if retry_failed:
            kept = {i for i, status in store.statuses().items() if status == "ok"}
        else:
            kept = store.stored()
        todo = [r for r in runs if r.run_id not in kept]
        report = ExperimentRun(
            out=out,
            planned=len(runs),
            already_stored=len(runs) - len(todo),
            skipped=skipped,
        )
        state = "interrupted"
        try:
            if todo:
                _execute(todo, store, report, exp, executor, workers, address, progress, log)
            state = "complete"
        finally:
            report.seconds = time.perf_counter() - started
            _finish(store, manifest, state)
    return report


def _execute(
    todo: list[RunSpec],
    store: ResultStore,
    report: ExperimentRun,
    exp: Experiment,
    executor: str,
    workers: int | None,
    address: str | None,
    progress: bool | None,
    log: Callable[[str], None],
) -> None:
    from tqdm import tqdm

    if not address:  # no more workers than runs
        workers = min(workers or default_workers(), len(todo))
    with make_executor(executor, workers, address) as ex:
        report.executor = ex.describe()
        log(
            f"{exp.name}: {report.planned} runs, {report.already_stored} already stored, "
            f"{len(todo)} to run on {report.executor}; results in {report.out}"
        )
        ex.start()
        disable = None if progress is None else not progress
        with tqdm(
            total=len(todo), unit="run", disable=disable, file=sys.stderr, dynamic_ncols=True
        ) as bar:
            for result in ex.imap_unordered(execute_run, todo):
                store.write_run(result.row, result.monthly)
                report.ran += 1
                if result.row["status"] == "ok":
                    report.ok += 1
                else:
                    report.failed += 1
                bar.set_postfix_str(f"ok {report.ok}, failed {report.failed}", refresh=False)
                bar.update(1)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _finish(store: ResultStore, manifest: dict[str, Any], state: str) -> None:
    statuses = store.statuses()
    ok = sum(s == "ok" for s in statuses.values())
    failed = sum(s == "failed" for s in statuses.values())
    if ok + failed < manifest["runs_planned"]:
        state = "interrupted"
    store.write_manifest(
        {**manifest, "updated": _now(), "state": state, "runs_ok": ok, "runs_failed": failed}
    )


def _discard(out: Path, log: Callable[[str], None]) -> None:
    """Delete the stored runs (runs/ first: a run is stored while its runs/ file exists), their
    monthly tables, and the reports made from them; the manifest is rewritten by the caller."""
    gone = 0
    for sub in (RUNS, MONTHLY):
        for path in (out / sub).glob("*.parquet"):
            path.unlink(missing_ok=True)
            gone += sub == RUNS
    for name in DERIVED:
        path = out / name
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    log(f"--restart: {gone} stored run(s) and their reports in {out} discarded")
