"""Aspirations and capabilities: whether a household wishes to move, whether it can, what it does.

Pure functions on arrays (one row per household, one column per option), so that the rule can
be read, tested against a per-household reference implementation, and run on 200,000 households
in one go. The model calls :func:`decide`; the pathway phase reuses :func:`wish_abroad`.
:func:`decide_reference` states the same rule with households x options matrices, the way the
ODD reads; :func:`decide` computes it one option at a time, bit for bit the same (tested).

* **Wish** (aspiration) for an option: an index of perceived risk, damage, displacement, income
  gap, ties to family at the destination and youth, less the place attachment the option gives up.
  A household *aspires* to move when its wish for some move (to any destination, legal or not)
  exceeds ``aspiration_threshold``.
* **Capability**: an option is feasible when the household can pay for it (savings plus help from
  family at the destination: ties abroad, kin on the capital), a legal pathway is open to it
  (free movement; drawn in a ballot with a job offer if required; eligible for a humanitarian
  visa with places left; granted a channel's place) and transport runs (inter-island links are
  cut after storms). Planned relocation is not a household option: the community decides it by
  vote (:func:`wish_relocation`, :mod:`hsmobility.phases.relocation`).
* **Trapped**: aspires, but none of the moves it wishes for is feasible, and it is not *queued*
  (registered in, or drawn by, the ballot to the destination it wishes for most: its move is
  under way on a legal pathway). **Voluntary stayer**: does not aspire although some move is
  feasible. **Blocked**: reviewing, it would have chosen a move were every wished move open,
  and that move is not feasible (what a survey's "wanted to move but could not" records).
* **Choice**: when a household reconsiders, it picks among feasible options (stay, adapt, moves)
  by a logit on wish minus ``beta_cost`` x cost in years of income.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from hsmobility.config.params import DecisionParams
from hsmobility.world.options import MOVE_KINDS, Context, Kind, Option

__all__ = [
    "MOVE_KINDS",
    "TRAPPED_BARRIERS",
    "Barrier",
    "Context",
    "Kind",
    "Option",
    "Situation",
    "decide",
    "decide_reference",
    "survey",
]


class Barrier(IntEnum):
    """What stops a trapped household's most-wished move, the closest barrier first."""

    NONE = 0
    TRANSPORT = 1  # it could go and pay, but no boat leaves its island this month
    FINANCIAL = 2  # it may go, but cannot pay for the move
    #: registered in the ballot that leads there (or holding a draw): its move is under way on
    #: a legal pathway, so the household is *queued*, reported apart, not trapped
    QUEUED = 3
    #: it qualifies for a ballot there but did not enter this year's: a wish, not yet a plan;
    #: reported apart, not trapped
    UNENTERED = 4
    WAITING = 5  # granted a humanitarian visa, but this year's places are taken
    ELIGIBILITY = 6  # a pathway exists, but the household does not qualify (age, fee, offer)
    LEGAL = 7  # no legal pathway to that destination at all


BARRIER_NAMES = [b.name.lower() for b in Barrier]
#: the barriers that make a household trapped (a queued household is not trapped)
TRAPPED_BARRIERS = [
    b for b in Barrier if b not in (Barrier.NONE, Barrier.QUEUED, Barrier.UNENTERED)
]


@dataclass
class Situation:
    """The households deciding: one entry per household (rows of the household table)."""

    island: np.ndarray
    band: np.ndarray
    income: np.ndarray
    savings: np.ndarray
    risk: np.ndarray
    damage: np.ndarray
    displaced: np.ndarray  # bool
    attachment: np.ndarray
    head_age: np.ndarray
    ties: np.ndarray  # households x destinations
    resilient: np.ndarray  # bool
    subsidy: np.ndarray  # share of a resilient home's cost paid by government
    #: households x options: a legal pathway or offer is open (stay, adapt, capital, higher: True)
    legal: np.ndarray
    #: bool per household: transport off its island runs this month
    transport: np.ndarray
    #: households x options: why an option is not legal (a :class:`Barrier`; ignored where
    #: ``legal``); default ELIGIBILITY
    illegal_reason: np.ndarray | None = field(default=None)
    #: US$ per household that kin living on the capital would put towards its move there
    #: (hosting, food, the fare; :mod:`hsmobility.world.kin`); None = no kin help
    kin_help: np.ndarray | None = field(default=None)
    #: per household: its home island, its usual residence (differs from ``island`` while it is
    #: displaced to another island); default ``island``
    home: np.ndarray | None = field(default=None)
    #: per household: months of its current displacement, this one included (0 when not
    #: displaced); default: every displaced household has sheltered a while
    months_displaced: np.ndarray | None = field(default=None)
    #: per household: the island it left when it moved to the capital in the run (its family
    #: land; -1 for none, as for a household on the capital since the start); default: none
    origin: np.ndarray | None = field(default=None)


