"""The app in a real (headless) browser, offline: every page, a comparison run in the background
with the CLI's numbers, cancel, the regime builder's checks and saved file, the results page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from browser.conftest import Server, shot
from hsmobility.app import builder
from hsmobility.app.figures import summary_table
from hsmobility.config.regimes import build_regime
from hsmobility.config.scenario import load_setting
from hsmobility.experiment.compare import read_comparison
from hsmobility.experiment.store import ResultStore

HEADING = "Compare policy regimes on the same storms"
TIMEOUT = 180_000  # ms, for a comparison to finish on two busy cores


def hsmobility(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hsmobility", *args], capture_output=True, text=True, check=check
    )


def set_slider(page, index: int, key: str) -> None:
    slider = page.get_by_role("slider").nth(index)
    slider.focus()
    page.keyboard.press(key)


def open_select(page, label: str) -> None:
    """Open the drop-down list of the select labelled ``label``."""
    field = page.locator(".v-select", has=page.get_by_text(label, exact=True))
    field.locator(".v-select__slot").click()


def pick(page, option: str) -> None:
    page.locator(".menuable__content__active .v-list-item", has_text=option).first.click()


def options(page) -> list[str]:
    items = page.locator(".menuable__content__active .v-list-item")
    items.first.wait_for()
    return [t.strip() for t in items.all_inner_texts()]


def table_rows(page) -> list[list[str]]:
    """The summary table's cells, white space as in the CSV download."""
    rows = page.locator("table.hs-table").first.evaluate(
        "t => Array.from(t.rows).map(r => Array.from(r.cells).map(c => c.innerText))"
    )
    return [[" ".join(cell.split()) for cell in row] for row in rows]


def test_the_compare_page_paints_offline(open_page, server: Server) -> None:
    started = time.perf_counter()
    page = open_page("/")
    page.get_by_text(HEADING).wait_for()
    server.timings["first paint of the Compare page (s)"] = time.perf_counter() - started
    for text in ("Setting", "Climate pathway", "Regimes (2 to 4)", "Seeds per regime: 10"):
        assert page.get_by_text(text).first.is_visible()
    shot(page, "compare-start")


def test_a_comparison_runs_in_the_background_and_shows_the_cli_numbers(
    open_page, server: Server, tmp_path: Path
) -> None:
    page = open_page("/")
    page.get_by_text(HEADING).wait_for()
    set_slider(page, 0, "Home")  # 2 seeds per regime, then 3
    page.get_by_text("Seeds per regime: 2").wait_for()
    page.keyboard.press("ArrowRight")
    set_slider(page, 1, "Home")  # 5 years
    page.get_by_text("Seeds per regime: 3").wait_for()
    page.get_by_text("Years from 2025: 5").wait_for()
    started = time.perf_counter()
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text(re.compile(r"Results: compare-tuvalu-")).wait_for(timeout=TIMEOUT)
    server.timings["compare 3 regimes x 3 seeds x 5 years, app (s)"] = time.perf_counter() - started
    page.get_by_text("9 of 9 runs done").wait_for()
    page.locator("img").first.wait_for()
    shot(page, "compare-results")
    page.locator("table.hs-table").first.scroll_into_view_if_needed()
    shot(page, "compare-table")
    page.get_by_text("Public cost and cost-effectiveness").scroll_into_view_if_needed()
    shot(page, "compare-costs")
    with page.expect_download() as download:
        page.get_by_role("button", name="Report (Markdown)").click()
    assert "## Tables" in Path(download.value.path()).read_text()

    # the page names the CLI command that gives the same comparison: run it elsewhere
    same_as = page.get_by_text(re.compile("^Same as: hsmobility compare ")).inner_text()
    args = same_as.removeprefix("Same as: hsmobility ").split()
    out = tmp_path / "cli"
    started = time.perf_counter()
    hsmobility(*args, "--out", str(out), "--no-progress")
    server.timings["same comparison, CLI (s)"] = time.perf_counter() - started
    tables, _ = read_comparison(out)
    expected = summary_table(tables)
    rows = table_rows(page)
    assert rows[0] == list(expected.columns)
    assert rows[1:] == expected.astype(str).values.tolist()
    # and the files of the CLI's report hold the same numbers as the folder the app wrote
    app_out = next(server.results.glob("compare-tuvalu-*"))
    for name in ("bands.csv", "differences.csv"):
        assert (app_out / name).read_text() == (out / name).read_text()


