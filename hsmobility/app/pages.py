"""The Solara pages of ``hsmobility app``: Compare, Regime builder, Results.

Served by ``hsmobility app`` (``solara run hsmobility.app.pages``). Every piece of state lives in
the page components (``solara.use_reactive``, ``use_memo``), so each browser session has its own.
"""

from __future__ import annotations

import functools
import time
from pathlib import Path
from typing import Any

import pandas as pd
import solara
import solara.lab

from hsmobility.app import builder
from hsmobility.app.figures import (
    cost_table,
    html_table,
    png,
    regime_label,
    small_multiples,
    summary_table,
)
from hsmobility.app.jobs import CompareJob, CompareRequest
from hsmobility.app.live import LivePage
from hsmobility.app.results import ResultsFolder, experiment_tables, find, list_results
from hsmobility.app.server import results_dir
from hsmobility.config.regimes import available_regimes, load_regime_file
from hsmobility.config.scenario import available_settings, load_setting
from hsmobility.config.schemas import ScenarioError
from hsmobility.experiment.compare import ComparisonTables, cost_effectiveness, read_comparison
from hsmobility.experiment.store import MANIFEST, read_runs

TITLE = "hsmobility: climate mobility on Pacific and Caribbean islands"

#: climate pathways in plain words
PATHWAYS = {
    "SSP1-2.6: low emissions": "SSP1-2.6",
    "SSP2-4.5: intermediate emissions": "SSP2-4.5",
    "SSP5-8.5: very high emissions": "SSP5-8.5",
}
DEFAULT_REGIMES = ["status-quo", "free-movement", "integrated-human-security"]

CSS = """
.hs-table { border-collapse: collapse; font-size: 15px; margin: 8px 0; }
.hs-table th, .hs-table td { padding: 6px 10px; border-bottom: 1px solid #ddd; text-align: right; }
.hs-table th { background: #f3f3f3; text-align: center; }
.hs-table td:first-child, .hs-table th:first-child { text-align: left; }
.hs-note { font-size: 15px; color: #333; }
.hs-band { display: block; font-size: 13px; color: #555; white-space: nowrap; }
.hs-help { font-size: 12px; color: rgba(0, 0, 0, 0.6); margin: -12px 0 8px 32px; }
.hs-mono { font-family: monospace; font-size: 14px; background: #f5f5f5; padding: 4px 6px; }
"""


def regimes_folder() -> Path:
    """Where the regime builder saves regime files (and the Compare page finds them)."""
    return results_dir() / "regimes"


def regime_choices() -> dict[str, str]:
    """label -> what ``hsmobility compare --regimes`` takes: built-in names, saved files."""
    out = {name: name for name in available_regimes()}
    for path in builder.saved_regimes(regimes_folder()):
        out[f"{path.stem} (saved)"] = str(path)
    return out


def regime_title(name: str) -> str:
    try:
        return load_regime_file(name).title
    except ScenarioError as exc:
        return str(exc)


# ----------------------------------------------------------------------------- compare
@solara.component
def ComparisonView(
    tables: ComparisonTables, costs: pd.DataFrame, out: Path, figure_png: bytes
) -> None:
    """A finished comparison: small multiples, the table of differences, downloads."""
    solara.Markdown(f"**{tables.title}.**")
    solara.Image(figure_png, width="100%")
    solara.Markdown(
        f"Each cell: median over the seeds, then the 5% to 95% band in brackets. "
        f"Differences are taken seed by seed against **{regime_label(tables.baseline)}** "
        "(every regime faces the same storms on a seed); pp = percentage points."
    )
    solara.HTML(tag="div", unsafe_innerHTML=html_table(summary_table(tables)))
    money = cost_table(costs, tables.baseline)
    if not money.empty:
        solara.Markdown(
            "**Public cost and cost-effectiveness.** Extra cost per unit avoided: the median "
            "paired extra cost over the median paired reduction, on the same seeds (- when the "
            "regime avoids none; 'saves money' when it avoids some and costs less)."
        )
        solara.HTML(tag="div", unsafe_innerHTML=html_table(money), classes=["hs-costs"])
    if len(tables.failed):
        solara.Warning(f"{len(tables.failed)} run(s) failed; see {out / 'report.md'}")
    with solara.Row(style={"flex-wrap": "wrap"}):
        solara.FileDownload(
            lambda: summary_table(tables).to_csv(index=False).encode(),
            filename=f"{out.name}-summary.csv",
            label="Table (CSV)",
        )
        solara.FileDownload(
            lambda: tables.differences.to_csv(index=False).encode(),
            filename=f"{out.name}-differences.csv",
            label="Differences (CSV)",
        )
        solara.FileDownload(
            lambda: tables.over_time.to_csv(index=False).encode(),
            filename=f"{out.name}-monthly-bands.csv",
            label="Monthly bands (CSV)",
        )
        solara.FileDownload(figure_png, filename=f"{out.name}.png", label="Figure (PNG)")
        for name, label in (
            ("report.md", "Report (Markdown)"),
            ("differences.png", "Differences figure (PNG)"),
        ):
            if (out / name).is_file():
                solara.FileDownload(
                    lambda name=name: (out / name).read_bytes(),
                    filename=f"{out.name}-{name}",
                    label=label,
                )


