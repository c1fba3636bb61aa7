"""The live island page (issue 13): a setting month by month for a workshop.

:class:`LiveRun` holds one browser session's :class:`~hsmobility.model.MobilityModel` and does
everything the page asks (step, trigger an event, change levers, fork "what if") without Solara,
so it is tested on its own; :func:`LivePage` is the Solara page around it. Each session builds its
own run inside the page (``solara.use_reactive``), so two browsers never share a model. Play runs
in a background thread (``solara.lab.use_task``) that steps, draws and hands the page new
pictures; a lock keeps clicks from stepping the model while that thread does.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import solara
import solara.lab

from hsmobility.app import builder
from hsmobility.app.figures import html_table
from hsmobility.app.map import STATUS_STYLE, dot_unit, svg_charts, svg_map
from hsmobility.app.server import project_dir
from hsmobility.config.regimes import available_regimes
from hsmobility.config.scenario import available_settings
from hsmobility.config.schemas import ScenarioError
from hsmobility.model import MobilityModel

PATHWAYS = ("SSP1-2.6", "SSP2-4.5", "SSP5-8.5")
#: households per agent for the larger settings, so they play at a workshop's pace
DEFAULT_SCALE = {"fiji": 20}


def preset_files() -> dict[str, str]:
    """The ready-made scenario files (scenarios/*.toml) by title."""
    out = {}
    for path in sorted((project_dir() / "scenarios").glob("*.toml")):
        if path.name == "parameters.toml":
            continue
        out[path.stem] = str(path)
    return out


# ----------------------------------------------------------------------------- events
@dataclass(frozen=True)
class EventKind:
    """An event a facilitator can trigger: its fields (name -> (label, default)) and how it is
    handed to the model. New kinds (evacuation orders, eruptions, king tides via the coming
    ``MobilityModel.trigger_event``) are one more entry in :data:`EVENT_KINDS`."""

    label: str
    fields: dict[str, tuple[str, Any]]
    apply: Callable[..., None]


def _cyclone(model: MobilityModel, island: str, category: int, distance_km: float) -> None:
    model.trigger_cyclone(island, int(category), float(distance_km))


def _month_after(model: MobilityModel, months: int) -> str | None:
    """ "YYYY-MM" of the month ``months`` after next month, or None past the run's end."""
    w = model.world
    t = w.t + 1 + int(months)
    if t >= w.n_months:
        return None
    return f"{int(w.hazards.year[t])}-{int(w.hazards.month[t]):02d}"


def _refuge(model: MobilityModel, island: str) -> str:
    """Where an island's evacuees go: the capital, or from the capital the nearest island."""
    w = model.world
    return w.setting.islands[int(w.geo.refuge_island[w.setting.island_index(island)])].name


def _evacuation(model: MobilityModel, island: str, months: float, capacity: float) -> None:
    model.trigger_event(
        "evacuation-order",
        islands=[island],
        destinations=[{"island": _refuge(model, island), "capacity_people": int(capacity)}],
        lifted=_month_after(model, int(months)),
    )


def _eruption(model: MobilityModel, island: str, exclusion_share: float, months: float) -> None:
    model.trigger_event(
        "volcanic-eruption", island=island, exclusion_share=float(exclusion_share),
        months=int(months),
    )  # fmt: skip


def _swell(model: MobilityModel, island: str, height_m: float) -> None:
    model.trigger_event("swell", islands=[island], height_m=float(height_m))


def _king_tide(model: MobilityModel, island: str, height_m: float) -> None:
    model.trigger_event("king-tide", islands=[island], height_m=float(height_m))


def _drought(model: MobilityModel, island: str, months: float) -> None:
    model.trigger_event("drought", months=int(months))  # the whole setting


EVENT_KINDS: dict[str, EventKind] = {
    "cyclone": EventKind(
        "Cyclone",
        {"category": ("Category (0 = tropical storm)", 4), "distance_km": ("Distance (km)", 0.0)},
        _cyclone,
    ),
    "evacuation-order": EventKind(
        "Evacuation order",
        {"months": ("Months until lifted", 3), "capacity": ("Room at the refuge (people)", 5000)},
        _evacuation,
    ),
    "volcanic-eruption": EventKind(
        "Volcanic eruption",
        {"exclusion_share": ("Share in the exclusion zone", 0.5), "months": ("Months closed", 6)},
        _eruption,
    ),
    "swell": EventKind("Swell or surge", {"height_m": ("Height (m)", 2.0)}, _swell),
    "king-tide": EventKind("King tide", {"height_m": ("Height (m)", 1.0)}, _king_tide),
    "drought": EventKind("Drought (whole setting)", {"months": ("Months", 6)}, _drought),
}


# ----------------------------------------------------------------------------- one run
@dataclass
class Frame:
    """What the page shows for one run at one month (drawn in the thread that stepped)."""

    month: str
    map_svg: str
    charts_svg: str
    log: list[str]
    options: pd.DataFrame


def storms_now(model: MobilityModel) -> list[tuple[str, int, str]]:
    """Storms passing this month above the damage threshold: (island, category, name)."""
    month = model.month
    if month is None:
        return []
    names = [i.name for i in model.setting.islands]
    threshold = model.params.cyclones.damage_threshold_ms
    return [
        (names[c.hardest_hit], int(c.category), c.name)
        for c in month.storms
        if c.wind_ms.max() >= threshold
    ]


def options(model: MobilityModel) -> pd.DataFrame:
    """The ways to move open from the next month: pathway, kind, destination, places a year."""
    rows = [
        {
            "way to move": p.name,
            "kind": p.kind,
            "to": getattr(p, "destination", ""),
            "places a year": getattr(p, "quota_per_year", None),
        }
        for p in model.world.policy.regime.pathways
    ]
    return pd.DataFrame(rows)


def start_label(model: MobilityModel) -> str:
    return "Start (" + model.world.month_label(0) + ")" if model.month_index < 0 else ""


@dataclass
class LiveRun:
    """A session's live model: the setting, regime, pathway and seed it was built with."""

    setting: str = "tuvalu"
    regime: str = "status-quo"
    ssp: str = "SSP2-4.5"
    seed: int = 1
    scale: int | None = None
    scenario_file: str | None = None
    years: int = 30
    model: MobilityModel = field(init=False)
    lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    #: the other branch of a fork "what if" (None: no fork)
    other: MobilityModel | None = field(init=False, default=None)
    fork_month: int | None = field(init=False, default=None)
    fork_regimes: tuple[str, str] = field(init=False, default=("", ""))

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        if self.scenario_file:
            model = MobilityModel(scenario_file=self.scenario_file)
        else:
            scale = self.scale or DEFAULT_SCALE.get(self.setting)
            model = MobilityModel(
                self.setting,
                regime=self.regime,
                ssp=self.ssp,
                seed=self.seed,
                years=self.years,
                scale=scale,
            )
        with self.lock:
            self.model, self.other, self.fork_month = model, None, None

    @property
    def islands(self) -> list[str]:
        return [i.name for i in self.model.setting.islands]

    @property
    def month_label(self) -> str:
        return start_label(self.model) or self.model.month_label

    @property
    def finished(self) -> bool:
        return not self.model.running

    def step(self, n: int = 1) -> None:
        """``n`` months (both branches when forked)."""
        with self.lock:
            for _ in range(n):
                self.model.step()
                if self.other is not None:
                    self.other.step()

    def trigger(self, kind: str, island: str, **values: Any) -> str:
        """Queue an event for the next month (both branches of a fork); returns what was done."""
        event = EVENT_KINDS[kind]
        with self.lock:
            for m in (self.model, self.other):
                if m is not None:
                    event.apply(m, island=island, **values)
        detail = ", ".join(
            f"{k.replace('_km', '')} {v:g}{' km' if k.endswith('_km') else ''}"
            for k, v in values.items()
        )
        return f"{event.label} on {island} ({detail}) queued for next month"

    def set_levers(self, regime: str | None = None, **levers: Any) -> None:
        """Change the regime or levers from the next month (the fork's second branch when
        forked); ``levers`` as ``lever__param=value``."""
        with self.lock:
            (self.other or self.model).set_regime(regime, **levers)

    def fork(self, regime: str, **levers: Any) -> None:
        """From this month on, a second branch under ``regime`` (and levers) on the same storms."""
        with self.lock:
            other = copy.deepcopy(self.model)
            other.set_regime(regime, **levers)
            self.other = other
            self.fork_month = self.model.month_index + 1
            self.fork_regimes = (self.model.spec.regime, regime)

    def unfork(self) -> None:
        with self.lock:
            self.other, self.fork_month = None, None

    # ------------------------------------------------------------------ what the page shows
    def log(self, model: MobilityModel | None = None, last: int = 40) -> list[str]:
        """The event log in plain words, newest first."""
        events = (model or self.model).event_log
        return [line for _, line in reversed(events[-last:])]

    def frame(self, model: MobilityModel | None = None, unit: int | None = None) -> Frame:
        model = model or self.model
        with self.lock:
            status = model.island_status()
            monthly = model.monthly()
            storms = storms_now(model)
            label = start_label(model) or model.month_label
            log = self.log(model)
            opts = options(model)
        title = f"{label} · {model.spec.regime}"
        map_svg = svg_map(status, title, storms, unit=unit)
        charts_svg = svg_charts([(model.spec.regime, monthly)], self.fork_month)
        return Frame(label, map_svg, charts_svg, log, opts)

    def frames(self) -> list[Frame]:
        """One frame per branch (one without a fork), the fork's two on one dot scale."""
        if self.other is None:
            return [self.frame()]
        unit = dot_unit(self.model.island_status())
        return [self.frame(self.model, unit), self.frame(self.other, unit)]

    def differences(self) -> pd.DataFrame:
        """The fork's branches since the fork: totals of the months so far, second minus first."""
        if self.other is None or self.fork_month is None:
            return pd.DataFrame()
        with self.lock:
            a = self.model.monthly().iloc[self.fork_month :]
            b = self.other.monthly().iloc[self.fork_month :]
        rows = []
        for label, col, how in (
            ("Displaced people (now)", "displaced_people", "last"),
            ("Trapped households (now)", "households_trapped", "last"),
            ("Moves abroad since the fork", "moves_abroad", "sum"),
            ("Moves within the country since the fork", "moves_internal", "sum"),
            ("Relocations since the fork", "moves_relocation", "sum"),
            ("Residents (now)", "residents", "last"),
        ):
            va = _agg(a, col, how)
            vb = _agg(b, col, how)
            rows.append({"": label, self.fork_regimes[0]: va, self.fork_regimes[1]: vb})
            rows[-1]["difference"] = vb - va
        return pd.DataFrame(rows)


def _agg(df: pd.DataFrame, col: str, how: str) -> int:
    if col not in df or df.empty:
        return 0
    return int(df[col].iloc[-1] if how == "last" else df[col].sum())


def monthly_identical_before(run: LiveRun) -> bool:
    """Whether the fork's two branches agree on every month before the fork."""
    if run.other is None or run.fork_month is None:
        return True
    a = run.model.monthly().iloc[: run.fork_month]
    b = run.other.monthly().iloc[: run.fork_month]
    return a.reset_index(drop=True).equals(b.reset_index(drop=True))


# ----------------------------------------------------------------------------- the page
CSS = """
.hs-live .v-btn { font-size: 16px; }
.hs-heading { font-size: 20px; font-weight: 500; margin-top: 8px; }
.hs-month { font-size: 30px; font-weight: bold; margin: 4px 0; }
.hs-log { font-size: 15px; max-height: 340px; overflow-y: auto; }
.hs-log li { margin-bottom: 3px; }
.hs-map svg, .hs-charts svg { display: block; width: 100%; height: auto; }
.hs-legend { font-size: 14px; line-height: 1.9; }
.hs-key { margin-right: 14px; white-space: nowrap; }
.hs-dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%;
  margin-right: 5px; vertical-align: -1px; }
.hs-ring { border: 2px solid black; background: white; }
.hs-workshop, .hs-workshop .v-label, .hs-workshop .v-select__selection,
.hs-workshop input { font-size: 20px !important; }
.hs-workshop .v-btn { font-size: 20px !important; min-height: 52px; min-width: 120px; }
.hs-workshop .hs-heading { font-size: 20px; font-weight: 500; margin-top: 8px; }
.hs-month { font-size: 44px; }
.hs-workshop .hs-log, .hs-workshop .hs-legend { font-size: 20px; }
"""


def html_list(lines: list[str]) -> str:
    import html

    return "<ul>" + "".join(f"<li>{html.escape(x)}</li>" for x in lines) + "</ul>"


def lever_keys() -> list[str]:
    return [f.key for f in builder.lever_fields() if f.kind != "list"]


def parse_value(text: str) -> Any:
    """A lever value typed in a box: true/false, a number, else the text."""
    t = text.strip()
    if t.lower() in ("true", "false"):
        return t.lower() == "true"
    for kind in (int, float):
        try:
            return kind(t)
        except ValueError:
            pass
    return t


@solara.component
def RunView(frame: Frame, heading: str) -> None:
    with solara.Column(classes=["hs-branch"]):
        solara.Markdown(f"**{heading}**")
        solara.HTML(tag="div", unsafe_innerHTML=frame.map_svg, classes=["hs-map"])
        solara.HTML(tag="div", unsafe_innerHTML=frame.charts_svg, classes=["hs-charts"])


@solara.component
def LivePage() -> None:
    solara.Title("hsmobility · Live island")
    solara.Style(CSS)
    setting = solara.use_reactive("tuvalu")
    regime = solara.use_reactive("status-quo")
    ssp = solara.use_reactive("SSP2-4.5")
    seed = solara.use_reactive(1)
    preset = solara.use_reactive("")
    workshop = solara.use_reactive(False)
    speed = solara.use_reactive(5)
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")
    note = solara.use_reactive("")
    first = solara.use_memo(LiveRun, [])
    run = solara.use_reactive(first)
    frames: solara.Reactive[list[Frame]] = solara.use_reactive(solara.use_memo(first.frames, []))
    rate = solara.use_reactive(0.0)
    island = solara.use_reactive(first.islands[0])
    category = solara.use_reactive(4)
    distance = solara.use_reactive(0.0)
    other_kind = solara.use_reactive("evacuation-order")
    other_values: solara.Reactive[dict[str, float]] = solara.use_reactive({})
    lever = solara.use_reactive("ballots.quota_multiplier")
    lever_value = solara.use_reactive("3")
    fork_regime = solara.use_reactive("free-movement")

    def build() -> None:
        playing.set(False)
        error.set("")
        try:
            r = LiveRun(
                setting.value,
                regime.value,
                ssp.value,
                int(seed.value),
                scenario_file=preset_files().get(preset.value),
            )
        except ScenarioError as exc:
            error.set(str(exc))
            return
        run.set(r)
        island.set(r.islands[0])
        frames.set(r.frames())
        note.set("")

    r = run.value

    def redraw() -> None:
        frames.set(r.frames())

    def step_once() -> None:
        if r.finished:
            return
        r.step()
        redraw()

    def play_loop() -> None:
        started, months = time.perf_counter(), 0
        while playing.value and not r.finished:
            t0 = time.perf_counter()
            r.step()
            frames.set(r.frames())
            months += 1
            rate.set(months / (time.perf_counter() - started))
            wait = 1.0 / max(speed.value, 1) - (time.perf_counter() - t0)
            if wait > 0:
                time.sleep(wait)
        if r.finished:
            playing.set(False)

    solara.lab.use_task(play_loop, dependencies=[playing.value, id(r)], prefer_threaded=True)

    def trigger() -> None:
        error.set("")
        try:
            note.set(
                r.trigger(
                    "cyclone",
                    island.value,
                    category=int(category.value),
                    distance_km=float(distance.value),
                )
            )
        except ScenarioError as exc:
            error.set(str(exc))

    def trigger_other() -> None:
        error.set("")
        kind = EVENT_KINDS[other_kind.value]
        values = {
            name: other_values.value.get(name, float(default))
            for name, (_, default) in kind.fields.items()
        }
        try:
            note.set(r.trigger(other_kind.value, island.value, **values))
        except ScenarioError as exc:
            error.set(str(exc))

    def change_lever() -> None:
        error.set("")
        try:
            r.set_levers(**{lever.value.replace(".", "__", 1): parse_value(lever_value.value)})
        except ScenarioError as exc:
            error.set(str(exc))
            return
        note.set(f"{lever.value} = {lever_value.value} from next month")
        redraw()

    def change_regime(name: str) -> None:
        error.set("")
        try:
            r.set_levers(name)
        except ScenarioError as exc:
            error.set(str(exc))
            return
        redraw()

    def fork() -> None:
        error.set("")
        try:
            r.fork(fork_regime.value)
        except ScenarioError as exc:
            error.set(str(exc))
            return
        redraw()

    def unfork() -> None:
        r.unfork()
        redraw()

    shown = frames.value or r.frames()
    classes = ["hs-live"] + (["hs-workshop"] if workshop.value else [])
    with solara.Column(classes=classes, style={"padding": "0 8px"}):
        solara.Text("Live island: watch a setting month by month", classes=["hs-heading"])
        with solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Button(
                "Pause" if playing.value else "Play",
                on_click=lambda: playing.set(not playing.value),
                color="primary",
                disabled=r.finished,
                classes=["hs-play"],
            )
            solara.Button("Step", on_click=step_once, disabled=playing.value or r.finished)
            with solara.Column(style={"flex": "0 0 280px", "width": "280px"}):
                solara.SliderInt(f"Speed: {speed.value} months/s", value=speed, min=1, max=10)
            solara.HTML(tag="div", unsafe_innerHTML=shown[0].month, classes=["hs-month"])
            if playing.value and rate.value:
                solara.Text(f"playing at {rate.value:.1f} months/s", classes=["hs-rate"])
            solara.Checkbox(label="Workshop mode (large type)", value=workshop)
        if error.value:
            solara.Error(error.value, classes=["hs-error"])
        if note.value:
            solara.Info(note.value, classes=["hs-note"])
        with solara.Columns([5, 2]):
            with solara.Column():
                if r.other is None:
                    solara.Markdown(f"**{r.model.setting.name}: {r.model.spec.regime}**")
                    with solara.Columns([1, 1]):
                        solara.HTML(
                            tag="div", unsafe_innerHTML=shown[0].map_svg, classes=["hs-map"]
                        )
                        solara.HTML(
                            tag="div", unsafe_innerHTML=shown[0].charts_svg, classes=["hs-charts"]
                        )
                else:
                    with solara.Columns([1, 1]):
                        for i, fr in enumerate(shown):
                            RunView(fr, f"Branch {'AB'[i]}: {r.fork_regimes[i]}")
                    with solara.Card(
                        f"What if: differences since the fork (month {r.fork_month + 1}), B minus A"
                    ):
                        solara.HTML(
                            tag="div",
                            unsafe_innerHTML=html_table(r.differences()),
                            classes=["hs-diff"],
                        )
                        solara.Button("End the fork", on_click=unfork)
                solara.HTML(tag="div", unsafe_innerHTML=LEGEND, classes=["hs-legend"])
            with solara.Column():
                for i, fr in enumerate(shown):
                    branch = f" in branch {'AB'[i]}" if len(shown) > 1 else ""
                    solara.Markdown(f"**What happened{branch}** (newest first)")
                    solara.HTML(tag="div", unsafe_innerHTML=html_list(fr.log), classes=["hs-log"])
        with solara.Columns([1, 1, 1]):
            with solara.Card("Trigger an event next month"):
                solara.Select("Island", value=island, values=r.islands)
                solara.SliderInt(f"Category: {category.value}", value=category, min=0, max=5)
                solara.InputFloat("Distance from the island (km)", value=distance)
                solara.Button("Trigger cyclone", on_click=trigger, color="warning")
                other = EVENT_KINDS[other_kind.value]
                solara.Select(
                    "Or another event",
                    value=other_kind,
                    values=[k for k in EVENT_KINDS if k != "cyclone"],
                )
                for name, (label, default) in other.fields.items():
                    solara.InputFloat(
                        label,
                        value=other_values.value.get(name, float(default)),
                        on_value=lambda v, name=name: other_values.set(
                            {**other_values.value, name: v}
                        ),
                    )
                solara.Button(f"Trigger {other.label.lower()}", on_click=trigger_other)
            with solara.Card("Change a lever from next month"):
                solara.Select(
                    "Regime now",
                    value=r.model.spec.regime,
                    values=available_regimes(),
                    on_value=change_regime,
                )
                solara.Select("Lever", value=lever, values=lever_keys())
                solara.InputText("New value", value=lever_value, continuous_update=True)
                solara.Button("Apply lever", on_click=change_lever, color="primary")
                solara.Markdown("**Ways to move open next month**")
                solara.HTML(
                    tag="div",
                    unsafe_innerHTML=html_table(shown[-1].options),
                    classes=["hs-options"],
                )
            with solara.Card("What if? Fork from this month"):
                solara.Markdown(
                    "Runs a second branch from this month under another regime, on the same "
                    "storms; both are shown side by side."
                )
                solara.Select("Other regime", value=fork_regime, values=available_regimes())
                solara.Button("Fork what if", on_click=fork, disabled=r.other is not None)
        with (
            solara.Card("Setting, regime, climate pathway, seed (Reset starts again)"),
            solara.Row(style={"flex-wrap": "wrap", "align-items": "center"}),
        ):
            solara.Select("Setting", value=setting, values=available_settings())
            solara.Select("Regime", value=regime, values=available_regimes())
            solara.Select("Climate pathway", value=ssp, values=list(PATHWAYS))
            solara.InputInt("Seed", value=seed)
            solara.Select("Preset scenario", value=preset, values=["", *preset_files()])
            solara.Button("Reset", on_click=build, color="secondary")


def _legend_html() -> str:
    items = [
        f'<span class="hs-key"><span class="hs-dot" style="background:{c}"></span>{label}</span>'
        for label, c in STATUS_STYLE.values()
    ]
    items.append(
        '<span class="hs-key"><span class="hs-dot hs-ring"></span>'
        "Trapped: wants to move, cannot</span>"
    )
    return "".join(items)


LEGEND = _legend_html()