def test_a_running_comparison_leaves_the_page_responsive_and_can_be_cancelled(
    open_page, server: Server
) -> None:
    page = open_page("/")
    page.get_by_text(HEADING).wait_for()
    set_slider(page, 0, "End")  # 40 seeds per regime: 120 runs, long enough to cancel
    page.get_by_text("Seeds per regime: 40").wait_for()
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text(re.compile(r"of 120 runs done")).wait_for()

    # a click answers within a second while the ensemble runs (the best of three tries for each
    # page: the machine may be busy with other work than ours)
    waits: dict[str, float] = {}
    for _ in range(3):
        for target, text in (
            ("Regime builder", "Build a regime"),
            ("Results", "Experiments and comparisons"),
            ("Compare", HEADING),
        ):
            started = time.perf_counter()
            page.get_by_role("button", name=target, exact=True).click()
            page.get_by_text(text).wait_for()
            took = time.perf_counter() - started
            waits[target] = min(waits.get(target, took), took)
    for target, took in waits.items():
        server.timings[f"click to {target} page while comparing (s)"] = took
    assert max(waits.values()) < 1.0, waits

    # progress moves on, and survives the trip to another page
    page.get_by_text(re.compile(r"^[1-9]\d* of 120 runs done")).wait_for(timeout=TIMEOUT)
    shot(page, "compare-running")
    page.get_by_role("button", name="Cancel").click()
    page.get_by_text(re.compile("cancelled")).wait_for(timeout=20_000)
    shot(page, "compare-cancelled")
    done = page.get_by_text(re.compile(r"of 120 runs done")).inner_text()
    time.sleep(2)
    assert page.get_by_text(re.compile(r"of 120 runs done")).inner_text() == done
    stored = [
        (p, json.loads((p / "manifest.json").read_text()))
        for p in server.results.glob("compare-tuvalu-*")
        if json.loads((p / "manifest.json").read_text())["runs_planned"] == 120
    ]
    assert len(stored) == 1 and stored[0][1]["state"] == "interrupted"
    with ResultStore(stored[0][0]):  # nobody writes there any more
        pass
    assert page.get_by_role("button", name="Run comparison").is_enabled()