@functools.lru_cache(maxsize=32)
def _comparison(out: str, baseline: str | None, stamp: int) -> tuple[Any, Any, bytes | None, str]:
    """A results folder's tables, costs and figure, shared by every session until the folder
    changes (``stamp``: its manifest's modification time)."""
    try:
        tables = read_comparison(out, baseline)[0]
        costs = cost_effectiveness(read_runs(out), tables)
    except ScenarioError as exc:
        return None, None, None, str(exc)
    return tables, costs, png(small_multiples(tables)), ""


def use_comparison(
    out: Path | None, baseline: str | None
) -> tuple[ComparisonTables | None, pd.DataFrame | None, bytes | None, str]:
    """The tables and figure of a results folder (recomputed when it or the baseline changes)."""
    if out is None:
        return None, None, None, ""
    try:
        stamp = (out / MANIFEST).stat().st_mtime_ns
    except OSError:
        return None, None, None, f"{out}: no results there"
    return _comparison(str(out), baseline, stamp)


# The Compare page's state: module-level reactive values are per browser session in Solara (one
# virtual kernel each), and outlive the page, so a comparison keeps its progress while the user
# looks at another page.
setting_compare = solara.reactive("tuvalu")
pathway = solara.reactive(list(PATHWAYS)[1])
chosen = solara.reactive(list(DEFAULT_REGIMES))
baseline = solara.reactive("status-quo")
replicates = solara.reactive(10)
years = solara.reactive(30)
job: solara.Reactive[CompareJob | None] = solara.reactive(None)
progress = solara.reactive((0, 0.0))
error = solara.reactive("")
#: (results folder, finish time) of the comparison shown
shown: solara.Reactive[tuple[Path, float] | None] = solara.reactive(None)


@solara.lab.task
def watch(j: CompareJob) -> None:
    """Follow a running comparison (in a thread): progress twice a second, then its tables."""
    while j.running:
        j.reap()
        progress.set((j.done(), j.seconds()))
        time.sleep(0.5)
    progress.set((j.done(), j.seconds()))
    if j.ok:
        shown.set((j.out, time.time()))
    elif not j.cancelled:
        error.set(j.error() or "the comparison stopped")


