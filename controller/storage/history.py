"""Finished sessions in SQLite, in the state directory (I/O: the shell's, not the core's).

One row per ``session_ended`` event, written in its own transaction (WAL mode, so a power cut
loses at most the row being written). ``uid`` is unique, so replaying the same event twice
(after a crash) stores it once. Columns added later (the relaxation figures) are added to an
older database when it is opened for writing; read-only readers see them as NULL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from controller.core.commands import CommandRequest
from controller.core.events import Event, SessionEnded
from controller.core.state import MatState
from firmware.clock import WallAt
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
# Columns added after the first release: a database made before them gains them on open
# (``ALTER TABLE ... ADD COLUMN``, NULL in the old rows) and stays readable read-only without.
_ADDED_COLUMNS: tuple[str, ...] = (
    "breathing_start_bpm",
    "breathing_end_bpm",
    "breathing_trend_bpm_per_min",
    "still_fraction",
)
_COLUMNS: tuple[str, ...] = (
    "uid",
    "mat_id",
    "program",
    "started_wall_s",
    "ended_wall_s",
    "duration_s",
    "target_s",
    "completed",
    "reason",
    "uneven_s",
    "mean_imbalance",
    *_ADDED_COLUMNS,
)


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
    breathing_start_bpm: float | None = None
    breathing_end_bpm: float | None = None
    breathing_trend_bpm_per_min: float | None = None
    still_fraction: float | None = None


class History:
    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        """``read_only`` (``acumat history``, the MQTT summary) neither creates nor migrates;
        the file must exist (``sqlite3.OperationalError`` otherwise)."""
        if read_only:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       check_same_thread=False)  # fmt: skip
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            self._migrate()
        self._present = self._columns()

    def _columns(self) -> set[str]:
        return {r[1] for r in self._db.execute("PRAGMA table_info(sessions)").fetchall()}

    def _migrate(self) -> None:
        present = self._columns()
        with self._db:
            for name in _ADDED_COLUMNS:
                if name not in present:
                    self._db.execute(f"ALTER TABLE sessions ADD COLUMN {name} REAL")

    def add(self, row: SessionRow) -> bool:
        """Stores a row; false when a row with the same uid was already there."""
        values = tuple(getattr(row, c) for c in _COLUMNS)
        marks = ", ".join("?" for _ in _COLUMNS)
        with self._db:
            cur = self._db.execute(
                f"INSERT OR IGNORE INTO sessions ({', '.join(_COLUMNS)}) VALUES ({marks})",
                tuple(int(v) if isinstance(v, bool) else v for v in values),
            )
        return cur.rowcount == 1

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        """Oldest first; ``limit`` keeps the newest ``limit`` rows."""
        # A column an old read-only database lacks reads as NULL.
        picked = ", ".join(c if c in self._present else "NULL" for c in _COLUMNS)
        query = f"SELECT {picked} FROM sessions ORDER BY id DESC"
        if limit is not None:
            query += f" LIMIT {max(0, int(limit))}"
        return [_row(r) for r in reversed(self._db.execute(query).fetchall())]

    def close(self) -> None:
        self._db.close()


def _row(r: Any) -> SessionRow:
    data = dict(zip(_COLUMNS, r, strict=True))
    data["completed"] = bool(data["completed"])
    return SessionRow(**data)


HistoryListener = Callable[[list[SessionRow]], None]


class HistoryAdapter:
    """Stores every ``session_ended`` the core emits (an ``Adapter``, without commands).

    ``on_history_changed`` gets every row, oldest first, at ``start`` and after each stored
    session: the shell uses it to grow the ``beginner`` target (controller.storage.habits).
    """

    def __init__(
        self,
        history: History,
        mat_id: str,
        wall_at: WallAt,
        on_history_changed: HistoryListener | None = None,
    ) -> None:
        self._history = history
        self._mat_id = mat_id
        self._wall_at = wall_at
        self._listener = on_history_changed

    def start(self) -> None:
        self._tell()

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        stored = False
        for event in events:
            if isinstance(event, SessionEnded):
                stored = self._history.add(self._row(event)) or stored
        if stored:
            self._tell()

    def _tell(self) -> None:
        if self._listener is not None:
            self._listener(self._history.sessions())

    def _row(self, e: SessionEnded) -> SessionRow:
        started = self._wall_at(e.started_t)
        return SessionRow(
            uid=session_uid(self._mat_id, started),
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
            breathing_start_bpm=e.breathing_start_bpm,
            breathing_end_bpm=e.breathing_end_bpm,
            breathing_trend_bpm_per_min=e.breathing_trend_bpm_per_min,
            still_fraction=e.still_fraction,
        )

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        self._history.close()


def session_uid(mat_id: str, started_wall_s: float) -> str:
    """A session's id in history, recordings and the journal: its mat and wall start time."""
    return f"{mat_id}:{started_wall_s:.3f}"
