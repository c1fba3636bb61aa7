"""Seafarers: a temporary labour channel abroad on foreign merchant and fishing ships.

I-Kiribati and Tuvaluan ratings, trained at the Marine Training Centre (Tarawa) and the Tuvalu
Maritime Training Institute (Funafuti), crew foreign ships on contracts of about a year and send
allotments home (issue 8). The setting's ``[seafarers]`` gives the berths (people at sea at any
one time), the contract length and what a seafarer sends home a year. Each month, before
incomes, seafarers whose contract ended are home again and the berths left free are filled by
working-age members of resident households. A seafarer stays a member of the household (as a
seasonal worker does): the household's people do not change, and while a member is at sea
(``seafarer_left`` > 0) the economy phase adds the allotment to its remittances.
"""

from __future__ import annotations

import numpy as np

from hsmobility.world.households import Displacement, Status
from hsmobility.world.state import World


def berths_in_agents(world: World) -> int:
    """The setting's berths in agents (one agent stands for ``scale`` households)."""
    sea = world.setting.seafarers
    return 0 if sea is None else int(round(sea.berths / world.scale))


def seafarers(world: World) -> np.ndarray:
    """Sign seafarers off and on; returns the rows of the households a seafarer left this month.

    Contracts that ended (``seafarer_left`` reached 0 last month) bring their seafarer home
    (``seafarers_home``); a household that left the setting gives up its berth. Free berths go
    to resident households (not abroad, not displaced abroad) with a working-age adult and no
    member already at sea, drawn at random from the ``seafarers`` stream; each new seafarer signs
    on for ``contract_months``. In month 0's clock (the burn-in's months, which run this phase,
    or the first recorded month without a burn-in) crews sign on with the months left on their
    contract spread evenly over 1..``contract_months``, so that contracts end in every month
    rather than all at once a year later."""
    hh = world.households
    empty = np.zeros(0, dtype=np.int64)
    sea = world.setting.seafarers
    if sea is None:
        return empty
    # a household that left the setting takes its seafarer off the berth list
    gone = (hh.status == Status.ABROAD) | (hh.displacement == Displacement.ABROAD)
    hh.seafarer_left[gone] = 0
    # contracts that ended: home again (the counter is the economy phase's, which counts down)
    home = hh.seafarer_on & (hh.seafarer_left == 0) & ~gone
    world.counts.add("seafarers_home", int(home.sum()))
    hh.seafarer_on[home | gone] = False
    at_sea = int(hh.seafarer_on.sum())
    free = berths_in_agents(world) - at_sea
    if free <= 0:
        return empty
    eligible = np.flatnonzero(~gone & ~hh.seafarer_on & (hh.adults >= 1))
    rng = world.streams["seafarers"]  # its own stream: crews drawn in the burn-in leave moves alone
    chosen = eligible[rng.permutation(len(eligible))[:free]]
    if world.t == 0:  # the crews already at sea when the run starts: contracts end month by month
        months = 1 + (np.arange(len(chosen)) % sea.contract_months)
    else:
        months = np.full(len(chosen), sea.contract_months)
    hh.seafarer_left[chosen] = months
    hh.seafarer_on[chosen] = True
    world.counts.add("seafarers_signed_on", len(chosen))
    return chosen
