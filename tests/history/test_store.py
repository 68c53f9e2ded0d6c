"""The history database: migration of an old file, read-only readers, the adapter's rows and its
listener, and the beginner target it grows through the real session machine."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from controller.core.events import SessionEnded, SessionStarted
from controller.core.session import Inputs, SessionMachine
from controller.core.settings import SessionSettings
from controller.storage.habits import beginner_target_s
from controller.storage.history import History, HistoryAdapter, SessionRow
from firmware.clock import WallAt
from tests.history.helpers import row
from tests.mqtt.conftest import frame, mat_state

# The schema as the first release wrote it, before the relaxation columns.
OLD_SCHEMA = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT NULL UNIQUE, mat_id TEXT NOT NULL,
    program TEXT NOT NULL, started_wall_s REAL NOT NULL, ended_wall_s REAL NOT NULL,
    duration_s REAL NOT NULL, target_s REAL, completed INTEGER NOT NULL, reason TEXT NOT NULL,
    uneven_s REAL NOT NULL, mean_imbalance REAL
);
INSERT INTO sessions (uid, mat_id, program, started_wall_s, ended_wall_s, duration_s, target_s,
    completed, reason, uneven_s, mean_imbalance)
VALUES ('mat1:100.000', 'mat1', 'relax', 100.0, 700.0, 600.0, 1200.0, 0, 'command', 5.0, 0.1);
"""


def old_db(path: Path) -> Path:
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    db.close()
    return path


def _columns(path: Path) -> set[str]:
    db = sqlite3.connect(path)
    try:
        return {r[1] for r in db.execute("PRAGMA table_info(sessions)")}
    finally:
        db.close()


def test_an_old_database_is_read_read_only_without_being_changed(tmp_path: Path) -> None:
    path = old_db(tmp_path / "history.sqlite")
    reader = History(path, read_only=True)
    [old] = reader.sessions()
    reader.close()
    assert (old.program, old.completed, old.uneven_s) == ("relax", False, 5.0)
    assert old.breathing_start_bpm is None and old.still_fraction is None
    assert "still_fraction" not in _columns(path)


def test_an_old_database_gains_the_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = old_db(tmp_path / "history.sqlite")
    history = History(path)
    assert {"breathing_start_bpm", "breathing_trend_bpm_per_min", "still_fraction"} <= _columns(
        path
    )
    new = row(5000.0, 20, bpm=(14.0, 11.0))
    assert history.add(new)
    rows = history.sessions()
    assert [r.uid for r in rows] == ["mat1:100.000", new.uid]
    assert rows[0].breathing_end_bpm is None and rows[1] == new
    history.close()
    again = History(path)  # a second open migrates nothing and loses nothing
    assert again.sessions() == rows
    again.close()


def test_read_only_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        History(tmp_path / "none.sqlite", read_only=True)
    assert not (tmp_path / "none.sqlite").exists()


def test_limit_keeps_the_newest_oldest_first(tmp_path: Path) -> None:
    history = History(tmp_path / "h.sqlite")
    for i in range(5):
        history.add(row(1000.0 * i))
    assert [r.started_wall_s for r in history.sessions(limit=2)] == [3000.0, 4000.0]
    assert history.sessions(limit=0) == []
    assert len(history.sessions()) == 5
    history.close()


def _ended(t: float, program: str = "beginner", completed: bool = True) -> SessionEnded:
    return SessionEnded(
        t=t, session=1, program=program, duration_s=300.0, completed=completed,
        reason="left_mat", started_t=t - 300.0, target_s=300.0, uneven_s=4.0,
        mean_imbalance=0.02, breathing_start_bpm=15.0, breathing_end_bpm=12.5,
        breathing_trend_bpm_per_min=-0.5, still_fraction=0.93,
    )  # fmt: skip


def test_the_adapter_stores_the_relaxation_figures_and_tells_the_listener(tmp_path: Path) -> None:
    seen: list[list[SessionRow]] = []
    wall_at = WallAt()
    wall_at.anchor(0.0, 1_800_000_000.0)
    adapter = HistoryAdapter(History(tmp_path / "h.sqlite"), "mat1", wall_at, seen.append)
    adapter.start()
    assert seen == [[]]  # at start-up, with nothing yet
    adapter.on_frame(frame(400.0), [_ended(400.0)], mat_state(400.0))
    adapter.on_frame(frame(400.0), [_ended(400.0)], mat_state(400.0))  # a replayed duplicate
    adapter.on_frame(frame(401.0), [SessionStarted(t=401.0, session=2, program="relax",
                                                   trigger="lie_down", target_s=None)],
                     mat_state(401.0))  # fmt: skip
    assert len(seen) == 2
    [stored] = seen[1]
    assert stored.started_wall_s == 1_800_000_100.0
    assert (stored.breathing_start_bpm, stored.breathing_end_bpm) == (15.0, 12.5)
    assert (stored.breathing_trend_bpm_per_min, stored.still_fraction) == (-0.5, 0.93)
    adapter.close()


def _lie(t: float, occupied: bool = True) -> Inputs:
    return Inputs(t=t, occupied=occupied, left_at=None, ready_lie=occupied, ready_stand=False,
                  uneven=False, imbalance=0.0, still=True)  # fmt: skip


def test_each_completed_beginner_session_lengthens_the_next(tmp_path: Path) -> None:
    machine = SessionMachine(SessionSettings(program="beginner", grace_s=0.0))
    wall_at = WallAt()
    wall_at.anchor(0.0, 1_800_000_000.0)
    adapter = HistoryAdapter(
        History(tmp_path / "h.sqlite"),
        "mat1",
        wall_at,
        lambda rows: machine.set_target("beginner", beginner_target_s(rows)),
    )
    adapter.start()
    targets, t = [], 0.0
    for _ in range(3):
        [started] = machine.on_frame(_lie(t))
        assert isinstance(started, SessionStarted)
        targets.append(started.target_s)
        machine.on_frame(_lie(t + 30 * 60))  # stays 30 min: completes any target
        events = machine.on_frame(_lie(t + 30 * 60 + 1, occupied=False))
        events += machine.on_frame(_lie(t + 30 * 60 + 2, occupied=False))
        adapter.on_frame(frame(t), events, mat_state(t))
        t += 3600.0
    assert targets == [300.0, 360.0, 420.0]
    adapter.close()