@solara.component
def ComparePage() -> None:
    solara.Title("hsmobility · Compare regimes")
    choices = regime_choices()
    labels = [c for c in chosen.value if c in choices]
    if baseline.value not in labels and labels:
        baseline.set(labels[0])

    def start() -> None:
        error.set("")
        if not 2 <= len(labels) <= 4:
            error.set("Choose two to four regimes.")
            return
        names = [choices[baseline.value]] + [choices[x] for x in labels if x != baseline.value]
        request = CompareRequest(
            setting=setting_compare.value,
            regimes=tuple(names),
            replicates=replicates.value,
            ssp=PATHWAYS[pathway.value],
            years=years.value,
        )
        try:
            j = CompareJob(request, results_dir()).start()
        except ScenarioError as exc:
            error.set(str(exc))
            return
        progress.set((j.done(), 0.0))
        job.set(j)
        watch(j)

    def cancel() -> None:
        if job.value is not None:
            job.value.cancel()

    running = job.value is not None and job.value.running
    out, _ = shown.value or (None, None)
    base_name = choices.get(baseline.value, baseline.value)
    tables, costs, figure, load_error = use_comparison(out, base_name)

    with solara.Card("Compare policy regimes on the same storms"):
        solara.Markdown(
            "Pick a setting, a climate pathway and two to four regimes. Every regime is run on "
            "the same seeds (the same storms), and compared with the baseline seed by seed."
        )
        with solara.Columns([1, 1, 2]):
            with solara.Column():
                solara.Select("Setting", value=setting_compare, values=available_settings())
                solara.Select("Climate pathway", value=pathway, values=list(PATHWAYS))
            with solara.Column():
                solara.SliderInt(
                    f"Seeds per regime: {replicates.value}", value=replicates, min=2, max=40
                )
                solara.SliderInt(
                    f"Years from 2025: {years.value} (to {2024 + years.value})",
                    value=years,
                    min=5,
                    max=75,
                )
            with solara.Column():
                solara.SelectMultiple("Regimes (2 to 4)", values=chosen, all_values=list(choices))
                solara.Select("Baseline for the differences", value=baseline, values=labels)
        solara.Markdown(
            "\n".join(f"- **{label}**: {regime_title(choices[label])}" for label in labels)
        )
        with solara.Row():
            solara.Button(
                "Run comparison", on_click=start, disabled=running, color="primary", icon_name=""
            )
            solara.Button("Cancel", on_click=cancel, disabled=not running)
        if job.value is not None:
            j = job.value
            done, seconds = progress.value
            planned = max(j.planned, 1)
            left = seconds / done * (planned - done) if done and running else None
            state = (
                "running"
                if running
                else "cancelled (finished runs are kept: run again to resume)"
                if j.cancelled
                else "finished"
                if j.ok
                else "stopped"
            )
            text = f"{done} of {j.planned} runs done, {seconds:.0f} s, {state}"
            if left is not None:
                text += f", about {left:.0f} s left"
            solara.ProgressLinear(value=100 * done / planned if running or j.ok else False)
            with solara.Column(gap="4px"):
                solara.Text(text, classes=["hs-note", "hs-progress"])
                solara.Text(
                    "Same as: hsmobility compare " + " ".join(j.request.arguments()),
                    classes=["hs-mono"],
                )
        if error.value:
            solara.Error(error.value)
        if load_error:
            solara.Error(load_error)
    if tables is not None and figure is not None and out is not None:
        with solara.Card(f"Results: {out.name}"):
            ComparisonView(tables, costs, out, figure)


# ----------------------------------------------------------------------------- builder
def starting_values(base: str, setting_name: str) -> dict[str, Any]:
    """The lever values in force under ``base`` on the setting, before any change."""
    try:
        return builder.current_values(builder.build_regime(base, load_setting(setting_name)))
    except ScenarioError:
        return {}


@functools.lru_cache(maxsize=16)
def list_hints(setting_name: str) -> dict[str, str]:
    """What each list field may hold on this setting: its destinations or its islands."""
    s = load_setting(setting_name)
    out = {}
    for f in builder.lever_fields():
        if f.kind != "list":
            continue
        if "destinations" in f.name:
            names = ", ".join(d.name for d in s.destinations)
            out[f.key] = f"comma-separated; destinations here: {names}"
        elif "islands" in f.name:
            names = ", ".join(i.name for i in s.islands)
            out[f.key] = f"comma-separated, * for all; islands here: {names}"
        else:
            out[f.key] = "comma-separated names"
    return out


@solara.component
def LeverControl(
    field: builder.LeverField, value: Any, on_value: Any, bad: bool, hint: str = ""
) -> None:
    label = f"{field.name}" + (f" ({field.bounds()})" if field.bounds() else "")
    if field.kind == "bool":
        solara.Checkbox(label=label, value=bool(value), on_value=on_value)
        if field.help:
            solara.Text(field.help, classes=["hs-help"])
    else:
        solara.InputText(
            label,
            value=str(value),
            on_value=on_value,
            continuous_update=True,
            error=bad,
            message="; ".join(t for t in (field.help, hint) if t),
        )


@solara.component
def BuilderRoute() -> None:
    """The Regime builder's route: the title only. The page itself is kept mounted by
    :func:`Layout` once visited, so a return to it shows it at once with what was typed."""
    solara.Title("hsmobility · Regime builder")


@solara.component
def CompareNow(saved: str, setting_name: str) -> None:
    """Open the Compare page with the saved regime beside the status quo. Its own component:
    the router it reads changes at every page change, and the page that reads it re-renders."""
    router = solara.use_router()

    def compare_now() -> None:
        chosen.set(["status-quo", f"{Path(saved).stem} (saved)"])
        baseline.set("status-quo")
        setting_compare.set(setting_name)
        router.push("/")

    solara.Button("Compare it now with the status quo", on_click=compare_now, color="primary")


