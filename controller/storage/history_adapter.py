"""Stores every finished session in the history, whatever the disk does (an ``Adapter``; I/O).

Each ``session_ended`` becomes a ``SessionRow`` that is written at once (the service calls this
adapter before the recorder, so the row goes before anything bulky). When the write fails the
row waits in memory and is tried again every ``retry_s``; a full disk first asks ``make_room``
(the recorder deletes its oldest recording) and tries again at once. A database found damaged,
at start or later, is moved aside (controller.storage.sqlitefile) and a fresh one takes the
waiting rows. A failure is logged once with its cause, then at most once a minute
(controller.storage.trouble). Rows still waiting when the service stops are written to the
log, one line each, so their figures are not lost.

At start it queues a ``ContinueNumbering`` command with the highest session number stored for
this mat, so a new process numbers its sessions after the old ones (``session`` is unique across
restarts; the service applies it after the first frame, seconds before a start can be seen).

With ``beginner``, it also grows the ``beginner`` program's target from the stored sessions
(controller.storage.habits): at start and after each stored session it queues a
``SetProgramTarget`` command, which the service applies between frames.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path

from controller.core.commands import (
    CommandRequest,
    CommandResult,
    ContinueNumbering,
    SetProgramTarget,
)
from controller.core.events import Event, SessionEnded
from controller.core.state import MatState
from controller.storage.files import is_full
from controller.storage.habits import BEGINNER, beginner_target_s
from controller.storage.history import History, SessionRow, session_uid
from controller.storage.sqlitefile import is_damage, set_aside_if_damaged
from controller.storage.trouble import Trouble, cause
from firmware.clock import Clock, SystemClock, WallAt
from firmware.frame import ZoneFrame

log = logging.getLogger("acumat.history")


class HistoryAdapter:
    def __init__(
        self,
        path: Path,
        mat_id: str,
        wall_at: WallAt,
        *,
        beginner: bool = False,
        make_room: Callable[[], int] | None = None,
        clock: Clock | None = None,
        retry_s: float = 5.0,
    ) -> None:
        self.path = path
        self._mat_id = mat_id
        self._wall_at = wall_at
        self._beginner = beginner
        self._make_room = make_room or (lambda: 0)
        self._clock = clock or SystemClock()
        self._retry_s = retry_s
        self._history: History | None = None
        self._tried_s = -float("inf")
        self._new_rows = 0
        self._trouble = Trouble(log, f"writing the history {path}", self._clock)
        # Touched on the service loop's thread only (start, on_frame, take_commands, close).
        self.waiting: list[SessionRow] = []
        self._commands: list[CommandRequest] = []

    def start(self) -> None:
        if self._with_room(self._open):
            self._continue_numbering()
            self._grow_beginner()

    def _continue_numbering(self) -> None:
        if self._history is None:
            return
        try:
            after = self._history.highest_session(self._mat_id)
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        if after > 0:
            self._commands.append(CommandRequest(ContinueNumbering(after=after), _refused))

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        new = [self._row(e) for e in events if isinstance(e, SessionEnded)]
        self.waiting += new
        if new or (self.waiting and self._clock.monotonic() - self._tried_s >= self._retry_s):
            self._store()

    def _store(self) -> None:
        self._tried_s = self._clock.monotonic()
        self._new_rows = 0
        while self.waiting and self._with_room(self._add_first):
            pass
        if not self.waiting:
            self._trouble.ok()
        if self._new_rows:
            self._grow_beginner()

    def _add_first(self) -> None:
        # False for a row already there (an event replayed after a crash): stored all the same.
        self._new_rows += self._open().add(self.waiting[0])
        self.waiting.pop(0)

    def _with_room(self, step: Callable[[], object]) -> bool:
        """Runs ``step``; when the disk is full a recording makes room and it runs again."""
        while True:
            try:
                step()
            except (sqlite3.Error, OSError) as exc:
                if is_full(exc) and self._make_room() > 0:
                    continue
                self._failed(exc)
                return False
            return True

    def _open(self) -> History:
        """The history, opened (a damaged file moved aside first) if it is not yet."""
        if self._history is None:
            set_aside_if_damaged(self.path, self._clock.wall(), log)
            self._history = History(self.path)
        return self._history

    def _failed(self, exc: BaseException) -> None:
        waiting = f"; {len(self.waiting)} finished session(s) waiting" if self.waiting else ""
        self._trouble.failed(f"{cause(exc)}{waiting}")
        if is_damage(exc) and self._history is not None:
            self._history.close()  # reopened at the next try, after the damaged file is moved
            self._history = None

    def _grow_beginner(self) -> None:
        if not self._beginner or self._history is None:
            return
        try:
            target_s = beginner_target_s(self._history.sessions())
        except sqlite3.Error as exc:
            self._failed(exc)
            return
        command = SetProgramTarget(program=BEGINNER, target_s=target_s)
        self._commands.append(CommandRequest(command, _refused))

    def _row(self, e: SessionEnded) -> SessionRow:
        started = self._wall_at(e.started_t)
        return SessionRow(
            uid=session_uid(self._mat_id, started),
            mat_id=self._mat_id,
            started_wall_s=started,
            ended_wall_s=self._wall_at(e.t),
            summary=e.summary,
        )

    def take_commands(self) -> list[CommandRequest]:
        taken, self._commands = self._commands, []
        return taken

    def close(self) -> None:
        """One last try; a row that still cannot be stored goes to the log, whole."""
        if self.waiting:
            self._store()
        for row in self.waiting:
            log.error("session not stored in %s: %s", self.path, json.dumps(row.to_dict()))
        if self._history is not None:
            self._history.close()
            self._history = None


def _refused(result: CommandResult) -> None:
    if not result.ok:
        log.warning("the core refused the history's command: %s", result.error)
