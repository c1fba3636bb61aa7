"""Kin help and the survey's "wanted to move and could not" (issues 8 and 10, fourth session).

Kiribati's blocked wishes were mostly moves to South Tarawa by households with no savings. With
kin on the capital paying part of the move, fewer wishes are blocked by money: the survey-
comparable share falls on every seed, and it is the same run with the help switched off that
reads higher (same seed, same storms).
"""

from __future__ import annotations

from hsmobility.validate import survey_trapped

OFF = {"decisions.kin_help_share": 0.0}


def test_kin_help_lowers_kiribatis_survey_share_on_seeds_1_to_3() -> None:
    for seed in (1, 2, 3):
        helped = survey_trapped("kiribati", seed, 10)
        alone = survey_trapped("kiribati", seed, 10, params=OFF)
        # (by 0.0088 on seed 1 since Kiribati's pull was refitted to -0.8 with households going
        # back from South Tarawa, issue 9 seventh session: fewer wish for it; was > 0.01)
        assert helped[0] < alone[0] - 0.005, (seed, helped, alone)
        # fewer trapped households in the monthly snapshot too (money is the main barrier)
        assert helped[1] < alone[1], (seed, helped, alone)
