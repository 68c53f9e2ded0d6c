"""The lie-back alone (``liedown.LieBack``): pauses seen in the shares after a landing.

Zone loads (kg) on the default 2 × 3 mat (rows 0.43 m long), both columns of a row alike. The
controller's stillness is passed in as the tests say: ``False`` through a landing's bounce, which
scales every zone alike and leaves the distribution as it is.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.geometry import build_geometry
from controller.core.liedown import LieBack
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
