"""The structure the rest relies on: the schedule step() runs is the one docs/ODD.md names, every
counter a phase writes is declared and reported, and the app's seams work."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import numpy as np
import pytest

from hsmobility import model as model_module
from hsmobility.config.schemas import ScenarioError
from hsmobility.indicators import MONTHLY
from hsmobility.model import SCHEDULE, MobilityModel
from hsmobility.world.counters import COUNTER_NAMES, Counts
from hsmobility.world.households import STATUS_NAMES, Status

ODD = (Path(__file__).resolve().parent.parent / "docs" / "ODD.md").read_text()


def _calls_in_step() -> list[str]:
    """Names of the phase functions step() calls, in source order (model helpers excluded)."""
    tree = ast.parse(inspect.getsource(MobilityModel.step).replace("\n    ", "\n")[4:])
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Name) and callable(getattr(model_module, f.id, None)):
                names.append((node.lineno, node.col_offset, f.id))
            elif isinstance(f, ast.Attribute) and f.attr == "record":
                names.append((node.lineno, node.col_offset, "record"))
    ordered, seen = [], set()
    for _, _, name in sorted(names):
        if name not in seen and name not in ("len",):
            ordered.append(name)
            seen.add(name)
    return ordered


def test_step_calls_exactly_the_declared_schedule_in_order() -> None:
    assert _calls_in_step() == list(SCHEDULE)


def test_odd_section_3_names_the_schedule_in_order() -> None:
    section = ODD.split("## 3. Process overview and scheduling")[1].split("\n## 4.")[0]
    rows = re.findall(r"^\| \d+ \| `(\w+)` \|", section, flags=re.M)
    assert rows == list(SCHEDULE)


def test_an_undeclared_counter_cannot_be_written() -> None:
    counts = Counts()
    counts.add("births", 3)
    assert counts["births"] == 3
    with pytest.raises(KeyError, match="undeclared counter"):
        counts.add("brths", 1)


def test_every_declared_counter_is_a_monthly_column() -> None:
    assert not [c for c in COUNTER_NAMES if c not in MONTHLY]
    assert len(MONTHLY) == len(set(MONTHLY))


def test_the_constructor_takes_no_argument_named_scenario() -> None:
    """Mesa's SolaraViz adds scenario= on Reset when the constructor accepts it or **kwargs."""
    params = inspect.signature(MobilityModel.__init__).parameters
    assert "scenario" not in params
    assert not any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    m = MobilityModel(setting="tuvalu", regime="free-movement", ssp="SSP5-8.5", seed=3, years=1)
    assert (m.spec.regime, m.spec.ssp, m.spec.seed, m.spec.years) == (
        "free-movement", "SSP5-8.5", 3, 1,
    )  # fmt: skip


def test_island_status_adds_up_to_the_households_by_status() -> None:
    m = MobilityModel("tuvalu", years=1, seed=1)
    m.trigger_cyclone("Nui", 5)
    for _ in range(2):
        m.step()
    table = m.island_status()
    assert list(table["island"]) == [i.name for i in m.setting.islands]
    counts = m.status_counts()
    for name in STATUS_NAMES:
        assert table[name].sum() == counts[name]
    displaced = table[[c for c in table.columns if c.startswith("displaced_")]].sum(axis=1)
    assert (displaced == table["displaced"]).all()
    assert table.loc[table["island"] == "Nui", "displaced"].item() > 0


def test_households_sit_on_their_islands_cell() -> None:
    m = MobilityModel("tuvalu", years=1, seed=1)
    m.trigger_cyclone("Nui", 5)
    for _ in range(3):
        m.step()
    hh = m.households
    on_cells = {a.row: cell.coordinate for cell in m.space.all_cells for a in cell.agents}
    for row in range(hh.n):
        if hh.island[row] >= 0:
            assert on_cells[row] == hh.island[row]
        else:
            assert row not in on_cells
    assert (hh.island != hh.home_island).any()  # someone is away from home, and placed there


def test_set_regime_changes_the_next_months_options_and_is_logged() -> None:
    m = MobilityModel("tuvalu", years=2, seed=1)
    m.step()
    before = [o.name for o in m.world.policy.options]
    m.set_regime("free-movement")
    after = [o.name for o in m.world.policy.options]
    assert set(after) - set(before), "free movement opens a new abroad option"
    assert "policy: regime" in m.event_log[-1][1]
    m.step()  # and the run goes on
    assert m.month_index == 1


def test_set_regime_keeps_what_was_already_done() -> None:
    m = MobilityModel("tuvalu", years=3, seed=2, regime="planned-relocation")
    m.trigger_cyclone("Nukufetau", 5)
    for _ in range(6):
        m.step()
    start = m.world.policy.relocation.start.copy()
    listed = dict(m.world.policy.relocation.listed)
    m.set_regime(relocation__sites_per_year=0.1)
    assert (m.world.policy.relocation.start == start).all()
    assert m.world.policy.relocation.listed == listed
    assert m.world.policy.levers.relocation.sites_per_year == 0.1
    with pytest.raises(ScenarioError):
        m.set_regime(relocation__vote_threshold=7)


def test_a_ballot_draw_survives_a_regime_change_that_keeps_the_ballot() -> None:
    m = MobilityModel("tuvalu", years=1, seed=1)
    for _ in range(5):  # through May's draw
        m.step()
    drawn = m.households.drawn_pathway >= 0
    assert drawn.any()
    names_before = [
        m.world.policy.regime.pathways[k].name for k in m.households.drawn_pathway[drawn]
    ]
    m.set_regime("expanded-quotas")
    names_after = [
        m.world.policy.regime.pathways[k].name for k in m.households.drawn_pathway[drawn]
    ]
    assert names_after == names_before


def test_a_bad_cyclone_is_refused_clearly() -> None:
    m = MobilityModel("tuvalu", years=1, seed=1)
    for bad in (6, -1, True, 2.5):
        with pytest.raises(ScenarioError, match="category"):
            m.trigger_cyclone("Nui", bad)
    with pytest.raises(ScenarioError, match="no island called"):
        m.trigger_cyclone("Atlantis", 3)
    with pytest.raises(ScenarioError, match="distance"):
        m.trigger_cyclone("Nui", 3, distance_km=float("nan"))


def test_status_enum_and_names_agree() -> None:
    assert [s.name.lower() for s in Status] == STATUS_NAMES
    assert np.array_equal(np.arange(len(Status)), [int(s) for s in Status])
