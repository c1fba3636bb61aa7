"""``hsmobility bench``: speed and memory of the monthly step, measured the same way every time.

On synthetic settings of about 2,000, 20,000 and 200,000 households (:mod:`.synthetic`, with
storms, king tides, drought and every policy lever in force, so that all phases work) it measures

* the full monthly step (all phases and data collection) in household-months per CPU-second
  (and per wall-second), from the fastest of several runs month by month;
* the time to build the model, and the bytes per household it holds (numpy columns and Mesa
  agents, from ``tracemalloc``), after the build and after the months;
* the share of step time spent collecting indicators (``MobilityModel.record``);
* a per-agent Mesa implementation of the same decision rule (:mod:`.reference`) at 20,000
  households, against the vectorised decisions phase on the same households and draws, for the
  speed-up ratio, with a check that both make the same decisions.

This module only declares the command's arguments (it imports nothing heavy); the machinery is in
:mod:`hsmobility.bench.measure`.
"""

from __future__ import annotations

import argparse

#: synthetic sizes (households) and the size of the per-agent reference
SIZES = (2_000, 20_000, 200_000)
REFERENCE_SIZE = 20_000
MONTHS = 12


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``hsmobility bench``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in SIZES),
        help="households of the synthetic settings, comma-separated (default %(default)s)",
    )
    parser.add_argument(
        "--months", type=int, default=MONTHS, help="months timed at each size (default 12)"
    )
    parser.add_argument(
        "--repeats", type=int, help="runs per size (default: 5, 3 or 2 by size); fastest kept"
    )
    parser.add_argument(
        "--reference-size",
        type=int,
        default=REFERENCE_SIZE,
        help="households of the per-agent reference (default %(default)s; 0 = skip)",
    )
    parser.add_argument(
        "--phases", action="store_true", help="also report each phase's share of the step"
    )
