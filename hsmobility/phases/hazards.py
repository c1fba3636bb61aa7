"""Hazards of the month: the run's hazard series, which scripted events and events triggered
between months (:meth:`MobilityModel.trigger_event`) have already joined."""

from __future__ import annotations

from hsmobility.world.hazards import MonthHazards
from hsmobility.world.state import World


def hazards_of_the_month(world: World) -> MonthHazards:
    """This month's hazards; droughts starting now are written in the event log."""
    month = world.hazards.at(world.t)
    for line in month.notices:
        world.log(line)
    return month
