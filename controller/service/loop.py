"""The service loop: frames from a source through the core to the adapters (the thin shell).

The same loop runs on the Pi (HX711 source), in simulation and on a recorded file. Per frame:
the core's events and a snapshot go to every adapter (console, history, MQTT); commands the
adapters received are applied between frames, on this thread, and answered. The journal, if
any, gets the core's saved session after the adapters (so history stores a finished session
before its journal file goes). ``stop()`` (from a signal handler) ends the loop after the
current frame; adapters are always closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from controller.core.controller import MatController
from controller.core.events import Event
from controller.core.session import SavedSession
from controller.service.ports import Adapter
from firmware.frame import ZoneFrame
from firmware.source import FrameSource

log = logging.getLogger("acumat.service")


class Lifecycle:
    """What the loop tells its supervisor (systemd's notify protocol in production)."""

    def ready(self) -> None:
        return None

    def watchdog(self) -> None:
        return None

    def stopping(self) -> None:
        return None


class Journal(Protocol):
    """Keeps the open session across a restart (controller.service.journal)."""

    def keep(self, t: float, events: Sequence[Event], saved: SavedSession | None) -> None: ...

    def close(self, saved: SavedSession | None) -> None: ...


@dataclass
class Service:
    core: MatController
    source: FrameSource
    adapters: Sequence[Adapter]
    lifecycle: Lifecycle = field(default_factory=Lifecycle)
    on_first_frame: Callable[[ZoneFrame], None] | None = None
    journal: Journal | None = None
    frames_seen: int = 0
    _stopping: bool = False

    def stop(self) -> None:
        self._stopping = True

    def run(self) -> int:
        for adapter in self.adapters:
            adapter.start()
        try:
            self._loop()
        finally:
            self.lifecycle.stopping()
            self._close()
        return 0

    def _loop(self) -> None:
        last: ZoneFrame | None = None
        for frame in self.source.frames():
            self._frame(frame)
            last = frame
            if self._stopping:
                return
        if last is not None:  # the source ran out: settle what can be settled
            self._deliver(last, self.core.finish())

    def _frame(self, frame: ZoneFrame) -> None:
        if self.frames_seen == 0 and self.on_first_frame is not None:
            self.on_first_frame(frame)
        events = self.core.feed(frame)
        self._deliver(frame, events)
        self._commands(frame)
        self.frames_seen += 1
        if self.frames_seen == 1:
            self.lifecycle.ready()
        self.lifecycle.watchdog()

    def _deliver(self, frame: ZoneFrame, events: Sequence[Event]) -> None:
        state = self.core.snapshot()
        for adapter in self.adapters:
            try:
                adapter.on_frame(frame, events, state)
            except Exception:  # one broken adapter must not stop the mat
                log.exception("adapter %s failed on a frame", type(adapter).__name__)
        if self.journal is not None:
            try:
                self.journal.keep(frame.t, events, self.core.save_session())
            except Exception:  # a full disk loses the journal, not the mat
                log.exception("the session journal failed")

    def _commands(self, frame: ZoneFrame) -> None:
        for adapter in self.adapters:
            for request in adapter.take_commands():
                result, events = self.core.command(request.command, frame.t)
                request.reply(result)
                if events:
                    self._deliver(frame, events)

    def _close(self) -> None:
        for adapter in self.adapters:
            try:
                adapter.close()
            except Exception:
                log.exception("adapter %s failed to close", type(adapter).__name__)
        if self.journal is not None:
            try:
                self.journal.close(self.core.save_session())
            except Exception:
                log.exception("the session journal failed to save the open session")
        self.source.close()
