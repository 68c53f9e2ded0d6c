"""Session recordings on disk: the frames and events of each session, for ``acumat report`` (I/O).

An ``Adapter``. Between ``session_started`` and ``session_ended`` it appends the frames to
``<recordings>/<uid>.jsonl`` in acumat-frames/1 (the header carries the layout and a
``recording`` object; each frame line also carries the core's ``imbalance``, ``cop_x_m``,
``cop_y_m``, ``posture`` and ``bpm``, extra keys every reader ignores) and the events to
``<uid>.events.jsonl``. ``uid`` is ``mat_id:started_wall`` as in history.py, so a history row
names its recording. Writes are buffered and flushed once a second of frame time; frames come
at most ``max_rate_hz``. A session restored after a restart is appended to its own file with
times moved onto that file's clock, unless they would land before the file's last frame (the
clock went back): then it starts a new recording, so a recording's time never goes backwards.
The folder is 0700 and the files 0600.

Recordings are what gives way when space runs short, so the history row and the journal always
fit. Only the newest ``keep`` recordings are kept, and before each flush the oldest are deleted
until ``min_free_bytes`` are free on the file system; when none is left to delete, the session
being recorded stops being recorded (a ``recording_stopped`` line in its events says why) and
a session that starts without that room is not recorded. ``make_room`` deletes one more for
the history when a row does not fit. A failed write is cut back to the last whole line (a
recording is always readable) and ends that session's recording; failures are logged once
with their cause, then at most once a minute.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
from collections.abc import Sequence
from pathlib import Path

from controller.core.commands import CommandRequest
from controller.core.events import Event, SessionEnded, SessionStarted
from controller.core.state import MatState
from controller.storage.files import free_bytes, is_full, private_dir
from controller.storage.history import session_uid
from controller.storage.recordings import (
    RecordingFiles,
    delete,
    dumps,
    events_path,
    recordings,
    unfinished,
)
from controller.storage.trouble import Trouble
from firmware.clock import Clock, SystemClock, WallAt
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileHeader, frame_to_dict
from firmware.layout import MatLayout

log = logging.getLogger("acumat.recorder")


def last_frame_t(path: Path) -> float | None:
    """The ``t`` of a recording's last whole frame line (None: no frame, or unreadable)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, handle.seek(0, 2) - 65536))
            lines = handle.read().splitlines()[1:]  # the first may be cut
    except OSError:
        return None
    for line in reversed(lines):
        with contextlib.suppress(ValueError, TypeError, KeyError):
            t = json.loads(line)["t"]
            if isinstance(t, int | float):
                return float(t)
    return None


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{n_bytes / 1e3:.1f} kB"


