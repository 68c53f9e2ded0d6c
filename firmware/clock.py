"""Time, injected: the one place that reads the system clock (and the fake used in tests).

Built once in the entry point and passed down; time then travels on the data (a frame's
``t``). Durations use monotonic differences; wall time is only formatted into payloads.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back."""
        ...

    def wall(self) -> float:
        """Unix time in seconds, for timestamps shown to people and other systems."""
        ...

    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """A clock that only moves when told to; ``sleep`` advances it instantly."""

    def __init__(self, start_s: float = 0.0, wall_start_s: float = 1_767_225_600.0) -> None:
        self._now_s = start_s
        self._wall_offset_s = wall_start_s - start_s

    def monotonic(self) -> float:
        return self._now_s

    def wall(self) -> float:
        return self._now_s + self._wall_offset_s

    def sleep(self, seconds: float) -> None:
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            self._now_s += seconds

    def set_wall(self, seconds: float) -> None:
        """The system clock is set (NTP, ``date -s``): wall time jumps, monotonic does not."""
        self._wall_offset_s += seconds


def iso_utc(wall_s: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. ``2026-11-21T10:00:00.000Z``."""
    stamp = datetime.fromtimestamp(wall_s, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


# A live frame is read just before it is dated; more apart than this, it is not live.
_LIVE_WITHIN_S = 5.0
# How far the system clock may drift from the mapping before it is taken as set (NTP slews
# drift by milliseconds; a step is seconds to days).
_STEP_S = 2.0


class WallAt:
    """Maps frame time to wall time: ``wall = frame_t + offset``, anchored at the first frame.

    The one mapping: history, recordings, the journal and MQTT all date an event by the time
    of the frame that caused it, so one event carries one timestamp everywhere, at any speed.
    ``follow`` moves the anchor when the system clock is set under a live source.
    """

    def __init__(self) -> None:
        self.offset_s: float | None = None

    def anchor(self, frame_t: float, wall_s: float) -> None:
        if self.offset_s is None:
            self.offset_s = wall_s - frame_t

    def follow(self, frame_t: float, monotonic_s: float, wall_s: float) -> float | None:
        """Re-anchors when the system clock was set since the anchor; returns the step (s).

        Only for a live frame (its ``t`` is the clock's monotonic time, read just now): a Pi
        without a clock chip starts with the time saved at its last shutdown, and NTP sets it
        later, by hours or days; anchored once, every event of that run would keep the error.
        A simulated or replayed frame (its own time line) never moves the anchor.
        """
        if self.offset_s is None or abs(monotonic_s - frame_t) > _LIVE_WITHIN_S:
            return None
        step_s = (wall_s - frame_t) - self.offset_s
        if abs(step_s) <= _STEP_S:
            return None
        self.offset_s = wall_s - frame_t
        return step_s

    def __call__(self, frame_t: float) -> float:
        return frame_t + (self.offset_s or 0.0)
