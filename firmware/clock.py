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


def iso_utc(wall_s: float) -> str:
    """ISO 8601 UTC with milliseconds, e.g. ``2026-11-21T10:00:00.000Z``."""
    stamp = datetime.fromtimestamp(wall_s, tz=UTC)
    return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"


class WallAt:
    """Maps frame time to wall time: ``wall = frame_t + offset``, anchored at the first frame.

    The one mapping: history, recordings, the journal and MQTT all date an event by the time
    of the frame that caused it, so one event carries one timestamp everywhere, at any speed.
    """

    def __init__(self) -> None:
        self.offset_s: float | None = None

    def anchor(self, frame_t: float, wall_s: float) -> None:
        if self.offset_s is None:
            self.offset_s = wall_s - frame_t

    def __call__(self, frame_t: float) -> float:
        return frame_t + (self.offset_s or 0.0)
