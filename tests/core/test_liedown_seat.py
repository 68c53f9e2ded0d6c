"""A lie-back carries load past the seat (``liedown_stretch.carried_past_seat``): the trunk is
laid down head-wards of where the body sat. Legs drawn in and a seat's weight shifts move the
centre of pressure as far (5-6 cm) and carry little or nothing past it.

Zone loads (kg) on the default 2 x 3 mat (rows 0.43 m long), both columns of a row alike; each
move blends over a second while the controller says the body moves, then the body is still.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.geometry import build_geometry
from controller.core.liedown import LieBack
from controller.core.liedown_stretch import Anchor, carried_past_seat, no_lie_back
from firmware.layout import DEFAULT_LAYOUT

Y_M = build_geometry(DEFAULT_LAYOUT).y_m


def rows(head: float, middle: float, foot: float, kg: float = 70.0) -> list[float]:
    return [x * kg / 2 for x in (head, head, middle, middle, foot, foot)]


def play(lie_back: LieBack, steps: Sequence[tuple[Sequence[float], float]]) -> None:
    """Each step: blend to the loads over 1 s (moving), then hold them still this long."""
    t, last = 0.0, list(steps[0][0])
    for loads, held_s in steps:
        for i in range(10):
            share = (i + 1) / 10
            now = [a + share * (b - a) for a, b in zip(last, loads, strict=True)]
            lie_back.frame(t, now, False)
            t += 0.1
        for _ in range(round(held_s * 10)):
            lie_back.frame(t, list(loads), True)
            t += 0.1
        last = list(loads)


FEET = rows(0.0, 0.0, 1.0)
KNEES_UP_SEAT = rows(0.53, 0.19, 0.28)  # sitting knees up, the seat in the head-end row
# The same seat hugging its knees: the trunk leans back a few cm, 6 % of the load leaves the
# feet for the seat's row; the centre of pressure moves 5.2 cm head-wards.
HUGGING = rows(0.59, 0.19, 0.22)
MID_SEAT = rows(0.22, 0.35, 0.43)  # knees up, the seat across the first border
MID_HUGGING = rows(0.28, 0.36, 0.36)  # 6 % carried over that border: the trunk leaning back
MID_LAIN = rows(0.45, 0.35, 0.20)  # lain back: the trunk laid in the head-end row


def test_a_weight_shift_of_a_seat_in_the_head_end_row_is_no_lie_back() -> None:
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (KNEES_UP_SEAT, 17.0), (HUGGING, 3.0)])
    assert lie_back.anchor is not None and lie_back.anchor.duration_s > 8.0
    assert not lie_back.seen


def test_a_weight_shift_over_the_border_ahead_of_a_seat_held_a_while_is_no_lie_back() -> None:
    # 6 % carried past a seat held 17 s, the centre moved 5 cm: someone sitting shifts their
    # weight (a seat held over 12 s asks the 10 cm of a lie-back's second step). This read as a
    # lie-back until the knees-up sitters' false sessions were traced to it.
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (MID_SEAT, 17.0), (MID_HUGGING, 3.0)])
    assert not lie_back.seen


def test_lying_back_from_a_seat_held_a_while_is_a_lie_back() -> None:
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (MID_SEAT, 17.0), (MID_LAIN, 3.0)])
    assert lie_back.seen


def test_a_shift_carried_over_the_border_ahead_counts_after_a_pause_on_the_way_down() -> None:
    # Held 2 s (a pause on the way down, not a seat sat on): 6 % carried past it is enough.
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (MID_SEAT, 2.0), (MID_HUGGING, 3.0)])
    assert lie_back.seen


def test_legs_drawn_in_carry_nothing_past_the_seat() -> None:
    # Seated in the head-end row, legs stretched; drawing the feet in moves 14 % from the
    # foot-end row to the middle one: the centre moves 5.2 cm head-wards, nothing passes the seat.
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (rows(0.55, 0.20, 0.25), 2.0), (rows(0.52, 0.38, 0.10), 3.0)])
    assert lie_back.anchor is not None and not lie_back.seen


def test_once_lain_in_this_visit_the_centre_alone_counts() -> None:
    # A body that lay and rolls through a pose the tiles read as a seat: rolling back carries
    # nothing past the "seat", yet it is no newcomer sitting down.
    lie_back = LieBack(Y_M)
    lie_back.lain = True
    play(lie_back, [(FEET, 2.0), (KNEES_UP_SEAT, 17.0), (HUGGING, 3.0)])
    assert lie_back.seen


def test_carried_past_seat_reads_rows_on_any_layout() -> None:
    # Five rows, the seat (busiest) in row 3.
    before = (0.0, 0.05, 0.15, 0.6, 0.2)
    assert carried_past_seat(before, [0.05, 0.1, 0.15, 0.55, 0.15])  # 0.10 over border 2|3
    assert not carried_past_seat(before, [0.0, 0.05, 0.15, 0.7, 0.1])  # legs drawn in
    assert not carried_past_seat(before, [0.0, 0.07, 0.16, 0.6, 0.17])  # 0.03 carried: none
    assert not carried_past_seat((0.6, 0.3, 0.1, 0.0, 0.0), [0.7, 0.3, 0.0, 0.0, 0.0])
    assert not carried_past_seat((), [1.0])


def test_no_lie_back_asks_past_the_seat_only_where_told() -> None:
    anchor = Anchor(t=5.0, duration_s=2.0, cop_m=0.5, total_kg=70.0, row_shares=(0.55, 0.2, 0.25))
    drawn_in = [0.52, 0.38, 0.10]
    assert no_lie_back(anchor, drawn_in, past_seat_asked=True)
    assert not no_lie_back(anchor, drawn_in, past_seat_asked=False)
