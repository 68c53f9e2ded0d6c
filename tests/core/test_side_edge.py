"""Lying down from a long side edge (``liedown_stretch.legs_swung_on``): the seat comes first,
on the edge with the feet on the floor; turning to face the foot end swings the legs onto the
mat ahead of it; the trunk is then laid down head-wards. The seat was never reached head-wards
from feet (``came_m`` is 0), yet the way down is as whole as from the foot end.

Zone loads (kg) on the default 2 x 3 mat (rows 0.43 m long), the figures of the simulator's
side-edge stories (``firmware.sim.ways_on``): a 1.52 m, 50 kg body sitting 10-18 cm inside the
left edge, lying curled on its side with the head 10 cm beyond the head end. Before, such a
lie-down started no session (sitting was reported through the whole lying hold): two feet
across the first row border fit the curled profile as well, so only the whole way down may say
lying, and that was asked of a seat reached head-wards only.
"""

from __future__ import annotations

from controller.core.liedown_stretch import Anchor, legs_swung_on
from tests.core.test_posture import Step, play


def left(head: float, middle: float, foot: float, kg: float) -> list[float]:
    """All of the load in one column (the edge sat on), shares of ``kg`` per row (zones
    ordered row by row)."""
    return [x * kg for share in (head, middle, foot) for x in (share, 0.0)]


EDGE_SEAT = left(0.03, 0.97, 0.0, 38.0)  # on the edge, feet on the floor: ~3/4 of the body
TURNED = left(0.0, 0.75, 0.25, 49.0)  # facing the foot end, knees up, the feet on the mat
CURLED = left(0.59, 0.41, 0.0, 38.0)  # curled on the side, the head beyond the head end
# The same seat, never on the edge: it sat down in place (no arrival from the feet seen)
SEAT_IN_PLACE = TURNED


def test_lying_down_from_a_side_edge_is_lying() -> None:
    steps: list[Step] = [(EDGE_SEAT, 2.0, True), (TURNED, 2.0, False), (TURNED, 2.0, True)]
    classifier, reported = play([*steps, (CURLED, 2.5, False), (CURLED, 6.0, True)])
    assert reported[-1] == "lying"
    anchor = classifier.lie_back.anchor  # the seat turned on: its legs swung on, not reached
    assert anchor is not None and anchor.legs_on and anchor.came_m < 0.05  # head-wards
    assert classifier.lie_back.two_step


def test_the_same_lie_down_from_a_seat_found_in_place_is_not_lying() -> None:
    # No edge seat before it: nothing says the seat was not two feet across the border.
    steps: list[Step] = [(SEAT_IN_PLACE, 2.0, True), (CURLED, 2.5, False), (CURLED, 6.0, True)]
    classifier, reported = play(steps)
    assert classifier.lie_back.seen and not classifier.lie_back.two_step
    assert "lying" not in reported


def test_sitting_on_the_edge_and_shifting_is_not_lying() -> None:
    # Staying on the edge, the feet on the floor: a weight shift along the edge swings nothing on.
    shifted = left(0.10, 0.90, 0.0, 38.5)
    steps: list[Step] = [(EDGE_SEAT, 20.0, True), (shifted, 1.0, False), (shifted, 10.0, True)]
    classifier, reported = play(steps)
    anchor = classifier.lie_back.anchor
    assert anchor is not None and not anchor.legs_on and not classifier.lie_back.two_step
    assert "lying" not in reported


def seat(shares: tuple[float, ...], kg: float) -> Anchor:
    return Anchor(t=5.0, duration_s=2.0, cop_m=0.6, total_kg=kg, row_shares=shares)


def test_legs_swung_on_needs_the_legs_landed_ahead_and_the_seat_kept() -> None:
    edge = seat((0.03, 0.97, 0.0), 38.0)
    assert legs_swung_on(edge, 49.0, (0.0, 0.75, 0.25))  # the turn: +11 kg, all ahead
    # the total grew by less than the shanks and feet carry: a seat leaning on its hands
    assert not legs_swung_on(edge, 40.0, (0.0, 0.9, 0.1))
    # as much landed, but head-wards of the seat: not legs swung on ahead of it
    assert not legs_swung_on(edge, 49.0, (0.25, 0.75, 0.0))
    # the seat's row lost half its load as the rest landed ahead: the body left the seat
    assert not legs_swung_on(edge, 49.0, (0.0, 0.4, 0.6))
    assert not legs_swung_on(None, 49.0, (0.0, 0.75, 0.25))  # no seat before it
    # on a 3 x 3 or 2 x 4 mat alike: the rows are the anchor's, head end first
    assert legs_swung_on(seat((0.0, 0.9, 0.1, 0.0), 60.0), 70.0, (0.0, 0.78, 0.2, 0.02))
