"""The history database: a table derived from the session summary, migration of an old file,
read-only readers, the adapter's rows, and the beginner target it grows by command through the
real core."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pytest

from controller.core.commands import CommandRequest, CommandResult, SetProgramTarget
from controller.core.controller import MatController
from controller.core.events import Event, ProgramTargetChanged, SessionEnded, SessionStarted
from controller.core.session import Inputs
from controller.core.settings import CoreSettings, SessionSettings
from controller.core.summary import SessionSummary
from controller.storage.history import History, SessionTable, column_names
from controller.storage.history_adapter import HistoryAdapter
from firmware.clock import WallAt
from firmware.layout import DEFAULT_LAYOUT
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
    assert (old.summary.program, old.summary.completed, old.summary.uneven_s) == (
        "relax",
        False,
        5.0,
    )
    assert old.summary.breathing_start_bpm is None and old.summary.still_fraction is None
    assert old.summary.session == 0  # the number was not kept then
    assert "still_fraction" not in _columns(path) and "session" not in _columns(path)


def test_an_old_database_gains_the_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = old_db(tmp_path / "history.sqlite")
    history = History(path)
    assert {"session", "breathing_start_bpm", "breathing_trend_bpm_per_min", "still_fraction"} <= (
        _columns(path)
    )
    new = row(5000.0, 20, bpm=(14.0, 11.0))
    assert history.add(new)
    rows = history.sessions()
    assert [r.uid for r in rows] == ["mat1:100.000", new.uid]
    assert rows[0].summary.breathing_end_bpm is None and rows[1] == new
    assert rows[0].summary.session == 0
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
    summary = SessionSummary(
        session=1, program=program, duration_s=300.0, completed=completed, reason="left_mat",
        target_s=300.0, uneven_s=4.0, mean_imbalance=0.02, breathing_start_bpm=15.0,
        breathing_end_bpm=12.5, breathing_trend_bpm_per_min=-0.5, still_fraction=0.93,
    )  # fmt: skip
    return SessionEnded(t=t, started_t=t - 300.0, summary=summary)


def _targets(requests: list[CommandRequest]) -> list[float | None]:
    commands = [r.command for r in requests]
    assert all(isinstance(c, SetProgramTarget) and c.program == "beginner" for c in commands)
    return [c.target_s for c in commands if isinstance(c, SetProgramTarget)]


def test_the_adapter_stores_the_summary_once_and_queues_the_beginner_target(
    tmp_path: Path,
) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, 1_800_000_000.0)
    adapter = HistoryAdapter(tmp_path / "h.sqlite", "mat1", wall_at, beginner=True)
    adapter.start()
    assert _targets(adapter.take_commands()) == [300.0]  # at start-up, with nothing yet
    assert adapter.take_commands() == []  # taken once
    adapter.on_frame(frame(400.0), [_ended(400.0)], mat_state(400.0))
    adapter.on_frame(frame(400.0), [_ended(400.0)], mat_state(400.0))  # a replayed duplicate
    adapter.on_frame(frame(401.0), [SessionStarted(t=401.0, session=2, program="relax",
                                                   trigger="lie_down", target_s=None)],
                     mat_state(401.0))  # fmt: skip
    assert _targets(adapter.take_commands()) == [360.0]  # one stored session, one command
    [stored] = History(tmp_path / "h.sqlite").sessions()
    assert (stored.uid, stored.started_wall_s) == ("mat1_1800000100.000", 1_800_000_100.0)
    assert stored.ended_wall_s == 1_800_000_400.0
    assert stored.summary == _ended(400.0).summary  # every figure, as the event carried it
    adapter.close()


def test_without_the_beginner_program_the_adapter_sends_no_command(tmp_path: Path) -> None:
    adapter = HistoryAdapter(tmp_path / "h.sqlite", "mat1", WallAt())
    adapter.start()
    adapter.on_frame(frame(400.0), [_ended(400.0)], mat_state(400.0))
    assert adapter.take_commands() == []
    adapter.close()


def _lie(t: float, occupied: bool = True) -> Inputs:
    return Inputs(t=t, occupied=occupied, left_at=None, ready_lie=occupied, ready_stand=False,
                  uneven=False, imbalance=0.0, still=True)  # fmt: skip


def _apply(core: MatController, adapter: HistoryAdapter, t: float) -> list[Event]:
    """What the service does between frames: the adapter's commands through the core."""
    events: list[Event] = []
    replies: list[CommandResult] = []
    for request in adapter.take_commands():
        result, more = core.command(request.command, t)
        request.reply(result)
        replies.append(result)
        events += more
    assert all(r.ok for r in replies)
    return events


