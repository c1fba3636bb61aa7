"""Decisions and moves phases: the model's side of :mod:`hsmobility.decisions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.decisions import Context, Kind, Option, Situation, decide
from hsmobility.world.groups import vulnerable
from hsmobility.world.households import Band, Displacement, Status

if TYPE_CHECKING:
    from hsmobility.config.regimes import Regime
    from hsmobility.config.schemas import Setting
    from hsmobility.model import MobilityModel


def build_options(regime: Regime, setting: Setting) -> list[Option]:
    """Stay, adapt, the internal moves, and one abroad option per household pathway."""
    dest_index = {d.name: k for k, d in enumerate(setting.destinations)}
    options = [
        Option(Kind.STAY, "stay"),
        Option(Kind.ADAPT, "adapt"),
        Option(Kind.CAPITAL, "move-capital"),
        Option(Kind.HIGHER, "higher-ground"),
        Option(Kind.RELOCATION, "relocation"),
    ]
    abroad = []
    for k, p in enumerate(regime.pathways):
        if p.kind == "seasonal":
            continue  # a member goes for a season: not a household move
        mult = 1.0
        if p.kind == "humanitarian":
            mult = regime.levers.humanitarian.move_cost_multiplier
        elif p.kind == "free-movement" and p.name.startswith("free-movement-"):
            mult = regime.levers.free_movement.move_cost_multiplier
        offer = p.kind in ("ballot", "humanitarian")
        abroad.append(
            Option(
                Kind.ABROAD,
                f"abroad:{p.name}",
                destination=dest_index[p.destination],
                pathway=k,
                cost_multiplier=mult,
                offer=offer,
            )  # fmt: skip
        )
    return options + abroad


def build_context(setting: Setting) -> Context:
    return Context(
        capital=setting.capital_index,
        island_income=np.array([i.income_factor for i in setting.islands]),
        island_has_high=np.array([i.highground_share > 0 for i in setting.islands]),
        wage_premium=np.array([d.wage_premium for d in setting.destinations]),
        move_cost=np.array([d.move_cost_usd for d in setting.destinations]),
        house_value=setting.house_value_usd,
    )


def resilient_subsidy(model: MobilityModel, rows: np.ndarray) -> np.ndarray:
    """Share of a resilient home's cost paid by government for each household in ``rows``
    (half for the not-vulnerable under participatory targeting)."""
    levers = model.regime.levers
    halve = levers.targeting.vulnerable_first & ~vulnerable(model, rows)
    return levers.adaptation.resilient_subsidy * np.where(halve, 0.5, 1.0)


def situation(model: MobilityModel, rows: np.ndarray) -> Situation:
    """The decision-relevant state of households ``rows`` this month."""
    hh, t = model.households, model.month_index
    island = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    legal = np.ones((len(rows), len(model.options)), dtype=bool)
    pathways = model.regime.pathways
    for j, opt in enumerate(model.options):
        if opt.kind == Kind.RELOCATION:
            legal[:, j] = hh.relocation_offer[rows]
        elif opt.kind == Kind.ABROAD:
            path = pathways[opt.pathway]
            if path.kind == "ballot":
                ok = (hh.drawn_pathway[rows] == opt.pathway) & (hh.drawn_until[rows] >= t)
                if path.job_offer_required:
                    ok &= hh.job_offer[rows]
                legal[:, j] = ok
            elif path.kind == "humanitarian":
                legal[:, j] = (hh.visa_until[rows] >= t) & (model.humanitarian_left > 0)
    return Situation(
        island=island,
        band=hh.band[rows],
        income=hh.income[rows],
        savings=hh.savings[rows],
        risk=hh.risk[rows],
        damage=hh.damage[rows],
        displaced=hh.status[rows] == Status.DISPLACED,
        attachment=hh.attachment[rows],
        head_age=hh.head_age[rows],
        ties=hh.ties[rows],
        resilient=hh.resilient[rows],
        subsidy=resilient_subsidy(model, rows),
        legal=legal,
        transport=model.links_cut_until[island] < t,
    )


def decisions_phase(model: MobilityModel) -> None:
    """Every deciding household's wish and means are assessed; those reconsidering choose."""
    hh, p = model.households, model.params.decisions
    rng = model.streams["decisions"]
    rows = np.flatnonzero((hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD))
    s = situation(model, rows)
    holds_offer = (
        (hh.drawn_until[rows] >= model.month_index)
        | (hh.visa_until[rows] >= model.month_index)
        | hh.relocation_offer[rows]
    )
    chance = (
        p.review_prob
        + p.review_after_damage
        * (model.now.new_damage[rows] >= model.params.displacement.severe_damage)
        + p.review_with_offer * holds_offer
    )
    u = rng.random((2, len(rows)))
    reviewing = u[0] < np.minimum(chance, 1.0)
    d = decide(s, model.options, model.context, p, reviewing, u[1])
    hh.aspires[:] = False
    hh.trapped[:] = False
    hh.voluntary_stayer[:] = False
    hh.aspires[rows] = d.aspires
    hh.trapped[rows] = d.trapped
    hh.voluntary_stayer[rows] = d.voluntary_stayer
    chosen = d.choice > 0
    model.now.chooser = rows[chosen]
    model.now.choice = d.choice[chosen]


