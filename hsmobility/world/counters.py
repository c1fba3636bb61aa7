"""What the phases count each month, declared once.

Every counter a phase may add to is declared here with its unit and meaning; the monthly record
(:mod:`hsmobility.indicators`) reports every one of them, scaled back to real households. Adding
to a counter that is not declared is an error, so a typo cannot make a number vanish.
"""

from __future__ import annotations

from collections import Counter as _Tally
from dataclasses import dataclass
from typing import Literal

Unit = Literal[
    "households",
    "people",
    "usd",
    "places",
    "household-months",
    "workers",
    "islands",
    "events",
    "villages",
    "village-months",
]


@dataclass(frozen=True)
class Counter:
    """A monthly count written by the phases."""

    name: str
    unit: Unit
    doc: str


#: every monthly counter, in the order of the monthly table
COUNTERS: tuple[Counter, ...] = (
    # demography
    Counter("births", "people", "members born in resident households"),
    Counter("deaths", "people", "members who died in resident households"),
    Counter("households_formed", "households", "young households formed by a split"),
    Counter("births_displaced_abroad", "people", "births in households displaced abroad"),
    Counter("deaths_displaced_abroad", "people", "deaths in households displaced abroad"),
    # people entering and leaving the setting (the residents' account)
    Counter(
        "people_left_setting",
        "people",
        "people who left: emigrated, displaced abroad or long-stay workers away",
    ),
    Counter("people_back_in_setting", "people", "people back from displacement abroad"),
    # damage and displacement
    Counter("displaced_new", "households", "households newly displaced (forced out of homes)"),
    Counter("displaced_new_people", "people", "people in newly displaced households"),
    Counter("evacuation_centre_people", "people", "people who spent a storm in a centre"),
    Counter("people_at_risk_in_storm", "people", "people who rode out a storm in a wrecked home"),
    Counter("warned_people", "people", "people who left home on a cyclone warning"),
    Counter("warned_to_kin_people", "people", "of whom to kin (centres full or not needed)"),
    Counter("deaths_hazard", "people", "of the deaths, people killed by a hazard (homes, zones)"),
    # deaths by cause (issue 9, survival; phases/deaths.py), parts of deaths_hazard
    Counter("deaths_wind", "people", "of hazard deaths, at home when the storm destroyed it"),
    Counter("deaths_surge", "people", "of hazard deaths, people drowned by surge or coastal flood"),
    Counter("deaths_rain", "people", "of hazard deaths, people killed by landslides, river floods"),
    # homes the month's storm wind damaged and destroyed (issue 9, tracks), for damage assessments
    Counter("homes_damaged", "households", "homes storm wind left damaged (destroyed included)"),
    Counter("homes_destroyed", "households", "of those, homes storm wind destroyed"),
    Counter("evacuation_orders", "events", "evacuation orders issued"),
    Counter("evacuation_orders_lifted", "events", "evacuation orders lifted"),
    Counter("evacuated_people", "people", "people taken out by an order or an exclusion zone"),
    Counter("evacuation_stayed_people", "people", "people who stayed despite an order"),
    Counter("evacuation_no_room_people", "people", "people ordered out who found no room"),
    Counter("moves_forced_inundation", "households", "households moved off land lost to the sea"),
    # recovery and return
    Counter("returns", "households", "displaced households back home"),
    Counter("displaced_household_months", "household-months", "months spent displaced"),
    Counter("returned_episode_months", "household-months", "length of episodes that ended"),
    Counter("shelter_kits", "households", "displaced households given a shelter kit this month"),
    Counter(
        "kit_returns",
        "households",
        "of the returns, displaced near home back to their plot with a kit",
    ),
    Counter(
        "centre_to_plot",
        "households",
        "of the returns, households with kin who left a centre for their plot, no host room",
    ),
    # working-age members first (issue 9 item 4)
    Counter("members_went_back", "people", "working-age members gone back to repair their home"),
    Counter("people_back_home", "people", "people back to live in their home after displacement"),
    # income
    Counter("remittances_usd", "usd", "remittances received by resident households"),
    Counter("remittances_diaspora_usd", "usd", "of which from the diaspora abroad at the start"),
    Counter("remittances_new_emigrants_usd", "usd", "of which from kin who emigrated in the run"),
    Counter("remittances_seasonal_usd", "usd", "of which seasonal workers' pay sent home"),
    Counter(
        "seasonal_savings_home_usd",
        "usd",
        "of seasonal pay, savings workers brought home when their season ended",
    ),
    Counter("remittances_seafarers_usd", "usd", "of which seafarers' allotments sent home"),
    # issue 8, eighth session: the part of remittances_usd the household budgets receive
    Counter(
        "remittances_household_usd",
        "usd",
        "of remittances_usd, what reaches household budgets (remittance_budget_share)",
    ),
    Counter("seafarers_away", "workers", "seafarers at sea this month"),
    Counter("seafarers_signed_on", "workers", "seafarers who left for a contract at sea"),
    Counter("seafarers_home", "workers", "seafarers back home at the end of a contract"),
    Counter("seasonal_workers_away", "workers", "seasonal workers away this month"),
    # pathways
    Counter("ballot_registrations", "households", "households entering a visa ballot"),
    Counter("ballot_registrations_people", "people", "people in households entering a ballot"),
    Counter("ballot_places", "places", "ballot places offered this month (people)"),
    Counter("seasonal_recruited", "workers", "workers recruited by seasonal schemes"),
    # regular emigration channels (family, skilled, student, lottery)
    Counter("channel_applications", "households", "households applying to a regular channel"),
    Counter("channel_grants", "households", "households granted a place by a regular channel"),
    Counter("channel_grants_people", "people", "people in households granted a channel place"),
    Counter(
        "channel_places_regranted",
        "people",
        "places of sponsored family routes that lapsed unused and were granted again",
    ),
    Counter("moves_channel", "households", "households that emigrated by a regular channel"),
    Counter("moves_channel_people", "people", "people who emigrated by a regular channel"),
    # moves
    Counter("moves_abroad", "households", "households that moved abroad"),
    Counter("moves_abroad_people", "people", "people in households that moved abroad"),
    Counter("moves_internal", "households", "households that moved within the country"),
    Counter("moves_internal_people", "people", "people in households that moved within"),
    Counter("moves_capital", "households", "chosen moves to the capital"),
    Counter("moves_higher_ground", "households", "chosen moves to high ground"),
    Counter("moves_relocation", "households", "households moved by planned relocation"),
    Counter("moves_relocation_people", "people", "people moved by planned relocation"),
    Counter("moves_of_displaced", "households", "moves made by displaced or flooded households"),
    Counter("moves_voluntary", "households", "moves made by households not displaced"),
    Counter("moves_blocked_transport", "households", "chosen moves that found no boat"),
    Counter("households_adapted_new", "households", "households that built a resilient home"),
    Counter("retrofitted", "households", "homes made resilient by a public programme"),
    # policies
    Counter("relocation_offers", "households", "places offered by relocation programmes"),
    Counter("relocation_programmes_decided", "islands", "islands whose relocation was decided"),
    # planned community relocation (issue 10 item 9): simulated communities, each a village
    Counter("relocation_sites_listed", "villages", "communities listed for relocation"),
    Counter("relocation_sites_offered", "villages", "listed communities asked to decide"),
    Counter("relocation_sites_accepted", "villages", "communities that voted to move"),
    Counter("relocation_sites_declined", "villages", "communities that voted to stay"),
    Counter("relocation_sites_moved", "villages", "communities relocated together"),
    Counter(
        "relocation_sites_funded",
        "villages",
        "consenting communities whose site the programme funded (building begins)",
    ),
    Counter(
        "relocation_sites_delisted",
        "villages",
        "listed communities not yet due displaced from a full list by a more urgent request",
    ),
    Counter(
        "relocation_wait_months",
        "village-months",
        "months from request to move, summed over the communities relocated",
    ),
    Counter(
        "relocation_households_left_behind",
        "households",
        "households of a moving community beyond its site's houses",
    ),
    Counter("humanitarian_visa_openings", "islands", "islands for which humanitarian visas opened"),
    Counter("cash_transfers", "households", "households paid a post-disaster cash transfer"),
    Counter("parametric_payouts", "households", "households paid a parametric insurance payout"),
    Counter("protection_paid_usd", "usd", "cash transfers and parametric payouts"),
    Counter("adaptation_subsidy_usd", "usd", "public spending on resilient homes"),
    Counter("relocation_cost_usd", "usd", "public cost of planned relocation"),
    Counter("coastal_works_cost_usd", "usd", "coastal protection and land raising finished"),
    Counter("early_warning_cost_usd", "usd", "early warning and evacuation centres kept ready"),
    Counter("shelter_cost_usd", "usd", "evacuation centres run through storms"),
    Counter("assisted_travel_cost_usd", "usd", "the share of moves abroad paid by governments"),
    Counter("settlement_support_cost_usd", "usd", "settlement support for humanitarian arrivals"),
    # return from abroad and circular migration (phases/returns.py)
    Counter("returns_from_abroad", "households", "households back from abroad (emigrated in run)"),
    Counter(
        "people_returned_from_abroad",
        "people",
        "people in households back from abroad, and long-stay workers back",
    ),
    Counter(
        "savings_brought_home_usd", "usd", "savings brought home by households back from abroad"
    ),
    Counter("seasonal_settled", "workers", "seasonal workers who settled abroad at season's end"),
    # members who emigrate alone (issue 10 item 1, issue 8 items 1 and 4)
    Counter("members_left_alone", "people", "working-age members who emigrated alone"),
    # immigration: people born abroad who come to live in the setting (phases/immigration.py)
    Counter("households_immigrated", "households", "households from abroad that settled here"),
    Counter("people_immigrated", "people", "people born abroad who came to live in the setting"),
    # long-stay labour mobility (issue 8 item 4): away 12 months or more, emigrants to the UN
    Counter("long_stay_departures", "workers", "long-stay workers who left (in people_left)"),
    Counter("long_stay_returns", "workers", "long-stay workers back with their households"),
    # kin who pay for a move (issues 8 and 10, fourth session; phases/kin.py, phases/moves.py)
    Counter("kin_help_usd", "usd", "given by kin on the capital towards relatives' moves there"),
    Counter("moves_capital_kin_helped", "households", "moves to the capital that kin helped pay"),
    # going back from the capital (issue 9, seventh session; phases/internal_returns.py)
    Counter("moves_capital_return", "households", "households gone back from the capital home"),
    Counter("moves_capital_return_people", "people", "people gone back from the capital home"),
    # of the moves to the capital, those settling on the home island's town instead (issue 8,
    # ninth session; Island.town: Ebeye for the Ralik chain)
    Counter("moves_town", "households", "moves to town that went to a second urban centre"),
    Counter(
        "abroad_move_paid_by_others_usd",
        "usd",
        "cost of moves abroad beyond the movers' savings: family abroad, credit with an offer",
    ),
)
COUNTER_NAMES = tuple(c.name for c in COUNTERS)
_DECLARED = frozenset(COUNTER_NAMES)


class Counts:
    """This month's counts: only declared counters can be added to."""

    def __init__(self) -> None:
        self._values: dict[str, float] = dict.fromkeys(COUNTER_NAMES, 0)
        #: households that emigrated, by pathway name (a keyed counter)
        self.by_pathway: _Tally[str] = _Tally()
        #: seasonal workers recruited, by scheme name
        self.seasonal_by_pathway: _Tally[str] = _Tally()
        #: households that emigrated by a regular channel, by channel name
        self.by_channel: _Tally[str] = _Tally()
        #: households back from abroad, by the pathway they had left by
        self.returns_by_pathway: _Tally[str] = _Tally()

    def add(self, name: str, value: float = 1) -> None:
        """Add ``value`` to the counter ``name`` (which must be declared in :data:`COUNTERS`)."""
        if name not in _DECLARED:
            raise KeyError(f"undeclared counter {name!r}: declare it in hsmobility.world.counters")
        self._values[name] += value

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def items(self) -> list[tuple[str, float]]:
        return list(self._values.items())
