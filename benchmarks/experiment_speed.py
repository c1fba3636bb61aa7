"""Benchmark of the experiments layer (prints figures; not part of the test run).

1. Speed-up of 2 local worker processes, and of a 2-worker Dask LocalCluster, over 1 local
   worker, on the same ensemble (16 tuvalu runs of 30 years).
2. Wall time of ``hsmobility compare tuvalu --regimes status-quo,free-movement,
   integrated-human-security --replicates 20`` (30 years; target: under a minute on 2 cores).
3. Peak RSS of the runner's parent process while it stores 240 runs: results stream to disk, so
   it must not grow with the number of runs stored.

    .venv/bin/python benchmarks/experiment_speed.py [speedup] [compare] [memory]

Run it on an otherwise idle machine: other processes on the two cores skew every figure.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

ENSEMBLE = """\
title = "benchmark ensemble"
scenarios = ["tuvalu"]
regimes = ["status-quo", "free-movement"]
replicates = 8
seed = 100
years = 30
"""

#: many short runs for the memory check (10 years keeps it to about a minute)
MANY = """\
title = "benchmark memory"
scenarios = ["tuvalu"]
regimes = ["status-quo", "adaptation-first"]
replicates = 120
seed = 1000
years = 10
"""


def command(*args: object) -> list[str]:
    return [sys.executable, "-m", "hsmobility.experiment", *map(str, args)]


def timed_experiment(exp_file: Path, out: Path, executor: str, workers: int) -> tuple[float, float]:
    """Seconds to start the executor (workers up, model imported) and to run and store every
    run of the experiment, as the runner does."""
    from hsmobility.experiment import load_experiment, plan
    from hsmobility.experiment.executors import make_executor
    from hsmobility.experiment.runner import execute_run
    from hsmobility.experiment.store import ResultStore

    runs, _ = plan(load_experiment(exp_file))
    t0 = time.perf_counter()
    with make_executor(executor, workers) as ex:
        ex.start()
        t1 = time.perf_counter()
        with ResultStore(out) as store:
            for result in ex.imap_unordered(execute_run, runs):
                assert result.row["status"] == "ok", result.row["error"]
                store.write_run(result.row, result.monthly)
        t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def speedups(tmp: Path) -> None:
    from hsmobility.experiment.executors import LocalExecutor

    path = tmp / "ensemble.toml"
    path.write_text(ENSEMBLE)
    with LocalExecutor(1) as ex:  # start the fork server (it imports the model once)
        ex.start()
    print("1. the same ensemble (16 tuvalu runs x 30 years) on each executor")
    print(f"   {'':<28}{'start-up':>10}{'runs':>9}{'speed-up':>10}{'with start-up':>15}")
    base: tuple[float, float] | None = None
    for label, executor, workers in (
        ("1 local worker", "local", 1),
        ("2 local workers", "local", 2),
        ("2-worker Dask LocalCluster", "dask", 2),
    ):
        start, runs = timed_experiment(path, tmp / label.replace(" ", "-"), executor, workers)
        base = base or (start, runs)
        print(
            f"   {label:<28}{start:>9.1f}s{runs:>8.1f}s{base[1] / runs:>9.2f}x"
            f"{sum(base) / (start + runs):>14.2f}x",
            flush=True,
        )
        if workers == 1:
            print(f"   (one run takes {runs / 16:.2f} s on average)")


def compare_time(tmp: Path) -> None:
    print(
        "2. hsmobility compare tuvalu --regimes status-quo,free-movement,"
        "integrated-human-security --replicates 20 (30 years)"
    )
    t = time.perf_counter()
    done = subprocess.run(
        command(
            "compare",
            "tuvalu",
            "--regimes",
            "status-quo,free-movement,integrated-human-security",
            "--replicates",
            20,
            "--out",
            tmp / "compare",
            "--no-progress",
        ),  # fmt: skip
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg"},
    )
    seconds = time.perf_counter() - t
    if done.returncode:
        print(done.stderr)
        raise SystemExit(1)
    verdict = "under a minute" if seconds < 60 else "OVER a minute"
    print(f"   wall time {seconds:.1f} s for 60 runs, report and figures ({verdict})", flush=True)


def memory(tmp: Path) -> None:
    import psutil

    path = tmp / "many.toml"
    path.write_text(MANY)
    out = tmp / "many"
    print("3. peak RSS of the parent process while it stores 240 runs (tuvalu, 10 years each)")
    proc = subprocess.Popen(
        command("experiment", path, "--out", out, "--no-progress"),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    parent = psutil.Process(proc.pid)
    peak = 0
    marks = {40: 0, 80: 0, 120: 0, 160: 0, 200: 0, 240: 0}
    runs = out / "runs"
    while proc.poll() is None:
        try:
            rss = parent.memory_info().rss
        except psutil.NoSuchProcess:
            break
        peak = max(peak, rss)
        stored = len(list(runs.glob("[!.]*.parquet"))) if runs.is_dir() else 0
        for mark in marks:
            if stored >= mark and not marks[mark]:
                marks[mark] = peak
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"the experiment failed (exit code {proc.returncode})")
    for mark, value in marks.items():
        print(f"   peak RSS after {mark:>3} runs stored: {value / 2**20:7.1f} MiB")
    print(f"   peak RSS over the whole experiment: {peak / 2**20:7.1f} MiB", flush=True)


PARTS = {"speedup": speedups, "compare": compare_time, "memory": memory}


def main() -> None:
    """Run every part, or those named on the command line (speedup, compare, memory)."""
    parts = sys.argv[1:] or list(PARTS)
    unknown = set(parts) - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part(s) {sorted(unknown)}; expected some of {list(PARTS)}")
    print(f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="hsm-bench-") as tmp:
        for name in parts:
            print()
            PARTS[name](Path(tmp))
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end (other processes skew the figures)")


if __name__ == "__main__":
    main()