__all__ = ["SessionRecorder", "events_path", "recordings"]  # the report reads recordings here


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
        min_free_bytes: int = 0,
        clock: Clock | None = None,
    ) -> None:
        self.folder = folder
        self._mat_id = mat_id
        self._layout = layout
        self._wall_at = wall_at
        self._keep = max(1, keep)
        self._min_gap_s = 1.0 / max_rate_hz - 1e-6
        self._flush_every_s = flush_every_s
        self._min_free_bytes = min_free_bytes
        self._open: RecordingFiles | None = None
        self._skip = False  # this session is not (or no longer) recorded
        self._last_frame_t = -math.inf
        self._flushed_t = -math.inf
        self._looked_for_restored = False
        clock = clock or SystemClock()
        self._trouble = Trouble(log, f"writing session recordings in {folder}", clock)
        self._space = Trouble(log, f"recording sessions in {folder}", clock)

    def start(self) -> None:
        try:
            private_dir(self.folder)
        except OSError as exc:
            self._trouble.failed(exc)

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        try:
            self._on_frame(frame, events, state)
        except OSError as exc:
            self._give_up(exc)
        if any(isinstance(e, SessionEnded) for e in events):  # the next session starts afresh
            self._skip, self._looked_for_restored = False, True

    def _on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        for event in events:
            if isinstance(event, SessionStarted) and self._open is None and not self._skip:
                self._begin(event.t, event.session, event.program)
        if self._open is None and not self._skip and state.session.state != "idle":
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
            self._flushed_t = frame.t
            if not self._room():
                self._stop(rec, frame.t)
                return
            rec.flush()
            self._trouble.ok()

    def _write_frame(self, rec: RecordingFiles, frame: ZoneFrame, state: MatState) -> None:
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
        private_dir(self.folder)
        if not self._room():
            self._skip = True
            return
        started_wall = self._wall_at(started_t)
        uid = session_uid(self._mat_id, started_wall)
        path = self.folder / f"{uid}.jsonl"
        self._open = RecordingFiles(path, 0.0, append=False)
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
        found = unfinished(self.folder, state.session.session)
        if found is None:
            self._begin(state.t - state.session.elapsed_s, state.session.session, "restored")
            return
        if not self._room():
            self._skip = True
            return
        path, wall_offset_s = found
        shift_s = (self._wall_at.offset_s or 0.0) - wall_offset_s
        last_t = last_frame_t(path)
        if last_t is not None and state.t + shift_s <= last_t:
            log.warning("session %s resumes before the end of %s (the clock went back): "
                        "recorded afresh", state.session.session, path)  # fmt: skip
            self._begin(state.t - state.session.elapsed_s, state.session.session, "restored")
            return
        self._open = RecordingFiles(path, shift_s, append=True)
        self._last_frame_t = -math.inf
        log.info("recording of session %s continues in %s", state.session.session, path)

    def _end(self, rec: RecordingFiles, event: SessionEnded) -> None:
        self._open = None
        try:
            rec.flush()
        finally:
            rec.close()
        self._trouble.ok()
        final = self.folder / f"{session_uid(self._mat_id, self._wall_at(event.started_t))}.jsonl"
        if final != rec.path and not final.exists():
            # The start of a restored session was guessed; the end event knows it exactly.
            rec.path.rename(final)
            events_path(rec.path).rename(events_path(final))
        self.rotate()

    def _room(self) -> bool:
        """Deletes the oldest finished recordings until ``min_free_bytes`` are free; false
        (said once a minute) when even that is not enough."""
        if self._min_free_bytes <= 0:
            return True
        free = free_bytes(self.folder)  # one statvfs a second; the folder is read only if short
        if free >= self._min_free_bytes and not self._space.failing:
            return True
        current = None if self._open is None else self._open.path
        finished = [p for p in recordings(self.folder) if p != current]
        while free < self._min_free_bytes and finished:
            gone = finished.pop(0)
            delete(gone)
            log.info("deleted the recording %s: %s free, less than the %s to keep free",
                     gone.name, _size(free), _size(self._min_free_bytes))  # fmt: skip
            free = free_bytes(self.folder)
        if free >= self._min_free_bytes:
            self._space.ok()
            return True
        self._space.failed(
            f"stopped: {_size(free)} free on the file system, less than the "
            f"{_size(self._min_free_bytes)} kept free ([storage] min_free_mb)",
            logging.WARNING,
        )
        return False

    def _stop(self, rec: RecordingFiles, t: float) -> None:
        """Ends this session's recording early (no room), saying why in its events."""
        self._open, self._skip = None, True
        reason = {"type": "recording_stopped", "t": t + rec.shift_s, "reason": "disk_space"}
        rec.events.write(dumps(reason) + "\n")
        try:
            rec.flush()
        finally:
            rec.close()

    def _give_up(self, exc: OSError) -> None:
        """A write failed: this session's recording ends (its files cut to whole lines); on a
        full disk it goes, to leave the room to the journal and the history."""
        self._trouble.failed(exc)
        self._skip = True  # until this session ends: no retry per frame
        rec, self._open = self._open, None
        if rec is None:
            return
        rec.close()
        if is_full(exc):
            delete(rec.path)
            log.warning("deleted the unfinished recording %s: the disk is full", rec.path.name)

    def make_room(self) -> int:
        """Deletes the oldest recording (the one being written last) for a history row that
        does not fit; returns the bytes freed (0: none left, or the folder cannot be read)."""
        current = None if self._open is None else self._open.path
        try:
            finished = [p for p in recordings(self.folder) if p != current]
            if finished:
                return delete(finished[0])
            rec = self._open
            if rec is None:
                return 0
            self._open, self._skip = None, True
            rec.close()
            return delete(rec.path)
        except OSError as exc:
            self._trouble.failed(exc)
            return 0

    def rotate(self) -> list[Path]:
        """Deletes all but the newest ``keep`` recordings; returns the deleted frame files."""
        current = None if self._open is None else self._open.path
        old = [p for p in recordings(self.folder) if p != current]
        gone = old[: max(0, len(old) - self._keep + (current is not None))]
        for path in gone:
            delete(path)
        return gone

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        """Flushes; an open recording stays unfinished and is continued after a restart."""
        rec, self._open = self._open, None
        if rec is None:
            return
        try:
            rec.flush()
        except OSError as exc:
            self._trouble.failed(exc)
        finally:
            rec.close()
