"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor has the same small interface (EMA Workbench's evaluators): used as a context
manager, ``imap_unordered(fn, items)`` yields ``fn(item)`` for every item as each finishes. A run's
seed comes from its spec, never from the executor, so results do not depend on which one ran them.
Only a bounded window of runs is in flight at a time: results stream back and are written as they
come, and the parent's memory does not grow with the size of the experiment.
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TypeVar

from hsmobility.experiment.spec import ExperimentError

T = TypeVar("T")
R = TypeVar("R")

EXECUTORS = ("local", "dask", "serial")

#: the module a worker imports once, up front, so that runs do not pay for it
WARM_MODULE = "hsmobility.run"

BROKEN = (
    "a worker process died (out of memory? or a script that starts an experiment without "
    "`if __name__ == '__main__':`); the runs finished so far are stored: run again to resume"
)


def warm_up() -> int:
    """Import the model in a worker (once) and return the worker's process id."""
    import importlib

    importlib.import_module(WARM_MODULE)
    return os.getpid()


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Executor:
    """Runs ``fn`` over items and yields results as they finish."""

    name = "executor"
    workers = 1

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release workers and connections."""

    def start(self) -> None:
        """Get the workers ready (imports done) before the first run."""

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.workers} {self.name} worker(s)"


class SerialExecutor(Executor):
    """Runs in this process, one after another (for debugging and small jobs)."""

    name = "serial"

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def describe(self) -> str:
        return "this process (serial)"


class LocalExecutor(Executor):
    """A pool of local worker processes that import the model once.

    Workers start from a fork server (spawn where there is none) that has imported the model
    already, so a new worker costs almost nothing and no run repeats the import.
    """

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload([WARM_MODULE])
        else:
            ctx = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=ctx, initializer=warm_up
        )

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def start(self) -> None:
        """Start the workers and let them import the model before the first run."""
        try:
            for fut in [self.pool.submit(warm_up) for _ in range(self.workers)]:
                fut.result()
        except BrokenProcessPool:
            raise ExperimentError(BROKEN) from None

    def describe(self) -> str:
        return f"{self.workers} local worker process(es)"

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        todo = iter(items)
        window = 2 * self.workers + 2
        pending: set[Future[R]] = set()
        try:
            pending.update(self.pool.submit(fn, item) for item in islice(todo, window))
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    result = fut.result()
                    for item in islice(todo, 1):
                        pending.add(self.pool.submit(fn, item))
                    yield result
        except BrokenProcessPool:
            raise ExperimentError(BROKEN) from None
        finally:
            for fut in pending:
                fut.cancel()


class DaskExecutor(Executor):
    """A Dask cluster: the one at ``address``, or a local one started (and stopped) here.

    The local cluster has ``workers`` single-threaded worker processes bound to 127.0.0.1.
    """

    name = "Dask"

    def __init__(self, address: str | None = None, workers: int | None = None) -> None:
        import logging

        from dask.distributed import Client, LocalCluster

        self.cluster = None
        self.address = address
        if address:
            try:
                self.client = Client(address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                why = " ".join(str(exc).split())
                raise ExperimentError(
                    f"--scheduler {address}: cannot reach a Dask scheduler ({why})"
                ) from None
        else:
            self.cluster = LocalCluster(
                n_workers=workers or default_workers(),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # HTTP routes on a free local port
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        self.client.run(warm_up)
        self.workers = len(self.client.scheduler_info()["workers"])
        if self.workers == 0:
            self.close()
            raise ExperimentError(f"--scheduler {address}: the Dask cluster has no workers")

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def imap_unordered(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        from dask.distributed import as_completed

        todo = iter(items)
        window = 4 * self.workers + 2
        running = as_completed(
            [self.client.submit(fn, item, pure=False) for item in islice(todo, window)]
        )
        try:
            for fut in running:
                result = fut.result()
                fut.release()
                for item in islice(todo, 1):
                    running.add(self.client.submit(fn, item, pure=False))
                yield result
        finally:
            running.clear()

    def describe(self) -> str:
        where = self.address or "a local cluster on 127.0.0.1"
        return f"{self.workers} Dask worker(s) ({where})"


#: the most worker processes one machine is asked for
MAX_WORKERS = 1024

_ADDRESS = re.compile(
    r"^(?:(?P<scheme>tcp|tls|ucx|ws|wss)://)?"
    r"(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r":(?P<port>[0-9]{1,5})$"
)


def check_executor(kind: str, workers: int | None = None, address: str | None = None) -> None:
    """Refuse, before anything is started or written, executor options that cannot work."""
    if kind not in EXECUTORS:
        raise ExperimentError(
            f"--executor: unknown executor {kind!r}; expected one of {', '.join(EXECUTORS)}"
        )
    if workers is not None and (isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS):
        raise ExperimentError(f"--workers: expected 1 to {MAX_WORKERS} (got {workers})")
    if address is None:
        return
    if kind != "dask":
        raise ExperimentError(f"--scheduler {address}: is for --executor dask (got {kind})")
    match = _ADDRESS.match(address)
    if not match or not 1 <= int(match["port"]) <= 65535:
        raise ExperimentError(
            f"--scheduler {address!r}: not a Dask scheduler address; expected "
            "[tcp://]HOST:PORT, e.g. tcp://127.0.0.1:8786"
        )


def make_executor(
    kind: str = "local", workers: int | None = None, address: str | None = None
) -> Executor:
    """The executor called ``kind`` ("local", "dask" or "serial")."""
    check_executor(kind, workers, address)
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(address, workers)
    if kind == "serial":
        return SerialExecutor()
    raise ExperimentError(f"--executor: unknown executor {kind!r}; expected one of {EXECUTORS}")
