"""The live island page's logic without a browser (issue 13): a session's run steps, takes a
cyclone and lever changes for the next month, forks on the same storms; the page renders and its
Step button advances the month."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("solara")

from hsmobility.app.live import (  # noqa: E402
    EVENT_KINDS,
    LiveRun,
    monthly_identical_before,
    options,
    parse_value,
    preset_files,
)
from hsmobility.app.map import STATUS_STYLE, dot_unit, svg_charts, svg_map  # noqa: E402
from hsmobility.config.schemas import ScenarioError  # noqa: E402

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@pytest.fixture(scope="module")
def tuvalu() -> LiveRun:
    return LiveRun("tuvalu", seed=3)


def test_step_advances_the_month() -> None:
    run = LiveRun("tuvalu", seed=1, years=2)
    assert run.month_label.startswith("Start (")
    run.step()
    first = run.month_label
    run.step()
    assert run.month_label != first
    assert run.model.month_index == 1


def test_a_cyclone_on_an_island_displaces_households_there_next_month() -> None:
    run = LiveRun("tuvalu", seed=2, years=2)
    run.step()
    before = run.model.island_status().set_index("island")
    what = run.trigger("cyclone", "Nui", category=5, distance_km=0.0)
    assert "Nui" in what
    run.step()
    now = run.model.island_status().set_index("island")
    assert now.loc["Nui", "displaced"] > before.loc["Nui", "displaced"]
    assert any("hits Nui" in line for line in run.log()[:3]), run.log()[:3]
    assert run.log()[0].startswith(run.model.month_label)


@pytest.mark.parametrize(
    "kind, words",
    [
        ("evacuation-order", "evacuation order for Nui"),
        ("volcanic-eruption", "volcanic eruption on Nui"),
        ("swell", "on Nui"),
        ("king-tide", "high tide on nui"),
        ("drought", "drought"),
    ],
)
def test_every_event_kind_the_model_supports_can_be_triggered(kind: str, words: str) -> None:
    """A facilitator can trigger each event kind of the model; it acts next month and the log
    says so."""
    run = LiveRun("tuvalu", seed=2, years=2)
    run.step()
    defaults = {name: default for name, (_, default) in EVENT_KINDS[kind].fields.items()}
    run.trigger(kind, "Nui", **defaults)
    run.step()
    this_month = [line for line in run.log() if line.startswith(run.model.month_label)]
    assert any(words in line.lower() or words in line for line in this_month), this_month


def test_bad_events_say_what_is_wrong_in_one_line() -> None:
    run = LiveRun("tuvalu", seed=2, years=1)
    with pytest.raises(ScenarioError, match="category"):
        run.trigger("cyclone", "Nui", category=9, distance_km=0.0)
    with pytest.raises(ScenarioError):
        run.trigger("cyclone", "Atlantis", category=3, distance_km=0.0)
    assert "cyclone" in EVENT_KINDS


def test_a_lever_change_alters_next_months_options() -> None:
    run = LiveRun("tuvalu", seed=2, years=1)
    run.step()
    before = options(run.model)
    run.set_levers(ballots__quota_multiplier=3)
    after = options(run.model)
    ballots = before["kind"] == "ballot"
    assert ballots.any()
    assert (
        after.loc[ballots, "places a year"].to_numpy()
        == 3 * before.loc[ballots, "places a year"].to_numpy()
    ).all()
    assert "levers changed" in run.log()[0] and "quota_multiplier = 3" in run.log()[0]
    with pytest.raises(ScenarioError):
        run.set_levers(ballots__quota_multiplier=-1)
    assert parse_value("3") == 3 and parse_value("true") is True and parse_value("0.5") == 0.5


def test_the_fork_starts_identical_and_diverges_only_after_it() -> None:
    run = LiveRun("tuvalu", seed=4, years=3)
    run.step(6)
    run.fork("free-movement")
    assert run.other is not None and run.fork_month == 6
    assert len(run.frames()) == 2
    assert run.model.island_status().equals(run.other.island_status())
    assert run.model.monthly().equals(run.other.monthly())
    assert (run.differences()["difference"] == 0).all()
    run.trigger("cyclone", "Funafuti", category=4, distance_km=0.0)
    run.step(12)
    assert monthly_identical_before(run)
    ma, mb = run.model.monthly(), run.other.monthly()
    assert not ma.iloc[6:].reset_index(drop=True).equals(mb.iloc[6:].reset_index(drop=True))
    # the same storms on both branches (common random numbers)
    assert np.array_equal(run.model.hazards.wind_ms, run.other.hazards.wind_ms)
    diff = run.differences()
    assert list(diff.columns) == ["", "status-quo", "free-movement", "difference"]
    assert (diff["difference"] != 0).any()
    run.unfork()
    assert len(run.frames()) == 1


def test_two_runs_share_nothing() -> None:
    a, b = LiveRun("tuvalu", seed=1, years=1), LiveRun("tuvalu", seed=1, years=1)
    a.step(2)
    assert b.model.month_index == -1 and a.model is not b.model


def test_the_map_draws_every_status_and_ringed_trapped(tuvalu: LiveRun) -> None:
    status = tuvalu.model.island_status()
    unit = dot_unit(status)
    assert unit >= 1
    svg = svg_map(status, "test", [("Nui", 4, "Pam")])
    assert svg.startswith("<svg") and "Category 4 cyclone Pam" in svg and ">Nui<" in svg
    assert svg.count("<circle") >= len(status)
    assert svg_charts([("a", tuvalu.model.monthly())]).count("<polyline") == 0
    assert set(STATUS_STYLE) <= set(status.columns) | {"home"}


def test_presets_are_the_scenario_files() -> None:
    presets = preset_files()
    assert "tuvalu-2025" in presets and "parameters" not in presets
    run = LiveRun(scenario_file=presets["tuvalu-2025"])
    assert run.model.spec.setting == "tuvalu"


def test_months_per_second_with_drawing() -> None:
    """Tuvalu at full resolution including the drawing (the page's work per month)."""
    run = LiveRun("tuvalu", seed=1)
    started = time.perf_counter()
    for _ in range(24):
        run.step()
        run.frames()
    rate = 24 / (time.perf_counter() - started)
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "live-timings.txt", "a") as fh:
        fh.write(f"tuvalu full resolution, step + draw: {rate:.1f} months/s\n")
    assert rate > 1


def test_the_page_renders_and_step_advances_the_month() -> None:
    import ipyvuetify as v
    import solara
    import solara.widgets

    from hsmobility.app.live import LivePage

    box, rc = solara.render(LivePage(), handle_error=False)

    def month() -> str:
        found = rc.find(solara.widgets.HTML, attributes={"class": "hs-month"})
        return found.widget.unsafe_innerHTML

    first = month()
    assert first.startswith("Start")
    assert (
        "<svg"
        in rc.find(solara.widgets.HTML, attributes={"class": "hs-map"}).widget.unsafe_innerHTML
    )
    rc.find(v.Btn, children=["Step"]).widget.click()
    deadline = time.time() + 30
    while month() == first and time.time() < deadline:
        time.sleep(0.1)
    assert month() != first
    rc.close()
