"""Browser tests: ``hsmobility app`` served on a free 127.0.0.1 port as a subprocess, driven by
Debian's Chromium through Playwright. Every request must stay on 127.0.0.1 and every
``/_solara/cdn/`` asset must exist as a file of the project's assets folder (the app works with no
internet). Screenshots go to ``tests/artifacts/`` (git-ignored)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from hsmobility.app.server import assets_dir

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 720}


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    results: Path
    proc: subprocess.Popen[bytes]
    ready_seconds: float
    log: Path
    timings: dict[str, float] = field(default_factory=dict)

    def rss_mb(self) -> float:
        """Resident memory of the server process, MB (Linux)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def start_server(results: Path, log: Path) -> Server:
    port = free_port()
    cmd = [sys.executable, "-m", "hsmobility", "app", "--port", str(port)]
    cmd += ["--results", str(results)]
    started = time.perf_counter()
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = started + 90
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"hsmobility app exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError(f"hsmobility app not ready in 90 s: {log.read_text()[-2000:]}")
    return Server(url, results, proc, time.perf_counter() - started, log)


def stop_server(server: Server) -> None:
    server.proc.send_signal(signal.SIGTERM)
    try:
        server.proc.wait(15)
    except subprocess.TimeoutExpired:
        server.proc.kill()
        server.proc.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    exe = chromium()
    if exe is None:
        pytest.skip("chromium is not installed: run `apt-get install -y chromium` (or make test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    results = tmp_path_factory.mktemp("results")
    s = start_server(results, tmp_path_factory.mktemp("log") / "server.log")
    try:
        yield s
    finally:
        stop_server(s)
        report = ARTIFACTS / "timings.txt"
        lines = [f"server ready: {s.ready_seconds:.1f} s"]
        lines += [f"{k}: {v:.2f}" for k, v in s.timings.items()]
        report.write_text("\n".join(lines) + "\n")


class Requests:
    """Every request a page makes, checked at the end of the test."""

    def __init__(self) -> None:
        self.urls: list[str] = []
        self.failed: list[str] = []

    def on_failed(self, request: object) -> None:
        reason = request.failure or ""  # type: ignore[attr-defined]
        if "ERR_ABORTED" not in reason:  # a reload or navigation cancels requests in flight
            self.failed.append(f"{request.url} ({reason})")  # type: ignore[attr-defined]

    def problems(self) -> list[str]:
        out = []
        assets = assets_dir()
        for url in self.urls:
            u = urlparse(url)
            if u.scheme in ("data", "blob"):
                continue  # made by the page itself, nothing fetched
            if u.hostname != "127.0.0.1":
                out.append(f"request leaves the machine: {url}")
            elif u.path.startswith("/_solara/cdn/"):
                rel = unquote(u.path.removeprefix("/_solara/cdn/"))
                if not (assets / rel).is_file():
                    out.append(f"asset not in {assets}: {rel}")
        out += [f"request failed: {url}" for url in self.failed]
        return out


@pytest.fixture
def open_page(browser: object, server: Server) -> Iterator[object]:
    """``open_page(path)``: a new browser session (its own context) on a page of the app."""
    contexts = []
    recorders = []

    def _open(path: str = "") -> object:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)  # type: ignore[attr-defined]
        page = context.new_page()
        rec = Requests()
        page.on("request", lambda r: rec.urls.append(r.url))
        page.on("requestfailed", rec.on_failed)
        contexts.append(context)
        recorders.append(rec)
        page.goto(server.url + path.lstrip("/"))
        return page

    yield _open
    for context in contexts:
        context.close()
    problems = [p for rec in recorders for p in rec.problems()]
    assert not problems, "\n".join(problems[:20])


def shot(page: object, name: str) -> Path:
    """A screenshot of the viewport (1280x720, as on a projector) under tests/artifacts/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))  # type: ignore[attr-defined]
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker("browser")


os.environ.setdefault("MPLBACKEND", "Agg")
