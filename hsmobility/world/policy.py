"""The state each policy keeps, built from the regime in one place.

A regime (levers and the pathways they open) can change between two months
(:meth:`hsmobility.model.MobilityModel.set_regime`); :func:`build_policy` then builds the new
policy state from the old one, so that what was already done stays done (works built, relocation
programmes decided, visas granted this year) and the next month's options follow the new regime.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from hsmobility.config.levers import Levers
from hsmobility.config.regimes import Regime
from hsmobility.config.schemas import Setting
from hsmobility.world.options import Option, build_options


@dataclass
class RelocationProgramme:
    """Planned community relocation: the listed sites (communities) and where each stands."""

    eligible: np.ndarray  # bool per island: the regime lets its communities be relocated
    start: np.ndarray  # per island: step its first community was listed (-1 = none yet)
    #: community -> step it was listed (it votes after assessment and consultation)
    listed: dict[int, int] = field(default_factory=dict)
    #: community that consented -> step it asked: waiting for the programme to fund its site
    consented: dict[int, int] = field(default_factory=dict)
    #: community whose site is being built -> (step it asked, step building began)
    building: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: communities whose offer was decided: moved or declined (never listed again)
    decided: dict[int, str] = field(default_factory=dict)
    credit: float = 0.0  # sites the programme can move, accrued and not yet used
    #: listed community -> its urgency: the largest share of its households a storm displaced
    #: since it asked (1.0 when the sea reaches its land); the programme serves the most urgent
    urgency: dict[int, float] = field(default_factory=dict)
    #: listed community -> its place in the order of listing (a month's requests in a random
    #: order): breaks ties of urgency, so that villages equally hit are not served by index
    rank: dict[int, int] = field(default_factory=dict)
    listings: int = 0  # communities listed so far (the next rank)


@dataclass
class HumanitarianQuota:
    """Humanitarian visa places (people) per calendar year."""

    quota: int
    left: int


@dataclass
class CoastalWorks:
    """Coastal protection and land raising: which project is finished on which island, and
    each island's effective protection (the highest finished project covering it)."""

    height: np.ndarray  # metres per island (0 = no works finished)
    built: set[tuple[str, str]] = field(default_factory=set)  # (project label, island)


@dataclass
class RetrofitProgramme:
    """Public retrofit programme: homes owed by the yearly rate, not yet retrofitted."""

    credit: float = 0.0


@dataclass
class Policy:
    """The regime in force and the state of each of its policies."""

    regime: Regime
    options: list[Option]
    relocation: RelocationProgramme
    humanitarian: HumanitarianQuota
    works: CoastalWorks
    retrofit: RetrofitProgramme
    #: seasonal places (in agents) owed by each scheme and not yet filled: the fraction of an
    #: agent's place carried from year to year when ``scale`` > 1
    seasonal_credit: dict[str, float] = field(default_factory=dict)

    @property
    def levers(self) -> Levers:
        return self.regime.levers

    @property
    def pathway_names(self) -> list[str]:
        return [p.name for p in self.regime.pathways]


def build_policy(regime: Regime, setting: Setting, before: Policy | None = None) -> Policy:
    """Policy state for ``regime``, carrying over what ``before`` had already done."""
    n_isl = len(setting.islands)
    reloc = regime.levers.relocation
    eligible = np.array([not reloc.islands or i.name in reloc.islands for i in setting.islands])
    quota = sum(p.quota_per_year for p in regime.pathways if p.kind == "humanitarian")
    if before is None:
        relocation = RelocationProgramme(eligible, np.full(n_isl, -1))
        humanitarian = HumanitarianQuota(quota, quota)
        works, retrofit, seasonal = CoastalWorks(np.zeros(n_isl)), RetrofitProgramme(), {}
    else:
        # the programme's progress carries over; only which islands are eligible changes
        relocation = replace(before.relocation, eligible=eligible)
        used = before.humanitarian.quota - before.humanitarian.left
        humanitarian = HumanitarianQuota(quota, max(0, quota - used))
        works, retrofit, seasonal = before.works, before.retrofit, before.seasonal_credit
    return Policy(
        regime=regime,
        options=build_options(regime, setting),
        relocation=relocation,
        humanitarian=humanitarian,
        works=works,
        retrofit=retrofit,
        seasonal_credit=seasonal,
    )


def pathway_remap(before: list[str], after: list[str]) -> np.ndarray:
    """Index map from the pathways of one regime to those of another, by name (-1 = gone);
    the last entry maps -1 (no pathway) to -1."""
    index = {name: k for k, name in enumerate(after)}
    return np.array([index.get(name, -1) for name in before] + [-1])
