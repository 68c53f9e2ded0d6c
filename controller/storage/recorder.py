"""Session recordings on disk: the frames and events of each session, for ``acumat report`` (I/O).

An ``Adapter``. Between ``session_started`` and ``session_ended`` it appends the frames to
``<recordings>/<uid>.jsonl`` in acumat-frames/1 (the header carries the layout and a
``recording`` object; each frame line also carries the core's ``imbalance``, ``cop_x_m``,
``cop_y_m``, ``posture`` and ``bpm``, extra keys every reader ignores) and the events to
``<uid>.events.jsonl``. ``uid`` is ``mat_id:started_wall`` as in history.py, so a history row
names its recording. Writes are buffered and flushed once a second of frame time; frames come
at most ``max_rate_hz``. A session restored after a restart is appended to its own file with
times moved onto that file's clock. Only the newest ``keep`` recordings are kept.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from controller.core.commands import CommandRequest
from controller.core.events import Event, SessionEnded, SessionStarted
from controller.core.state import MatState
from controller.storage.history import session_uid
from firmware.clock import WallAt
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileHeader, frame_to_dict, parse_header
from firmware.layout import MatLayout

log = logging.getLogger("acumat.recorder")
EVENTS_SUFFIX = ".events.jsonl"


def recordings(folder: Path) -> list[Path]:
    """Frame files of the recordings in ``folder``, oldest first (by modification time)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.jsonl") if not p.name.endswith(EVENTS_SUFFIX)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def events_path(frames_path: Path) -> Path:
    return frames_path.with_name(frames_path.name.removesuffix(".jsonl") + EVENTS_SUFFIX)


def dumps(data: Any) -> str:
    return json.dumps(_clean(data), separators=(",", ":"), allow_nan=False)


def _clean(value: Any) -> Any:
    # JSON has no NaN or infinity; an unknown number is null.
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class _Open:
    """One recording being written: its two files and the shift onto its own clock."""

    def __init__(self, path: Path, shift_s: float, append: bool) -> None:
        self.path = path
        self.shift_s = shift_s
        mode = "a" if append else "w"
        self.frames: IO[str] = path.open(mode, encoding="utf-8")
        self.events: IO[str] = events_path(path).open(mode, encoding="utf-8")

    def flush(self) -> None:
        self.frames.flush()
        self.events.flush()

    def close(self) -> None:
        self.frames.close()
        self.events.close()


class SessionRecorder:
    """Records each session's frames and events (an ``Adapter``, without commands)."""

    def __init__(
        self,
        folder: Path,
        mat_id: str,
        layout: MatLayout,
        wall_at: WallAt,
        *,
        keep: int = 50,
        max_rate_hz: float = 10.0,
        flush_every_s: float = 1.0,
    ) -> None:
        self.folder = folder
        self._mat_id = mat_id
        self._layout = layout
        self._wall_at = wall_at
        self._keep = max(1, keep)
        self._min_gap_s = 1.0 / max_rate_hz - 1e-6
        self._flush_every_s = flush_every_s
        self._open: _Open | None = None
        self._last_frame_t = -math.inf
        self._flushed_t = -math.inf
        self._looked_for_restored = False

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        for event in events:
            if isinstance(event, SessionStarted) and self._open is None:
                self._begin(event.t, event.session, event.program)
        if self._open is None and state.session.state != "idle":
            self._resume(state)
        rec = self._open
        if rec is None:
            return
        self._write_frame(rec, frame, state)
        for event in events:
            rec.events.write(dumps({**event.to_dict(), "t": event.t + rec.shift_s}) + "\n")
            if isinstance(event, SessionEnded):
                self._end(rec, event)
                return
        if frame.t - self._flushed_t >= self._flush_every_s:
            rec.flush()
            self._flushed_t = frame.t

    def _write_frame(self, rec: _Open, frame: ZoneFrame, state: MatState) -> None:
        if frame.t - self._last_frame_t < self._min_gap_s:
            return
        self._last_frame_t = frame.t
        line = frame_to_dict(self._layout, frame)
        line["t"] = round(frame.t + rec.shift_s, 4)
        line.update(
            imbalance=state.imbalance,
            cop_x_m=state.cop_x_m,
            cop_y_m=state.cop_y_m,
            posture=state.posture,
            bpm=state.breathing_bpm,
        )
        rec.frames.write(dumps(line) + "\n")

    def _begin(self, started_t: float, session: int | None, program: str) -> None:
        started_wall = self._wall_at(started_t)
        uid = session_uid(self._mat_id, started_wall)
        path = self.folder / f"{uid}.jsonl"
        self.folder.mkdir(parents=True, exist_ok=True)
        self._open = _Open(path, 0.0, append=False)
        info = {
            "uid": uid,
            "mat_id": self._mat_id,
            "session": session,
            "program": program,
            "started_wall_s": round(started_wall, 3),
            "wall_offset_s": self._wall_at.offset_s or 0.0,
        }
        header = FrameFileHeader(self._layout, 10.0, {"recording": info})
        self._open.frames.write(dumps(header.to_dict()) + "\n")
        self._last_frame_t = -math.inf
        log.info("recording session %s to %s", session, path)

    def _resume(self, state: MatState) -> None:
        """A session restored after a restart: append to its unfinished recording if any."""
        if self._looked_for_restored:
            return
        self._looked_for_restored = True
        found = _unfinished(self.folder, state.session.session)
        if found is None:
            self._begin(state.t - state.session.elapsed_s, state.session.session, "restored")
            return
        path, wall_offset_s = found
        shift_s = (self._wall_at.offset_s or 0.0) - wall_offset_s
        self._open = _Open(path, shift_s, append=True)
        self._last_frame_t = -math.inf
        log.info("recording of session %s continues in %s", state.session.session, path)

    def _end(self, rec: _Open, event: SessionEnded) -> None:
        rec.close()
        self._open = None
        self._looked_for_restored = True
        final = self.folder / f"{session_uid(self._mat_id, self._wall_at(event.started_t))}.jsonl"
        if final != rec.path and not final.exists():
            # The start of a restored session was guessed; the end event knows it exactly.
            rec.path.rename(final)
            events_path(rec.path).rename(events_path(final))
        self.rotate()

    def rotate(self) -> list[Path]:
        """Deletes all but the newest ``keep`` recordings; returns the deleted frame files."""
        current = None if self._open is None else self._open.path
        old = [p for p in recordings(self.folder) if p != current]
        gone = old[: max(0, len(old) - self._keep + (current is not None))]
        for path in gone:
            path.unlink(missing_ok=True)
            events_path(path).unlink(missing_ok=True)
        return gone

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        """Flushes; an open recording stays unfinished and is continued after a restart."""
        if self._open is not None:
            self._open.close()
            self._open = None


def _unfinished(folder: Path, session: int | None) -> tuple[Path, float] | None:
    """The newest recording, with its wall offset, if it is of ``session`` and unfinished."""
    newest = recordings(folder)[-1:]
    if not newest:
        return None
    path = newest[0]
    try:
        with path.open(encoding="utf-8") as handle:
            info = parse_header(handle.readline()).extra.get("recording", {})
        ended = '"session_ended"' in events_path(path).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if ended or info.get("session") != session:
        return None
    return path, float(info.get("wall_offset_s", 0.0))
