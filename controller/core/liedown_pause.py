"""Pauses and jumps in the zones' shares, for the lie-back's still stretches (pure).

The controller's stillness sees a landing's bounce in kg for a second or more, though the bounce
scales every zone alike and leaves the distribution as it is. ``SharePause`` follows the zones'
shares frame by frame and says still where the rows' shares paused right after load was carried
between rows (a seat held 1-2 s on the way down is then a stretch like any other), and says when
the shares jumped (readings back after a loss): the stretch before it ends there. Frames half a
second or more apart (a slow source: a relay, a frame file at 1-5 frames/s) are still exactly
when their shares hardly changed since the frame before, whatever the controller's motion
averages say (they see a stance's 5-7 % change in a half second as still at every other frame);
``SlowFrames`` adds what else such frames must show (a total that stayed, two still frames or
one calm as a seat). It also sums the zones' shares into the rows' (``row_shares``).
"""

from __future__ import annotations

import math
from collections import deque
from operator import sub

from controller.core.liedown_stretch import MIN_STRETCH_S

_SLOW_FRAME_S = 0.5
_SLOW_STILL_SHARE = 0.03
# A landing's bounce scales every zone alike (the body's mass rings on the springs of the mat and
# the cells) and leaves the distribution as it is. So right after the load was carried between
# zones (sitting down from the feet: most of it) a pause shows in the shares before the
# controller's stillness, which sees the bounce in kg for a second or more, says still: a seat
# held 1-2 s before lying back is then a stretch like any other. Outside that window the
# controller's stillness alone counts (a move within a zone shows in kg only, and a standing
# body's sway changes the shares by 0.5-7 % without carrying anything).
_PAUSE_S = 0.4  # the shares are compared with those this long ago...
_PAUSE_SHARE = 0.015  # ...and changed by less than this (L1): a pause
_CARRIED_SHARE = 0.10  # a change this large over ``_PAUSE_S`` carried load between zones
_AFTER_CARRY_S = 3.0  # a pause counts this long after load was carried (the bounce dies by then)
# The rows' shares change over a window by at most the zones' shares' frame-to-frame changes
# summed over it (a row's share is a sum of zones' shares; the triangle inequality): while that
# sum stays below ``_CARRIED_SHARE`` by more than this (rounding in the running sum: ~1e-15 a
# frame), nothing was carried and the rows need not be summed.
_BOUND_SLACK = 1e-6
_CARRY_BOUND = _CARRIED_SHARE - _BOUND_SLACK
# A body moves its load between zones over tenths of a second; a change of this much (L1) from
# one frame to the next is a jump from one distribution to another (readings back after a
# loss): the stretch before it ends there, whatever the stillness says.
_JUMP_SHARE = 0.10


class SharePause:
    def __init__(self, zone_y_m: tuple[float, ...]) -> None:
        rows = sorted(set(zone_y_m))
        self._row_of = [rows.index(y) for y in zone_y_m]  # each zone's row along the mat
        self._rows = len(rows)
        # t, zones' shares, their L1 change from the frame before: the last ``_PAUSE_S`` and a frame
        self._recent: deque[tuple[float, list[float], float]] = deque()
        self._path = 0.0  # the changes summed after the first of ``_recent``
        self._carried_t = -math.inf  # when load was last carried between zones
        self.gap_s = 0.0  # the time since the frame before the last one judged

    def reset(self) -> None:
        """The person left."""
        self._recent.clear()
        self._path = 0.0
        self._carried_t = -math.inf

    def stillness(self, t: float, shares: list[float], still: bool) -> tuple[bool, bool, bool]:
        """Still (the controller's word, or a pause in the shares; a slow frame: its shares
        hardly changed), slow (half a second or more since the last frame), and jumped (the
        shares changed at once: whatever stillness says, what follows is another stretch)."""
        recent = self._recent
        if not recent:  # the visit's first frame: nothing to compare with
            self.gap_s = 0.0
            recent.append((t, shares, 0.0))
            return still, False, False
        last_t, last, _ = recent[-1]
        changed: float = sum(map(abs, map(sub, shares, last)))
        self.gap_s = gap_s = t - last_t
        slow = gap_s >= _SLOW_FRAME_S
        if slow:
            still = changed < _SLOW_STILL_SHARE
        path = self._path + changed
        recent.append((t, shares, changed))
        # two or more stay: the loop stops at this frame's own entry (t - t is 0)
        while t - recent[1][0] >= _PAUSE_S:
            recent.popleft()
            path -= recent[0][2]
        self._path = path
        # the rows are summed only where load may have been carried now or a pause may count
        if path >= _CARRY_BOUND or t - self._carried_t <= _AFTER_CARRY_S:
            still = self._paused(t, shares) or still
        return still, slow, not slow and changed >= _JUMP_SHARE

    def carried_lately(self, t: float) -> bool:
        """Load was carried between rows within ``_AFTER_CARRY_S`` before ``t``."""
        return t - self._carried_t <= _AFTER_CARRY_S

    def _paused(self, t: float, shares: list[float]) -> bool:
        """The rows' shares hardly changed over the last ``_PAUSE_S``, within ``_AFTER_CARRY_S``
        of a change that carried load between rows (along the mat, as sitting down and lying
        back do; a standing body's weight shifts from foot to foot across it)."""
        then_t, then, _ = self._recent[0]
        if t - then_t < _PAUSE_S:
            return False
        rows_changed: float = sum(
            map(abs, map(sub, self.row_shares(shares), self.row_shares(then)))
        )
        if rows_changed >= _CARRIED_SHARE:
            self._carried_t = t
        return rows_changed < _PAUSE_SHARE and t - self._carried_t <= _AFTER_CARRY_S

    def row_shares(self, shares: list[float]) -> list[float]:
        """Each row's share: its zones' shares summed in order."""
        rows = [0.0] * self._rows
        for row, share in zip(self._row_of, shares):  # noqa: B905  # one per zone
            rows[row] += share
        return rows


