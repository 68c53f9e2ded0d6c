"""What every frame source offers: the simulator, a recorded file, the HX711 boards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from firmware.frame import ZoneFrame
from firmware.layout import MatLayout


class FrameSource(Protocol):
    """Yields zone frames as they become available (pacing is the source's job)."""

    @property
    def layout(self) -> MatLayout: ...

    def frames(self) -> Iterator[ZoneFrame]:
        """Blocks until the next frame; ends when the source has no more."""
        ...

    def close(self) -> None: ...