def wish_common(s: Situation, p: DecisionParams, extra_risk: float = 0.0) -> np.ndarray:
    """The push shared by every move: risk, damage, displacement (no attachment, no pull)."""
    return push(s.risk + extra_risk, s.damage, s.displaced, p)


def push(
    risk: np.ndarray, damage: np.ndarray, displaced: np.ndarray, p: DecisionParams
) -> np.ndarray:
    """:func:`wish_common` from its three columns (a community's vote reads only these)."""
    return p.beta_risk * risk + p.beta_damage * damage + p.beta_displaced * displaced


def wish_abroad(
    s: Situation, ctx: Context, p: DecisionParams, extra_risk: float = 0.0
) -> np.ndarray:
    """Wish to move to each destination abroad (households x destinations), legal or not."""
    own = ctx.island_income[s.island]
    pull = p.beta_income * np.log(ctx.wage_premium[None, :] / own[:, None]) + p.beta_ties * s.ties
    base = (
        p.asc_abroad
        + wish_common(s, p, extra_risk)
        + p.beta_young * (s.head_age < p.young_head_age)
        - p.beta_attachment * abroad_attachment_given_up(s, ctx, p) * s.attachment
    )
    return base[:, None] + pull


def stepped_to_capital(s: Situation, ctx: Context) -> np.ndarray:
    """Households living on the capital, or on a town (``ctx.urban``: Ebeye), that moved there
    from another island in the run (``s.origin``): they have already taken the first step away
    from their land (step migration, issue 8)."""
    if s.origin is None:
        return np.zeros(len(s.island), dtype=bool)
    home = home_island(s)
    urban = home == ctx.capital if ctx.urban is None else ctx.urban[home]
    return urban & (s.origin >= 0) & (s.origin != home)


def abroad_attachment_given_up(s: Situation, ctx: Context, p: DecisionParams) -> np.ndarray:
    """Share of its place attachment a household gives up by leaving the country: the whole
    ``abroad_attachment``, less, for one that already left its land for the capital
    (:func:`stepped_to_capital`), the ``capital_attachment`` it gave up then. Going on abroad
    from the capital is the second step of a move that began on the outer island (ODD 7.8.1,
    "Step migration"), so the first step is not counted twice."""
    stepped = stepped_to_capital(s, ctx)
    return np.where(
        stepped, max(p.abroad_attachment - p.capital_attachment, 0.0), p.abroad_attachment
    )


