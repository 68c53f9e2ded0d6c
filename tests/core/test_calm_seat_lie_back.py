"""Lying back from a calm seat the body was not seen to reach: lying is placed finely too.

A tall body sits down with its feet beyond the foot end: the seat is the first load the mat
carries, and the lie-back from it is the only step seen. On the default 2 × 3 mat a heavy upper
body prone with the head 10 cm beyond the head end puts ~0.55/0.33/0.12 of its load in the rows:
lying's coarse templates (every 4 cm) fit it 0.036 off, a seat 0.011, so it stayed `sitting`
(the sweep's prone/heavy_upper/head-10cm/2x3 runs: missed, or started 54 s late). Lying placed
every 1 cm fits it within 0.02 (pure core, made-up loads).
"""

from __future__ import annotations

import numpy as np
import pytest

from controller.core.bodymodel import build_templates, fine_lying_profiles
from controller.core.posturefit import TemplateFitter
from tests.core.test_posture import GEOMETRY, Step, play, rows

SEAT_FEET_OFF = rows(0.0, 0.95, 0.05, 66.0)  # knees-up seat in the middle row, feet off the end
PRONE_HEAVY = rows(0.556, 0.327, 0.117, 59.0)  # prone, heavy upper body, head 10 cm beyond
# a 1.52 m body supine, head 15 cm in, after a seat on the second row border (feet off the end)
SEAT_ON_BORDER = rows(0.0, 0.52, 0.48, 45.0)
SUPINE_SMALL = rows(0.12, 0.61, 0.28, 42.0)


def fits(loads: list[float]) -> tuple[float, float, float]:
    """Lying's coarse and fine fits and sitting's, for these loads' rows."""
    shares = np.array(loads[::2]) / sum(loads[::2])
    coarse = TemplateFitter(build_templates(GEOMETRY)).fits(shares)
    fine = float(np.abs(fine_lying_profiles(GEOMETRY) - shares).sum(axis=1).min())
    return coarse["lying"], fine, coarse["sitting"]


@pytest.mark.parametrize(
    ("seat", "lying"), [(SEAT_FEET_OFF, PRONE_HEAVY), (SEAT_ON_BORDER, SUPINE_SMALL)]
)
def test_lying_back_from_a_calm_seat_reached_from_off_the_mat_is_lying(
    seat: list[float], lying: list[float]
) -> None:
    coarse, fine, sitting = fits(lying)
    assert coarse > sitting + 0.02 and fine <= sitting + 0.02  # only the fine placements say it
    steps: list[Step] = [(seat, 2.0, True), (lying, 2.5, False), (lying, 4.0, True)]
    classifier, reported = play(steps)
    assert reported[-1] == "lying", reported
    assert classifier.lie_back.seen and not classifier.lie_back.two_step


def test_the_same_move_from_a_seat_paused_too_briefly_to_judge_stays_sitting() -> None:
    # A stance paused for under a second may be the anchor: sitting down from it is one step
    # too, and the fine placements fit such a seat with its legs ahead as well.
    steps: list[Step] = [(SEAT_FEET_OFF, 0.7, True), (PRONE_HEAVY, 2.5, False)]
    _, reported = play([*steps, (PRONE_HEAVY, 4.0, True)])
    assert "lying" not in reported, reported


def test_the_same_move_after_a_long_seat_stays_sitting() -> None:
    # A seat held longer than a pause on the way down is someone sitting.
    steps: list[Step] = [(SEAT_FEET_OFF, 14.0, True), (PRONE_HEAVY, 2.5, False)]
    _, reported = play([*steps, (PRONE_HEAVY, 4.0, True)])
    assert "lying" not in reported, reported


# A stance in the foot-end row sways unseen within its tile: calm 3.6 s, then kneeling down
# ahead of it (the kneel's rows as the ways onto the mat's kneeling stay shows them on 2 x 3)
STANCE_FOOT_END = rows(0.01, 0.07, 0.92, 85.0)
KNEEL_AHEAD = rows(0.133, 0.679, 0.188, 85.0)


def test_kneeling_down_ahead_of_a_calm_stance_in_the_foot_end_row_stays_upright() -> None:
    # The fine profiles fit the kneel within 0.02 of a seat; but the feet of a seat reached
    # from beyond the foot end put it 0.3 m or more from that end, and this stance stood in it.
    coarse, fine, sitting = fits(KNEEL_AHEAD)
    assert coarse > sitting + 0.02 and fine <= sitting + 0.02
    steps: list[Step] = [(STANCE_FOOT_END, 3.6, True), (KNEEL_AHEAD, 2.0, False)]
    _, reported = play([*steps, (KNEEL_AHEAD, 4.0, True)])
    assert "lying" not in reported, reported
