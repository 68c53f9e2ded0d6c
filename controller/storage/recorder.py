"""Session recordings on disk: the frames and events of each session, for ``acumat report`` (I/O).

An ``Adapter``. Between ``session_started`` and ``session_ended`` it appends the frames to
``<recordings>/<uid>.jsonl`` in acumat-frames/1 and the events to ``<uid>.events.jsonl`` (what
each line says: controller.storage.recording_lines); ``uid`` is history.py's ``session_uid``,
so a history row names its recording. Writes are buffered and flushed once a second of frame
time; frames come at most ``max_rate_hz``. A session restored after a restart is appended to
its own file with times moved onto that file's clock, unless they would land before the file's
last frame (the clock went back): then it starts a new recording, so a recording's time never
goes backwards. The folder is 0700 and the files 0600.

Recordings are what gives way when space runs short (controller.storage.retention: the newest
``keep`` kept, ``min_free_bytes`` kept free before each flush): when none is left to delete,
the session being recorded stops being recorded (a ``recording_stopped`` line in its events
says why) and a session that starts without that room is not recorded. ``make_room`` deletes
one more for the history when a row does not fit. A failed write is cut back to the last whole
line (a recording is always readable) and ends that session's recording; failures are logged
once with their cause, then at most once a minute.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

from controller.core.commands import CommandRequest
from controller.core.events import Event, SessionEnded, SessionStarted
from controller.core.state import MatState
from controller.storage.files import is_full, private_dir
from controller.storage.history import session_uid
from controller.storage.recording_lines import (
    event_line,
    frame_line,
    header_line,
    last_frame_t,
    stopped_line,
)
from controller.storage.recordings import (
    RecordingFiles,
    delete,
    events_path,
    recordings,
    unfinished,
)
from controller.storage.retention import Retention
from controller.storage.trouble import Trouble
from firmware.clock import Clock, SystemClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

log = logging.getLogger("acumat.recorder")

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
        self._max_rate_hz = max_rate_hz  # the header's rate hint: frames come at most so often
        self._min_gap_s = 1.0 / max_rate_hz - 1e-6
        self._flush_every_s = flush_every_s
        self._open: RecordingFiles | None = None
        self._skip = False  # this session is not (or no longer) recorded
        self._last_frame_t = -math.inf
        self._flushed_t = -math.inf
        self._looked_for_restored = False
        clock = clock or SystemClock()
        self._trouble = Trouble(log, f"writing session recordings in {folder}", clock)
        self._retention = Retention(folder, keep, min_free_bytes, clock)

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
            rec.events.write(event_line(event, rec.shift_s))
            if isinstance(event, SessionEnded):
                self._end(rec, event)
                return
        if frame.t - self._flushed_t >= self._flush_every_s:
            self._flushed_t = frame.t
            if not self._retention.room(self._current()):
                self._stop(rec, frame.t)
                return
            rec.flush()
            self._trouble.ok()

    def _write_frame(self, rec: RecordingFiles, frame: ZoneFrame, state: MatState) -> None:
        if frame.t - self._last_frame_t < self._min_gap_s:
            return
        self._last_frame_t = frame.t
        rec.frames.write(frame_line(self._layout, frame, state, rec.shift_s))

    def _begin(self, started_t: float, session: int | None, program: str) -> None:
        private_dir(self.folder)
        if not self._retention.room(self._current()):
            self._skip = True
            return
        started_wall = self._wall_at(started_t)
        uid = session_uid(self._mat_id, started_wall)
        path = self.folder / f"{uid}.jsonl"
        self._open = RecordingFiles(path, 0.0, append=False)
        header = header_line(
            self._layout,
            uid,
            rate_hz=self._max_rate_hz,
            mat_id=self._mat_id,
            session=session,
            program=program,
            started_wall_s=started_wall,
            wall_offset_s=self._wall_at.offset_s or 0.0,
        )
        self._open.frames.write(header)
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
        path, wall_offset_s = found
        if not self._retention.room(path):  # the recording to continue is not one to delete
            self._skip = True
            return
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

    def _current(self) -> Path | None:
        return None if self._open is None else self._open.path

    def _stop(self, rec: RecordingFiles, t: float) -> None:
        """Ends this session's recording early (no room), saying why in its events."""
        self._open, self._skip = None, True
        rec.events.write(stopped_line(t, rec.shift_s))
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
        try:
            freed = self._retention.shed_oldest(self._current())
            if freed is not None:
                return freed
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
        return self._retention.rotate(self._current())

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
