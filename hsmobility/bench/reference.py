"""A straightforward per-agent Mesa implementation of the decision rule, for the speed-up ratio.

One :class:`ReferenceHousehold` (a plain ``mesa.Agent`` holding its own state as Python attributes)
per deciding household; each evaluates the rule of :mod:`hsmobility.decisions` term by term in its
own ``step()`` (as the per-household reference of ``tests/test_decision_rule.py`` does), scheduled
with Mesa's ``AgentSet.shuffle_do``. It covers the whole decisions phase of
:func:`hsmobility.phases.choices.decide_moves`: the legal options open to the household (ballot
draws, visas, channel places), transport off its island, the adaptation subsidy, the chance to
reconsider, the wishes, costs and means of every option, aspires / trapped / voluntary stayer, the
barrier in front of a trapped household's most-wished move, and the logit choice. Its arithmetic
follows the vectorised rule's order of operations (the cumulative logit probabilities are normalised
after summing, as in ``logit_choice``), so that the two agree household by household.

The uniform draws (reconsider, choose) are handed to each agent before the step, taken from the
model's decisions stream exactly as the vectorised phase draws them: that is what makes the
household-by-household comparison possible; drawing them in ``step()`` with ``self.random``
instead would cost two Python calls per agent, about 1% of its step.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from hsmobility.decisions import Barrier
from hsmobility.phases.choices import closed_options
from hsmobility.world.households import Status
from hsmobility.world.kin import capital_kin_help
from hsmobility.world.options import MOVE_KINDS, Kind

if TYPE_CHECKING:
    from hsmobility.world.state import World

#: options that need transport off the island
NEEDS_BOAT = (Kind.CAPITAL, Kind.ABROAD)


class ReferenceModel(mesa.Model):
    """The decisions of one month of a :class:`MobilityModel`, one Mesa agent per household.

    Built from the World of the vectorised model at its decisions phase (households ``rows``,
    options, regime, parameters, the month in progress and the damage it did, ``new_damage``);
    ``step()`` runs every agent's decision in random order.
    """

    def __init__(
        self, world: World, rows: np.ndarray, new_damage: np.ndarray, seed: int = 0
    ) -> None:
        super().__init__(rng=seed)
        self.t = world.t
        self.p = world.params.decisions
        self.ctx = world.context
        self.capital = world.context.capital
        self.links_cut_until = [int(x) for x in world.access.links_cut_until]
        self.humanitarian_open = world.policy.humanitarian.left > 0
        self.severe_damage = world.params.displacement.severe_damage
        self.elderly_age = world.params.demography.elderly_age
        self.vulnerable_max_quintile = world.params.groups.vulnerable_max_quintile
        self.nonvulnerable_subsidy_factor = world.params.groups.nonvulnerable_subsidy_factor
        levers = world.policy.levers
        self.resilient_subsidy = levers.adaptation.resilient_subsidy
        self.vulnerable_first = levers.targeting.vulnerable_first
        self.island_income = [float(x) for x in world.context.island_income]
        self.island_has_high = [bool(x) for x in world.context.island_has_high]
        self.wage_premium = [float(x) for x in world.context.wage_premium]
        self.move_cost = [float(x) for x in world.context.move_cost]
        # the options as plain tuples: (kind, destination, pathway, multiplier, offer, ballot,
        # job offer required, humanitarian)
        pathways = world.policy.regime.pathways
        self.options = []
        for opt in world.policy.options:
            by_pathway = opt.kind == Kind.ABROAD and opt.channel < 0
            kind = pathways[opt.pathway].kind if by_pathway else ""
            self.options.append(
                (
                    int(opt.kind),
                    opt.destination,
                    opt.pathway,
                    opt.cost_multiplier,
                    opt.offer,
                    kind == "ballot",
                    kind == "ballot" and pathways[opt.pathway].job_offer_required,
                    kind == "humanitarian",
                    pathways[opt.pathway] if by_pathway else None,
                )
            )
        #: per option: the regular channel it uses (-1 = none)
        self.option_channels = [opt.channel for opt in world.policy.options]
        #: per option: a family route whose sponsor pays the move (the household pays nothing)
        self.option_sponsored = [opt.sponsored for opt in world.policy.options]
        #: per option: its pathway or channel is not open this month (opens/closes dates)
        self.option_closed = [bool(x) for x in closed_options(world)]
        self.destinations = len(world.context.wage_premium)
        self.option_kinds = {o[0] for o in self.options}
        hh = world.households
        cols = (
            "island", "home_island", "band", "income", "savings", "risk", "damage", "status",
            "attachment", "head_age", "resilient", "quintile", "female_head", "disability",
            "drawn_pathway", "drawn_until", "job_offer", "visa_until", "size",
            "channel_granted", "channel_until", "ballot_entries", "months_displaced",
            "origin_island",
        )  # fmt: skip
        values = {c: getattr(hh, c)[rows].tolist() for c in cols}
        values["ties"] = hh.ties[rows].tolist()
        values["new_damage"] = new_damage[rows].tolist()
        # what kin on the capital would give towards a move there (world/kin.py)
        values["kin_help"] = capital_kin_help(
            hh, rows, world.geo.capital, world.params.decisions.kin_help_share
        ).tolist()
        for k, row in enumerate(rows.tolist()):
            ReferenceHousehold(self, row, {c: v[k] for c, v in values.items()})

    def step(self) -> None:
        self.agents.shuffle_do("step")


class ReferenceHousehold(mesa.Agent):
    """One household: its own state, and the decision rule written out in ``step()``."""

    def __init__(self, model: ReferenceModel, row: int, state: dict[str, Any]) -> None:
        super().__init__(model)
        self.row = row
        self.__dict__.update(state)
        self.u_review = 0.0
        self.u_choice = 0.0
        self.aspires = self.trapped = self.voluntary_stayer = False
        self.choice = 0
        self.barrier = Barrier.NONE

    def ballot_eligible(self, path: Any) -> bool:
        """May it enter this ballot: a principal of the right age (the head, or an adult child
        of an older head), and the fee in savings."""
        p, age = self.model.p, self.head_age
        adult_child = (
            self.size >= p.adult_child_household_size
            and age >= p.adult_child_parent_age
            and path.min_age <= p.adult_child_age
        )
        eligible = path.min_age <= age <= path.max_age or adult_child
        return eligible and self.savings >= path.registration_fee_usd

    def step(self) -> None:
        m: ReferenceModel = self.model
        p, t = m.p, m.t
        island = self.island if self.island >= 0 else self.home_island
        displaced = self.status == Status.DISPLACED
        transport = m.links_cut_until[island] < t
        vulnerable = (
            self.quintile <= m.vulnerable_max_quintile
            or self.female_head
            or self.head_age >= m.elderly_age
            or self.disability
        )
        reduce = m.vulnerable_first and not vulnerable
        subsidy = m.resilient_subsidy * (m.nonvulnerable_subsidy_factor if reduce else 1.0)

        # does it reconsider this month?
        holds_offer = self.drawn_until >= t or self.visa_until >= t or self.channel_until >= t
        chance = (
            p.review_prob
            + p.review_after_damage * (self.new_damage >= m.severe_damage)
            + p.review_with_offer * holds_offer
        )
        reviewing = self.u_review < min(chance, 1.0)

        # wishes
        risk, damage, att, income = self.risk, self.damage, self.attachment, self.income
        # the capital is weighed from the home island; displaced to the capital from elsewhere
        # (after a month there), settling is that move, with no journey and no boat (issue 9)
        home = self.home_island
        own = m.island_income[home]
        there = island == m.capital and home != m.capital
        push = p.beta_risk * risk + p.beta_damage * damage + p.beta_displaced * displaced
        # a household that moved to the capital in the run gave up capital_attachment of its
        # attachment then; going on abroad gives up what is left (step migration, issue 8)
        stepped = (
            self.status == Status.MOVED_INTERNAL
            and (home == m.capital if m.ctx.urban is None else bool(m.ctx.urban[home]))
            and self.origin_island >= 0
            and self.origin_island != home
        )
        given_up = (
            max(p.abroad_attachment - p.capital_attachment, 0.0) if stepped else p.abroad_attachment
        )
        base_abroad = (
            p.asc_abroad
            + push
            + p.beta_young * (self.head_age < p.young_head_age)
            - p.beta_attachment * given_up * att
        )
        abroad = [
            base_abroad
            + (
                p.beta_income * math.log(m.wage_premium[d] / m.island_income[island])
                + p.beta_ties * self.ties[d]
            )
            for d in range(len(m.wage_premium))
        ]
        capital = -math.inf
        if home != m.capital and not (island == m.capital and self.months_displaced <= 1):
            capital = (
                p.asc_capital
                + m.ctx.capital_pull
                + p.capital_risk_relief * p.beta_risk * risk
                + p.beta_damage * damage
                + p.beta_displaced * displaced
                + p.beta_income * math.log(m.island_income[m.capital] / own)
                - p.beta_attachment * p.capital_attachment * att
                - p.beta_crowding * max(m.ctx.capital_crowding, 0.0)
            )
        higher = -math.inf
        if m.island_has_high[island] and self.band != 2:
            higher = p.asc_higher + push - p.beta_attachment * p.higher_attachment * att

        # each option: wish, cost, money towards it, legal, feasible
        threshold = p.aspiration_threshold
        wishes, costs, feasible, blocked = [], [], [], []
        for j, option in enumerate(m.options):
            kind, dest, pathway, mult, offer, ballot, needs_job, humanitarian, path = option
            channel = m.option_channels[j]
            fund = self.savings
            legal = True
            reason = Barrier.ELIGIBILITY  # why it is not legal, if it is not
            if kind == Kind.STAY:
                w, c = 0.0, 0.0
            elif kind == Kind.ADAPT:
                w = p.asc_adapt + p.beta_risk * risk + p.beta_damage * damage
                c = p.resilient_cost_share * m.ctx.house_value * (1.0 - subsidy)
            elif kind == Kind.CAPITAL:
                w, c = capital, 0.0 if there else p.internal_move_cost_months * income / 12.0
                fund += self.kin_help
            elif kind == Kind.HIGHER:
                w, c = higher, p.higher_ground_cost_share * m.ctx.house_value
            else:
                w = abroad[dest]
                c = 0.0 if m.option_sponsored[j] else m.move_cost[dest] * mult
                fund += p.tie_support_usd * self.ties[dest]
                if channel >= 0:
                    legal = self.channel_granted == channel and self.channel_until >= t
                elif ballot:
                    drawn = self.drawn_pathway == pathway and self.drawn_until >= t
                    legal = drawn and self.job_offer if needs_job else drawn
                    if drawn or (self.ballot_entries >> pathway) & 1:
                        reason = Barrier.QUEUED
                    elif self.ballot_eligible(path):
                        reason = Barrier.UNENTERED
                elif humanitarian:
                    legal = self.visa_until >= t and m.humanitarian_open
                    if self.visa_until >= t:
                        reason = Barrier.WAITING
                if m.option_closed[j]:
                    legal, reason = False, Barrier.LEGAL
            if offer:
                fund += p.offer_credit_months * income / 12.0
            affordable = fund >= c
            ok = legal and affordable and not math.isinf(w)
            if kind in NEEDS_BOAT and not (kind == Kind.CAPITAL and there):
                ok = ok and transport
            if kind == Kind.ADAPT:
                ok = ok and not (self.resilient or displaced)
            ok = ok or kind == Kind.STAY
            wishes.append(w)
            costs.append(c)
            feasible.append(ok)
            if ok:
                blocked.append(Barrier.NONE)
            elif not legal:
                waiting = reason in (Barrier.QUEUED, Barrier.UNENTERED)
                blocked.append(Barrier.FINANCIAL if waiting and not affordable else reason)
            else:
                blocked.append(Barrier.FINANCIAL if not affordable else Barrier.TRANSPORT)

        # aspires, trapped, voluntary stayer
        aspires = max(*abroad, capital, higher) > threshold
        can_move = wished_move = False
        for j, opt in enumerate(m.options):
            if opt[0] in MOVE_KINDS and feasible[j]:
                can_move = True
                wished_move = wished_move or wishes[j] > threshold
        self.aspires = aspires
        self.trapped = aspires and not wished_move
        self.voluntary_stayer = not aspires and can_move

        # what stops a trapped household's most-wished move: each destination (the closest
        # barrier of its pathways, LEGAL if none), the capital, high ground
        self.barrier = Barrier.NONE
        if self.trapped:
            closest = [Barrier.LEGAL] * m.destinations
            internal = {}
            for j, opt in enumerate(m.options):
                if opt[0] == Kind.ABROAD:
                    closest[opt[1]] = min(closest[opt[1]], blocked[j])
                elif opt[0] in (Kind.CAPITAL, Kind.HIGHER):
                    internal[opt[0]] = blocked[j]
            targets = list(zip(abroad, closest, strict=True))
            if Kind.CAPITAL in internal:
                targets.append((capital, internal[Kind.CAPITAL]))
            if Kind.HIGHER in internal:
                targets.append((higher, internal[Kind.HIGHER]))
            top = max(w for w, _ in targets)
            self.barrier = next(code for w, code in targets if w == top)
            # registered in that ballot, or eligible and not entered: not trapped
            self.trapped = self.barrier not in (Barrier.QUEUED, Barrier.UNENTERED)

        # the logit choice of a household that reconsiders
        self.choice = 0
        if reviewing:
            util = []
            for j, (kind, *_rest, offer, _b, _n, _h, _p) in enumerate(m.options):
                if j == 0:
                    util.append(0.0)
                elif not feasible[j]:
                    util.append(-math.inf)
                else:
                    burden = p.beta_cost * (costs[j] / max(income, 1.0))
                    if kind in MOVE_KINDS:
                        factor = p.offer_inertia_factor if offer else 1
                        burden += p.move_inertia * factor
                    util.append(wishes[j] - burden)
            top = max(util)
            acc, cdf = 0.0, []
            for v in util:
                acc += math.exp(v - top)
                cdf.append(acc)
            below = sum(1 for c in cdf if c / acc < self.u_choice)
            self.choice = min(below, len(util) - 1)