def test_each_completed_beginner_session_lengthens_the_next(tmp_path: Path) -> None:
    settings = CoreSettings(session=SessionSettings(program="beginner", grace_s=0.0))
    core = MatController(DEFAULT_LAYOUT, settings)
    wall_at = WallAt()
    wall_at.anchor(0.0, 1_800_000_000.0)
    adapter = HistoryAdapter(tmp_path / "h.sqlite", "mat1", wall_at, beginner=True)
    adapter.start()
    assert _apply(core, adapter, 0.0) == []  # 5 min already: nothing changed
    targets, changed, t = [], [], 0.0
    for _ in range(3):
        [started] = core.sessions.on_frame(_lie(t))
        assert isinstance(started, SessionStarted)
        targets.append(started.target_s)
        core.sessions.on_frame(_lie(t + 30 * 60))  # stays 30 min: completes any target
        events = core.sessions.on_frame(_lie(t + 30 * 60 + 1, occupied=False))
        events += core.sessions.on_frame(_lie(t + 30 * 60 + 2, occupied=False))
        adapter.on_frame(frame(t), events, mat_state(t))
        changed += _apply(core, adapter, t + 30 * 60 + 2)
        t += 3600.0
    assert targets == [300.0, 360.0, 420.0]
    grown = [
        (e.type, e.program, e.target_s) for e in changed if isinstance(e, ProgramTargetChanged)
    ]
    assert grown == [("program_target_changed", "beginner", s) for s in (360.0, 420.0, 480.0)]
    adapter.close()


def test_session_numbers_continue_after_the_highest_stored_across_restarts(
    tmp_path: Path,
) -> None:
    history = History(tmp_path / "h.sqlite")
    for n in (1, 4, 2):
        first = row(1000.0 * n)
        history.add(replace(first, summary=replace(first.summary, session=n)))
    other = row(9000.0)  # another mat's numbers are its own
    history.add(replace(other, uid="mat2:9000.000", mat_id="mat2",
                        summary=replace(other.summary, session=9)))  # fmt: skip
    assert (history.highest_session("mat1"), history.highest_session("nosuch")) == (4, 0)
    history.close()
    core = MatController(DEFAULT_LAYOUT, CoreSettings(session=SessionSettings(program="relax")))
    adapter = HistoryAdapter(tmp_path / "h.sqlite", "mat1", WallAt())
    adapter.start()
    assert _apply(core, adapter, 0.0) == []
    [started] = core.sessions.on_frame(_lie(1.0))
    assert isinstance(started, SessionStarted) and started.session == 5
    adapter.close()
    empty = HistoryAdapter(tmp_path / "new.sqlite", "mat1", WallAt())
    empty.start()
    assert empty.take_commands() == []  # nothing stored: numbering starts at 1
    empty.close()


# -- the table is derived from the summary -----------------------------------------------------


def test_the_columns_are_the_rows_own_then_every_summary_field(tmp_path: Path) -> None:
    own = ["uid", "mat_id", "started_wall_s", "ended_wall_s"]
    assert column_names() == own + [f.name for f in fields(SessionSummary)]
    History(tmp_path / "h.sqlite").close()
    db = sqlite3.connect(tmp_path / "h.sqlite")
    info = {r[1]: (r[2], bool(r[3])) for r in db.execute("PRAGMA table_info(sessions)")}
    db.close()
    assert info["completed"] == ("INTEGER", True)  # bool
    assert info["session"] == ("INTEGER", True)
    assert info["reason"] == ("TEXT", True)  # a Literal of strings
    assert info["duration_s"] == ("REAL", True)
    assert info["target_s"] == ("REAL", False)  # float | None
    assert info["still_fraction"] == ("REAL", False)


@dataclass(frozen=True, slots=True, kw_only=True)
class WithHeart(SessionSummary):
    """The summary as it would be after one more figure is added (the only edit it takes)."""

    heart_bpm: float | None = None
    calm: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class WithoutDefault(SessionSummary):
    pulse_bpm: float


def test_a_figure_added_to_the_summary_becomes_a_column_of_an_existing_database(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite"
    before = History(path)
    old = row(1000.0, bpm=(14.0, 12.0))
    before.add(old)
    before.close()
    # Read-only, an old file reads the new figures as their defaults and is not changed.
    reader = History(path, read_only=True, table=SessionTable(WithHeart))
    [seen] = reader.sessions()
    reader.close()
    assert seen.summary == WithHeart(**_figures(old.summary))
    assert "heart_bpm" not in _columns(path)
    # Opened for writing, it gains the columns; old rows hold the defaults, new rows the values.
    history = History(path, table=SessionTable(WithHeart))
    assert {"heart_bpm", "calm"} <= _columns(path)
    new = replace(row(5000.0), summary=WithHeart(**_figures(row(5000.0).summary), heart_bpm=61.0,
                                                 calm=True))  # fmt: skip
    assert history.add(new)
    first, second = history.sessions()
    history.close()
    assert isinstance(first.summary, WithHeart) and first.summary.heart_bpm is None
    assert first.summary.calm is False and second == new


def _figures(summary: SessionSummary) -> dict[str, Any]:
    return {f.name: getattr(summary, f.name) for f in fields(SessionSummary)}


def test_a_figure_added_without_a_default_is_refused_on_an_old_database(tmp_path: Path) -> None:
    path = old_db(tmp_path / "h.sqlite")
    with pytest.raises(TypeError, match="pulse_bpm"):
        History(path, table=SessionTable(WithoutDefault))
    # A new database has the column from the start: no old rows need a value.
    History(tmp_path / "new.sqlite", table=SessionTable(WithoutDefault)).close()


def test_a_file_without_the_sessions_table_is_not_a_history(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).close()
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    with pytest.raises(sqlite3.DatabaseError, match="uid"):
        History(path, read_only=True)