def moves_phase(model: MobilityModel) -> None:
    """Carry out this month's choices, within quotas and the boats' capacity."""
    hh = model.households
    rows, choice = model.now.chooser, model.now.choice
    if not len(rows):
        return
    rng = model.streams["moves"]
    order = rng.permutation(len(rows))
    rows, choice = rows[order], choice[order]
    kinds = np.array([model.options[j].kind for j in choice])

    # transport: households leaving an outer island share its link's monthly capacity
    leaving = np.isin(kinds, (Kind.CAPITAL, Kind.RELOCATION, Kind.ABROAD))
    origin = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    keep = np.ones(len(rows), dtype=bool)
    for i in np.unique(origin[leaving]):
        if i == model.capital:
            continue
        idx = np.flatnonzero(leaving & (origin == i))
        cap = int(model.exit_capacity[i] // model.scale)
        keep[idx[cap:]] = False
    model.counts["moves_blocked_transport"] += int((~keep).sum())
    rows, choice = rows[keep], choice[keep]

    for j in np.unique(choice):
        sel = choice == j
        opt = model.options[j]
        r = rows[sel]
        if opt.kind == Kind.ABROAD:
            r = _within_quota(model, opt, r)
            _move_abroad(model, opt, r)
        elif opt.kind == Kind.ADAPT:
            cost = model.params.decisions.resilient_cost_share * model.setting.house_value_usd
            share = resilient_subsidy(model, r)
            hh.savings[r] -= cost * (1.0 - share)
            hh.resilient[r] = True
            model.counts["adapted"] += len(r)
            model.counts["adaptation_subsidy_usd"] += float((cost * share).sum())
        elif opt.kind == Kind.CAPITAL:
            _move_inside(model, r, model.capital, None, Status.MOVED_INTERNAL)
            hh.savings[r] -= model.params.decisions.internal_move_cost_months * hh.income[r] / 12
            model.counts["moves_capital"] += len(r)
        elif opt.kind == Kind.HIGHER:
            _move_inside(model, r, None, Band.HIGH, Status.MOVED_INTERNAL)
            hh.savings[r] -= (
                model.params.decisions.higher_ground_cost_share * model.setting.house_value_usd
            )
            model.counts["moves_higher_ground"] += len(r)
        elif opt.kind == Kind.RELOCATION:
            relocate(model, r)
    hh.savings[:] = np.maximum(hh.savings, 0.0)


def _within_quota(model: MobilityModel, opt: Option, rows: np.ndarray) -> np.ndarray:
    """Humanitarian visas are capped by the year's places left (in people)."""
    path = model.regime.pathways[opt.pathway]
    if path.kind != "humanitarian":
        return rows
    people = np.cumsum(model.households.size[rows]) * model.scale
    rows = rows[people <= model.humanitarian_left]
    model.humanitarian_left -= int(model.households.size[rows].sum()) * model.scale
    return rows


def _move_abroad(model: MobilityModel, opt: Option, rows: np.ndarray) -> None:
    hh = model.households
    if not len(rows):
        return
    path = model.regime.pathways[opt.pathway]
    dest = model.setting.destinations.index(
        next(d for d in model.setting.destinations if d.name == path.destination)
    )
    was_displaced = hh.status[rows] == Status.DISPLACED
    origin = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    cost = model.context.move_cost[dest] * opt.cost_multiplier
    hh.savings[rows] = np.maximum(0.0, hh.savings[rows] - cost)
    hh.status[rows] = Status.ABROAD
    hh.island[rows] = -1
    hh.destination[rows] = dest
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.pathway_used[rows] = opt.pathway
    hh.forced[rows] = was_displaced
    hh.drawn_pathway[rows] = -1
    hh.relocation_offer[rows] = False
    _count_move(model, rows, was_displaced, "abroad", path.name)
    _spread_ties(model, origin, dest)


def _move_inside(
    model: MobilityModel, rows: np.ndarray, island: int | None, band: Band | None, status: Status
) -> None:
    """Settle households on ``island`` (None = where they are) in ``band`` (None = drawn)."""
    hh = model.households
    if not len(rows):
        return
    was_displaced = hh.status[rows] == Status.DISPLACED
    target = np.where(hh.island[rows] >= 0, hh.island[rows], hh.home_island[rows])
    if island is not None:
        target = np.full(len(rows), island)
    if band is None:
        isl = model.setting.islands[int(target[0])]
        u = model.streams["moves"].random(len(rows))
        band_new = np.where(
            u < isl.lowlying_share,
            Band.LOW,
            np.where(u < isl.lowlying_share + isl.highground_share, Band.HIGH, Band.MID),
        )
        if model.inundated[int(target[0])]:  # no one settles on land lost to the sea
            band_new = np.where(band_new == Band.LOW, Band.MID, band_new)
    else:
        band_new = np.full(len(rows), band)
    hh.status[rows] = status
    hh.island[rows] = target
    hh.home_island[rows] = target
    hh.band[rows] = band_new
    hh.damage[rows] = 0.0
    hh.protected[rows] = False
    hh.displacement[rows] = Displacement.NONE
    hh.months_displaced[rows] = 0
    hh.forced[rows] = was_displaced
    hh.relocation_offer[rows] = False
    kind = "relocation" if status == Status.RELOCATED else "internal"
    _count_move(model, rows, was_displaced, kind, None)


def relocate(model: MobilityModel, rows: np.ndarray) -> None:
    """Move households with their community to high ground, or to the capital on atolls."""
    hh = model.households
    for i in np.unique(hh.home_island[rows]):
        r = rows[hh.home_island[rows] == i]
        if model.setting.islands[int(i)].highground_share > 0:
            _move_inside(model, r, int(i), Band.HIGH, Status.RELOCATED)
        else:
            _move_inside(model, r, model.capital, Band.MID, Status.RELOCATED)
    model.counts["relocated"] += len(rows)
    model.counts["relocation_cost_usd"] += (
        len(rows) * model.regime.levers.relocation.cost_per_household_usd
    )


def _count_move(
    model: MobilityModel, rows: np.ndarray, forced: np.ndarray, kind: str, pathway: str | None
) -> None:
    c = model.counts
    n = len(rows)
    model.households.moved_step[rows] = model.month_index
    c[f"moves_{kind}"] += n
    c["moves_forced"] += int(forced.sum())
    c["moves_voluntary"] += n - int(forced.sum())
    if pathway:
        c[f"pathway:{pathway}"] += n
    people = int(model.households.size[rows].sum())
    c[f"moves_{kind}_people"] += people


def _spread_ties(model: MobilityModel, origin: np.ndarray, dest: int) -> None:
    """Emigrants become family abroad for households left on their island (chain migration)."""
    hh = model.households
    rng = model.streams["moves"]
    movers = np.bincount(origin, minlength=len(model.setting.islands))
    on = np.flatnonzero(hh.island >= 0)
    per_island = np.bincount(hh.island[on], minlength=len(movers))
    p = np.minimum(1.0, model.params.decisions.tie_spread * movers / np.maximum(per_island, 1))
    gain = on[rng.random(len(on)) < p[hh.island[on]]]
    hh.ties[gain, dest] = 1.0