def wish_internal(
    s: Situation, ctx: Context, p: DecisionParams, extra_risk: float = 0.0
) -> dict[Kind, np.ndarray]:
    """Wish for each move inside the setting; -inf where the move makes no sense.

    The capital's pull falls as it fills: ``beta_crowding`` x the log of its share of residents
    over its share at the start (dearer housing and land, crowded services), so that it cannot
    absorb the whole country. ``ctx.capital_pull`` is the setting's own pull beyond
    ``asc_capital``, fitted to its census urbanisation.

    The move to the capital is weighed from the household's home (``s.home``, its usual
    residence): its income there, its home's damage, the attachment it gives up. A household
    whose home is the capital cannot move there; one displaced to the capital from another
    island can: settling where it shelters is this move, weighed against going home (issue 9).
    """
    push = wish_common(s, p, extra_risk)
    home = home_island(s)
    own = ctx.island_income[home]
    # its home is the capital, or it reached the capital this month: one weighs settling where
    # one shelters after sheltering there, not in the month one is displaced
    at_capital = (home == ctx.capital) | ((s.island == ctx.capital) & (_months(s) <= 1))
    capital = (
        p.asc_capital
        + ctx.capital_pull
        + p.capital_risk_relief * p.beta_risk * (s.risk + extra_risk)
        + p.beta_damage * s.damage
        + p.beta_displaced * s.displaced
        + p.beta_income * np.log(ctx.island_income[ctx.capital] / own)
        - p.beta_attachment * p.capital_attachment * s.attachment
        - p.beta_crowding * max(ctx.capital_crowding, 0.0)
    )
    capital = np.where(at_capital, -np.inf, capital)
    higher = p.asc_higher + push - p.beta_attachment * p.higher_attachment * s.attachment
    higher = np.where(ctx.island_has_high[s.island] & (s.band != 2), higher, -np.inf)
    return {Kind.CAPITAL: capital, Kind.HIGHER: higher}


def _months(s: Situation) -> np.ndarray:
    """Months displaced (``s.months_displaced``; without it, long enough to weigh settling)."""
    return np.full(len(s.island), 2) if s.months_displaced is None else s.months_displaced


def home_island(s: Situation) -> np.ndarray:
    """Each household's home island (its usual residence): ``s.home``, else ``s.island``."""
    return s.island if s.home is None else s.home


def sheltering_at_capital(s: Situation, ctx: Context) -> np.ndarray:
    """Households on the capital whose home is elsewhere (displaced there): for them the move to
    the capital is settling where they are, with no travel cost and no boat to wait for."""
    return (s.island == ctx.capital) & (home_island(s) != ctx.capital)


def wish_relocation(s: Situation, p: DecisionParams) -> np.ndarray:
    """Each household's wish to move with its community to the site a planned relocation offers
    (risk, damage, displacement against the attachment the move gives up): what it weighs in the
    community's vote. Not a household option: the community decides together."""
    return relocation_wish(s.risk, s.damage, s.displaced, s.attachment, p)


def relocation_wish(
    risk: np.ndarray,
    damage: np.ndarray,
    displaced: np.ndarray,
    attachment: np.ndarray,
    p: DecisionParams,
) -> np.ndarray:
    """:func:`wish_relocation` from the four columns it weighs, so that a community's vote
    needs no whole :class:`Situation` (ballots, channels, kin help it does not use)."""
    wish = p.asc_relocation + push(risk, damage, displaced, p)
    return wish - p.beta_attachment * p.relocation_attachment * attachment


def option_wishes(
    s: Situation, options: list[Option], ctx: Context, p: DecisionParams
) -> np.ndarray:
    """Households x options: the wish index of each option (stay = 0)."""
    n = len(s.island)
    dest = wish_abroad(s, ctx, p)
    internal = wish_internal(s, ctx, p)
    out = np.zeros((n, len(options)))
    for j, opt in enumerate(options):
        if opt.kind == Kind.ABROAD:
            out[:, j] = dest[:, opt.destination]
        elif opt.kind == Kind.ADAPT:
            out[:, j] = p.asc_adapt + p.beta_risk * s.risk + p.beta_damage * s.damage
        elif opt.kind in internal:
            out[:, j] = internal[opt.kind]
    return out


def abroad_cost(opt: Option, ctx: Context) -> float:
    """What a move abroad by ``opt`` costs the household itself, US$: the destination's move
    cost x the option's multiplier (a regime's assisted travel), or nothing on a family route
    whose sponsor at the destination pays the move (``Option.sponsored``; the petitioner's
    affidavit of support, issues 8 and 10, eighth session). Affordability and the cost in the
    choice both read it: a household is never barred by money from a sponsored place."""
    if opt.sponsored:
        return 0.0
    return float(ctx.move_cost[opt.destination] * opt.cost_multiplier)


