"""A seat held longer than the lie-back's trail reaches (12 s) still knows it was reached
head-wards, from the feet behind it: lying back from it is the whole way down.

Before, the way to the seat was looked up when the seat's stretch ended, in a trail that keeps
the last 12 s; a seat held longer had pushed its own arrival out, so it looked reached from
nowhere. With the sweep's lie-downs pausing 12-18 s on the seat (benchmarks/long_seat.py), 103
of 1,944 lying runs started no session; now 30. A seat held that long is someone sitting, so
the shape alone still may not say lying after it (``LieBack.from_seat``).
"""

from __future__ import annotations

import pytest

from controller.core.liedown import LieBack
from tests.core.test_liedown_seat import FEET, MID_LAIN, MID_SEAT, Y_M, play


@pytest.mark.parametrize("seat_s", [2.0, 15.0, 19.0])  # over 20 s a 22 cm move is asked
def test_a_seat_reached_from_the_feet_is_remembered_however_long_it_is_held(
    seat_s: float,
) -> None:
    lie_back = LieBack(Y_M)
    play(lie_back, [(FEET, 2.0), (MID_SEAT, seat_s), (MID_LAIN, 3.0)])
    assert lie_back.anchor is not None and lie_back.anchor.came_m >= 0.05
    assert lie_back.seen and lie_back.two_step


def test_what_follows_a_seat_held_long_is_not_what_follows_a_seat_passed_through() -> None:
    passed, held = LieBack(Y_M), LieBack(Y_M)
    play(passed, [(FEET, 2.0), (MID_SEAT, 2.0), (MID_LAIN, 3.0)])
    play(held, [(FEET, 2.0), (MID_SEAT, 15.0), (MID_LAIN, 3.0)])
    assert passed.anchor is not None and held.anchor is not None
    assert passed.from_seat(passed.anchor.t + 3.0)
    assert not held.from_seat(held.anchor.t + 3.0)
