"""The console: one line per event and a live status line (an ``Adapter``; does I/O).

On a terminal the status line is redrawn in place; into a pipe or the journal it is printed
once per change of what it says (posture, session state, alerts, links; not its clocks or the
load's wobble), so logs stay readable. An empty mat reads ``empty`` with no balance and loads
are never shown below zero (a session's elapsed time never runs backwards: the service holds it
in the state it hands every adapter, ``payloads.ElapsedShown``). Links (the MQTT broker's
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
from controller.service.logs import event_fields, is_news
from controller.wire.payloads import load_shown_kg
from firmware.frame import ZoneFrame


class StatusPart(Protocol):
    """Something whose state belongs on the status line (read from the service thread)."""

    def status_text(self) -> str: ...


def format_event(event: Event) -> str:
    return f"{_clock(event.t):>9}  {event.type:<22} {event_fields(event)}".rstrip()


def format_status(state: MatState, links: Sequence[str] = ()) -> str:
    """The status line."""
    shown = state.imbalance if state.occupied else None
    balance = "   -  " if shown is None else f"{shown:+.2f}"
    posture = state.posture if state.occupied else "empty"
    load_kg = load_shown_kg(state.load_kg) or 0.0
    s = state.session
    timer = "no session"
    if s.state != "idle":
        target = "open" if s.target_s is None else _clock(s.target_s)
        timer = f"{s.program} {s.state} {_clock(s.elapsed_s)} / {target}"
    alerts = _alerts(state)
    alerts.extend(links)
    return (
        f"{_clock(state.t):>9}  {posture:<8} {load_kg:6.1f} kg  "
        f"balance {balance}  {timer}  {' '.join(alerts)}"
    ).rstrip()


def _alerts(state: MatState) -> list[str]:
    alerts = []
    if state.uneven:
        alerts.append(f"UNEVEN ({state.uneven_side} heavy)")
    if state.faults:
        alerts.append("FAULT " + ",".join(sorted(state.faults)))
    if state.breathing_bpm is not None and state.breathing_bpm > 0:
        alerts.append(f"{state.breathing_bpm:.1f}/min")
    return alerts


def status_key(state: MatState, links: Sequence[str] = ()) -> tuple[object, ...]:
    """What a line into a pipe is printed for: a change of any of these."""
    s = state.session
    posture = state.posture if state.occupied else "empty"
    faults = tuple(sorted(state.faults.items()))
    return (posture, s.state, s.program, s.session, s.target_reached, state.uneven, faults, *links)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}.{int((seconds - whole) * 10)}"


class ConsoleAdapter:
    def __init__(
        self,
        out: TextIO,
        live: bool,
        links: Sequence[StatusPart] = (),
    ) -> None:
        self._out = out
        self._links = list(links)
        self._live = live
        self._key: tuple[object, ...] | None = None
        self._status_shown = False
        self._stalled = False

    def start(self) -> None:
        return None

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        stall_news = False
        for event in events:
            if is_news(event):
                self._line(format_event(event))
            if isinstance(event, SourceStalled):
                self._stalled, stall_news = event.active, True
        stalled = ["SOURCE STALLED"] if self._stalled else []
        links = [*stalled, *(link.status_text() for link in self._links)]
        text = format_status(state, links)
        if self._live:
            self._out.write("\r\x1b[2K" + text)
            self._status_shown = True
            self._out.flush()
            return
        key = status_key(state, links)
        if stall_news or key != self._key:  # a stall event is printed with its status line
            self._key = key
            self._line(text)

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
