"""Sitting down from a stance is no lie-back (``liedown_across``): where the anchor's load had
stood, and the centre of pressure across the mat.

Zone loads (kg) on the default 2 × 3 mat (rows 0.43 m long, two columns 0.25 m wide), made up
per row and per column. The controller's stillness is passed in as the tests say: a stance
stands at its place not still (it keeps correcting its balance) and pauses still for a second;
a seat is still once its landing has rung out.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.geometry import build_geometry
from controller.core.liedown import LieBack
from controller.core.liedown_across import STOOD_S, sat_from_stance, stood_s
from controller.core.liedown_stretch import Anchor
from firmware.layout import DEFAULT_LAYOUT

GEOMETRY = build_geometry(DEFAULT_LAYOUT)
KG = 70.0


def loads(head: float, middle: float, foot: float, left: float = 0.5) -> list[float]:
    """Zone loads: each row's share split ``left`` / ``1 - left`` between the columns."""
    return [KG * row * side for row in (head, middle, foot) for side in (left, 1.0 - left)]


# Both feet in the middle row, a little more on the right foot (a stance rests unequally).
FEET = loads(0.0, 0.89, 0.11, left=0.46)
# Sat down right behind them across the head-end border, the legs stretched over where the feet
# stood, the seat centred between the feet: in the rows, a curled body lain down from the feet.
SEAT = loads(0.36, 0.53, 0.11)
CURLED = loads(0.36, 0.53, 0.11, left=0.34)  # the same rows, the body turned onto a hip

Step = tuple[Sequence[float], float, bool]  # loads at the end, seconds, the controller's still


def play(steps: Sequence[Step]) -> LieBack:
    """10 Hz frames from an empty mat; each step blends linearly from the last loads."""
    lie_back = LieBack(GEOMETRY.y_m, zone_x_m=GEOMETRY.x_m)
    t, last = 0.0, [0.0] * len(GEOMETRY.y_m)
    for target, seconds, still in steps:
        n = round(seconds * 10)
        for i in range(n):
            share = (i + 1) / n
            now = [a + share * (b - a) for a, b in zip(last, target, strict=True)]
            if sum(now) > 0.0:
                lie_back.frame(t, now, still)
            t += 0.1
        last = list(target)
    return lie_back


def from_stance(seat: Sequence[float]) -> list[Step]:
    """Steps on, stands 2.5 s correcting its balance, pauses still 1 s, moves to ``seat``."""
    return [(FEET, 1.0, False), (FEET, 2.5, False), (FEET, 1.0, True), (seat, 2.0, False)]


def test_sitting_down_behind_the_feet_is_no_lie_back() -> None:
    lie_back = play([*from_stance(SEAT), (SEAT, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.stood_s >= STOOD_S
    assert not lie_back.seen and not lie_back.two_step


def test_lying_onto_a_hip_from_the_feet_moves_the_centre_across() -> None:
    lie_back = play([*from_stance(CURLED), (CURLED, 3.0, True)])
    assert lie_back.seen


def test_lying_back_from_a_seat_that_just_landed_is_seen() -> None:
    # The feet beyond the foot end: the first load on the mat is a seat, growing as the person
    # sits, still once its landing has rung out; from it the same move is a lie-back.
    seat = loads(0.0, 0.89, 0.11)
    steps: list[Step] = [(seat, 1.5, False), (seat, 1.0, False), (seat, 1.5, True)]
    lie_back = play([*steps, (SEAT, 2.0, False), (SEAT, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.stood_s < STOOD_S
    assert lie_back.seen


def test_the_place_a_load_stood_at_ends_where_it_moved_or_grew() -> None:
    trail = ((0.0, 0.90, 20.0), (1.0, 0.72, 70.0), (2.0, 0.70, 70.0), (3.0, 0.71, 70.0))
    assert stood_s(trail, 3.5, 0.70, 70.0) == 2.5  # back to the sample 1.0 s in
    assert stood_s(trail, 3.5, 0.80, 70.0) == 0.0  # the stretch lies elsewhere
    assert stood_s(trail, 1.5, 0.72, 70.0) == 0.5  # before it the load was still arriving
    assert stood_s(trail, 3.5, 0.70, 70.0, after_t=1.0) == 1.5  # back to a calm pause at 1.0 s


def test_a_stance_keeps_its_total_and_its_centre_across() -> None:
    stance = Anchor(10.0, 1.0, 0.7, KG, row_shares=(0.0, 0.89, 0.11), x_m=0.25, stood_s=3.0)
    assert sat_from_stance(stance, 0.255, KG)
    assert not sat_from_stance(stance, 0.255, 1.2 * KG)  # the legs swung on from a side edge
    assert not sat_from_stance(stance, 0.29, KG)  # onto a hip
    landed = Anchor(10.0, 1.0, 0.7, KG, row_shares=(0.0, 0.89, 0.11), x_m=0.25, stood_s=1.2)
    assert not sat_from_stance(landed, 0.255, KG)  # still once its landing rang out: a seat


def test_a_load_that_paused_calmly_before_stood_there_as_no_stance() -> None:
    # Sat on the mat, calm long enough to judge (an anchor), turned a little within the same
    # place, paused 1.2 s and lay back: the time at that place began with a calm pause, not a
    # stance correcting its balance, so the move from the short pause is a lie-back.
    edge, turned = loads(0.0, 0.81, 0.19), loads(0.0, 0.91, 0.09)
    steps: list[Step] = [(edge, 1.5, False), (edge, 2.5, True), (turned, 0.8, False)]
    steps += [(turned, 1.2, True), (SEAT, 2.0, False), (SEAT, 3.0, True)]
    assert play(steps).seen
