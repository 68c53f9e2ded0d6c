"""The web adapter: the service loop's state and events out to the page, commands in (I/O
shell around ``server.WebServer``).

On the service thread ``on_frame`` takes each event's JSON from the ``EventStamper`` it shares
with MQTT (``controller.wire.stamp``: the same ``seq``, ``id`` and body as MQTT's, numbered by
the outbox whether MQTT is on or off) and, at most ``state_rate_hz`` times a second (and at
once when the posture, the session or an alert changes), hands the state to the ``Hub`` (whose
first reader makes its JSON) and returns. It never
waits on a client. The HTTP server runs on threads of its own; commands reach the core only as
``CommandRequest``s that the loop takes between frames.

The loop also watches the server: every second ``on_frame`` checks that its thread is alive
(and that its poll loop has beaten recently). A server that died is logged with its cause and
started again on the same address, at most every ``RESTART_EVERY_S``; the mat never stops for
it.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from controller.core.commands import Command, CommandRequest, CommandResult
from controller.core.events import Event
from controller.core.settings import ProgramSettings
from controller.core.state import MatState
from controller.web.api import Api, MatInfo
from controller.web.config import WebConfig
from controller.web.hub import Hub
from controller.web.server import WebServer
from controller.wire.payloads import state_key, state_payload
from controller.wire.stamp import EventStamper
from firmware.clock import Clock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

log = logging.getLogger("acumat.web")
CHECK_EVERY_S = 1.0
RESTART_EVERY_S = 5.0
STALLED_S = 10.0
StatusProvider = Callable[[], dict[str, Any]]


class WebAdapter:
    def __init__(
        self,
        config: WebConfig,
        *,
        token: str | None,
        mat_id: str,
        mat_name: str,
        layout: MatLayout,
        programs: Mapping[str, ProgramSettings],
        source_kind: str,
        clock: Clock,
        wall_at: WallAt,
        history_path: Path,
        calibration_path: Path,
        stamper: EventStamper,
        mqtt_status: StatusProvider | None = None,
    ) -> None:
        """``stamper``: numbers the events (MQTT's, or one of the page's own that it closes
        when ``owned``)."""
        self.config, self.mat_id = config, mat_id
        self._clock, self._wall_at = clock, wall_at
        self._stamper = stamper
        self.hub = Hub()
        self._boot = uuid.uuid4().hex[:8]
        # A little under the period: a 10 Hz source's jitter must not drop every other state.
        self._min_gap_s = 0.8 / config.state_rate_hz
        self._state_at = -1e18
        self._key: tuple[Any, ...] | None = None
        self._commands: list[CommandRequest] = []
        self._lock = threading.Lock()
        info = MatInfo(mat_id, mat_name, layout, programs, source_kind, token is not None)
        self.api = Api(
            info,
            hub=self.hub,
            submit=self._submit,
            history_path=history_path,
            calibration_path=calibration_path,
            clock=clock,
            mqtt_status=mqtt_status,
        )
        self.server = WebServer(config, self.api, token, self._boot, clock)  # binds now
        self._thread: threading.Thread | None = None
        self._next_check_s = 0.0
        self._next_restart_s = 0.0
        self._closing = False

    @property
    def address(self) -> tuple[str, int]:
        """Where it listens (the port chosen by the system when the config said 0)."""
        return self.server.address

    # --- the service thread ---------------------------------------------------------------

    def start(self) -> None:
        self._thread = self.server.serve_in_thread()
        log.info("web page on http://%s", self.server.url_host)

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        failed: Exception | None = None
        try:
            stamped = [(e.seq, e.text) for e in self._stamper.stamp(events)]
        except Exception as exc:  # the numbering's disk: the state still goes out, then raise
            failed, stamped = exc, []
        now_s = self._clock.monotonic()
        key = state_key(state)
        make: Callable[[], str] | None = None
        if stamped or key != self._key or now_s - self._state_at >= self._min_gap_s:
            # The JSON is made by its first reader, on a web thread: none when nobody looks.
            make = partial(state_payload, state, self.mat_id, self._wall_at(frame.t))
            self._key, self._state_at = key, now_s
        if make is not None or stamped:
            self.hub.publish(make, stamped)
        if now_s >= self._next_check_s:
            self._next_check_s = now_s + CHECK_EVERY_S
            self._watch(now_s)
        if failed is not None:  # the loop logs it (once, then at most once a minute)
            raise failed

    def take_commands(self) -> list[CommandRequest]:
        with self._lock:
            taken, self._commands = self._commands, []
        return taken

    def close(self) -> None:
        self._closing = True
        self.hub.close()
        self.server.stop()
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        self._stamper.close()

    def _watch(self, now_s: float) -> None:
        """The server's watchdog: restart a dead server, report a stalled one."""
        if self._closing or self._thread is None:
            return
        if self._thread.is_alive() and self.server.listening:
            if now_s - self.server.beat_s > STALLED_S:
                self.server.report_stall(now_s)
            return
        if now_s < self._next_restart_s:
            return
        self._next_restart_s = now_s + RESTART_EVERY_S
        cause = self.server.death or "its listening socket closed"
        log.error("web server stopped (%s); starting it again", cause)
        try:
            self.server = self.server.rebuilt()
            self._thread = self.server.serve_in_thread()
        except OSError as exc:
            log.error("web server cannot start again: %s (next try in %.0f s)", exc,
                      RESTART_EVERY_S)  # fmt: skip

    # --- server threads -------------------------------------------------------------------

    def _submit(
        self, command: Command, reply: Callable[[CommandResult], None]
    ) -> Callable[[], bool]:
        request = CommandRequest(command, reply)
        with self._lock:
            self._commands.append(request)
        return partial(self._withdraw, request)

    def _withdraw(self, request: CommandRequest) -> bool:
        """Takes back a command the loop has not taken yet (True if it was still waiting)."""
        with self._lock:
            for i, waiting in enumerate(self._commands):
                if waiting is request:
                    del self._commands[i]
                    return True
        return False
