"""The service loop: frames from a source through the core to the adapters (the thin shell).

The same loop runs on the Pi (HX711 source), in simulation and on a recorded file. Per frame:
the core's events and a snapshot go to every adapter (console, history, MQTT); commands the
adapters received are applied between frames, on this thread, and answered. The journal, if
any, gets the core's saved session after the adapters (so history stores a finished session
before its journal file goes).

The source is read on a thread of its own (``feed.py``), so the loop sees it fall silent: with
no frame for ``stall_s`` (``FaultSettings``) on the injected clock, the adapters get
``source_stalled`` (active) with the latest frame, and ``source_stalled`` (not active) with the
frame that ends it; meanwhile commands are still answered. The supervisor's watchdog is fed
per frame only, so a source that stays silent gets the service restarted (systemd's
``WatchdogSec``). Session time needs no help: the core sees the gap between the frames.

Given the run's ``WallAt`` (a live source: hardware, the MQTT zone stream), the loop moves
its anchor when the system clock is set (NTP after a boot without a clock chip), said once per
step; a simulated or replayed source keeps its own time line.

Every adapter gets the same state, taken once per delivery, with a session's elapsed time held
so that it never runs backwards (``payloads.ElapsedShown``: the core dates a pause back to when
the person left), so the console, MQTT and the page show one figure.

Nothing an adapter does stops the mat: a failure in ``on_frame``, ``take_commands``, a
command's ``reply`` or the journal is logged once with its cause, then at most once a minute
(``failures.py``). ``stop()`` (from a signal handler) ends the loop after the current frame.
Every adapter whose ``start`` was called, the journal and the source are always closed, even
when an adapter fails to start or the supervisor cannot be told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from controller.core.commands import CommandRequest
from controller.core.controller import MatController
from controller.core.events import Event, SourceStalled
from controller.core.session import SavedSession
from controller.service.failures import FailureLog
from controller.service.feed import SourceFailed, SourceFeed
from controller.service.ports import Adapter
from controller.wire.payloads import ElapsedShown
from firmware.clock import Clock, SystemClock, WallAt
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
    clock: Clock = field(default_factory=SystemClock)
    wall_at: WallAt | None = None  # follows the system clock when it is set under a live source
    wait_s: float = 0.25  # how long to wait for a frame before looking at the clock (real time)
    frames_seen: int = 0
    _stopping: bool = False
    _failures: FailureLog = field(init=False)
    _last: ZoneFrame | None = None
    _last_frame_s: float = 0.0  # clock time at which the latest frame arrived
    _stalled: bool = False
    _shown: ElapsedShown = field(default_factory=ElapsedShown)

    _names: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self._failures = FailureLog(log, self.clock)
        self._names = _names(self.adapters)

    def stop(self) -> None:
        self._stopping = True

    def run(self) -> int:
        started: list[Adapter] = []
        feed: SourceFeed | None = None
        try:
            for adapter in self.adapters:
                started.append(adapter)  # a start that fails may have opened something
                adapter.start()
            feed = SourceFeed(self.source)
            self._loop(feed)
        finally:
            self._shut(started, feed)
        return 0

    def _loop(self, feed: SourceFeed) -> None:
        self._last_frame_s = self.clock.monotonic()
        while not self._stopping:
            item = feed.next(self.wait_s)
            if item is None:
                self._waiting()
            elif isinstance(item, ZoneFrame):
                self._frame(item)
            elif isinstance(item, SourceFailed):
                raise item.error
            else:  # the source ran out: settle what can be settled
                settled = self.core.finish()
                if self._last is not None and settled:
                    self._deliver(self._last, settled)
                return

    def _frame(self, frame: ZoneFrame) -> None:
        now_s = self.clock.monotonic()
        if self.frames_seen == 0 and self.on_first_frame is not None:
            self.on_first_frame(frame)
        events: list[Event] = []
        if self._stalled:
            self._stalled = False
            silent_s = round(now_s - self._last_frame_s, 3)
            events.append(SourceStalled(t=frame.t, active=False, stalled_s=silent_s))
        self._last, self._last_frame_s = frame, now_s
        if self.wall_at is not None:
            self._follow_wall(self.wall_at, frame, now_s)
        events.extend(self.core.feed(frame))
        self._deliver(frame, events)
        self._commands(frame)
        self.frames_seen += 1
        if self.frames_seen == 1:
            self.lifecycle.ready()
        self.lifecycle.watchdog()

    def _follow_wall(self, wall_at: WallAt, frame: ZoneFrame, now_s: float) -> None:
        step_s = wall_at.follow(frame.t, now_s, self.clock.wall())
        if step_s is not None:
            log.warning("the system clock was set %+.1f s: wall times follow it from frame "
                        "t=%.1f on", step_s, frame.t)  # fmt: skip

    def _waiting(self) -> None:
        """No frame came within ``wait_s``: a stall once it lasts ``stall_s``; commands are
        answered meanwhile (at the latest frame's time)."""
        last = self._last
        silent_s = self.clock.monotonic() - self._last_frame_s
        if not self._stalled and silent_s >= self.core.settings.faults.stall_s:
            self._stalled = True
            if last is None:
                log.warning("no frame from the source %.0f s after the start", silent_s)
            else:
                stalled = SourceStalled(t=last.t, active=True, stalled_s=round(silent_s, 3))
                self._deliver(last, [stalled])
        if last is not None:
            self._commands(last)

    def _deliver(self, frame: ZoneFrame, events: Sequence[Event]) -> None:
        state = self._shown(self.core.snapshot())
        failures = self._failures
        for adapter, name in zip(self.adapters, self._names, strict=True):
            try:
                adapter.on_frame(frame, events, state)
            except Exception as exc:  # one broken adapter must not stop the mat
                failures.failed(name, "on a frame", exc)
            else:
                failures.ok(name, "on a frame")
        if self.journal is not None:
            try:
                self.journal.keep(frame.t, events, self.core.save_session())
            except Exception as exc:  # a full disk loses the journal, not the mat
                failures.failed("the session journal", "keeping the session", exc)
            else:
                failures.ok("the session journal", "keeping the session")

    def _commands(self, frame: ZoneFrame) -> None:
        for adapter, name in zip(self.adapters, self._names, strict=True):
            for request in self._take(adapter, name):
                result, events = self.core.command(request.command, frame.t)
                try:
                    request.reply(result)
                except Exception as exc:  # the command was applied: only its answer is lost
                    self._failures.failed(name, "answering a command", exc)
                else:
                    self._failures.ok(name, "answering a command")
                if events:
                    self._deliver(frame, events)

    def _take(self, adapter: Adapter, name: str) -> list[CommandRequest]:
        try:
            requests = adapter.take_commands()
        except Exception as exc:
            self._failures.failed(name, "taking commands", exc)
            return []
        self._failures.ok(name, "taking commands")
        return requests

    def _shut(self, started: Sequence[Adapter], feed: SourceFeed | None) -> None:
        try:
            self.lifecycle.stopping()
        except Exception:
            log.exception("could not tell the supervisor that the service stops")
        for adapter, name in zip(started, self._names, strict=False):
            try:
                adapter.close()
            except Exception:
                log.exception("%s failed to close", name)
        if self.journal is not None:
            try:
                self.journal.close(self.core.save_session())
            except Exception:
                log.exception("the session journal failed to save the open session")
        if feed is not None:
            feed.close()
        try:
            self.source.close()
        except Exception:
            log.exception("the frame source failed to close")


def _names(adapters: Sequence[Adapter]) -> list[str]:
    """ "adapter MqttAdapter" per adapter; "adapter FakeAdapter 2" where a type repeats."""
    kinds = [type(a).__name__ for a in adapters]
    return [
        f"adapter {kind}" + (f" {i + 1}" if kinds.count(kind) > 1 else "")
        for i, kind in enumerate(kinds)
    ]
