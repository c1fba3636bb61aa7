"""Starting the Solara server for ``hsmobility app``, offline.

Solara's pages load their JavaScript and fonts from ``/_solara/cdn/...``; the server answers those
from ``SOLARA_ASSETS_PROXY_CACHE_DIR``, a folder that ``scripts/fetch-app-assets.sh`` fills once
from the npm registry (``make app-assets``). Without it a page stays blank when offline.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from hsmobility.config.schemas import ScenarioError

#: environment variables the pages read (set by :func:`serve`)
RESULTS_ENV = "HSMOBILITY_RESULTS"
ASSETS_ENV = "HSMOBILITY_APP_ASSETS"
#: the npm packages the pages load, as folder names under the assets folder
ASSET_PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "katex@0.16.9",
    "mermaid@10.8.0",
)


def project_dir() -> Path:
    return Path(__file__).resolve().parents[2]


def assets_dir() -> Path:
    """The front-end assets: ``$HSMOBILITY_APP_ASSETS`` or the project's ``.solara-cdn``."""
    env = os.environ.get(ASSETS_ENV)
    return Path(env).resolve() if env else project_dir() / ".solara-cdn"


def check_assets(folder: Path) -> None:
    """One line saying what to run when the assets are missing."""
    missing = [p for p in ASSET_PACKAGES if not (folder / p / "package.json").is_file()]
    if missing:
        raise ScenarioError(
            f"app assets missing in {folder} ({', '.join(missing)}): run `make app-assets` "
            "once (needs npm and the npm registry; afterwards no network is needed)"
        )


def results_dir(path: str | Path | None = None) -> Path:
    """The folder whose experiments the Results page lists and where comparisons are stored."""
    return Path(path or os.environ.get(RESULTS_ENV) or "results").resolve()


def server_env(results: Path, assets: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            RESULTS_ENV: str(results),
            ASSETS_ENV: str(assets),
            "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets),
            "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
            "SOLARA_THEME_SHOW_BANNER": "False",
            # matplotlib draws off-screen; no display on a server
            "MPLBACKEND": "Agg",
        }
    )
    return env


def server_command(host: str, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        "hsmobility.app.pages",
        "--production",
        "--no-open",
        "--host",
        host,
        "--port",
        str(port),
    ]


def serve(host: str = "127.0.0.1", port: int = 8765, results: str | Path | None = None) -> int:
    """Replace this process with the Solara server (so a signal to it stops the server)."""
    try:
        import solara  # noqa: F401
    except ImportError:
        raise ScenarioError(
            "the app needs its packages: run `make app` (or pip install -e '.[app]')"
        ) from None
    if not 0 <= port <= 65535:
        raise ScenarioError(f"--port: must be between 0 and 65535 (got {port})")
    assets = assets_dir()
    check_assets(assets)
    folder = results_dir(results)
    if folder.exists() and not folder.is_dir():
        raise ScenarioError(f"--results {folder}: exists and is not a folder")
    print(f"hsmobility app: http://{host}:{port}/  (results in {folder}; Ctrl-C stops)", flush=True)
    cmd = server_command(host, port)
    os.execve(cmd[0], cmd, server_env(folder, assets))
    return 0  # not reached