def option_costs(
    s: Situation, options: list[Option], ctx: Context, p: DecisionParams
) -> np.ndarray:
    """Households x options: what each option costs the household, US$."""
    n = len(s.island)
    out = np.zeros((n, len(options)))
    for j, opt in enumerate(options):
        if opt.kind == Kind.ABROAD:
            out[:, j] = abroad_cost(opt, ctx)
        elif opt.kind == Kind.CAPITAL:
            out[:, j] = p.internal_move_cost_months * s.income / 12.0
        elif opt.kind == Kind.HIGHER:
            out[:, j] = p.higher_ground_cost_share * ctx.house_value
        elif opt.kind == Kind.ADAPT:
            out[:, j] = p.resilient_cost_share * ctx.house_value * (1.0 - s.subsidy)
    return out


def funds(s: Situation, options: list[Option], p: DecisionParams) -> np.ndarray:
    """Households x options: money the household can put towards each option: its savings,
    plus help from family abroad towards a move to their country (``tie_support_usd`` per tie),
    from kin on the capital towards a move there (``kin_help``), and credit with an offer. The
    financial barrier is what is left after this help."""
    out = np.repeat(s.savings[:, None], len(options), axis=1).astype(float)
    for j, opt in enumerate(options):
        if opt.kind == Kind.ABROAD:
            out[:, j] += p.tie_support_usd * s.ties[:, opt.destination]
        elif opt.kind == Kind.CAPITAL and s.kin_help is not None:
            out[:, j] += s.kin_help
        if opt.offer:
            out[:, j] += p.offer_credit_months * s.income / 12.0
    return out


@dataclass
class Decision:
    """The outcome of the rule for each household."""

    wish: np.ndarray  # households x options
    feasible: np.ndarray  # households x options
    aspires: np.ndarray  # bool per household
    trapped: np.ndarray
    voluntary_stayer: np.ndarray
    choice: np.ndarray  # option index per household (0 = stay) for those who reconsidered
    #: per household: what stops its most-wished move (Barrier.NONE unless trapped or queued)
    barrier: np.ndarray
    #: aspires, no wished move feasible, but registered in (or drawn by) the ballot to the
    #: destination it wishes for most: waiting on a legal pathway, not trapped
    queued: np.ndarray
    #: aspires, no wished move feasible, eligible for the ballot to the destination it wishes
    #: for most but not entered: a wish without a step taken, not trapped
    unentered: np.ndarray
    #: reviewing, it would have chosen a move had every move it wishes for been open, and that
    #: move is blocked by a trapping barrier (not by a ballot it is in or did not enter): a move
    #: it *wanted* and could not make (the survey's question)
    blocked: np.ndarray


