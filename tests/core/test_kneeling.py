"""Kneeling onto the mat (``liedown``): a kneel loads a strip of knees, shins and insteps about
0.4 of the height long, the toes to the head end; lying down from it goes through a seat on one
hip beside the heels, the shanks folded beside the seat, then stretches the legs out beyond the
knees as the trunk lies back head-wards.

Zone loads (kg) on a 2 x 4 mat 1.8 m long (rows 0.45 m), both columns of a row alike, with the
row shares of the simulator's kneeling stories (``firmware.sim.ways_on``) for a 1.63 m, 65 kg
body. Before, lying down from the hip seat was taken for sitting down from the feet (the
stretched legs put 0.11 of the load beyond the seat's foot-most row), so no session started.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.events import Posture
from controller.core.geometry import build_geometry
from controller.core.liedown_stretch import Anchor, no_lie_back
from controller.core.posture import PostureClassifier
from firmware.layout import MatLayout
from tests.core.test_posture import Step
from tests.core.test_posture import play as play_on

LAYOUT = MatLayout.grid(2, 4, 0.6, 1.8)
GEOMETRY = build_geometry(LAYOUT)


def rows(*shares: float, kg: float = 65.0) -> list[float]:
    """``shares`` of ``kg`` per row, head end first, split over the row's two zones."""
    return [x * kg / 2 for x in shares for _ in range(2)]


KNEEL = rows(0.0, 0.03, 0.97, 0.0)  # kneeling tall, facing the foot end: the knees in row 2
HIP_SEAT = rows(0.0, 0.35, 0.65, 0.0)  # sat to one hip beside the heels
LYING = rows(0.09, 0.53, 0.28, 0.11)  # lain back, the legs stretched out beyond the knees


def play(steps: Sequence[Step]) -> tuple[PostureClassifier, list[Posture]]:
    """``test_posture.play`` on this 2 x 4 mat."""
    return play_on(steps, geometry=GEOMETRY)


def test_lying_down_from_a_kneel_through_a_hip_seat_is_lying() -> None:
    classifier, reported = play(
        [
            (KNEEL, 2.0, True),
            (HIP_SEAT, 2.0, False),
            (HIP_SEAT, 2.5, True),
            (LYING, 3.0, False),
            (LYING, 10.0, True),
        ]
    )
    assert reported[-1] == "lying"
    assert classifier.lie_back.anchor is not None and classifier.lie_back.anchor.down


def test_a_seat_reached_from_a_still_pose_before_it_is_no_sitting_down() -> None:
    # The same move (0.11 of the load beyond the anchor's foot-most row) is sitting down from
    # the feet after a load that was the first on the mat, and the legs stretching out after a
    # seat reached head-wards from the still pose before it.
    now = [x / 65.0 * 2 for x in LYING[::2]]
    feet = Anchor(0.0, 2.5, 0.96, 65.0, came_m=0.15, row_shares=(0.0, 0.35, 0.65, 0.0))
    seat = Anchor(0.0, 2.5, 0.96, 65.0, came_m=0.15, row_shares=(0.0, 0.35, 0.65, 0.0), down=True)
    assert no_lie_back(feet, now, past_seat_asked=False)
    assert not no_lie_back(seat, now, past_seat_asked=False)