@solara.component
def BuilderPage() -> None:
    setting = solara.use_reactive("tuvalu")
    base = solara.use_reactive("status-quo")
    typed = solara.use_reactive({})
    name = solara.use_reactive("")
    title = solara.use_reactive("")
    description = solara.use_reactive("")
    saved = solara.use_reactive("")
    save_error = solara.use_reactive("")
    tab = solara.use_reactive(0)

    fields = builder.lever_fields()
    titles = builder.lever_titles()
    checked = solara.use_memo(
        lambda: builder.check(base.value, setting.value, typed.value),
        [base.value, setting.value, tuple(sorted(map(str, typed.value.items())))],
    )
    start = solara.use_memo(
        lambda: starting_values(base.value, setting.value), [base.value, setting.value]
    )

    def setter(key: str) -> Any:
        def on_value(v: Any) -> None:
            typed.set({**typed.value, key: v})
            saved.set("")

        return on_value

    def do_save() -> None:
        save_error.set("")
        try:
            path = builder.save(
                regimes_folder(),
                name.value.strip(),
                title.value,
                description.value,
                base.value,
                setting.value,
                typed.value,
            )
        except (ScenarioError, OSError) as exc:
            save_error.set(str(exc))
            return
        saved.set(str(path))

    with solara.Card("Build a regime from the policy levers"):
        solara.Markdown(
            "Start from a regime, change lever values, and save: the file works with "
            "`hsmobility run SETTING --regime FILE` and appears on the Compare page. Values are "
            "checked as you type, by the same rules as the command line. The setting shows what "
            "its status quo already has in force. A * marks a lever you changed."
        )
        with solara.Columns([1, 1]):
            solara.Select("Setting", value=setting, values=available_settings())
            solara.Select("Start from regime", value=base, values=available_regimes())
        if checked.error:
            solara.Error(checked.error, classes=["hs-check"])
        elif checked.note:
            solara.Warning(checked.note, classes=["hs-check"])
        else:
            changed = ", ".join(checked.overrides) or "nothing yet"
            solara.Success(f"Valid for {setting.value}. Changed: {changed}.", classes=["hs-check"])
    changed = {key.partition(".")[0] for key in checked.overrides}
    with solara.Card(), solara.lab.Tabs(value=tab, lazy=True, grow=True):  # one lever at a time
        for lever in builder.LEVER_NAMES:
            mark = " *" if lever in changed else ""
            with solara.lab.Tab(lever.replace("_", " ") + mark):
                solara.Markdown(f"**{titles[lever]}**")
                for f in (f for f in fields if f.lever == lever):
                    value = typed.value.get(f.key, builder.show(start.get(f.key, "")))
                    if f.kind == "bool" and isinstance(value, str):
                        value = value == "True"
                    bad = bool(checked.error) and f" {f.key}:" in checked.error
                    hint = list_hints(setting.value).get(f.key, "")
                    LeverControl(f, value, setter(f.key), bad, hint)
    with solara.Card("Save the regime"):
        with solara.Columns([1, 2]):
            solara.InputText("File name (e.g. my-regime)", value=name, continuous_update=True)
            solara.InputText("Title in plain words", value=title, continuous_update=True)
        solara.InputText("Description", value=description, continuous_update=True)
        with solara.Row():
            solara.Button(
                "Save regime",
                on_click=do_save,
                color="primary",
                disabled=bool(checked.error),
            )
            if checked.regime is not None or checked.note:
                try:
                    text = builder.to_toml(
                        title.value or "untitled",
                        description.value,
                        builder.regime_file(base.value, checked.overrides),
                        base.value,
                    )
                except ScenarioError:
                    text = ""
                solara.FileDownload(
                    text.encode(), filename=f"{name.value or 'regime'}.toml", label="Download"
                )
        if save_error.value:
            solara.Error(save_error.value)
        if saved.value:
            solara.Success(f"Saved {saved.value}", classes=["hs-saved"])
            CompareNow(saved.value, setting.value)
            solara.Text(
                f"Run it: hsmobility run {setting.value} --regime {saved.value}",
                classes=["hs-mono"],
            )