def decide(
    s: Situation,
    options: list[Option],
    ctx: Context,
    p: DecisionParams,
    reviewing: np.ndarray,
    u: np.ndarray,
) -> Decision:
    """Wish, feasibility, trapped / voluntary stayer, and the logit choice of those reviewing.

    ``u`` holds one uniform draw per household; the choice is the inverse CDF of the logit
    probabilities at ``u`` (households not reviewing keep option 0, stay).

    The rule of :func:`decide_reference` (households x options matrices, as the ODD reads),
    computed faster with the same numbers, bit for bit (tests/test_decision_fast.py): the
    wishes once, one option at a time in options x households arrays (each option's cost,
    funds and feasibility a contiguous row, no households x options ``cost`` and ``funds``
    matrices), and the barriers and the logit only for the households that need them (those
    reviewing, those stuck). Every value is the same expression on the same inputs; only the
    memory layout and the rows visited differ (the reductions are exact: max, cumulative sums
    in the same order, counts).
    """
    n, k = len(s.island), len(options)
    dest_wish = wish_abroad(s, ctx, p)
    internal = wish_internal(s, ctx, p)
    there = sheltering_at_capital(s, ctx)
    adapt_ok = ~(s.resilient | s.displaced)
    savings = s.savings.astype(float)
    wish_t = np.zeros((k, n))
    feasible_t = np.empty((k, n), dtype=bool)
    affordable_t = np.empty((k, n), dtype=bool)
    costs: list[np.ndarray | float] = []
    is_move = np.array([o.kind in MOVE_KINDS for o in options], dtype=bool)
    can_move = np.zeros(n, dtype=bool)
    wished_move = np.zeros(n, dtype=bool)
    for j, opt in enumerate(options):
        # the wish (as option_wishes), the cost (as option_costs), the money (as funds)
        if opt.kind == Kind.ABROAD:
            wish_t[j] = dest_wish[:, opt.destination]
            cost = abroad_cost(opt, ctx)
        elif opt.kind == Kind.ADAPT:
            wish_t[j] = p.asc_adapt + p.beta_risk * s.risk + p.beta_damage * s.damage
            cost = p.resilient_cost_share * ctx.house_value * (1.0 - s.subsidy)
        elif opt.kind == Kind.CAPITAL:
            wish_t[j] = internal[Kind.CAPITAL]
            cost = np.where(there, 0.0, p.internal_move_cost_months * s.income / 12.0)
        elif opt.kind == Kind.HIGHER:
            wish_t[j] = internal[Kind.HIGHER]
            cost = p.higher_ground_cost_share * ctx.house_value
        else:
            cost = 0.0
        cost = np.asarray(cost, dtype=float) if np.ndim(cost) else float(cost)
        costs.append(cost)
        fund = savings
        if opt.kind == Kind.ABROAD:
            fund = fund + p.tie_support_usd * s.ties[:, opt.destination]
        elif opt.kind == Kind.CAPITAL and s.kin_help is not None:
            fund = fund + s.kin_help
        if opt.offer:
            fund = fund + p.offer_credit_months * s.income / 12.0
        affordable = affordable_t[j]
        np.greater_equal(fund, cost, out=affordable)
        ok = feasible_t[j]
        np.logical_and(s.legal[:, j], affordable, out=ok)
        ok &= np.isfinite(wish_t[j])
        if opt.kind == Kind.CAPITAL:  # settling where one shelters needs no boat
            ok &= s.transport | there
        elif opt.kind == Kind.ABROAD:
            ok &= s.transport
        elif opt.kind == Kind.ADAPT:
            ok &= adapt_ok
        if j == 0:
            ok[:] = True
        if is_move[j]:
            can_move |= ok
            wished_move |= ok & (wish_t[j] > p.aspiration_threshold)

    most_abroad = _row_max(dest_wish)
    aspires = (most_abroad > p.aspiration_threshold) | (
        np.maximum(internal[Kind.CAPITAL], internal[Kind.HIGHER]) > p.aspiration_threshold
    )
    stuck = aspires & ~wished_move
    voluntary_stayer = ~aspires & can_move

    choice = np.zeros(n, dtype=np.int64)
    blocked = np.zeros(n, dtype=bool)
    r = np.flatnonzero(reviewing)
    if len(r):
        income = np.maximum(s.income[r], 1.0)
        offered = np.array([o.offer for o in options])
        inertia = p.move_inertia * is_move * np.where(offered, p.offer_inertia_factor, 1.0)
        utility = np.empty((k, len(r)))
        for j, cost in enumerate(costs):
            years_of_income = (cost[r] if np.ndim(cost) else np.full(len(r), cost)) / income
            burden = p.beta_cost * years_of_income + inertia[j]
            utility[j] = np.where(feasible_t[j, r], wish_t[j, r] - burden, -np.inf)
        utility[0] = 0.0
        choice[r] = logit_choice_columns(utility, u[r])
        code = _barrier_codes(s, r, feasible_t[:, r].T, affordable_t[:, r].T)
        sub = Situation(**{f: _rows(getattr(s, f), r) for f in s.__dataclass_fields__})
        blocked[r] = wanted_blocked(
            sub, options, ctx, p, code, dest_wish[r], {kd: v[r] for kd, v in internal.items()}, u[r]
        )
    barrier = np.zeros(n, dtype=np.int8)
    t = np.flatnonzero(stuck)
    if len(t):
        code = _barrier_codes(s, t, feasible_t[:, t].T, affordable_t[:, t].T)
        wishes, codes, _ = move_targets(
            s, options, code, dest_wish[t], {kd: v[t] for kd, v in internal.items()}
        )
        barrier[t] = codes[np.arange(len(t)), np.argmax(wishes, axis=1)]
    return _decision(
        wish_t.T, feasible_t.T, aspires, stuck, voluntary_stayer, choice, barrier, blocked
    )


