"""A seat landed from off the mat anchors the lie-back however short its pause (pure core).

A tall body whose feet stand on the floor beyond the foot end sits down onto the mat: the seat
is the first load it carries, growing in place. Its landing's bounce keeps the controller from
calling it still for a second or more, so a seat held 1.4 s before lying back was still for
0.3 s only, under the half second a pause needs to be an anchor, and the lie-back from it went
unseen: 12 of the detection sweep's 19 missed lie-downs (e.g. hands_on_chest/p95_man/head+0cm
/2x3/s3). ``arrival.Arrival.landed_anchor`` takes the first still frame of such a load as the
anchor while its pause is too short to judge on its own; a stance that stepped on in place is
still told by how long it stood there, and one that pauses again at its place judges itself.

Zone loads (kg) on the default 2 × 3 mat, made up per row.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.geometry import build_geometry
from controller.core.liedown import LieBack
from controller.core.liedown_across import STOOD_S
from controller.core.liedown_stretch import MIN_STRETCH_S
from firmware.layout import DEFAULT_LAYOUT
from tests.core.test_liedown_across import FEET, SEAT, from_stance
from tests.core.test_liedown_across import play as play_across
from tests.core.test_posture import rows

GEOMETRY = build_geometry(DEFAULT_LAYOUT)

# hands on the chest, a 1.86 m body with the head at the head end, sat down from beyond the
# foot end on 2 x 3: the seat across the second row border, then supine (the sweep's rows)
SEAT_FROM_BEYOND = rows(0.0, 0.46, 0.54, 82.0)
SUPINE_TALL = rows(0.22, 0.52, 0.26, 94.0)

LandStep = tuple[Sequence[float], float, bool]  # loads at the end, seconds, the controller's still


def land_and_lie(seat: Sequence[float], still_s: float, lying: Sequence[float]) -> LieBack:
    """10 Hz frames: the seat lands in place over 0.5 s, rings 1.1 s (not still), is still for
    ``still_s``, and the body lies back over 2 s into ``lying``, still for 3 s."""
    steps: list[LandStep] = [(seat, 0.5, False), (seat, 1.1, False), (seat, still_s, True)]
    steps += [(lying, 2.0, False), (lying, 3.0, True)]
    lie_back = LieBack(GEOMETRY.y_m, lambda: False, GEOMETRY.x_m)
    t, last = 0.0, [0.0] * len(GEOMETRY.y_m)
    for target, seconds, still in steps:
        n = round(seconds * 10)
        for i in range(n):
            now = [a + (i + 1) / n * (b - a) for a, b in zip(last, target, strict=True)]
            lie_back.frame(t, now, still)
            t += 0.1
        last = list(target)
    return lie_back


def test_lying_back_from_a_seat_landed_from_off_the_mat_is_seen_however_short_its_pause() -> None:
    assert land_and_lie(SEAT_FROM_BEYOND, 0.3, SUPINE_TALL).seen


def test_a_landed_pause_long_enough_to_judge_makes_its_own_anchor() -> None:
    # the landed anchor is offered only while the first pause is too short to be judged
    lie_back = land_and_lie(SEAT_FROM_BEYOND, 2.0, SUPINE_TALL)
    assert lie_back.seen
    assert lie_back.anchor is not None and lie_back.anchor.duration_s >= MIN_STRETCH_S


def test_a_load_that_moved_before_its_first_pause_leaves_no_landed_anchor() -> None:
    # stepped on foot by foot: the shares moved from the first frame's, so no landing in place
    lie_back = LieBack(GEOMETRY.y_m, lambda: False, GEOMETRY.x_m)
    one_foot, feet = [0.0, 0.0, 0.0, 0.0, 0.0, 40.0], rows(0.0, 0.5, 0.5, 70.0)
    for i in range(10):
        lie_back.frame(0.1 * i, one_foot, still=False)
    for i in range(10, 13):
        lie_back.frame(0.1 * i, feet, still=True)
    assert lie_back.anchor is None


def test_a_stance_that_stepped_on_in_place_and_paused_briefly_then_sat_is_no_lie_back() -> None:
    # both feet landing in the same row, standing 2.5 s (not still), a 0.3 s pause, then sat
    # down behind them across the head-end border: the stance is told by how long it stood
    steps = [*from_stance(SEAT)[:2], (FEET, 0.3, True), (SEAT, 2.0, False), (SEAT, 3.0, True)]
    lie_back = play_across(steps)
    assert lie_back.anchor is not None and lie_back.anchor.stood_s >= STOOD_S
    assert not lie_back.seen


def test_a_stance_that_pauses_again_at_its_place_judges_itself() -> None:
    # stepped on in place, short pauses now and then (the landing anchors the first only), a
    # pause long enough to judge, then sat down behind the feet: its stance is told as before
    steps = [*from_stance(SEAT)[:1], (FEET, 0.5, False), (FEET, 0.3, True), (FEET, 0.4, False)]
    steps += [(FEET, 0.3, True), (FEET, 0.4, False), (FEET, 0.8, True)]
    lie_back = play_across([*steps, (SEAT, 2.0, False), (SEAT, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.duration_s >= MIN_STRETCH_S
    assert not lie_back.seen
