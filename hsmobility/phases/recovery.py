"""Recovery phase: reconstruction of damaged homes and return of the displaced."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.phases.impacts import inundation
from hsmobility.world.households import Displacement, Status

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def recover_and_return(model: MobilityModel) -> None:
    """Homes are repaired as savings allow; the displaced move on from shelters and return.

    A household with the means repairs ``repair_rate`` of its damage a month, one without repairs
    ``repair_rate_without_means``. The monthly chance of return falls with the damage left and
    rises with attachment; young heads return less and old heads more (FACTS, Puerto Rico).
    """
    hh, t, pr = model.households, model.month_index, model.params.recovery
    rng = model.streams["recovery"]
    house_value = model.setting.house_value_usd

    # reconstruction, paid from savings where possible
    dmg = np.flatnonzero((hh.damage > 0) & (hh.status != Status.ABROAD))
    if len(dmg):
        damage = hh.damage[dmg].astype(float)
        cost = pr.repair_rate * damage * house_value
        means = np.minimum(1.0, hh.savings[dmg] / np.maximum(cost, 1e-9))
        rate = means * pr.repair_rate + (1.0 - means) * pr.repair_rate_without_means
        hh.savings[dmg] -= means * cost
        damage = damage * (1.0 - np.minimum(rate, 1.0))
        damage[damage < 0.02] = 0.0
        hh.damage[dmg] = damage

    displaced = np.flatnonzero(hh.status == Status.DISPLACED)
    if not len(displaced):
        return
    hh.months_displaced[displaced] += 1
    model.counts["displaced_household_months"] += len(displaced)

    # evacuation centres empty quickly: people move on to host families
    sheltered = displaced[
        (hh.displacement[displaced] == Displacement.SHELTER) & (hh.months_displaced[displaced] > 1)
    ]
    leave = sheltered[rng.random(len(sheltered)) < model.params.displacement.leave_shelter_prob]
    hh.displacement[leave] = Displacement.HOST_FAMILY

    # return home once it is livable again, unless the home island is still closed
    home = hh.home_island[displaced]
    livable = hh.damage[displaced] < model.params.displacement.uninhabitable_damage
    open_ = (model.island_closed_until[home] < t) & livable
    age = hh.head_age[displaced]
    p = (
        pr.return_prob
        * (1.0 - hh.damage[displaced]) ** pr.return_damage_power
        * (0.5 + hh.attachment[displaced])
        * np.where(age < 30, pr.young_head_return_factor, 1.0)
        * np.where(age >= model.params.demography.elderly_age, pr.old_head_return_factor, 1.0)
        * np.where(hh.displacement[displaced] == Displacement.ABROAD, pr.abroad_return_factor, 1.0)
    )
    back = displaced[open_ & (rng.random(len(displaced)) < p)]
    if len(back):
        model.counts["returns"] += len(back)
        model.counts["returned_episode_months"] += int(hh.months_displaced[back].sum())
        hh.status[back] = Status.RETURNED
        hh.island[back] = hh.home_island[back]
        hh.destination[back] = -1
        hh.displacement[back] = Displacement.NONE
        hh.months_displaced[back] = 0
        inundation(model)  # a home on land lost to the sea while away: moved on at once
