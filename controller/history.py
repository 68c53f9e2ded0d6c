"""Finished sessions in SQLite, in the state directory (I/O: the shell's, not the core's).

One row per ``session_ended`` event, written in its own transaction (WAL mode, so a power cut
loses at most the row being written). ``uid`` is unique, so replaying the same event twice
(after a crash) stores it once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from controller.events import Event, SessionEnded
from controller.ports import CommandRequest
from controller.state import MatState
from firmware.frame import ZoneFrame

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uid TEXT NOT NULL UNIQUE,
    mat_id TEXT NOT NULL,
    program TEXT NOT NULL,
    started_wall_s REAL NOT NULL,
    ended_wall_s REAL NOT NULL,
    duration_s REAL NOT NULL,
    target_s REAL,
    completed INTEGER NOT NULL,
    reason TEXT NOT NULL,
    uneven_s REAL NOT NULL,
    mean_imbalance REAL
);
"""


@dataclass(frozen=True, slots=True)
class SessionRow:
    uid: str
    mat_id: str
    program: str
    started_wall_s: float
    ended_wall_s: float
    duration_s: float
    target_s: float | None
    completed: bool
    reason: str
    uneven_s: float
    mean_imbalance: float | None


class History:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def add(self, row: SessionRow) -> bool:
        """Stores a row; false when a row with the same uid was already there."""
        with self._db:
            cur = self._db.execute(
                "INSERT OR IGNORE INTO sessions (uid, mat_id, program, started_wall_s, "
                "ended_wall_s, duration_s, target_s, completed, reason, uneven_s, mean_imbalance)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.uid,
                    row.mat_id,
                    row.program,
                    row.started_wall_s,
                    row.ended_wall_s,
                    row.duration_s,
                    row.target_s,
                    int(row.completed),
                    row.reason,
                    row.uneven_s,
                    row.mean_imbalance,
                ),
            )
        return cur.rowcount == 1

    def sessions(self) -> list[SessionRow]:
        rows = self._db.execute(
            "SELECT uid, mat_id, program, started_wall_s, ended_wall_s, duration_s, target_s,"
            " completed, reason, uneven_s, mean_imbalance FROM sessions ORDER BY id"
        ).fetchall()
        return [_row(r) for r in rows]

    def close(self) -> None:
        self._db.close()


def _row(r: Any) -> SessionRow:
    return SessionRow(
        uid=r[0],
        mat_id=r[1],
        program=r[2],
        started_wall_s=r[3],
        ended_wall_s=r[4],
        duration_s=r[5],
        target_s=r[6],
        completed=bool(r[7]),
        reason=r[8],
        uneven_s=r[9],
        mean_imbalance=r[10],
    )


class HistoryAdapter:
    """Stores every ``session_ended`` the core emits (an ``Adapter``, without commands)."""

    def __init__(self, history: History, mat_id: str, wall_at: WallAt) -> None:
        self._history = history
        self._mat_id = mat_id
        self._wall_at = wall_at

    def start(self) -> None:
        return None

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        for event in events:
            if isinstance(event, SessionEnded):
                self._history.add(self._row(event))

    def _row(self, e: SessionEnded) -> SessionRow:
        started = self._wall_at(e.started_t)
        return SessionRow(
            uid=f"{self._mat_id}:{started:.3f}",
            mat_id=self._mat_id,
            program=e.program,
            started_wall_s=started,
            ended_wall_s=self._wall_at(e.t),
            duration_s=e.duration_s,
            target_s=e.target_s,
            completed=e.completed,
            reason=e.reason,
            uneven_s=e.uneven_s,
            mean_imbalance=e.mean_imbalance,
        )

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        self._history.close()


class WallAt:
    """Maps frame time to wall time: ``wall = frame_t + offset`` (set at the first frame)."""

    def __init__(self) -> None:
        self.offset_s: float | None = None

    def anchor(self, frame_t: float, wall_s: float) -> None:
        if self.offset_s is None:
            self.offset_s = wall_s - frame_t

    def __call__(self, frame_t: float) -> float:
        return frame_t + (self.offset_s or 0.0)
