"""Many runs: experiment files, samplers, executors, the Parquet results store, ensembles.

One function runs one scenario (:func:`hsmobility.run.run_scenario`); an experiment runs it over
scenarios x regimes x parameter samples x seeds (Agents.jl's ``ensemblerun!``/``paramscan``), on
local processes or a Dask cluster, and streams the results to a folder of Parquet files::

    from hsmobility.experiment import load_experiment, run_experiment, read_runs
    exp = load_experiment("experiments/pacific-regimes.toml")
    run_experiment(exp, "results/pacific-regimes", workers=2)
    runs = read_runs("results/pacific-regimes")

Analysis stays apart from running (EMA Workbench): :mod:`.ensemble` summarises ensembles,
:mod:`.compare` and :mod:`.analyse` write reports from a results folder.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hsmobility.experiment.runner import ExperimentRun, RunSpec, plan, run_experiment
    from hsmobility.experiment.spec import Experiment, ExperimentError, load_experiment
    from hsmobility.experiment.store import read_manifest, read_monthly, read_runs

#: public names -> the module defining them (imported on first use, so that the ``hsmobility``
#: command starts quickly)
_EXPORTS = {
    "Experiment": "spec",
    "ExperimentError": "spec",
    "load_experiment": "spec",
    "ExperimentRun": "runner",
    "RunSpec": "runner",
    "plan": "runner",
    "run_experiment": "runner",
    "read_manifest": "store",
    "read_monthly": "store",
    "read_runs": "store",
}

__all__ = [
    "Experiment",
    "ExperimentError",
    "ExperimentRun",
    "RunSpec",
    "load_experiment",
    "plan",
    "read_manifest",
    "read_monthly",
    "read_runs",
    "run_experiment",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
