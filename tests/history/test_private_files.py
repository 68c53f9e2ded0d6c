"""Files with personal data are owner-only whatever the umask: the history (and SQLite's -wal
and -shm beside it), the recordings and their folder, the session journal. Files an older
acumat left wider are narrowed when they are next opened."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.service.journal import SessionJournal
from controller.storage.history_adapter import HistoryAdapter
from controller.storage.recorder import SessionRecorder
from firmware.clock import FakeClock, WallAt
from firmware.layout import DEFAULT_LAYOUT
from tests.recovery.test_journal import _saved
from tests.report.test_recorder import WALL0, ended, frame, play_session, state


@pytest.fixture(params=[0o022, 0o000, 0o277], ids=["umask 022", "umask 000", "umask 277"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _store_and_record(state_dir: Path) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    history = HistoryAdapter(state_dir / "history.sqlite", "mat1", wall_at, clock=FakeClock())
    history.start()
    history.on_frame(frame(500.0), [ended(500.0, 1, 400.0)], state(500.0, None, False))
    recorder = SessionRecorder(state_dir / "sessions", "mat1", DEFAULT_LAYOUT, wall_at)
    recorder.start()
    play_session(recorder, 1, t0=100.0)
    journal = SessionJournal(state_dir / "session.json", wall_at, clock=FakeClock())
    journal.close(_saved())
    history.close()  # the -wal and -shm stay while the connection is open: look before this
    recorder.close()


def test_personal_files_are_owner_only_whatever_the_umask(tmp_path: Path, umask: int) -> None:
    state_dir = tmp_path / "state"
    _store_and_record(state_dir)
    files = [p for p in state_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"history.sqlite", "session.json"}
    assert sum(p.suffix == ".jsonl" for p in files) == 2  # frames and events
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert _mode(state_dir / "sessions") == 0o700
    assert _mode(state_dir) == 0o700  # made by acumat: owner-only too


def test_the_history_s_wal_and_shm_are_owner_only_while_it_is_open(
    tmp_path: Path, umask: int
) -> None:
    adapter = HistoryAdapter(tmp_path / "history.sqlite", "mat1", WallAt(), clock=FakeClock())
    adapter.start()
    adapter.on_frame(frame(500.0), [ended(500.0, 1, 400.0)], state(500.0, None, False))
    companions = [tmp_path / f"history.sqlite{s}" for s in ("-wal", "-shm")]
    assert [_mode(p) for p in companions] == [0o600, 0o600]
    adapter.close()


def test_files_an_older_acumat_left_readable_to_all_are_narrowed(tmp_path: Path) -> None:
    state_dir = tmp_path / "state"
    _store_and_record(state_dir)
    for path in state_dir.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    _store_and_record(state_dir)
    wide = [p for p in state_dir.rglob("*") if _mode(p) & 0o077]
    assert wide == []
