"""The console: one line per event and a live status line (an ``Adapter``; does I/O).

On a terminal the status line is redrawn in place; into a pipe or a log it is printed every
``status_every_s`` of frame time instead, so logs stay readable. Links (the MQTT broker's
``BrokerStatus``) add their state to the end of the line: ``mqtt connected``, ``mqtt
unreachable: connection refused: nothing listens on broker:1883``. While the source is
stalled (``source_stalled``) the line says ``SOURCE STALLED``, and is printed with each stall
event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from controller.core.commands import CommandRequest
from controller.core.events import Event, SourceStalled
from controller.core.state import MatState
from controller.service.logs import event_fields
from firmware.frame import ZoneFrame


class StatusPart(Protocol):
    """Something whose state belongs on the status line (read from the service thread)."""

    def status_text(self) -> str: ...


def format_event(event: Event) -> str:
    return f"{_clock(event.t):>9}  {event.type:<22} {event_fields(event)}".rstrip()


def format_status(state: MatState, links: Sequence[str] = ()) -> str:
    balance = "   -  " if state.imbalance is None else f"{state.imbalance:+.2f}"
    s = state.session
    timer = "no session"
    if s.state != "idle":
        target = "open" if s.target_s is None else _clock(s.target_s)
        timer = f"{s.program} {s.state} {_clock(s.elapsed_s)} / {target}"
    alerts = []
    if state.uneven:
        alerts.append(f"UNEVEN ({state.uneven_side} heavy)")
    if state.faults:
        alerts.append("FAULT " + ",".join(sorted(state.faults)))
    if state.breathing_bpm is not None:
        alerts.append(f"{state.breathing_bpm:.1f}/min")
    alerts.extend(links)
    return (
        f"{_clock(state.t):>9}  {state.posture:<8} {state.load_kg:6.1f} kg  "
        f"balance {balance}  {timer}  {' '.join(alerts)}"
    ).rstrip()


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}.{int((seconds - whole) * 10)}"


class ConsoleAdapter:
    def __init__(
        self,
        out: TextIO,
        live: bool,
        status_every_s: float = 10.0,
        links: Sequence[StatusPart] = (),
    ) -> None:
        self._out = out
        self._links = list(links)
        self._live = live
        self._every_s = status_every_s
        self._next_status_t: float | None = None
        self._status_shown = False
        self._stalled = False

    def start(self) -> None:
        return None

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        stall_news = False
        for event in events:
            self._line(format_event(event))
            if isinstance(event, SourceStalled):
                self._stalled, stall_news = event.active, True
        if self._live:
            self._out.write("\r\x1b[2K" + self._status(state))
            self._status_shown = True
            self._out.flush()
        elif stall_news or self._next_status_t is None or frame.t >= self._next_status_t:
            self._line(self._status(state))
            self._next_status_t = frame.t + self._every_s

    def _status(self, state: MatState) -> str:
        stalled = ["SOURCE STALLED"] if self._stalled else []
        return format_status(state, [*stalled, *(link.status_text() for link in self._links)])

    def _line(self, text: str) -> None:
        if self._status_shown:
            self._out.write("\r\x1b[2K")
            self._status_shown = False
        self._out.write(text + "\n")
        self._out.flush()

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        if self._status_shown:
            self._out.write("\n")
        self._out.flush()
