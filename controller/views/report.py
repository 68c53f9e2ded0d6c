"""What a session report shows, gathered from a recording or from any frame file (reads files).

``load_trace`` turns a recording (``<uid>.jsonl`` with its ``.events.jsonl``, written by
recorder.py) or a plain acumat-frames/1 file (replayed through ``MatController`` with the
breathing estimator) into a ``SessionTrace``: per-zone load, imbalance, head-to-foot centre of
pressure, breathing points, uneven spells and the session's marks, all on a time axis that
starts at the first frame, and what the session was (``title``: program, date and time,
duration, completed or why it ended early, from the recording's header and the session's
own events). ``find_session`` resolves ``last``, a uid or a path. No drawing here
(report_plot.py draws).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from controller.core.factory import build_controller
from controller.core.settings import CoreSettings
from controller.errors import ControllerError
from controller.storage.recorder import events_path, recordings
from firmware.framefile import FrameParser, open_frames, parse_header
from firmware.layout import MatLayout

MARKED = {
    "session_started": "started",
    "session_paused": "paused",
    "session_resumed": "resumed",
    "session_target_reached": "target",
    "session_warning": "warning",
    "session_ended": "ended",
}


# Why a session ended, as the title says it (core/summary.py's EndReason).
END_REASONS = {
    "left_mat": "left the mat",
    "command": "stopped by a command",
    "max_duration": "reached the longest session allowed",
}


class SessionNotFoundError(ControllerError, FileNotFoundError):
    """No recording by that uid, no recordings at all, or no such file."""


@dataclass
class SessionTrace:
    """Everything a report draws; times in seconds from the first frame."""

    source: str  # "recording <uid>" or "replay of <file>"
    layout: MatLayout
    started_wall_s: float | None = None  # the session's start, Unix time (recordings only)
    # The session_started / session_ended events (a replayed file may hold several sessions).
    started: list[dict[str, Any]] = field(default_factory=list)
    ended: list[dict[str, Any]] = field(default_factory=list)
    alert_imbalance: float = 0.20
    t_s: list[float] = field(default_factory=list)
    zones_kg: list[list[float | None]] = field(default_factory=list)  # one list per zone
    imbalance: list[float | None] = field(default_factory=list)
    cop_y_m: list[float | None] = field(default_factory=list)
    breathing: list[tuple[float, float]] = field(default_factory=list)  # (t_s, bpm)
    uneven: list[tuple[float, float]] = field(default_factory=list)  # spells (from, to)
    marks: list[tuple[float, str]] = field(default_factory=list)  # (t_s, label)

    def add_sample(self, t: float, zones: Iterable[float | None], imb: Any, cop_y: Any) -> None:
        if not self.zones_kg:
            self.zones_kg = [[] for _ in self.layout.zones]
        self.t_s.append(t)
        for series, kg in zip(self.zones_kg, zones, strict=True):
            series.append(kg)
        self.imbalance.append(imb if isinstance(imb, int | float) else None)
        self.cop_y_m.append(cop_y if isinstance(cop_y, int | float) else None)

    def add_event(self, t: float, event: dict[str, Any]) -> None:
        kind = event.get("type")
        if kind == "breathing" and event.get("quality", 0) and event.get("bpm") is not None:
            self.breathing.append((t, float(event["bpm"])))
        elif kind == "uneven_load":
            self._uneven(t, bool(event.get("active")))
        elif kind in MARKED:
            self.marks.append((t, mark_label(event)))
        if kind == "session_started":
            self.started.append(event)
        elif kind == "session_ended":
            self.ended.append(event)

    @property
    def title(self) -> str:
        """What the session was: ``Relax session · Mon 30 Nov 2026, 08:27 CET · 9 min 13 s
        of 20 min, ended early: left the mat``; a replay of several sessions lists each."""
        if not self.started:
            return "No session"
        parts = [f"{str(self.started[0].get('program')).capitalize()} session"]
        if len(self.started) > 1:
            parts = [f"{len(self.started)} sessions"]
        if self.started_wall_s is not None:
            when = datetime.fromtimestamp(self.started_wall_s).astimezone()
            parts.append(when.strftime("%a %d %b %Y, %H:%M %Z").strip())
        if len(self.started) > 1:
            parts += [f"{e.get('program')} {_figures(e)}" for e in self.ended]
        elif self.ended:
            parts.append(_figures(self.ended[-1]))
        if len(self.ended) < len(self.started):
            parts.append("unfinished: the recording stops before the session ended")
        return " · ".join(parts)

    def _uneven(self, t: float, active: bool) -> None:
        if active and not (self.uneven and self.uneven[-1][1] < 0):
            self.uneven.append((t, -1.0))  # open until it clears
        elif not active and self.uneven and self.uneven[-1][1] < 0:
            self.uneven[-1] = (self.uneven[-1][0], t)

    def finish(self) -> SessionTrace:
        """Closes an uneven spell still open at the last frame."""
        if self.uneven and self.uneven[-1][1] < 0:
            self.uneven[-1] = (self.uneven[-1][0], self.t_s[-1] if self.t_s else 0.0)
        return self


def _figures(ended: dict[str, Any]) -> str:
    """``9 min 13 s of 20 min, ended early: left the mat`` from a session_ended event."""
    target = ended.get("target_s")
    of = "" if target is None else f" of {_minutes(float(target))}"
    return f"{_minutes(float(ended.get('duration_s') or 0.0))}{of}, {_result(ended)}"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    minutes, rest = divmod(whole, 60)
    if minutes >= 10:  # seconds no longer matter
        return f"{round(whole / 60)} min"
    return f"{minutes} min" + (f" {rest} s" if rest else "")


def _result(ended: dict[str, Any]) -> str:
    reason = str(ended.get("reason"))
    why = END_REASONS.get(reason, reason.replace("_", " "))
    return "completed" if ended.get("completed") else f"ended early: {why}"


def mark_label(event: dict[str, Any]) -> str:
    kind = str(event.get("type"))
    label = MARKED.get(kind, kind)
    if kind == "session_started":
        return f"{label} ({event.get('program')})"
    if kind == "session_target_reached":
        return f"{label} {float(event.get('target_s') or 0) / 60:.0f} min"
    if kind == "session_ended":
        reason = str(event.get("reason"))
        return f"{label} ({END_REASONS.get(reason, reason.replace('_', ' '))})"
    return label


def find_session(session: str, folder: Path) -> Path:
    """``last`` (the newest recording in ``folder``), a recording uid, or a frame file's path."""
    if session == "last":
        found = recordings(folder)
        if not found:
            raise SessionNotFoundError(f"no recordings in {folder}")
        return found[-1]
    by_uid = folder / f"{session}.jsonl"
    if by_uid.is_file():
        return by_uid
    path = Path(session)
    if path.is_file():
        return path
    raise SessionNotFoundError(f"{session!r} is neither a recording in {by_uid.parent} nor a file")


