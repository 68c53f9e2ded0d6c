"""The lie-back keeps the frame before's total and shares itself and asks ``SlowFrames`` on slow
frames and at a stretch's start only (core9: a call a frame saved): the same decisions, frame
by frame, as ``SlowFrames`` as first written, which was handed every frame (random walks of
row loads on a 2 × 3 mat, some with frames 0.6 s apart, the total moving with the rows)."""

from __future__ import annotations

from operator import mul, sub

from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core import liedown, liedown_pause
from controller.core.liedown import LieBack
from controller.core.liedown_stretch import Sample, Stretch
from tests.core.test_liedown import Y_M
from tests.core.test_liedown_pause import WALK, walked


class SlowFramesAsWritten:
    """``SlowFrames`` as first written: the total and the shares kept on every frame."""

    def __init__(self) -> None:
        self._last_kg = 0.0
        self._last_shares: list[float] = []
        self._prev_shares: list[float] = []
        self.lead_s = 0.0
        self.calm_first = False

    def still(self, slow: bool, still: bool, shares: list[float], total_kg: float) -> bool:
        last_kg, self._last_kg = self._last_kg, total_kg
        self._prev_shares, self._last_shares = self._last_shares, shares
        moved = abs(total_kg - last_kg) >= liedown_pause._SLOW_STILL_TOTAL * total_kg
        return still and not (slow and moved)

    def begin(self, slow: bool, gap_s: float, carried_lately: bool) -> None:
        self.lead_s = gap_s if slow else 0.0
        last, before = self._last_shares, self._prev_shares
        calm = (
            bool(before) and sum(map(abs, map(sub, last, before))) < liedown_pause._SLOW_CALM_SHARE
        )
        self.calm_first = slow and carried_lately and calm

    def seen_enough(self, still_s: float) -> bool:
        return self.calm_first or still_s + self.lead_s >= liedown_pause.SEEN_STILL_S


class AsWritten(LieBack):
    """The lie-back's frame as first written: ``SlowFramesAsWritten`` handed every frame."""

    def __init__(self, zone_y_m: tuple[float, ...]) -> None:
        super().__init__(zone_y_m)
        self._written = SlowFramesAsWritten()  # as ``_slow``, which ``_end`` asks
        self._slow = self._written  # type: ignore[assignment]

    def reset(self) -> None:
        super().reset()
        self._written = SlowFramesAsWritten()
        self._slow = self._written  # type: ignore[assignment]

    def frame(
        self, t: float, positive_kg: list[float], still: bool, total_kg: float | None = None
    ) -> None:
        if total_kg is None:
            total_kg = sum(positive_kg)
        if total_kg <= 0.0:
            return
        shares = [kg / total_kg for kg in positive_kg]
        arrival = self.arrival
        if arrival.in_place and not self._stretches:
            arrival.frame(t, shares, total_kg)
        still, slow, jumped = self._pause.stillness(t, shares, still)
        still = self._written.still(slow, still, shares, total_kg)
        cop_m = sum(map(mul, shares, self._y))
        trail = self._trail
        if not trail or t - trail[-1][0] >= liedown._CAME_EVERY_S:
            trail.append((t, cop_m, total_kg))
        stretch = self._stretch
        if stretch is not None and (jumped or not still):
            self._end(stretch, t, slow)
            self.seen = self.sat_up = self.two_step = False
            self._sat_move = self._landed = self._ahead = None
            stretch = self._stretch = None
        if not still:
            return
        sample = (t, cop_m, total_kg, shares)
        if stretch is None:
            stretch = self._begin_as_written(sample, slow)
        stretch.add(sample)
        if (n := self._stretches) <= 2:
            at_start = (stretch.start_t, self._pause.row_shares, self._trail_at_start)
            judged = self._anchors_itself(stretch, t, slow)
            self.anchor = arrival.landed_anchor(
                n, sample, self.anchor, at_start, self._x, judged=judged
            )
            self.seen = self.seen or (n == 1 and arrival.found_there(stretch.start_t, total_kg))
        anchor = self.anchor
        if anchor is not None and t - anchor.t <= liedown._ANCHOR_S:
            self._judge_move(stretch, anchor)

    def _begin_as_written(self, sample: Sample, slow: bool) -> Stretch:
        t = sample[0]
        stretch = self._stretch = Stretch(t, sample)
        self._written.begin(slow, self._pause.gap_s, self._pause.carried_lately(t))
        self._trail_at_start = tuple(self._trail)
        self._stretches += 1
        return stretch


def state(lie_back: LieBack) -> tuple[object, ...]:
    slow = lie_back._slow
    return (
        lie_back.seen,
        lie_back.sat_up,
        lie_back.two_step,
        lie_back.anchor,
        lie_back.stretch_start_t,
        slow.lead_s,
        slow.calm_first,
    )


@settings(max_examples=200, deadline=None)
@given(WALK, st.floats(0.5, 1.5), st.integers(0, 3))
def test_slow_frames_judged_from_the_kept_frame_decide_as_first_written(
    walk: list[tuple[float, float, float, int, bool, bool]], scale_to: float, leave_at: int
) -> None:
    # the total moves with the walk (scaled 1 → ``scale_to`` over it: a move onto the mat or
    # off it that slow frames must see) and the person leaves once (``leave_at``): the reset
    fast, written = LieBack(Y_M), AsWritten(Y_M)
    frames = list(walked(walk, 0.002, (5, 4)))
    for k, (t, now, still) in enumerate(frames):
        scale = 1.0 + (scale_to - 1.0) * k / len(frames)
        loads = [kg * scale for kg in now]
        for lie_back in (fast, written):
            if k == leave_at:
                lie_back.reset()
            lie_back.frame(t, loads, still)
        assert state(fast) == state(written)