# A stretch of ``MIN_STRETCH_S`` made by a pause in the shares saw them unchanged for ``_PAUSE_S``
# before its first frame and up to its last, a frame (0.1 s at 10 frames/s) before it ended:
# 0.8 s. Frames half a second or more apart must show as much (two still frames at 2 frames/s,
# one at 1 frame/s: a frame pair is all a slow source shows). At 2 frames/s a stance's share
# change between frames fell under ``_SLOW_STILL_SHARE`` for single frames now and then, each
# a 0.5 s "pause" unjudged by sway: anchors that took sitting down for a lie-back.
SEEN_STILL_S = MIN_STRETCH_S + _PAUSE_S - 0.1
# Slow frames whose total changed by this share or more were no pause either: load went onto
# the mat or off it (sitting down with the feet on the floor beyond the foot end, 7-9 % a half
# second, ran the stance, the sit-down and the seat into one still stretch that bobbed like a
# stance: no anchor). A stance bobs 1-2 %, a seat under 0.5 %: those are judged as before.
_SLOW_STILL_TOTAL = 0.03
# A single slow frame right after load was carried between rows (``_AFTER_CARRY_S``) whose
# zones' shares changed less than this is as calm as a seat (0.001-0.005 a half second in the
# sweep; a stance 0.007-0.07): the pause a seat held 1 s on the way down shows at 2 frames/s,
# as ``SharePause`` reads such a pause at 10.
_SLOW_CALM_SHARE = 0.01


class SlowFrames:
    """What frames half a second or more apart (a slow source) show of a still stretch: a move
    onto the mat or off it (the total), how long the stretch was seen still before its first
    frame (the gap to the frame before), and whether that first frame was calm as a seat.
    Asked on slow frames and at a stretch's start only: the lie-back keeps the frame before's
    total and shares (``LieBack._last_kg``, ``_last_shares``), a call a frame saved."""

    __slots__ = ("calm_first", "lead_s")

    def __init__(self) -> None:
        self.lead_s = 0.0  # the stretch's first frame came this long after the one before
        self.calm_first = False  # ...and was calm as a seat right after a carry

    @staticmethod
    def total_moved(last_kg: float, total_kg: float) -> bool:
        """A slow frame's total moved from the frame before's (``last_kg``): no pause."""
        return abs(total_kg - last_kg) >= _SLOW_STILL_TOTAL * total_kg

    def begin(
        self, slow: bool, gap_s: float, carried_lately: bool, shares: tuple[list[float], ...]
    ) -> None:
        """A still stretch begins at the last frame, ``gap_s`` after the one before
        (``shares``: the last frame's zones' shares and the one's before, if any)."""
        self.lead_s = gap_s if slow else 0.0
        last, before = shares
        calm = bool(before) and sum(map(abs, map(sub, last, before))) < _SLOW_CALM_SHARE
        self.calm_first = slow and carried_lately and calm

    def seen_enough(self, still_s: float) -> bool:
        """A stretch of slow frames whose last still frame came ``still_s`` after its first
        showed as much stillness as one of ``MIN_STRETCH_S`` at 10 frames a second."""
        return self.calm_first or still_s + self.lead_s >= SEEN_STILL_S
