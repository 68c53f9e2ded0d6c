"""The frame source on a thread of its own, so the loop can tell a silent source (I/O: a thread).

``source.frames()`` blocks until the next frame. Run on the loop's thread, a source that stops
delivering (a hung driver, a stalled stream) would stop the loop too: no stall event, no
commands, no reaction to SIGTERM. ``SourceFeed`` pulls the source's iterator on its own thread,
one frame per request: the loop asks for a frame and waits at most ``timeout_s`` for it, so the
source is read exactly as far as the loop has got (nothing is read ahead, a paced source keeps
its pace) and the loop wakes up regularly while it waits. The end of the frames and a failure
of the source reach the loop as values; the failure is raised again on the loop's thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from firmware.frame import ZoneFrame
from firmware.source import FrameSource


class EndOfFrames:
    """The source has no more frames."""


@dataclass(frozen=True, slots=True)
class SourceFailed:
    error: BaseException


END = EndOfFrames()
Item = ZoneFrame | EndOfFrames | SourceFailed


class SourceFeed:
    """``next(timeout_s)``: the source's next frame, ``END``, its failure, or None (not yet)."""

    def __init__(self, source: FrameSource) -> None:
        self._source = source
        self._wanted = threading.Semaphore(0)
        self._items: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._asked = False
        self._closing = False
        self._thread = threading.Thread(target=self._pull, name="acumat-source", daemon=True)
        self._thread.start()

    def next(self, timeout_s: float) -> Item | None:
        if not self._asked:
            self._asked = True
            self._wanted.release()
        try:
            item = self._items.get(timeout=timeout_s)
        except queue.Empty:
            return None
        self._asked = False
        return item

    def close(self, wait_s: float = 1.0) -> None:
        """Lets the thread end; waits at most ``wait_s`` for a source stuck inside a read."""
        self._closing = True
        self._wanted.release()
        self._thread.join(wait_s)

    def _pull(self) -> None:
        frames: Iterator[ZoneFrame] | None = None
        while True:
            self._wanted.acquire()
            if self._closing:
                return
            try:
                if frames is None:
                    frames = iter(self._source.frames())
                item: Item = next(frames)
            except StopIteration:
                item = END
            except BaseException as exc:  # handed to the loop's thread, raised there
                item = SourceFailed(exc)
            self._items.put(item)
            if not isinstance(item, ZoneFrame):
                return
