"""How fast is one simulated month? Fiji at full resolution (~192,000 households).

Builds ``MobilityModel("fiji", years=..., seed=1)`` with a scripted category-5 storm on
Viti Levu in the third month (so the damage, displacement and recovery paths run on many
households), times the construction and every monthly step, and prints the figures: households,
seconds to build, mean and slowest seconds per month, the storm month, and peak resident memory.

Not a test: run it with ``make benchmark`` or ``.venv/bin/python benchmarks/step_speed.py``.
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import sys
import time

from hsmobility.model import MobilityModel


def peak_rss_mb() -> float:
    """Peak resident set size of this process, MB (ru_maxrss is KB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setting", default="fiji")
    parser.add_argument("--months", type=int, default=24, help="months to time (default 24)")
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--island", default="Viti Levu (rest)", help="island the storm hits")
    args = parser.parse_args(argv)

    years = max(1, -(-args.months // 12))
    storm = {"name": "Benchmark", "date": "2025-03", "category": 5, "island": args.island}
    rss_before = peak_rss_mb()
    t0 = time.perf_counter()
    model = MobilityModel(args.setting, years=years, seed=1, scale=args.scale, events=[storm])
    build_s = time.perf_counter() - t0
    households_start = model.households.n

    per_month = []
    for _ in range(args.months):
        t = time.perf_counter()
        model.step()
        per_month.append(time.perf_counter() - t)
    df = model.monthly()
    categories = df["cyclone_category"].tolist()
    storm_month = categories.index(5) if 5 in categories else -1

    quiet = [s for k, s in enumerate(per_month) if k != storm_month]
    print(f"hsmobility step benchmark: {args.setting}, scale {args.scale}, seed 1")
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"households (agents) at start     {households_start:>12,}")
    print(f"households (agents) at end       {model.households.n:>12,}")
    print(f"seconds to build the model       {build_s:>12.2f}")
    print(f"months timed                     {len(per_month):>12}")
    print(f"mean seconds per month           {statistics.mean(per_month):>12.3f}")
    print(f"median seconds per month         {statistics.median(per_month):>12.3f}")
    print(f"slowest month (s)                {max(per_month):>12.3f}")
    if storm_month >= 0:
        print(f"storm month (category 5, s)      {per_month[storm_month]:>12.3f}")
        print(f"mean of the other months (s)     {statistics.mean(quiet):>12.3f}")
        print(f"households displaced by storm    {int(df['displaced_new'].iloc[storm_month]):>12,}")
    print(f"total seconds (build + months)   {build_s + sum(per_month):>12.2f}")
    print(f"peak RSS (MB)                    {peak_rss_mb():>12.0f}")
    print(f"  of which before the model (MB) {rss_before:>12.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
