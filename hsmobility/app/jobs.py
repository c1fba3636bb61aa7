"""A comparison running in the background: the ``hsmobility compare`` command in its own process
group, watched through its results folder, and cancelled by an interrupt.

Running the CLI's own command keeps the app's numbers identical to the CLI's, frees the server
from the work (two cores: the page stays responsive) and makes cancelling clean: the runner stores
each finished run atomically, so a cancelled comparison resumes where it stopped when run again.
The folder is the CLI's default one (:func:`default_out`), named by the comparison and the model's
version: after a change to the model the same request starts afresh in a new folder (the old one
is kept and still listed on the Results page), so a resume never mixes two versions' runs.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from hsmobility.experiment.compare import default_out, prepare_compare
from hsmobility.experiment.runner import INTERRUPTIBLE_ENV, plan
from hsmobility.experiment.store import MANIFEST, RUNS, TMP_PREFIX


@dataclass(frozen=True)
class CompareRequest:
    """What the Compare page asks for (the options of ``hsmobility compare``)."""

    setting: str
    #: the first is the baseline of the paired differences
    regimes: tuple[str, ...]
    replicates: int = 10
    ssp: str | None = None
    years: int | None = None
    seed: int = 0
    workers: int | None = None

    def arguments(self) -> list[str]:
        """The command-line arguments of ``hsmobility compare`` (without ``--out``)."""
        args = [self.setting, "--regimes", ",".join(self.regimes)]
        args += ["--replicates", str(self.replicates), "--seed", str(self.seed)]
        if self.ssp:
            args += ["--ssp", self.ssp]
        if self.years is not None:
            args += ["--years", str(self.years)]
        if self.workers is not None:
            args += ["--workers", str(self.workers)]
        return args


def stored_runs(out: Path) -> int:
    """Runs finished (ok or failed) in a results folder."""
    folder = out / RUNS
    if not folder.is_dir():
        return 0
    return sum(1 for p in folder.glob("*.parquet") if not p.name.startswith(TMP_PREFIX))


class CompareJob:
    """One comparison in a child process. ``start`` checks the request first (the CLI's one-line
    errors, raised here), so a job that starts has valid arguments."""

    def __init__(self, request: CompareRequest, results: Path) -> None:
        exp = prepare_compare(
            request.setting,
            list(request.regimes),
            request.replicates,
            request.ssp,
            request.years,
            request.seed,
        )
        self.request = request
        self.out = default_out(exp, results)
        self.planned = len(plan(exp)[0])
        self.started = 0.0
        self.finished = 0.0
        self.cancelled = False
        #: seconds between cancel and kill (the runner then marks the folder interrupted)
        self.grace = 30.0
        self._cancel_at = 0.0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - the child's stderr, kept with the job

    def command(self) -> list[str]:
        args = [*self.request.arguments(), "--out", str(self.out), "--no-progress"]
        return [sys.executable, "-m", "hsmobility", "compare", *args]

    def start(self) -> CompareJob:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self.started = time.perf_counter()
        self._proc = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            # its own process group (cancel reaches its workers) but not its own session: a new
            # session is a new scheduler autogroup on Linux, where nice 19 would count for nothing
            # against the server's group and the ensemble would take the cores from the pages
            process_group=0,
            # SIGINT interrupts it even if the app was started with SIGINT ignored
            env={**os.environ, INTERRUPTIBLE_ENV: "1"},
        )
        # nice 19, below the server's priority, before it starts its workers (they inherit it):
        # the pages stay responsive while it runs
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, self._proc.pid, 19)
        _RUNNING.add(self)
        return self

    # ---------------------------------------------------------------------------- state
    @property
    def running(self) -> bool:
        if self._proc is None or self._proc.poll() is not None:
            if self._proc is not None and not self.finished:
                self.finished = time.perf_counter()
            return False
        return True

    @property
    def ok(self) -> bool:
        """Finished and the report written."""
        return (
            not self.running
            and self._proc is not None
            and self._proc.returncode == 0
            and (self.out / MANIFEST).exists()
        )

    def done(self) -> int:
        return min(stored_runs(self.out), self.planned)

    def seconds(self) -> float:
        end = self.finished or time.perf_counter()
        return end - self.started if self.started else 0.0

    def error(self) -> str:
        """The command's own one-line error, or its last line of output."""
        if self.running or self.ok or self.cancelled:
            return ""
        self._log.seek(0)
        lines = [ln for ln in self._log.read().decode(errors="replace").splitlines() if ln]
        errors = [ln for ln in lines if ln.startswith("hsmobility: error: ")]
        if errors:
            return errors[-1].removeprefix("hsmobility: error: ")
        return lines[-1] if lines else f"exit code {self._proc.returncode if self._proc else '?'}"

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the job ends; True if it did."""
        if self._proc is None:
            return True
        try:
            self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return False
        return not self.running

    def cancel(self) -> None:
        """Interrupt the comparison (as Ctrl-C would) and return at once; :meth:`reap` kills it
        if it has not stopped within :attr:`grace` seconds. Stored runs stay for a resume."""
        if not self.running or self._proc is None:
            return
        self.cancelled = True
        self._cancel_at = time.perf_counter()
        self._signal(signal.SIGINT)

    def reap(self) -> None:
        """Kill a cancelled comparison that is still running after the grace period."""
        if self.cancelled and self.running and time.perf_counter() - self._cancel_at > self.grace:
            self._signal(signal.SIGKILL)

    def _signal(self, sig: int) -> None:
        if self._proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, sig)  # the leader of its own process group: workers too


def _stop_all() -> None:
    """At the server's exit, stop comparisons still running (they resume when run again)."""
    for job in list(_RUNNING):
        job.cancel()
    deadline = time.perf_counter() + 5
    for job in list(_RUNNING):
        job.wait(max(0.0, deadline - time.perf_counter()))
        job._signal(signal.SIGKILL)


#: jobs started by this process
_RUNNING: weakref.WeakSet[CompareJob] = weakref.WeakSet()
atexit.register(_stop_all)
