"""Damaged state at start: a history that is not a database (or is malformed) is moved aside
under a timestamped name and a fresh one takes the sessions; a state directory that cannot be
used gets one clear line, then the mat runs without storing (or exits 2 when told to). The
service in-process, on a FakeClock; the process-level runs are in test_storage_process.py."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from controller.cli.run import serve
from controller.service.config import AppConfig, parse_config
from controller.storage.files import set_aside
from controller.storage.history import History
from controller.storage.history_adapter import HistoryAdapter
from controller.storage.sqlitefile import damage
from firmware.clock import FakeClock, WallAt
from tests.history.helpers import row
from tests.recovery.tinyfs import read_only_dir
from tests.report.test_recorder import WALL0, ended, frame, state

__all__ = ["read_only_dir"]  # the fixture
STAMP = "20251229T092000Z"  # FakeClock's wall time at 1767000000 s, in UTC


def _history_file(path: Path, rows: int = 40) -> tuple[bytes, int]:
    """A history of ``rows`` sessions, all in the main file; its bytes and the table's page."""
    history = History(path)
    for i in range(rows):
        history.add(row(WALL0 - 86400.0 * (i + 1)))
    history.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every row in the main file
    [(root,)] = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions'")
    db.close()
    return path.read_bytes(), int(root)


def _garbage(data: bytes, root_page: int) -> bytes:
    return b"these are not the sessions you are looking for\n" * 200


def _header_cut(data: bytes, root_page: int) -> bytes:
    return data[:50]


def _half(data: bytes, root_page: int) -> bytes:
    return data[: len(data) // 2]


def _scribbled(data: bytes, root_page: int) -> bytes:
    # The sessions table's root page, scribbled over past its header: a sound file header.
    page = 4096 * (root_page - 1)
    return data[: page + 8] + b"\xff" * 600 + data[page + 608 :]


Damage = Callable[[bytes, int], bytes]


@pytest.mark.parametrize("spoil", [_garbage, _header_cut, _half, _scribbled])
def test_a_damaged_history_is_moved_aside_and_a_fresh_one_keeps_the_sessions(
    tmp_path: Path, spoil: Damage, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite"
    spoiled = spoil(*_history_file(path))
    path.write_bytes(spoiled)
    (tmp_path / "history.sqlite-wal").unlink(missing_ok=True)
    assert damage(path) is not None
    clock = FakeClock(wall_start_s=1_767_000_000.0)
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    with caplog.at_level(logging.WARNING, logger="acumat.history"):
        adapter = HistoryAdapter(path, "mat1", wall_at, clock=clock)
        adapter.start()
        adapter.on_frame(frame(500.0), [ended(500.0, 1, 400.0)], state(500.0, None, False))
        adapter.close()
    [warning] = [r.getMessage() for r in caplog.records]
    aside = tmp_path / f"history.sqlite.damaged-{STAMP}"
    assert f"moved aside to {aside}" in warning
    assert aside.read_bytes() == spoiled  # kept as it was, for whoever wants to look
    assert stat.S_IMODE(aside.stat().st_mode) == 0o600
    assert [r.summary.session for r in History(path).sessions()] == [1]


@pytest.mark.parametrize("content", [None, b""])
def test_an_absent_or_empty_history_is_not_damaged(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "history.sqlite"
    if content is not None:
        path.write_bytes(content)
    assert damage(path) is None
    _history_file(path, rows=1)
    assert damage(path) is None


def test_a_history_that_cannot_be_opened_is_left_where_it_is(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.sqlite"
    path.mkdir()  # not damage: moving it would not help
    with caplog.at_level(logging.ERROR, logger="acumat.history"):
        adapter = HistoryAdapter(path, "mat1", WallAt(), clock=FakeClock())
        adapter.start()
    assert path.is_dir() and list(tmp_path.iterdir()) == [path]
    [error] = [r.getMessage() for r in caplog.records]
    assert error.startswith(f"writing the history {path}: ")


def test_a_second_file_set_aside_in_the_same_second_gets_its_own_name(tmp_path: Path) -> None:
    names = []
    for content in ("one", "two"):
        (tmp_path / "session.json").write_text(content)
        (tmp_path / "session.json-wal").write_text(content)
        names.append(set_aside(tmp_path / "session.json", 1_767_000_000.0).name)
    assert names == [f"session.json.damaged-{STAMP}", f"session.json.damaged-{STAMP}-2"]
    assert (tmp_path / f"{names[1]}-wal").read_text() == "two"  # the companion went along


def _config(state_dir: Path, **storage: object) -> AppConfig:
    return parse_config(
        {
            "source": {"kind": "simulate", "scenario": "short_absence"},
            "storage": {"dir": str(state_dir), **storage},
        }
    )


def _unusable_dirs(tmp_path: Path) -> dict[str, Path]:
    a_file = tmp_path / "a_file"
    a_file.write_text("not a directory")
    return {"missing parent": Path("/proc/nope"), "a file": a_file, "under a file": a_file / "x"}


@pytest.mark.parametrize("kind", ["missing parent", "a file", "under a file"])
def test_an_unusable_state_directory_runs_the_mat_without_storing(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    state_dir = _unusable_dirs(tmp_path)[kind]
    with caplog.at_level(logging.WARNING):
        assert serve(_config(state_dir), FakeClock()) == 0
    out = capsys.readouterr().out
    assert "session_ended" in out  # the mat worked
    assert "Before you use the mat" in out  # nowhere to remember them: shown each time
    [line] = [r.getMessage() for r in caplog.records]
    assert line.startswith(f"the state directory {state_dir} ")
    assert "running without storing" in line


def test_a_read_only_state_directory_runs_the_mat_without_storing(
    read_only_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert serve(_config(read_only_dir), FakeClock(), quiet=True) == 0
    [line] = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert "is not writable (Read-only file system)" in line
    assert os.listdir(read_only_dir) == []


def test_an_unusable_state_directory_can_be_told_to_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(Path("/proc/nope"), unusable="exit")
    assert serve(config, FakeClock(), quiet=True) == 2
    err = capsys.readouterr().err
    assert err == (
        "acumat: the state directory /proc/nope cannot be made (No such file or directory); "
        "exiting ([storage] unusable = 'exit')\n"
    )
