"""Pathways phase: ballot registration and draws, humanitarian visas, seasonal recruitment.

Ballots (PAC, PEV, Falepili): once a year eligible households that wish to go (and a few that
do not: a ticket is cheap) register and pay the fee; places (in people, as the schemes count
them) are drawn at random among registrants; a drawn principal then needs a job offer where the
scheme asks for one and has ``drawn_valid_months`` to go. Humanitarian visas open for an island's
displaced and badly damaged households when a storm displaces enough of it. Seasonal schemes
recruit once a year; a worker is away ``months_away`` and sends earnings home each month.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hsmobility.decisions import wish_abroad
from hsmobility.phases.moves import situation
from hsmobility.world.households import Displacement, Status

if TYPE_CHECKING:
    from hsmobility.model import MobilityModel


def pathways_phase(model: MobilityModel) -> None:
    month = model.calendar_month
    p = model.params.decisions
    if month == 1:
        model.humanitarian_left = model.humanitarian_quota
    if month == p.registration_month:
        _ballots(model)
    if month == p.seasonal_month:
        _seasonal(model)
    _humanitarian(model)


def _candidates(model: MobilityModel) -> np.ndarray:
    hh = model.households
    return np.flatnonzero((hh.status != Status.ABROAD) & (hh.displacement != Displacement.ABROAD))


def _ballots(model: MobilityModel) -> None:
    """This year's registration and draw for every ballot pathway."""
    hh, p, t = model.households, model.params.decisions, model.month_index
    rng = model.streams["pathways"]
    rows = _candidates(model)
    if not len(rows):
        return
    s = situation(model, rows)
    wish = wish_abroad(s, model.context, p)
    hh.registered[:] = False
    for k, path in enumerate(model.regime.pathways):
        if path.kind != "ballot" or path.quota_per_year <= 0:
            continue
        dest = model.destination_index[path.destination]
        age = hh.head_age[rows]
        # the principal is the head, or an adult child of an older head
        adult_child = (hh.size[rows] >= 3) & (age >= 40) & (path.min_age <= 25)
        eligible = ((age >= path.min_age) & (age <= path.max_age)) | adult_child
        eligible &= hh.savings[rows] >= path.registration_fee_usd
        eligible &= hh.drawn_until[rows] < t  # not holding a live draw
        wants = wish[:, dest] > p.aspiration_threshold
        u = rng.random(len(rows))
        enter = eligible & (u < np.where(wants, p.register_prob, p.register_prob_other))
        entrants = rows[enter]
        hh.savings[entrants] -= path.registration_fee_usd
        hh.registered[entrants] = True
        # draw places (people) among the entrants, in random order
        order = entrants[rng.permutation(len(entrants))]
        # a household is drawn while places remain before it (it may fill the last ones)
        before = (np.cumsum(hh.size[order]) - hh.size[order]) * model.scale
        drawn = order[before < path.quota_per_year]
        hh.drawn_pathway[drawn] = k
        hh.drawn_until[drawn] = t + p.drawn_valid_months
        offer = np.ones(len(drawn), dtype=bool)
        if path.job_offer_required:
            chance = p.job_offer_prob * (0.5 + hh.skills[drawn])
            offer = rng.random(len(drawn)) < chance
        hh.job_offer[drawn] = offer
        model.ballot_log.append(
            {
                "year": int(model.hazards.year[t]),
                "pathway": path.name,
                "registrations": len(entrants) * model.scale,
                "places": path.quota_per_year,
                "drawn": len(drawn) * model.scale,
                "with_job_offer": int(offer.sum()) * model.scale,
            }
        )
        model.counts["ballot_registrations"] += len(entrants)
        model.counts["ballot_places"] += path.quota_per_year / model.scale


def _humanitarian(model: MobilityModel) -> None:
    """Open the visa for islands where this month's storm displaced enough households."""
    h = model.regime.levers.humanitarian
    if not (h.enabled and model.humanitarian_quota > 0 and model.counts["displaced_new"]):
        return
    hh, t = model.households, model.month_index
    n_isl = len(model.setting.islands)
    displaced_new = np.bincount(hh.home_island[model.now.displaced_rows], minlength=n_isl)
    homes = np.bincount(hh.home_island[hh.status != Status.ABROAD], minlength=n_isl)
    opened = displaced_new >= h.trigger_displaced_share * np.maximum(homes, 1)
    if not opened.any():
        return
    severe = hh.damage >= model.params.displacement.severe_damage
    eligible = opened[hh.home_island] & (hh.status != Status.ABROAD)
    eligible &= (hh.status == Status.DISPLACED) | severe
    hh.visa_until[eligible] = t + h.open_months
    for i in np.flatnonzero(opened):
        model.log(
            f"humanitarian visas open for {model.setting.islands[i].name} for "
            f"{h.open_months} months"
        )


def _seasonal(model: MobilityModel) -> None:
    """Once a year each seasonal scheme recruits workers up to its places."""
    hh, p = model.households, model.params.decisions
    rng = model.streams["pathways"]
    for path in model.regime.pathways:
        if path.kind != "seasonal" or path.quota_per_year <= 0:
            continue
        rows = _candidates(model)
        age_ok = (hh.head_age[rows] >= path.min_age) & (hh.head_age[rows] <= path.max_age)
        has_worker = age_ok | (hh.size[rows] >= 3)
        free = hh.seasonal_left[rows] == 0
        poor_boost = np.where(hh.quintile[rows] <= 2, 1.5, 1.0)
        apply = has_worker & free & (rng.random(len(rows)) < p.seasonal_apply_prob * poor_boost)
        applicants = rows[apply]
        places = int(path.quota_per_year // model.scale)
        chosen = applicants[rng.permutation(len(applicants))[:places]]
        hh.seasonal_left[chosen] = path.months_away
        hh.seasonal_pay[chosen] = path.earnings_per_season_usd / max(path.months_away, 1)
        model.counts[f"pathway:{path.name}"] += len(chosen)
        model.counts["seasonal_recruited"] += len(chosen)
