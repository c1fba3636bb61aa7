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
    gaps = []
    for seed in (1, 2, 3):
        helped = survey_trapped("kiribati", seed, 10)
        alone = survey_trapped("kiribati", seed, 10, params=OFF)
        # lower on every seed (after the ninth session's merges, seeds 1/2/3: by 0.0033 /
        # 0.0102 / 0.0115; seed 1's gap was 0.0088 before them)
        assert helped[0] < alone[0], (seed, helped, alone)
        gaps.append(alone[0] - helped[0])
        # fewer trapped households in the monthly snapshot too (money is the main barrier; by
        # 0.030 / 0.030 / 0.014)
        assert helped[1] < alone[1] - 0.005, (seed, helped, alone)
    # and by more than noise on the mean (0.0083 in the ninth session)
    assert sum(gaps) / len(gaps) > 0.005, gaps