def load_trace(path: Path, settings: CoreSettings | None = None) -> SessionTrace:
    """A recording's own frames and events, or a plain frame file replayed through the core."""
    settings = settings or CoreSettings()
    with path.open(encoding="utf-8") as handle:
        header = parse_header(handle.readline())
    info = header.extra.get("recording")
    if isinstance(info, dict) and events_path(path).is_file():
        trace = _from_recording(path, header.layout, info)
    else:
        trace = _replayed(path, settings)
    trace.alert_imbalance = settings.balance.alert_imbalance
    return trace.finish()


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    with path.open(encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, start=1):
            if line.strip():
                yield line_no, line


def _from_recording(path: Path, layout: MatLayout, info: dict[str, Any]) -> SessionTrace:
    trace = SessionTrace(source=f"recording {info.get('uid', path.stem)}", layout=layout)
    started = info.get("started_wall_s")
    trace.started_wall_s = float(started) if isinstance(started, int | float) else None
    parser = FrameParser(layout)
    t0: float | None = None
    for line_no, line in _lines(path):
        if line_no == 1:
            continue
        frame = parser.parse(line, line_no)
        extra = json.loads(line)
        t0 = frame.t if t0 is None else t0
        trace.add_sample(frame.t - t0, frame.load_kg, extra.get("imbalance"), extra.get("cop_y_m"))
    for _, line in _lines(events_path(path)):
        event = json.loads(line)
        trace.add_event(float(event["t"]) - (t0 or 0.0), event)
    return trace


def _replayed(path: Path, settings: CoreSettings) -> SessionTrace:
    header, frames = open_frames(path)
    layout = header.layout
    core = build_controller(layout, settings)
    trace = SessionTrace(source=f"replay of {path.name}", layout=layout)
    t0: float | None = None
    for frame in frames:
        t0 = frame.t if t0 is None else t0
        events = core.feed(frame)
        state = core.snapshot()
        trace.add_sample(frame.t - t0, frame.load_kg, state.imbalance, state.cop_y_m)
        for event in events:
            trace.add_event(event.t - t0, event.to_dict())
    for event in core.finish():
        trace.add_event(event.t - (t0 or 0.0), event.to_dict())
    return trace