def test_the_regime_builder_checks_as_you_type_and_saves_a_file_the_cli_runs(
    open_page, server: Server, tmp_path: Path
) -> None:
    page = open_page("/regime-builder")
    page.get_by_text("Valid for tuvalu. Changed: nothing yet.").wait_for()
    quota = page.get_by_label("quota_multiplier (0 to 100)").first  # the ballots' one
    quota.fill("abc")
    expected = builder.check("status-quo", "tuvalu", {"ballots.quota_multiplier": "abc"}).error
    assert expected
    page.get_by_text(expected).wait_for()
    shot(page, "builder-error")
    cli = hsmobility(
        "run", "tuvalu", "--set", "ballots.quota_multiplier=abc", "--out", str(tmp_path / "x"),
        check=False,
    )  # fmt: skip
    assert cli.returncode == 2
    assert expected.replace("(with regime builder)", "(with --set)") in cli.stderr

    quota.fill("3")
    page.get_by_text("Valid for tuvalu. Changed: ballots.quota_multiplier.").wait_for()
    # a trip to another page keeps what was typed (the page stays mounted once visited)
    page.get_by_role("button", name="Results", exact=True).click()
    page.get_by_text("Experiments and comparisons").wait_for()
    assert not page.get_by_text("Build a regime").is_visible()
    page.get_by_role("button", name="Regime builder", exact=True).click()
    page.get_by_text("Valid for tuvalu. Changed: ballots.quota_multiplier.").wait_for()
    assert quota.input_value() == "3"
    page.get_by_label("File name (e.g. my-regime)").fill("triple-quota")
    page.get_by_label("Title in plain words").fill("Three times the ballot places")
    page.get_by_role("button", name="Save regime").click()
    path = server.results / "regimes" / "triple-quota.toml"
    page.get_by_text(f"Saved {path}").wait_for()
    shot(page, "builder-saved")

    regime = build_regime(str(path), load_setting("tuvalu"))
    assert regime.levers.ballots.quota_multiplier == 3
    run = hsmobility(
        "run", "tuvalu", "--regime", str(path), "--years", "1", "--out", str(tmp_path / "run")
    )  # fmt: skip
    assert "regime" in run.stdout

    # compare it at once: the Compare page opens with it beside the status quo
    page.get_by_role("button", name="Compare it now with the status quo").click()
    page.get_by_text(HEADING).wait_for()
    page.get_by_text("status-quo, triple-quota (saved)").wait_for()
    page.get_by_text("Three times the ballot places").wait_for()
    open_select(page, "Regimes (2 to 4)")
    assert "triple-quota (saved)" in options(page)


def test_the_results_page_lists_result_folders_only_and_shows_a_comparison(
    open_page, server: Server
) -> None:
    out = server.results / "compare-from-cli"
    hsmobility(
        "compare", "tuvalu", "--regimes", "status-quo,free-movement", "--replicates", "2",
        "--years", "3", "--out", str(out), "--no-progress",
    )  # fmt: skip
    (server.results / "notes").mkdir(exist_ok=True)  # no manifest: not listed
    page = open_page("/results")
    page.get_by_text("Experiments and comparisons").wait_for()
    open_select(page, "Results folder")
    listed = options(page)
    assert "compare-from-cli" in listed and "notes" not in listed and "regimes" not in listed
    pick(page, "compare-from-cli")
    page.get_by_text("compare tuvalu: status-quo, free-movement").wait_for()
    page.get_by_text("free-movement minus status-quo").wait_for()
    tables, _ = read_comparison(out)
    assert table_rows(page)[1:] == summary_table(tables).astype(str).values.tolist()
    shot(page, "results")

    open_select(page, "Baseline for the differences")
    pick(page, "free-movement")
    page.get_by_text("status-quo minus free-movement").wait_for()
    tables, _ = read_comparison(out, baseline="free-movement")
    assert table_rows(page)[1:] == summary_table(tables).astype(str).values.tolist()


def test_each_browser_session_has_its_own_state(open_page) -> None:
    a, b = open_page("/"), open_page("/")
    for page in (a, b):
        page.get_by_text(HEADING).wait_for()
    set_slider(a, 0, "Home")
    a.get_by_text("Seeds per regime: 2").wait_for()
    b.reload()
    b.get_by_text(HEADING).wait_for()
    assert b.get_by_text("Seeds per regime: 10").is_visible()


@pytest.mark.parametrize("sessions", [1, 10])
def test_server_memory_with_open_sessions(open_page, server: Server, sessions: int) -> None:
    """Each session shows a comparison (figure and table) on the Results page (the newest
    folder is shown first)."""
    out = server.results / "compare-memory"
    if not out.exists():
        hsmobility(
            "compare", "tuvalu", "--regimes", "status-quo,free-movement", "--replicates", "2",
            "--years", "2", "--out", str(out), "--no-progress",
        )  # fmt: skip
    pages = [open_page("/results") for _ in range(sessions)]
    for page in pages:
        page.locator("table.hs-table").first.wait_for()
    time.sleep(1)
    rss = server.rss_mb()
    server.timings[f"server memory, {sessions} more session(s) showing a comparison (MB)"] = rss
    assert rss < 4000
