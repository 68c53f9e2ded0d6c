"""The lie-back alone (``liedown.LieBack``): pauses seen in the shares after a landing.

Zone loads (kg) on the default 2 × 3 mat (rows 0.43 m long), both columns of a row alike. The
controller's stillness is passed in as the tests say: ``False`` through a landing's bounce, which
scales every zone alike and leaves the distribution as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.geometry import build_geometry
from controller.core.liedown import LieBack
from controller.core.liedown_stretch import (
    Anchor,
    landed_ahead,
    sat_down,
    share_ahead,
)
from firmware.layout import DEFAULT_LAYOUT

Y_M = build_geometry(DEFAULT_LAYOUT).y_m


def rows(head: float, middle: float, foot: float, kg: float = 70.0) -> list[float]:
    return [x * kg / 2 for x in (head, head, middle, middle, foot, foot)]


FEET = rows(0.0, 0.0, 1.0)
SEAT = rows(0.0, 0.80, 0.20)  # sitting knees up behind the feet
LYING = rows(0.30, 0.50, 0.20)  # lain back: the upper body in the head-end row

Step = tuple[Sequence[float], float, bool]  # loads at the end, seconds, the controller's still


def play(steps: Sequence[Step], bounce: float = 0.0) -> tuple[LieBack, list[tuple[float, bool]]]:
    """10 Hz frames; each step blends linearly from the last loads. ``bounce``: the landing's
    ring after each step that moved (every zone scaled alike, decaying over a second)."""
    lie_back, t, last = LieBack(Y_M), 0.0, list(steps[0][0])
    seen: list[tuple[float, bool]] = []
    for loads, seconds, still in steps:
        n = round(seconds * 10)
        moved = any(abs(a - b) > 1e-9 for a, b in zip(last, loads, strict=True))
        for i in range(n):
            share = (i + 1) / n
            ring = 1.0 + (bounce * (0.7 ** (i + 1)) * (-1) ** i if moved else 0.0)
            now = [ring * (a + share * (b - a)) for a, b in zip(last, loads, strict=True)]
            lie_back.frame(t, now, still)
            seen.append((t, lie_back.seen))
            t += 0.1
        last = list(loads)
    return lie_back, seen


def test_a_seat_held_through_its_landing_bounce_is_an_anchor() -> None:
    # Sat down (1.5 s), held the seat 1.5 s while the controller still saw the landing ring in
    # kg, lay back: the seat was a pause in the shares, so the lie-back is seen.
    steps: list[Step] = [(FEET, 3.0, False), (SEAT, 1.5, False), (SEAT, 1.5, False)]
    steps += [(LYING, 2.0, False), (LYING, 2.0, True)]
    lie_back, _ = play(steps, bounce=0.1)
    assert lie_back.anchor is not None and lie_back.seen and lie_back.two_step


def test_without_the_pause_in_the_shares_there_is_no_anchor() -> None:
    # The same, but lying back straight from the sit-down: no pause, no anchor to compare with.
    steps: list[Step] = [(FEET, 3.0, False), (SEAT, 1.5, False), (LYING, 2.0, False)]
    lie_back, _ = play([*steps, (LYING, 2.0, True)], bounce=0.1)
    assert lie_back.anchor is None and not lie_back.seen


def test_constant_shares_with_nothing_carried_are_no_pause() -> None:
    # A body whose distribution never changed (it moved within its tiles, which shows in kg
    # only) is judged by the controller's stillness alone.
    lie_back, _ = play([(FEET, 6.0, False)], bounce=0.1)
    assert lie_back.anchor is None and lie_back.stretch_start_t is None


def test_a_jump_in_the_shares_ends_the_stretch_whatever_stillness_says() -> None:
    # Readings back at a jump while the controller calls the body still: what came before is
    # a stretch of its own (here the seat), and the load now lies head-wards of it.
    lie_back = LieBack(Y_M)
    t = 0.0
    for loads, seconds in ((SEAT, 3.0), (LYING, 3.0)):
        for _ in range(round(seconds * 10)):
            lie_back.frame(t, loads, True)
            t += 0.1
    assert lie_back.anchor is not None and lie_back.anchor.duration_s >= 2.5
    assert lie_back.seen


MIDDLE_FEET = rows(0.0, 1.0, 0.0)  # standing in the middle row
# sat down behind them with the legs stretched ahead: the seat on the first row border, the
# shanks and feet beyond where the feet stood
LONG_SEAT = rows(0.55, 0.35, 0.10)
LAIN_BACK = rows(0.55, 0.40, 0.05)  # lain back from a seat there: the legs stay where they were


def still_frames(lie_back: LieBack, t: float, loads: Sequence[float], seconds: float) -> float:
    for _ in range(round(seconds * 10)):
        lie_back.frame(t, list(loads), True)
        t += 0.1
    return t


def test_legs_landing_beyond_the_anchor_are_no_lie_back() -> None:
    # Still on the feet in the middle row, then still on a seat behind them with 10 % of the load
    # in the foot-end row, where nothing stood: the legs were stretched ahead, so sitting down.
    lie_back = LieBack(Y_M)
    t = still_frames(lie_back, 0.0, MIDDLE_FEET, 2.0)
    still_frames(lie_back, t, LONG_SEAT, 3.0)
    assert lie_back.anchor is not None and lie_back.anchor.row_shares == (0.0, 1.0, 0.0)
    assert not lie_back.seen and not lie_back.two_step


def test_a_lie_back_that_leaves_the_legs_where_they_were_is_seen() -> None:
    # The same move with under the threshold beyond the anchor's rows is a lie-back.
    lie_back = LieBack(Y_M)
    t = still_frames(lie_back, 0.0, MIDDLE_FEET, 2.0)
    still_frames(lie_back, t, LAIN_BACK, 3.0)
    assert lie_back.seen


def test_feet_in_the_foot_end_row_carried_two_rows_ahead_sat_down() -> None:
    # Nothing lies beyond the foot-end row: there the feet's load left their row (a quarter
    # stays: the legs trailing back) for the head-end row, two rows ahead: a seat well behind
    # the feet. A seat there lying back keeps its pelvis and thighs in its row.
    for after, lay_back in ((rows(0.40, 0.37, 0.23), False), (rows(0.20, 0.45, 0.35), True)):
        lie_back = LieBack(Y_M)
        t = still_frames(lie_back, 0.0, FEET, 2.0)
        still_frames(lie_back, t, after, 3.0)
        assert lie_back.seen is lay_back


HIGH_SEAT = rows(0.0, 0.91, 0.09)  # knees up, the seat mid-row and the feet just across the border
# Lain back while the legs stretched out: the trunk in the head-end row, the legs' load carried
# foot-wards, so the centre of pressure moved only 4.4 cm head-wards.
LAID_AND_STRETCHED = rows(0.25, 0.51, 0.24)


def test_a_trunk_laid_a_row_ahead_as_the_legs_stretch_is_the_whole_way_down() -> None:
    steps: list[Step] = [(FEET, 3.0, False), (HIGH_SEAT, 2.0, False), (HIGH_SEAT, 2.0, True)]
    steps += [(LAID_AND_STRETCHED, 2.5, False), (LAID_AND_STRETCHED, 3.0, True)]
    lie_back, _ = play(steps)
    assert lie_back.anchor is not None and lie_back.anchor.came_m >= 0.05
    assert lie_back.seen and lie_back.two_step


def test_hands_behind_a_seat_are_no_lie_back() -> None:
    # Leaning back on the hands moves the centre of pressure as far (4.3 cm), but puts only the
    # hands' 8 % a row behind the seat.
    leaning = rows(0.08, 0.85, 0.07)
    steps: list[Step] = [(FEET, 3.0, False), (HIGH_SEAT, 2.0, False), (HIGH_SEAT, 2.0, True)]
    lie_back, _ = play([*steps, (leaning, 1.5, False), (leaning, 3.0, True)])
    assert lie_back.anchor is not None and not lie_back.seen


def test_share_ahead_reads_rows_on_any_layout() -> None:
    # Five rows: the anchor loaded rows 2-3; load now in rows 0-1 (ahead of both) or not.
    assert share_ahead((0.0, 0.0, 0.7, 0.3, 0.0), [0.05, 0.15, 0.4, 0.2, 0.2]) == 0.2
    assert landed_ahead(
        share_ahead((0.0, 0.0, 0.7, 0.3, 0.0), [0.05, 0.15, 0.4, 0.2, 0.2]), 0, False
    )
    assert not landed_ahead(
        share_ahead((0.0, 0.0, 0.7, 0.3, 0.0), [0.0, 0.1, 0.5, 0.2, 0.2]), 0, False
    )
    assert share_ahead((0.3, 0.7, 0.0, 0.0, 0.0), [0.3, 0.3, 0.4, 0.0, 0.0]) == 0.0


# After a seat held 25 s (over ``liedown._LONG_STRETCH_S``), from the feet in the foot-end row.
HELD_SEAT = rows(0.0, 0.91, 0.09)
LONG_SEAT_WAY: list[Step] = [(FEET, 3.0, False), (HELD_SEAT, 2.0, False), (HELD_SEAT, 25.0, True)]


def after_long_seat(now: list[float]) -> LieBack:
    lie_back, _ = play([*LONG_SEAT_WAY, (now, 2.5, False), (now, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.duration_s > 20.0
    return lie_back


def test_after_a_long_seat_a_trunk_laid_ahead_as_the_legs_stretch_is_a_lie_back() -> None:
    # The trunk lands in the head-end row (0.29) as the legs stretch out: the centre of
    # pressure moves 5 cm, far under the 22 cm asked of it alone after a long seat.
    assert after_long_seat(rows(0.29, 0.45, 0.26)).seen


def test_after_a_long_seat_a_scoot_into_loaded_rows_is_no_lie_back() -> None:
    # The seat already loaded the head-end row a little; scooting back carries it there (the
    # centre moves 16 cm) but lays nothing ahead of the rows it loaded.
    seat, scooted = rows(0.05, 0.85, 0.10), rows(0.40, 0.52, 0.08)
    way: list[Step] = [(FEET, 3.0, False), (seat, 2.0, False), (seat, 25.0, True)]
    lie_back, _ = play([*way, (scooted, 2.0, False), (scooted, 3.0, True)])
    assert lie_back.anchor is not None and lie_back.anchor.duration_s > 20.0
    assert not lie_back.seen


def test_after_a_long_seat_hands_put_behind_are_no_lie_back() -> None:
    assert not after_long_seat(rows(0.11, 0.80, 0.09)).seen  # 0.11 ahead, the centre 4.8 cm


def test_after_a_long_seat_a_little_laid_ahead_needs_the_centre_moved_10_cm() -> None:
    assert after_long_seat(rows(0.15, 0.85, 0.0)).seen  # 0.15 ahead, the centre 10.4 cm
    assert not after_long_seat(rows(0.15, 0.80, 0.05)).seen  # 0.15 ahead, the centre 8.2 cm


def test_sat_down_reads_rows_on_any_layout() -> None:
    # Five rows (a 1 x 5 mat): feet in row 3, legs landed in row 4; feet in row 4, the load
    # carried to rows 0-2; and a seat in row 3 lain back (the trunk ahead, the pelvis kept).
    assert sat_down((0.0, 0.0, 0.0, 1.0, 0.0), [0.2, 0.3, 0.25, 0.15, 0.10])
    assert sat_down((0.0, 0.0, 0.0, 0.0, 1.0), [0.1, 0.3, 0.36, 0.0, 0.24])
    assert not sat_down((0.0, 0.0, 0.0, 0.8, 0.2), [0.05, 0.25, 0.3, 0.35, 0.05])
    assert not sat_down((), [0.5, 0.5])


def test_from_seat_needs_a_fresh_anchor_reached_head_wards() -> None:
    back = LieBack(Y_M)
    assert not back.from_seat(10.0)  # no anchor at all
    back.anchor = Anchor(10.0, 2.0, 0.6, 70.0, came_m=0.3)  # a seat behind the feet
    assert back.from_seat(12.0)
    assert not back.from_seat(10.0 + 15.1)  # too old to say what this stretch came from
    back.anchor = Anchor(10.0, 2.0, 0.6, 70.0, came_m=0.0)  # stepped on, or shifted
    assert not back.from_seat(12.0)