# ----------------------------------------------------------------------------- results
@solara.component
def ExperimentSummary(folder: ResultsFolder) -> None:
    """An experiment's ensemble table and its sensitivity indices."""
    stamp = folder.manifest.get("updated")
    table, sens, notes = solara.use_memo(
        lambda: experiment_tables(folder), [str(folder.path), stamp]
    )
    with solara.Card("Ensemble: median (5% to 95%) per scenario and regime"):
        if table.empty:
            solara.Info("No runs stored yet.")
        else:
            solara.HTML(tag="div", unsafe_innerHTML=html_table(table))
        for note in notes:
            solara.Text(note, classes=["hs-note"])
    if not sens.empty:
        with solara.Card("Sensitivity indices (SALib): which uncertain parameters matter"):
            solara.HTML(
                tag="div",
                unsafe_innerHTML=sens.to_html(index=False, border=0, classes="hs-table"),
            )


@solara.component
def ResultsPage() -> None:
    solara.Title("hsmobility · Results")
    root = results_dir()
    refresh = solara.use_reactive(0)
    folders = solara.use_memo(lambda: list_results(root), [refresh.value])
    names = [f.name for f in folders]
    picked = solara.use_reactive(names[0] if names else None)
    baseline = solara.use_reactive(None)
    folder = find(root, picked.value) if picked.value in names else None
    is_cmp = folder is not None and folder.is_comparison
    base = baseline.value if folder and baseline.value in folder.regimes else None
    tables, costs, figure, error = use_comparison(folder.path if is_cmp else None, base)

    with solara.Card("Experiments and comparisons"):
        solara.Markdown(f"Folders with results under `{root}`.")
        with solara.Row():
            if names:
                solara.Select("Results folder", value=picked, values=names)
            solara.Button("Refresh", on_click=lambda: refresh.set(refresh.value + 1))
        if not names:
            solara.Info(
                "No results yet: run a comparison on the Compare page, or "
                "`hsmobility compare` / `hsmobility experiment` with --out under this folder."
            )
        if folder is not None:
            solara.Markdown(f"**{folder.title}**")
            solara.Text(folder.describe(), classes=["hs-note"])
            if is_cmp:
                labels = {regime_label(r): r for r in folder.regimes}
                current = regime_label(base or folder.manifest.get("baseline", ""))
                solara.Select(
                    "Baseline for the differences",
                    value=current,
                    values=list(labels),
                    on_value=lambda v: baseline.set(labels[v]),
                )
    if error:
        solara.Error(error)
    if folder is not None and tables is not None and figure is not None:
        with solara.Card("Comparison"):
            ComparisonView(tables, costs, folder.path, figure)
    if folder is not None and not is_cmp:
        ExperimentSummary(folder)
    if folder is not None and folder.figures():
        with solara.Card("Figures in the folder"):
            for path in folder.figures():
                solara.Text(path.name, classes=["hs-note"])
                solara.Image(str(path), width="100%")


#: the route kept mounted once visited (:func:`Layout`)
BUILDER_PATH = "regime-builder"


@solara.component
def Layout(children: list[Any]) -> None:
    """The app bar with one link per page (labels in words, not paths) above the page.

    The Regime builder, once visited, stays mounted and is only hidden while another page
    shows: building its ~50 widgets again on every visit took 0.5 s of a click (1 s while a
    comparison held both cores), and what the user typed there survives a trip to Compare."""
    current, pages = solara.use_route()
    on_builder = current is not None and current.path == BUILDER_PATH
    visited = solara.use_ref(False)
    visited.current = visited.current or on_builder
    solara.Style(CSS)
    with solara.AppLayout(title=TITLE, navigation=False):
        with solara.AppBar():
            for route in pages:
                with solara.Link(solara.resolve_path(route)):
                    solara.Button(
                        route.label,
                        text=True,
                        dark=True,
                        outlined=route is current,
                        classes=["hs-nav"],
                    )
        with solara.Column():  # one child beside the bar: a second would become a sidebar
            solara.Column(children=children)
            if visited.current:
                # a Div: a Column's d-flex class (display: flex !important) beats an inline none
                with solara.Div(style={} if on_builder else {"display": "none"}):
                    BuilderPage()


#: the pages; the root route's layout wraps every page (Solara uses a module's Layout only
#: without routes; naming it on every route too would nest a second Layout in each)
routes = [
    solara.Route(path="/", component=ComparePage, label="Compare", layout=Layout),
    solara.Route(path=BUILDER_PATH, component=BuilderRoute, label="Regime builder"),
    solara.Route(path="results", component=ResultsPage, label="Results"),
    solara.Route(path="live", component=LivePage, label="Live island"),
]