def _decision(
    wish: np.ndarray,
    feasible: np.ndarray,
    aspires: np.ndarray,
    stuck: np.ndarray,
    voluntary_stayer: np.ndarray,
    choice: np.ndarray,
    barrier: np.ndarray,
    blocked: np.ndarray,
) -> Decision:
    """The :class:`Decision` of both forms of the rule: of those stuck, the ones waiting on a
    ballot (queued, or not entered) are not trapped."""
    queued = stuck & (barrier == Barrier.QUEUED)
    unentered = stuck & (barrier == Barrier.UNENTERED)
    trapped = stuck & ~queued & ~unentered
    return Decision(
        wish,
        feasible,
        aspires,
        trapped,
        voluntary_stayer,
        choice,
        barrier,
        queued,
        unentered,
        blocked,
    )


def _row_max(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=1)`` of a households x few-columns array, one column at a time (the same
    values: a maximum is exact; numpy's reduction across a short row is slow)."""
    if a.shape[1] == 0:
        return np.full(a.shape[0], -np.inf)
    out = a[:, 0].copy()
    for d in range(1, a.shape[1]):
        np.maximum(out, a[:, d], out=out)
    return out


def _barrier_codes(
    s: Situation, rows: np.ndarray, feasible: np.ndarray, affordable: np.ndarray
) -> np.ndarray:
    """:func:`option_barriers` of households ``rows`` only (``feasible`` and ``affordable``:
    their rows x options)."""
    reason = None if s.illegal_reason is None else s.illegal_reason[rows]
    return _codes(s.legal[rows], reason, feasible, affordable)


def logit_choice_columns(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """:func:`logit_choice` on options x households ``utility`` (one column per household; it
    is overwritten): the same maximum, exponentials, cumulative sums in the same order and
    counts, so the same choices, with the reductions across contiguous rows and no temporary
    of the array's size (each is fresh memory the system must zero)."""
    utility -= utility.max(axis=0)
    np.exp(utility, out=utility)
    np.cumsum(utility, axis=0, out=utility)
    utility /= utility[-1].copy()
    return np.minimum((utility < u).sum(axis=0), utility.shape[0] - 1)


def decide_reference(
    s: Situation,
    options: list[Option],
    ctx: Context,
    p: DecisionParams,
    reviewing: np.ndarray,
    u: np.ndarray,
) -> Decision:
    """The rule of :func:`decide` written with households x options matrices, term by term as
    the ODD states it: the readable statement of the rule, against which the faster
    :func:`decide` is tested for identical decisions."""
    wish = option_wishes(s, options, ctx, p)
    cost = option_costs(s, options, ctx, p)
    kinds = np.array([o.kind for o in options])
    # a household displaced to the capital settles there without a second journey
    there = sheltering_at_capital(s, ctx)
    cost[np.ix_(there, kinds == Kind.CAPITAL)] = 0.0
    affordable = funds(s, options, p) >= cost
    is_move = np.isin(kinds, MOVE_KINDS)
    wished = wish > p.aspiration_threshold
    feasible = s.legal & affordable & np.isfinite(wish)
    # leaving one's island needs transport (moving up on the same island, or settling on the
    # capital where one shelters, does not)
    needs_boat = np.isin(kinds, (Kind.CAPITAL, Kind.ABROAD))
    boat = np.repeat(s.transport[:, None], len(options), axis=1)
    boat[np.ix_(there, kinds == Kind.CAPITAL)] = True
    feasible[:, needs_boat] &= boat[:, needs_boat]
    feasible[:, kinds == Kind.ADAPT] &= ~(s.resilient | s.displaced)[:, None]
    feasible[:, 0] = True

    dest_wish = wish_abroad(s, ctx, p)
    internal = wish_internal(s, ctx, p)
    aspires = (dest_wish.max(axis=1) > p.aspiration_threshold) | (
        np.maximum(internal[Kind.CAPITAL], internal[Kind.HIGHER]) > p.aspiration_threshold
    )
    can_move = feasible[:, is_move]
    stuck = aspires & ~(can_move & wished[:, is_move]).any(axis=1)
    voluntary_stayer = ~aspires & can_move.any(axis=1)

    choice = np.zeros(len(s.island), dtype=np.int64)
    r = np.flatnonzero(reviewing)
    years_of_income = cost[r] / np.maximum(s.income[r], 1.0)[:, None]
    offered = np.array([o.offer for o in options])
    inertia = p.move_inertia * is_move * np.where(offered, p.offer_inertia_factor, 1.0)
    burden = p.beta_cost * years_of_income + inertia
    utility = np.where(feasible[r], wish[r] - burden, -np.inf)
    utility[:, 0] = 0.0
    choice[r] = logit_choice(utility, u[r])
    blocked = np.zeros(len(s.island), dtype=bool)
    if len(r):
        code = option_barriers(s, feasible, affordable)[r]
        sub = Situation(**{f: _rows(getattr(s, f), r) for f in s.__dataclass_fields__})
        blocked[r] = wanted_blocked(
            sub, options, ctx, p, code, dest_wish[r], {k: v[r] for k, v in internal.items()}, u[r]
        )
    barrier = barriers(s, options, p, wish, feasible, affordable, dest_wish, internal, stuck)
    return _decision(wish, feasible, aspires, stuck, voluntary_stayer, choice, barrier, blocked)


def _rows(value: np.ndarray | None, r: np.ndarray) -> np.ndarray | None:
    return None if value is None else value[r]


def option_barriers(s: Situation, feasible: np.ndarray, affordable: np.ndarray) -> np.ndarray:
    """Households x options: what blocks each option (Barrier.NONE where feasible): the law
    (its ``illegal_reason``), then money, then transport. A household waiting on a ballot
    (queued or unentered) that could not pay for the move even if drawn is blocked by money,
    as it would be under a regime where the move is legal: the label must not depend on the
    regime's pathway when money is what stops the household."""
    return _codes(s.legal, s.illegal_reason, feasible, affordable)


def _codes(
    legal: np.ndarray, reason: np.ndarray | None, feasible: np.ndarray, affordable: np.ndarray
) -> np.ndarray:
    """:func:`option_barriers` on the arrays it reads (rows x options)."""
    if reason is None:
        reason = np.full(feasible.shape, Barrier.ELIGIBILITY, dtype=np.int8)
    waiting = (reason == Barrier.QUEUED) | (reason == Barrier.UNENTERED)
    reason = np.where(waiting & ~affordable, Barrier.FINANCIAL, reason).astype(np.int8)
    return np.where(
        feasible,
        Barrier.NONE,
        np.where(~legal, reason, np.where(~affordable, Barrier.FINANCIAL, Barrier.TRANSPORT)),
    )


def barriers(
    s: Situation,
    options: list[Option],
    p: DecisionParams,
    wish: np.ndarray,
    feasible: np.ndarray,
    affordable: np.ndarray,
    dest_wish: np.ndarray,
    internal: dict[Kind, np.ndarray],
    trapped: np.ndarray,
) -> np.ndarray:
    """For each trapped household (``trapped``: aspires, no wished move feasible; those queued
    are split off by the caller), the barrier in front of the move it wishes for most.

    The candidates are those that define the aspiration: each destination abroad (legal or not)
    and the moves to the capital and to high ground. An option is blocked, in this order, by
    the law (its ``illegal_reason``), by money, then by transport; a destination with several
    options (pathways) shows the closest of their barriers, and one with none shows LEGAL.
    """
    n = len(s.island)
    out = np.zeros(n, dtype=np.int8)
    if not trapped.any():
        return out
    wishes, codes, _ = move_targets(s, options, option_barriers(s, feasible, affordable),
                                    dest_wish, internal)  # fmt: skip
    most = np.argmax(wishes, axis=1)
    out[trapped] = codes[np.flatnonzero(trapped), most[trapped]]
    return out


def move_targets(
    s: Situation,
    options: list[Option],
    code: np.ndarray,
    dest_wish: np.ndarray,
    internal: dict[Kind, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, list[Kind]]:
    """The moves that define the aspiration, whatever the pathways: each destination abroad,
    then the capital and high ground where the setting has them. Returns households x targets
    wishes, the closest barrier of each (over a destination's pathways; LEGAL where none leads
    there) and the kind of each target."""
    n, n_dest = dest_wish.shape
    dest_code = np.full((n, n_dest), int(Barrier.LEGAL))
    by_kind = {}
    for j, opt in enumerate(options):
        if opt.kind == Kind.ABROAD:
            d = opt.destination
            dest_code[:, d] = np.minimum(dest_code[:, d], code[:, j])
        elif opt.kind in (Kind.CAPITAL, Kind.HIGHER):
            by_kind[opt.kind] = code[:, j]
    targets = [dest_wish]
    target_code = [dest_code]
    kinds = [Kind.ABROAD] * n_dest
    for kind in (Kind.CAPITAL, Kind.HIGHER):
        if kind in by_kind:
            targets.append(internal[kind][:, None])
            target_code.append(by_kind[kind][:, None])
            kinds.append(kind)
    return np.concatenate(targets, axis=1), np.concatenate(target_code, axis=1), kinds


def wanted_blocked(
    s: Situation,
    options: list[Option],
    ctx: Context,
    p: DecisionParams,
    code: np.ndarray,
    dest_wish: np.ndarray,
    internal: dict[Kind, np.ndarray],
    u: np.ndarray,
) -> np.ndarray:
    """Per household of ``s`` (all reviewing): the move it would choose were every move it
    wishes for open (each destination and internal move, whatever the pathways, at its full
    cost and inertia; the same logit and draw ``u`` as its real choice) is blocked by a
    trapping barrier. What a survey's "wanted to move but could not" records."""
    wishes, codes, kinds = move_targets(s, options, code, dest_wish, internal)
    n_dest = dest_wish.shape[1]
    income = np.maximum(s.income, 1.0)
    # one row per target (stay first), one column per household
    utility = np.empty((len(kinds) + 1, len(u)))
    utility[0] = 0.0
    for j, kind in enumerate(kinds):
        if j < n_dest:
            cost = ctx.move_cost[j]
        elif kind == Kind.CAPITAL:  # already there: no journey
            cost = np.where(
                sheltering_at_capital(s, ctx), 0.0, p.internal_move_cost_months * s.income / 12.0
            )
        else:
            cost = p.higher_ground_cost_share * ctx.house_value
        burden = p.beta_cost * cost / income + p.move_inertia
        wish = wishes[:, j]
        utility[j + 1] = np.where(np.isfinite(wish), wish - burden, -np.inf)
    pick = logit_choice_columns(utility, u)
    moving = pick > 0
    why = codes[np.arange(len(u)), np.maximum(pick - 1, 0)]
    return moving & np.isin(why, TRAPPED_BARRIERS)


def logit_choice(utility: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Index chosen by each row under multinomial-logit probabilities, at uniform draw ``u``."""
    v = utility - utility.max(axis=1, keepdims=True)
    w = np.exp(v)
    cdf = np.cumsum(w, axis=1)
    cdf /= cdf[:, -1:]
    return np.minimum((cdf < u[:, None]).sum(axis=1), utility.shape[1] - 1)


def survey(
    s: Situation, ctx: Context, p: DecisionParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The UNU-EHS survey questions, asked of the model's households.

    Returns (aspires now, would move if conditions worsened, could afford to migrate: to the
    cheapest of the destinations it would then wish for, or of all if it wishes for none).
    """
    now = wish_abroad(s, ctx, p)
    worse = wish_abroad(s, ctx, p, extra_risk=p.worsened_risk)
    wished = worse > p.aspiration_threshold
    considered = np.where(wished.any(axis=1)[:, None], wished, True)
    money = s.savings[:, None] + p.tie_support_usd * s.ties
    afford = (considered & (money >= ctx.move_cost[None, :])).any(axis=1)
    return now.max(axis=1) > p.aspiration_threshold, wished.any(axis=1), afford
