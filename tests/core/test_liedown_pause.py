"""The lie-back's pauses in the shares (``liedown_pause.SharePause``) against the ways they were
first written: the same decisions, frame by frame, on random walks of row loads (2 × 3 mat)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from operator import sub

from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core import liedown_pause
from controller.core.liedown import LieBack
from controller.core.liedown_pause import SharePause
from controller.core.liedown_stretch import RINGING_S
from tests.core.test_liedown import Y_M, rows


def with_pause(pause: SharePause) -> LieBack:
    """A lie-back that follows its pauses with ``pause``."""
    lie_back = LieBack(Y_M)
    lie_back._pause = pause
    return lie_back


class EveryFrame(SharePause):
    """The pause as first written: the rows' shares summed and compared every frame."""

    def __init__(self, zone_y_m: tuple[float, ...]) -> None:
        super().__init__(zone_y_m)
        self._prev: tuple[float, list[float]] | None = None
        self._lately: deque[tuple[float, list[float]]] = deque()

    def stillness(self, t: float, shares: list[float], still: bool) -> tuple[bool, bool, bool]:
        last, self._prev = self._prev, (t, shares)
        if last is None:
            self.gap_s = 0.0
            return self._every_frame_pause(t, shares) or still, False, False
        changed = sum(abs(a - b) for a, b in zip(shares, last[1], strict=True))
        self.gap_s = t - last[0]
        slow = self.gap_s >= liedown_pause._SLOW_FRAME_S
        if slow:  # a slow frame is still by its shares' change, whatever the controller says
            still = changed < liedown_pause._SLOW_STILL_SHARE
        still = self._every_frame_pause(t, shares) or still
        return still, slow, not slow and changed >= liedown_pause._JUMP_SHARE

    def _every_frame_pause(self, t: float, shares: list[float]) -> bool:
        row_shares = self.row_shares(shares)
        lately = self._lately
        lately.append((t, row_shares))
        while len(lately) > 1 and t - lately[1][0] >= liedown_pause._PAUSE_S:
            lately.popleft()
        then_t, then = lately[0]
        if t - then_t < liedown_pause._PAUSE_S:
            return False
        changed = sum(abs(a - b) for a, b in zip(row_shares, then, strict=True))
        if changed >= liedown_pause._CARRIED_SHARE:
            self._carried_t = t
        return (
            changed < liedown_pause._PAUSE_SHARE
            and t - self._carried_t <= liedown_pause._AFTER_CARRY_S
        )


ROW_SHARE = st.floats(0.0, 1.0)
WALK = st.lists(
    st.tuples(ROW_SHARE, ROW_SHARE, ROW_SHARE, st.integers(1, 30), st.booleans(), st.booleans()),
    min_size=1,
    max_size=12,
)


def walked(
    walk: list[tuple[float, float, float, int, bool, bool]],
    wobble_kg: float,
    wobble: tuple[int, int],
) -> Iterator[tuple[float, list[float], bool]]:
    """The walk's frames (t, row loads, still): each step moves the rows towards its target
    over its frames, with a small wobble (``wobble_kg`` × ((i × stride + zone) mod period));
    a slow step leaves 0.6 s gaps every 4th frame."""
    stride, period = wobble
    t, last = 0.0, rows(0.0, 0.0, 1.0)
    for head, middle, foot, frames, still, slow in walk:
        target = rows(head, middle, foot + 1e-3)
        for i in range(frames):
            share = (i + 1) / frames
            yield (
                t,
                [
                    a + share * (b - a) + wobble_kg * ((i * stride + j) % period)
                    for j, (a, b) in enumerate(zip(last, target, strict=True))
                ],
                still,
            )
            t += 0.6 if slow and i % 4 == 0 else 0.1
        last = target


@settings(max_examples=150, deadline=None)
@given(WALK)
def test_the_pause_skipped_where_it_cannot_matter_changes_nothing(
    walk: list[tuple[float, float, float, int, bool, bool]],
) -> None:
    # Moves between row loads (some slow, some carrying load, some paused), frame by frame:
    # the lie-back that sums the rows only where a carry or a pause may show decides as the
    # one that sums them every frame.
    fast, every = LieBack(Y_M), with_pause(EveryFrame(Y_M))
    for t, now, still in walked(walk, 0.01, (7, 3)):
        for lie_back in (fast, every):
            lie_back.frame(t, now, still)
        assert (fast.seen, fast.sat_up, fast.two_step, fast.anchor, fast.stretch_start_t) == (
            every.seen,
            every.sat_up,
            every.two_step,
            every.anchor,
            every.stretch_start_t,
        )
        assert fast._pause._carried_t == every._pause._carried_t


class PathAsWritten(SharePause):
    """The running sum of the shares' changes as first written: the deque's length read on
    every pass, the sum kept on the instance."""

    def stillness(self, t: float, shares: list[float], still: bool) -> tuple[bool, bool, bool]:
        recent = self._recent
        if not recent:
            self.gap_s = 0.0
            recent.append((t, shares, 0.0))
            return still, False, False
        last_t, last, _ = recent[-1]
        changed: float = sum(map(abs, map(sub, shares, last)))
        self.gap_s = t - last_t
        slow = t - last_t >= liedown_pause._SLOW_FRAME_S
        if slow:
            still = changed < liedown_pause._SLOW_STILL_SHARE
        self._path += changed
        recent.append((t, shares, changed))
        while len(recent) > 1 and t - recent[1][0] >= liedown_pause._PAUSE_S:
            recent.popleft()
            self._path -= recent[0][2]
        if len(recent) == 1:
            self._path = 0.0
        bound = liedown_pause._CARRIED_SHARE - liedown_pause._BOUND_SLACK
        if self._path >= bound or t - self._carried_t <= liedown_pause._AFTER_CARRY_S:
            still = self._paused(t, shares) or still
        return still, slow, not slow and changed >= liedown_pause._JUMP_SHARE


@settings(max_examples=150, deadline=None)
@given(WALK)
def test_the_running_sum_of_changes_is_the_one_first_written(
    walk: list[tuple[float, float, float, int, bool, bool]],
) -> None:
    # The sum kept in a local and the deque's length counted down give the same sum, bit for
    # bit, and the same decisions; a stretch's end of ringing is its start plus RINGING_S.
    fast, written = LieBack(Y_M), with_pause(PathAsWritten(Y_M))
    for t, now, still in walked(walk, 0.013, (5, 4)):
        for lie_back in (fast, written):
            lie_back.frame(t, now, still)
        assert fast._pause._path == written._pause._path
        assert list(fast._pause._recent) == list(written._pause._recent)
        assert (fast.seen, fast.sat_up, fast.anchor, fast.stretch_start_t) == (
            written.seen,
            written.sat_up,
            written.anchor,
            written.stretch_start_t,
        )
        stretch = fast._stretch
        if stretch is not None:
            assert stretch.ringing_until_t == stretch.start_t + RINGING_S
