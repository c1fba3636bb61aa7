"""Disasters as they happen: every event kind from a scenario file and from the Python API,
evacuation orders with refuges that have room, exclusion zones, coastal floods without wind, and
return once an order is lifted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from handbuilt import calm_month, hand_built_world
from helpers import run_cli_many

from hsmobility.config.schemas import ScenarioError
from hsmobility.model import MobilityModel
from hsmobility.phases.evacuation import evacuate
from hsmobility.phases.impacts import damage
from hsmobility.phases.recovery import return_home
from hsmobility.world.groups import evacuation_factor
from hsmobility.world.hazards import Eruption, Order
from hsmobility.world.households import Band, Displacement, Status

CAPITAL, OUTER = 0, 1

# ------------------------------------------------------------------ scenario files, CLI
HEADER = (
    'setting = "{setting}"\nyears = 1\nseed = 2\nstochastic_cyclones = false\nscale = {scale}\n'
)
EVENTS = {
    "cyclone": (
        "tuvalu",
        1,
        '[[events]]\nkind = "cyclone"\ndate = "2025-02"\ncategory = 4\nisland = "Funafuti"\n',
    ),
    "evacuation-order": (
        "tuvalu",
        1,
        '[[events]]\nkind = "evacuation-order"\nname = "test order"\ndate = "2025-03"\n'
        'islands = ["Vaitupu", "Nui"]\nlifted = "2025-06"\n'
        '[[events.destinations]]\nisland = "Funafuti"\ncapacity_people = 1000\n'
        '[[events.destinations]]\nisland = "Nukufetau"\ncapacity_people = 2000\n',
    ),
    "volcanic-eruption": (
        "vanuatu",
        20,
        '[[events]]\nkind = "volcanic-eruption"\ndate = "2025-04"\nisland = "Ambae-Maewo"\n'
        "exclusion_share = 0.7\nmonths = 5\n"
        '[[events.destinations]]\nisland = "Espiritu Santo"\ncapacity_people = 8000\n',
    ),
    "swell": (
        "tuvalu",
        1,
        '[[events]]\nkind = "swell"\ndate = "2025-05"\nislands = ["Funafuti"]\nheight_m = 2.0\n',
    ),
    "king-tide": (
        "tuvalu",
        1,
        '[[events]]\nkind = "king-tide"\ndate = "2025-02"\nheight_m = 0.9\n',
    ),
    "drought": ("tuvalu", 1, '[[events]]\nkind = "drought"\ndate = "2025-03"\nmonths = 6\n'),
}
BAD = {
    "unknown refuge": (
        '[[events]]\nkind = "evacuation-order"\ndate = "2025-03"\nislands = ["Nui"]\n'
        '[[events.destinations]]\nisland = "Atlantis"\ncapacity_people = 10\n',
        "events.0.island",
    ),
    "lifted before issued": (
        '[[events]]\nkind = "evacuation-order"\ndate = "2025-03"\nislands = ["Nui"]\n'
        'lifted = "2025-02"\n[[events.destinations]]\nisland = "Funafuti"\ncapacity_people = 10\n',
        "events.0",
    ),
    "exclusion share above one": (
        '[[events]]\nkind = "volcanic-eruption"\ndate = "2025-03"\nisland = "Nui"\n'
        "exclusion_share = 1.2\nmonths = 3\n",
        "events.0.exclusion_share",
    ),
    "unknown kind": ('[[events]]\nkind = "meteor"\ndate = "2025-03"\n', "events.0"),
}


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("events")
    jobs = {}
    for kind, (setting, scale, table) in EVENTS.items():
        path = folder / f"{kind}.toml"
        path.write_text(HEADER.format(setting=setting, scale=scale) + table)
        jobs[kind] = ["run", path, "--json", "--out", folder / kind]
    for case, (table, _) in BAD.items():
        path = folder / f"bad-{case.replace(' ', '-')}.toml"
        path.write_text(HEADER.format(setting="tuvalu", scale=1) + table)
        jobs[case] = ["run", path, "--json", "--out", folder / "bad"]
    return {"procs": run_cli_many(jobs), "folder": folder}


def _log(cli_runs, kind) -> str:
    proc = cli_runs["procs"][kind]
    assert proc.returncode == 0, proc.stderr
    return (cli_runs["folder"] / kind / "events.txt").read_text()


def _monthly(cli_runs, kind) -> pd.DataFrame:
    return pd.read_csv(cli_runs["folder"] / kind / "monthly.csv")


def test_a_scripted_cyclone_strikes_from_a_scenario_file(cli_runs):
    assert "February 2025: category 4 cyclone hits Funafuti" in _log(cli_runs, "cyclone")


def test_an_evacuation_order_from_a_scenario_file_is_issued_and_lifted(cli_runs):
    log = _log(cli_runs, "evacuation-order")
    assert (
        "March 2025: evacuation order (test order) for Vaitupu and Nui: " in log
        and "households to Funafuti and Nukufetau" in log
        and "lifted June 2025" in log
    ), log
    assert "June 2025: evacuation order for Vaitupu and Nui lifted: " in log
    monthly = _monthly(cli_runs, "evacuation-order")
    assert monthly["evacuation_orders"].tolist()[2] == 1
    assert monthly["evacuation_orders_lifted"].tolist()[5] == 1
    # nobody is back while the order holds; some are back once it is lifted
    assert monthly["returns"].iloc[2:5].sum() == 0
    assert monthly["returns"].iloc[5:].sum() > 0


def test_an_eruption_from_a_scenario_file_empties_its_exclusion_zone(cli_runs):
    log = _log(cli_runs, "volcanic-eruption")
    assert (
        "April 2025: volcanic eruption on Ambae-Maewo: exclusion zone over 70% of the island "
        "for 5 months; " in log
    ), log
    assert "households to Espiritu Santo" in log
    monthly = _monthly(cli_runs, "volcanic-eruption")
    assert monthly["evacuated_people"].iloc[3] > 0
    # the refuge's capacity (8,000 people) is never exceeded
    assert monthly["evacuated_people"].iloc[3] <= 8000


def test_a_swell_without_wind_floods_low_lying_homes_from_a_scenario_file(cli_runs):
    log = _log(cli_runs, "swell")
    line = next(ln for ln in log.splitlines() if "2.0 m above today's high tide on Funafuti" in ln)
    assert line.startswith("May 2025") and "low-lying homes under water" in line
    monthly = _monthly(cli_runs, "swell")
    assert monthly["max_wind_ms"].max() == 0  # no wind at all
    assert monthly["displaced_new"].iloc[4] > 0  # 1.5 m of water over Fogafale's floors


def test_a_king_tide_from_a_scenario_file_reaches_every_island(cli_runs):
    log = _log(cli_runs, "king-tide")
    assert "February 2025: the sea 0.9 m above today's high tide on every island: " in log


def test_a_drought_from_a_scenario_file_lasts_its_months(cli_runs):
    assert "March 2025: drought: 6 months of low rain, to August 2025" in _log(cli_runs, "drought")
    drought = _monthly(cli_runs, "drought")["drought"].astype(bool).tolist()
    assert drought[2:8] == [True] * 6


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_event_is_refused_in_one_line_naming_its_field(cli_runs, case):
    proc = cli_runs["procs"][case]
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1, proc.stderr
    assert BAD[case][1] in proc.stderr, proc.stderr


# ------------------------------------------------------------------ the Python API
def test_trigger_event_takes_every_kind_and_refuses_bad_fields_in_one_line():
    model = MobilityModel("tuvalu", years=1, seed=1, stochastic_cyclones=False)
    model.step()
    order = {"islands": ["Nui"], "destinations": [{"island": "Funafuti", "capacity_people": 900}]}
    model.trigger_event("evacuation-order", **order, lifted="2025-05")
    model.trigger_event("swell", islands=["Nanumea"], height_m=2.0)
    model.trigger_event("king-tide", height_m=0.8, date="2025-04")
    model.trigger_event("drought", months=2)
    model.trigger_event("volcanic-eruption", island="Niutao", exclusion_share=0.5, months=2)
    model.trigger_event("cyclone", island="Vaitupu", category=2, distance_km=30.0)
    model.step()
    month = model.monthly().iloc[-1]
    assert month["evacuation_orders"] == 1 and month["drought"]
    text = " | ".join(line for _, line in model.event_log)
    assert "February 2025: evacuation order for Nui: " in text
    assert "volcanic eruption on Niutao" in text and "on Nanumea" in text
    bad = [
        ({"kind": "meteor"}, "kind must be one of"),
        ({"kind": "swell", "islands": ["Nui"], "height_m": -1}, r"\(swell\): height_m"),
        ({"kind": "drought", "months": 2, "date": "2025-01"}, "date: 2025-01 has passed"),
        ({"kind": "king-tide", "height_m": 1.0, "islands": ["Atlantis"]}, "no island"),
        ({"kind": "evacuation-order", "islands": ["Nui"]}, "destinations"),
    ]
    for fields, words in bad:
        with pytest.raises(ScenarioError, match=words) as err:
            model.trigger_event(**fields)
        assert "\n" not in str(err.value)


def test_an_order_evacuates_an_island_of_any_size():
    # Espiritu Santo (62,000 people) is far above the size damage alone evacuates
    model = MobilityModel("vanuatu", years=1, seed=3, scale=20, stochastic_cyclones=False)
    model.step()
    model.trigger_event(
        "evacuation-order",
        islands=["Espiritu Santo"],
        destinations=[{"island": "Efate", "capacity_people": 1_000_000}],
    )
    model.step()
    hh, santo = model.households, model.setting.island_index("Espiritu Santo")
    from_santo = hh.home_island == santo
    gone = np.mean(hh.island[from_santo] != santo)
    # each household complies at the order's rate times its group factor (disability: slower)
    rows = np.flatnonzero(from_santo)
    factor = evacuation_factor(hh, model.params, rows)
    compliance = model.params.displacement.order_compliance * factor.mean()
    assert factor.min() < 1.0  # the group factor is in play
    assert gone == pytest.approx(compliance, abs=0.03)
    assert model.monthly().iloc[-1]["evacuated_people"] > 40_000


# ------------------------------------------------------------------ the phase, hand-built
def _order(world, islands=(OUTER,), refuges=((CAPITAL, 10**9),), lifted=None) -> Order:
    return Order(step=world.t, islands=list(islands), destinations=list(refuges),
                 lifted_step=lifted)  # fmt: skip


def _month_with(**events):
    month = calm_month()
    for name, value in events.items():
        setattr(month, name, value)
    return month


def test_refuges_fill_in_turn_and_never_above_their_capacity():
    world = hand_built_world([{"size": 5}] * 40, params={"displacement.order_compliance": 1.0})
    # room for 6 households of 5 people on the capital; nowhere else
    evacuate(world, _month_with(orders=[_order(world, refuges=[(CAPITAL, 32)])]))
    hh = world.households
    on_capital = int(np.sum(hh.island == CAPITAL))
    assert on_capital == 6
    assert int(hh.size[hh.island == CAPITAL].sum()) <= 32
    assert world.counts["evacuation_no_room_people"] == 34 * 5
    assert "34 households found no refuge with room" in world.events[-1][1]


def test_households_that_do_not_comply_stay_at_the_rate_the_parameters_say():
    world = hand_built_world([{}] * 2000)
    evacuate(world, _month_with(orders=[_order(world)]))
    stayed = np.mean(world.households.island == OUTER)
    assert stayed == pytest.approx(1 - world.params.displacement.order_compliance, abs=0.015)


def test_evacuees_come_back_only_after_the_order_is_lifted_at_the_return_rate():
    n = 3000
    world = hand_built_world(
        [{"attachment": 0.5, "head_age": 40}] * n, params={"displacement.order_compliance": 1.0}
    )
    evacuate(world, _month_with(orders=[_order(world, lifted=3)]))
    hh = world.households
    assert np.all(hh.status == Status.DISPLACED)
    assert np.all(hh.displacement == Displacement.OTHER_ISLAND)
    for _ in range(2):  # steps 1 and 2: the order holds
        world.begin_month()
        assert len(return_home(world)) == 0
    world.begin_month()  # step 3: lifted
    back = return_home(world)
    pr = world.params.recovery
    expected = pr.return_prob * (pr.return_attachment_base + 0.5)  # undamaged homes, head 40
    se = np.sqrt(expected * (1 - expected) / n)
    assert len(back) / n == pytest.approx(expected, abs=4 * se)
    assert np.all(hh.island[back] == OUTER) and np.all(hh.status[back] == Status.RETURNED)


def test_an_exclusion_zone_sends_its_share_to_host_families_on_the_island():
    n = 2000
    world = hand_built_world([{}] * n, params={"displacement.order_compliance": 1.0})
    eruption = Eruption(step=world.t, island=OUTER, exclusion_share=0.4, months=6)
    evacuate(world, _month_with(eruptions=[eruption]))
    hh = world.households
    out = hh.status == Status.DISPLACED
    assert out.mean() == pytest.approx(0.4, abs=0.04)
    assert np.all(hh.island[out] == OUTER)
    assert np.all(hh.displacement[out] == Displacement.HOST_FAMILY)
    assert np.all(hh.barred_until[out] == world.t + 5)


def test_a_whole_island_eruption_sends_everyone_to_its_refuge():
    world = hand_built_world([{}] * 50, params={"displacement.order_compliance": 1.0})
    eruption = Eruption(step=world.t, island=OUTER, exclusion_share=1.0, months=2)
    evacuate(world, _month_with(eruptions=[eruption]))
    assert np.all(world.households.island == CAPITAL)


def test_swell_damage_follows_the_depth_damage_function():
    world = hand_built_world(
        [
            {"band": Band.LOW},  # floor at the Outer band's 1.0 m
            {"band": Band.MID},  # above the low-lying band: dry
            {"band": Band.LOW, "resilient": True},  # raised house: dry
        ]
    )
    month = _month_with(flood_m=np.array([0.0, 2.0]))
    damage(world, month)
    ps = world.params.sea_level
    depth = 2.0 + world.hazards.slr_since_today_m[world.t] - 1.0
    expected = np.interp(depth, ps.flood_depth_m, ps.flood_depth_damage)
    assert world.households.damage[0] == pytest.approx(expected, rel=1e-5)
    assert world.households.damage[1] == 0 and world.households.damage[2] == 0
    assert "1 low-lying homes under water" in world.events[-1][1]


# ------------------------------------------------------------------ survival
def _wrecking_storm(world, n_islands: int = 2):
    return calm_month(n_islands, wind=world.params.cyclones.vmax_ms[5])


def test_people_die_only_in_destroyed_homes_and_every_death_is_counted():
    rate = 0.2
    world = hand_built_world(
        [{"band": Band.LOW}] * 300,
        params={"deaths.collapse_death_rate": rate, "deaths.surge_mortality": 0.0},
    )
    people_before = int(world.households.size.sum())
    month = _wrecking_storm(world)
    evacuate(world, month)  # the warning: some leave before the storm
    damage(world, month)
    hh = world.households
    destroyed = hh.damage >= world.params.deaths.destroyed_damage
    # a category 5's peak wind destroys about half the low-lying homes once homes resist 20 m/s
    # more than the value curve (issue 9, eighth session: 0.48 here; more on the regional curve)
    assert destroyed.mean() > 0.4
    died = world.counts["deaths_hazard"]
    # people conservation including deaths
    assert people_before - int(hh.size.sum()) == died == world.counts["deaths_wind"]
    assert hh.size.min() >= 1
    at_home = destroyed & (world.refuge.storm_refuge == 0)
    assert 0 < at_home.sum() < destroyed.sum()
    # the last member of a household is spared: at most 4 of 5 can die
    expected = rate * 5 * int(at_home.sum())
    assert died == pytest.approx(expected, rel=0.15)
    wrecked = hh.damage >= world.params.displacement.severe_damage
    assert world.counts["people_at_risk_in_storm"] == 5 * int(
        (wrecked & (world.refuge.storm_refuge == 0)).sum()
    )
    assert any("people died when the storm destroyed their homes" in t for _, t in world.events)


def test_nobody_dies_when_everyone_spends_the_storm_in_a_centre():
    world = hand_built_world(
        [{"band": Band.LOW}] * 300,
        params={
            "deaths.collapse_death_rate": 0.2,
            "deaths.surge_mortality": 0.2,
            "displacement.warning_reach_base": 1.0,
            "displacement.warning_compliance": 1.0,
        },
    )
    month = _wrecking_storm(world)
    evacuate(world, month)  # centres full, the rest with kin: nobody rides the storm out
    damage(world, month)
    assert world.counts["deaths_hazard"] == 0


def test_people_who_stay_in_an_exclusion_zone_die_at_the_rate_the_parameters_say():
    rate = 0.3
    world = hand_built_world(
        [{"size": 1 + k % 6} for k in range(600)],
        params={
            "displacement.order_compliance": 0.0,
            "displacement.exclusion_zone_death_rate": rate,
        },
    )
    size_before = world.households.size.copy()
    eruption = Eruption(step=world.t, island=OUTER, exclusion_share=1.0, months=2)
    evacuate(world, _month_with(eruptions=[eruption]))
    died = world.counts["deaths_hazard"]
    assert int(size_before.sum() - world.households.size.sum()) == died
    # a household's last member is spared (rows are never removed): members beyond the first
    at_risk = int((size_before - 1).sum())
    assert died <= at_risk and died > 0.6 * rate * at_risk
    assert world.counts["evacuation_stayed_people"] == int(size_before.sum())
