"""A recorded acumat-frames/1 file as a frame source, paced in real time (× speed).

Frames keep the file's own times. Pacing uses the injected clock, so tests run instantly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from firmware.clock import Clock
from firmware.frame import ZoneFrame
from firmware.framefile import open_frames
from firmware.layout import MatLayout


class FileSource:
    def __init__(self, path: Path, clock: Clock, speed: float = 1.0) -> None:
        self._header, self._frames = open_frames(path)
        self._clock = clock
        self._speed = speed

    @property
    def layout(self) -> MatLayout:
        return self._header.layout

    def frames(self) -> Iterator[ZoneFrame]:
        return paced(self._frames, self._clock, self._speed)

    def close(self) -> None:
        close = getattr(self._frames, "close", None)
        if close is not None:
            close()


def paced(frames: Iterator[ZoneFrame], clock: Clock, speed: float) -> Iterator[ZoneFrame]:
    """Yields each frame when its time (relative to the first, divided by speed) has come."""
    start_wall: float | None = None
    start_t = 0.0
    for frame in frames:
        if start_wall is None:
            start_wall, start_t = clock.monotonic(), frame.t
        due = start_wall + (frame.t - start_t) / speed
        wait = due - clock.monotonic()
        if wait > 0:
            clock.sleep(wait)
        yield frame
