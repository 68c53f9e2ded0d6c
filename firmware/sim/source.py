"""The simulator as a ``FrameSource``: a built run's frames, paced in real time (× speed).

Frames keep their own times (from 0, or from where the previous loop ended when ``loop`` is
on), so the controller sees the scenario's timeline whatever the pacing. Pacing uses the
injected clock's ``sleep``: with a ``FakeClock`` a 20-minute scenario plays in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from firmware.clock import Clock
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout
from firmware.sim.timeline import SimRun


class SimulatedSource:
    """Plays ``run`` at ``speed`` × real time; with ``loop`` it starts again, time running on."""

    def __init__(self, run: SimRun, clock: Clock, speed: float = 1.0, loop: bool = False) -> None:
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.run = run
        self._clock = clock
        self._speed = speed
        self._loop = loop
        self._closed = False

    @property
    def layout(self) -> MatLayout:
        return self.run.layout

    def close(self) -> None:
        self._closed = True

    def frames(self) -> Iterator[ZoneFrame]:
        start_wall = self._clock.monotonic()
        for frame in self._timeline():
            if self._closed:
                return
            wait = start_wall + frame.t / self._speed - self._clock.monotonic()
            if wait > 0:
                self._clock.sleep(wait)
            yield frame

    def _timeline(self) -> Iterator[ZoneFrame]:
        """The run's frames, shifted on by the run's length for each repeat."""
        period_s = len(self.run.loads_kg) / self.run.rate_hz
        offset_s = 0.0
        while True:
            for frame in self.run.frames():
                yield replace(frame, t=round(frame.t + offset_s, 6)) if offset_s else frame
            if not self._loop or period_s <= 0:
                return
            offset_s += period_s
