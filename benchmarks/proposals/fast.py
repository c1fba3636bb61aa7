"""Proposal for the model owner (not used by the model): a faster decision rule and group
indicators, with identical results. Written against main at df997a5 (which took the O(1) island
cell removal proposed here before).

* ``decide_fast``: the rule of :func:`hsmobility.decisions.decide`, computing the wishes once
  (``option_wishes`` recomputes ``wish_abroad``/``wish_internal``, then ``decide`` calls them
  again for ``aspires``), the maximum wish column by column instead of ``.max(axis=1)``, means and
  feasibility one option column at a time (no households x options ``funds`` and ``cost``
  matrices), and costs only for the households that reconsider.
* ``logit_choice_fast``: the same logit draw on the transposed (options x households) array.
* ``group_records_fast``: :func:`hsmobility.indicators.group_records` by one ``np.bincount`` per
  quantity over a 40-cell code (quintile x female head x elderly head x disability; "vulnerable"
  and "male-headed" are unions of cells) instead of a households x 10 float64 matrix multiplied
  by a 10 x households float64 mask matrix.

Check and time them (identical monthly, groups, status, savings and agents on each cell; CPU per
household-month):

    .venv/bin/python benchmarks/proposals/compare.py 20000,200000 2
"""

import numpy as np

import hsmobility.decisions as D
from hsmobility.decisions import (
    MOVE_KINDS,
    Decision,
    Kind,
    wish_abroad,
    wish_internal,
)
from hsmobility.world.households import Displacement, Status, is_housed


def decide_fast(s, options, ctx, p, reviewing, u):
    n, k = len(s.island), len(options)
    dest = wish_abroad(s, ctx, p)
    internal = wish_internal(s, ctx, p)
    wish = np.zeros((n, k))
    feasible = np.empty((n, k), dtype=bool)
    affordable = np.empty((n, k), dtype=bool)
    kinds = np.array([o.kind for o in options])
    is_move = np.isin(kinds, MOVE_KINDS)
    adapt_ok = ~(s.resilient | s.displaced)
    for j, opt in enumerate(options):
        # wish (as option_wishes)
        if opt.kind == Kind.ABROAD:
            w = dest[:, opt.destination]
        elif opt.kind == Kind.ADAPT:
            w = p.asc_adapt + p.beta_risk * s.risk + p.beta_damage * s.damage
        elif opt.kind in internal:
            w = internal[opt.kind]
        else:
            w = None
        if w is not None:
            wish[:, j] = w
        # cost (as option_costs) and funds (as funds), one column at a time
        if opt.kind == Kind.ABROAD:
            cost = ctx.move_cost[opt.destination] * opt.cost_multiplier
        elif opt.kind == Kind.CAPITAL:
            cost = p.internal_move_cost_months * s.income / 12.0
        elif opt.kind == Kind.HIGHER:
            cost = p.higher_ground_cost_share * ctx.house_value
        elif opt.kind == Kind.ADAPT:
            cost = p.resilient_cost_share * ctx.house_value * (1.0 - s.subsidy)
        else:
            cost = 0.0
        fund = s.savings.astype(float)
        if opt.kind == Kind.ABROAD:
            fund = fund + p.tie_support_usd * s.ties[:, opt.destination]
        if opt.offer:
            fund = fund + p.offer_credit_months * s.income / 12.0
        affordable[:, j] = fund >= cost
        ok = s.legal[:, j] & affordable[:, j] & np.isfinite(wish[:, j])
        if opt.kind in (Kind.CAPITAL, Kind.RELOCATION, Kind.ABROAD):
            ok &= s.transport
        if opt.kind == Kind.ADAPT:
            ok &= adapt_ok
        feasible[:, j] = ok
    feasible[:, 0] = True
    best = np.maximum(internal[Kind.CAPITAL], internal[Kind.HIGHER])
    for d in range(dest.shape[1]):
        np.maximum(best, dest[:, d], out=best)
    aspires = best > p.aspiration_threshold
    can_move = np.zeros(n, bool)
    wished_move = np.zeros(n, bool)
    for j in np.flatnonzero(is_move):
        can_move |= feasible[:, j]
        wished_move |= feasible[:, j] & (wish[:, j] > p.aspiration_threshold)
    trapped = aspires & ~wished_move
    voluntary_stayer = ~aspires & can_move
    choice = np.zeros(n, dtype=np.int64)
    r = np.flatnonzero(reviewing)
    if len(r):
        sr = D.Situation(**{f: (getattr(s, f)[r]) for f in s.__dataclass_fields__})
        cost = D.option_costs(sr, options, ctx, p)
        years_of_income = cost / np.maximum(sr.income, 1.0)[:, None]
        offered = np.array([o.offer or o.kind == Kind.RELOCATION for o in options])
        inertia = p.move_inertia * is_move * np.where(offered, p.offer_inertia_factor, 1.0)
        burden = p.beta_cost * years_of_income + inertia
        utility = np.where(feasible[r], wish[r] - burden, -np.inf)
        utility[:, 0] = 0.0
        choice[r] = logit_choice_fast(utility, u[r])
    barrier = D.barriers(s, options, p, wish, feasible, affordable, dest, internal, trapped)
    return Decision(wish, feasible, aspires, trapped, voluntary_stayer, choice, barrier)


