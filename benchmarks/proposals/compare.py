"""Runs the benchmark scenario with the original and the proposed functions (fast.py), checks that
the outputs are identical and prints CPU ns per household-month: step, decisions, record."""

import math
import sys
import time

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
import fast

import hsmobility.indicators as ind
import hsmobility.phases.choices as mv
from hsmobility.bench.measure import CpuTimer, model_factory, phase_timers
from hsmobility.bench.synthetic import synthetic_setting

orig = (mv.decide, ind.group_records)


def setv(v):
    mv.decide, ind.group_records = (
        orig if v == "orig" else (fast.decide_fast, fast.group_records_fast)
    )


sizes = [int(x) for x in sys.argv[1].split(",")]
res = {}
frames = {}
for rep in range(int(sys.argv[2])):
    for n in sizes:
        for v in ("orig", "fast"):
            setv(v)
            m = model_factory(synthetic_setting(n, name="bench"))()
            t = CpuTimer()
            m.record = t.wrap("record", m.record)
            m._place_agents = t.wrap("agents", m._place_agents)  # not part of record's figure
            rows = 0
            cpu = 0
            with phase_timers(t):
                for _ in range(12):
                    rows += m.households.n
                    c = time.process_time()
                    m.step()
                    cpu += time.process_time() - c
            b = res.setdefault((n, v), {})
            for key, val in [
                ("step", cpu),
                ("agents", t.seconds["agents"]),
                ("decisions", t.seconds["decide_moves"]),
                ("record", t.seconds["record"]),
            ]:
                b[key] = min(b.get(key, math.inf), val / rows * 1e9)
            if rep == 0:
                frames[(n, v)] = (
                    m.monthly(),
                    m.groups_monthly(),
                    m.households.status.copy(),
                    m.households.savings.copy(),
                    [sorted(x.unique_id for x in cell.agents) for cell in m.space.all_cells],
                )
setv("orig")
for n in sizes:
    a, b = frames[(n, "orig")], frames[(n, "fast")]
    same = a[0].equals(b[0]) and a[1].equals(b[1]) and (a[2] == b[2]).all() and (a[3] == b[3]).all()
    same = same and a[4] == b[4]  # the same agents on each island's cell
    print(n, "identical outputs:", same)
    for v in ("orig", "fast"):
        print("   ", v, " ".join(f"{k} {x:.0f}" for k, x in res[(n, v)].items()), "ns/hh-month")
