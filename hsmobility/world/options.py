"""The options a household can choose among, and the per-setting arrays the decision rule needs.

Options follow from the regime (one abroad option per household pathway it opens) and from the
setting's regular emigration channels (one abroad option per channel, whatever the regime); they
are rebuilt whenever the regime changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from hsmobility.config.regimes import Regime
from hsmobility.config.schemas import Setting


class Kind(IntEnum):
    """What an option does."""

    STAY = 0
    ADAPT = 1  # build a resilient home and stay
    CAPITAL = 2  # move to the capital
    HIGHER = 3  # move to high ground on the same island
    #: moved by a planned community relocation: decided by the community's vote, never an
    #: option of a household's own choice (the value is kept so that the others keep theirs)
    RELOCATION = 4
    ABROAD = 5  # migrate abroad by a legal pathway


#: the options of a household's own choice that move it
MOVE_KINDS = (Kind.CAPITAL, Kind.HIGHER, Kind.ABROAD)


@dataclass(frozen=True)
class Option:
    kind: Kind
    name: str
    destination: int = -1  # abroad: index of the destination
    pathway: int = -1  # abroad: index of the pathway in the regime's list
    cost_multiplier: float = 1.0
    #: taken up on an individual offer (a visa drawn or granted): lower inertia
    offer: bool = False
    #: abroad by a regular channel: index of the channel in the setting's list (-1 = a pathway)
    channel: int = -1
    #: a family route whose sponsor at the destination pays the fees and the move
    #: (``Channel.sponsor_pays``): the household itself pays nothing
    sponsored: bool = False


@dataclass
class Context:
    """Per-setting arrays the rule needs (indexed by island or destination)."""

    capital: int
    island_income: np.ndarray  # income factor per island
    island_has_high: np.ndarray  # bool per island
    wage_premium: np.ndarray  # per destination
    move_cost: np.ndarray  # US$ per destination
    house_value: float
    #: the capital's crowding: log of its share of the setting's residents over its share at the
    #: start (0 at the start; updated each month by the choices phase)
    capital_crowding: float = 0.0
    #: the capital's share of the setting's residents when first measured (the first month)
    capital_share_start: float = float("nan")
    #: the setting's own capital pull, added to ``asc_capital`` (Setting.capital_pull)
    capital_pull: float = 0.0
    #: per island: an urban destination of internal moves, the capital or another island's
    #: ``town`` (Island.town); None = the capital alone
    urban: np.ndarray | None = None


def build_options(regime: Regime, setting: Setting) -> list[Option]:
    """Stay, adapt, the internal moves, one abroad option per household pathway and one per
    regular emigration channel (a place granted is an offer in hand, like a drawn visa). Planned
    relocation is not among them: a community decides it by vote (phases/relocation.py)."""
    dest_index = {d.name: k for k, d in enumerate(setting.destinations)}
    options = [
        Option(Kind.STAY, "stay"),
        Option(Kind.ADAPT, "adapt"),
        Option(Kind.CAPITAL, "move-capital"),
        Option(Kind.HIGHER, "higher-ground"),
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
            )
        )
    channels = [
        Option(
            Kind.ABROAD,
            f"abroad:channel:{c.name}",
            destination=dest_index[c.destination],
            offer=True,
            channel=k,
            sponsored=c.sponsor_pays,
        )
        for k, c in enumerate(setting.channels)
    ]
    return options + abroad + channels


def build_context(setting: Setting) -> Context:
    return Context(
        capital=setting.capital_index,
        island_income=np.array([i.income_factor for i in setting.islands]),
        island_has_high=np.array([i.highground_share > 0 for i in setting.islands]),
        wage_premium=np.array([d.wage_premium for d in setting.destinations]),
        move_cost=np.array([d.move_cost_usd for d in setting.destinations]),
        house_value=setting.house_value_usd,
        capital_pull=setting.capital_pull,
        urban=urban_islands(setting),
    )


def urban_islands(setting: Setting) -> np.ndarray:
    """Per island: True for the capital and for every island named as another's ``town``."""
    towns = {i.town for i in setting.islands if i.town is not None}
    return np.array([i.capital or i.name in towns for i in setting.islands], dtype=bool)