def group_records_fast(world):
    """:func:`hsmobility.indicators.group_records`, summing by cells (written against 16c05de)."""
    from hsmobility.decisions import BARRIER_NAMES
    from hsmobility.indicators import NAN
    from hsmobility.world.groups import groups

    hh, k, t = world.households, world.scale, world.t
    params = world.params
    in_setting = (hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD)
    displaced = hh.status == Status.DISPLACED
    displaced_now = hh.displaced_step == t
    moves = hh.moves_month + displaced_now
    forced = hh.forced_moves_month + displaced_now
    abroad_now = (hh.moved_step == t) & (hh.status == Status.ABROAD)
    severe = is_housed(hh.status) & (hh.damage >= params.displacement.severe_damage)
    per_person = hh.income_month * 12.0 / np.maximum(hh.size, 1)
    poor = in_setting & (per_person < world.setting.poverty_line_usd)
    size = hh.size.astype(float)
    quantities = [
        in_setting, size * in_setting, hh.trapped, hh.voluntary_stayer, size * displaced,
        moves, abroad_now, forced, size * poor, size * severe,
        *[hh.trapped & (hh.barrier == b) for b in range(1, len(BARRIER_NAMES))],
    ]  # fmt: skip
    # one cell per combination: quintile (1-5) x female head x elderly head x disability
    elderly = hh.head_age >= params.demography.elderly_age
    code = (hh.quintile.astype(np.intp) - 1) + 5 * hh.female_head + 10 * elderly
    code += 20 * hh.disability
    cells = 40
    per_cell = np.stack([np.bincount(code, weights=q, minlength=cells) for q in quantities], 1)
    c = np.arange(cells)
    q5, fem, eld, dis = c % 5 + 1, (c // 5) % 2 == 1, (c // 10) % 2 == 1, (c // 20) % 2 == 1
    member = {f"quintile_{q}": q5 == q for q in range(1, 6)}
    member.update(
        female_headed=fem,
        male_headed=~fem,
        elderly_headed=eld,
        disability=dis,
        vulnerable=(q5 <= params.groups.vulnerable_max_quintile) | fem | eld | dis,
    )
    names = list(groups(hh, params))  # same order as the original
    sums = np.stack([member[nm] for nm in names]).astype(float) @ per_cell
    year, month = world.year, world.calendar_month
    rows = []
    for name, v in zip(names, sums, strict=True):
        rows.append(
            {
                "step": t + 1,
                "year": year,
                "month": month,
                "group": name,
                "households": int(v[0]) * k,
                "residents": int(v[1]) * k,
                "trapped": int(v[2]) * k,
                "voluntary_stayers": int(v[3]) * k,
                "displaced_people": int(v[4]) * k,
                "moves": int(v[5]) * k,
                "moves_abroad": int(v[6]) * k,
                "moves_forced": int(v[7]) * k,
                "poverty_rate": float(v[8] / v[1]) if v[1] else NAN,
                "severely_damaged_people": int(v[9]) * k,
                **{f"trapped_{b}": int(v[9 + i]) * k for i, b in enumerate(BARRIER_NAMES) if i},
            }
        )
    return rows


def logit_choice_fast(utility, u):
    """logit_choice on the transposed (options x rows) array: reductions across contiguous rows."""
    ut = np.ascontiguousarray(utility.T)
    v = ut - ut.max(axis=0)
    w = np.exp(v)
    cdf = np.cumsum(w, axis=0)
    cdf /= cdf[-1]
    return np.minimum((cdf < u).sum(axis=0), ut.shape[0] - 1)
