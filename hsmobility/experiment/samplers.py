"""Parameter samples: a full grid, or a Latin hypercube, Sobol' or Morris design from SALib.

A sample is one point of the parameter space: a dict ``name -> value``. Every sample is run with
every seed of the experiment (common random numbers across samples and regimes).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np

from hsmobility.experiment.spec import Experiment


def problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem: names and bounds of the experiment's ranged parameters."""
    params = exp.parameters
    return {
        "num_vars": len(params),
        "names": [p.name for p in params],
        "bounds": [[p.low, p.high] for p in params],
    }


def sample_matrix(exp: Experiment) -> list[tuple[Any, ...]] | np.ndarray | None:
    """The raw design, one row per sample (before integer parameters are rounded): a numpy
    array from SALib, a list of tuples for a grid (whose values may be lists or strings), or
    None for an experiment without parameters."""
    s = exp.file.sampler
    params = exp.parameters
    if s.method == "none":
        return None
    if s.method == "grid":
        axes = [
            list(p.values) if p.values is not None else np.linspace(p.low, p.high, s.levels)
            for p in params
        ]
        return list(itertools.product(*axes))
    if s.method == "latin":
        from SALib.sample import latin

        return latin.sample(problem(exp), s.n, seed=s.seed)
    if s.method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(
            problem(exp), s.n, calc_second_order=s.second_order, scramble=True, seed=s.seed
        )
    if s.method == "morris":
        from SALib.sample import morris

        return morris.sample(problem(exp), s.n, num_levels=s.levels, seed=s.seed)
    raise ValueError(f"unknown sampler {s.method!r}")  # the schema admits no other


def samples(exp: Experiment) -> list[dict[str, Any]]:
    """The parameter values of every sample, in design order (one empty sample if none)."""
    matrix = sample_matrix(exp)
    if matrix is None:
        return [{}]
    return [
        {p.name: p.convert(_plain(v)) for p, v in zip(exp.parameters, row, strict=True)}
        for row in matrix
    ]


def _plain(value: Any) -> Any:
    """numpy scalars as Python ones (so that values hash and serialise the same everywhere)."""
    return value.item() if isinstance(value, np.generic) else value
