"""A full disk, on a real (tiny) file system: the finished session's row is kept, recordings
give way first, and each failure is said once with its cause, then at most once a minute.

The adapters run in-process on a FakeClock; the disk is a real 2 MB tmpfs (tinyfs.py), so the
errors are the kernel's ``ENOSPC`` and SQLite's ``SQLITE_FULL``, not imitations.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from controller.core.events import SessionStarted
from controller.storage.history import History
from controller.storage.history_adapter import HistoryAdapter
from controller.storage.recorder import SessionRecorder, events_path, recordings
from controller.storage.recordings import RecordingFiles
from controller.storage.trouble import Trouble
from firmware.clock import FakeClock, WallAt
from firmware.framefile import open_frames
from firmware.layout import DEFAULT_LAYOUT
from tests.recovery.tinyfs import TinyFs, tiny_fs
from tests.report.test_recorder import WALL0, ended, frame, play_session, state

__all__ = ["tiny_fs"]  # the fixture


def _wall_at() -> WallAt:
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    return wall_at


def _lines(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == level]


def test_a_failure_is_said_at_once_then_once_a_minute_then_that_it_works_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    trouble = Trouble(logging.getLogger("acumat.test"), "cannot write x", clock)
    with caplog.at_level(logging.INFO, logger="acumat.test"):
        for _ in range(600):  # a minute of frames at 10 Hz
            trouble.failed(OSError(28, "No space left on device", "/state/x"))
            clock.advance(0.1)
        trouble.failed(OSError(28, "No space left on device", "/state/x"))
        trouble.ok()
        trouble.ok()
    assert _lines(caplog, logging.ERROR) == [
        "cannot write x: [Errno 28] No space left on device: /state/x",
        "cannot write x: [Errno 28] No space left on device: /state/x"
        " (failed 599 more times since the last line)",
    ]
    assert _lines(caplog, logging.INFO) == ["cannot write x: works again after 601 failures"]


def _recorder(folder: Path, clock: FakeClock, min_free_bytes: int) -> SessionRecorder:
    rec = SessionRecorder(folder, "mat1", DEFAULT_LAYOUT, _wall_at(), min_free_bytes=min_free_bytes,
                          clock=clock)  # fmt: skip
    rec.start()
    return rec


def test_recordings_give_way_oldest_first_to_keep_the_free_space(tiny_fs: TinyFs) -> None:
    folder = tiny_fs.root / "sessions"
    rec = _recorder(folder, FakeClock(), min_free_bytes=600_000)
    for n in (1, 2, 3):
        play_session(rec, n, t0=1000.0 * n, frames_n=1000)  # ~0.2 MB each
    first, second, third = recordings(folder)
    tiny_fs.fill(leave_bytes=700_000)
    play_session(rec, 4, t0=4000.0, frames_n=1000)
    kept = recordings(folder)
    assert first not in kept and kept[:2] == [second, third]  # the oldest went, only it
    assert len(kept) == 3 and events_path(kept[-1]).read_text().rstrip().endswith("}")
    assert [e["type"] for e in _events(kept[-1])][-1] == "session_ended"  # the new one is whole
    assert tiny_fs.free_bytes() >= 600_000 - 8192  # at most a flush below the line


def _events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in events_path(path).read_text().splitlines()]


def test_without_room_the_recording_stops_says_why_and_gives_way_to_the_next(
    tiny_fs: TinyFs, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tiny_fs.root / "sessions"
    rec = _recorder(folder, FakeClock(), min_free_bytes=500_000)
    tiny_fs.fill(leave_bytes=700_000)
    with caplog.at_level(logging.INFO, logger="acumat.recorder"):
        play_session(rec, 1, t0=100.0, frames_n=3000)  # ~0.6 MB: more than there is room for
        [stopped] = recordings(folder)
        _, frames = open_frames(stopped)  # readable, every line whole
        assert 100 < len(list(frames)) < 3000
        last = _events(stopped)[-1]
        assert (last["type"], last["reason"]) == ("recording_stopped", "disk_space")
        assert tiny_fs.free_bytes() >= 500_000 - 8192
        play_session(rec, 2, t0=1000.0, frames_n=100)  # the stopped one goes for it
    [path] = recordings(folder)
    assert path != stopped and _events(path)[-1]["type"] == "session_ended"
    [warning] = _lines(caplog, logging.WARNING)
    assert "stopped" in warning and "min_free_mb" in warning


def test_a_failed_write_leaves_the_file_at_its_last_whole_line(tiny_fs: TinyFs) -> None:
    path = tiny_fs.root / "r.jsonl"
    files = RecordingFiles(path, 0.0, append=False)
    files.frames.write('{"first": 1}\n')
    files.flush()
    tiny_fs.fill(leave_bytes=0)
    for i in range(2000):
        files.frames.write(json.dumps({"frame": i, "pad": "x" * 100}) + "\n")
    with pytest.raises(OSError, match="No space left"):
        files.flush()
    files.close()
    assert path.read_text() == '{"first": 1}\n'


def test_a_recording_that_meets_a_full_disk_goes_and_is_said_once(
    tiny_fs: TinyFs, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tiny_fs.root / "sessions"
    rec = _recorder(folder, FakeClock(), min_free_bytes=0)  # no free-space check: the disk fills
    tiny_fs.fill(leave_bytes=30_000)
    with caplog.at_level(logging.INFO, logger="acumat.recorder"):
        play_session(rec, 1, t0=100.0, frames_n=3000)
    assert recordings(folder) == []  # the unfinished one went, leaving the room to the history
    [error] = _lines(caplog, logging.ERROR)
    assert "No space left on device" in error


def _history(path: Path, clock: FakeClock, rec: SessionRecorder | None = None) -> HistoryAdapter:
    adapter = HistoryAdapter(path, "mat1", _wall_at(), clock=clock,
                             make_room=None if rec is None else rec.make_room)  # fmt: skip
    adapter.start()
    return adapter


def test_a_finished_session_gets_the_room_of_the_recordings(tiny_fs: TinyFs) -> None:
    clock = FakeClock()
    rec = _recorder(tiny_fs.root / "sessions", clock, min_free_bytes=0)
    play_session(rec, 1, t0=100.0, frames_n=1000)
    tiny_fs.fill(leave_bytes=0)
    history = _history(tiny_fs.root / "history.sqlite", clock, rec)  # made in a recording's room
    history.on_frame(frame(500.0), [ended(500.0, 2, 400.0)], state(500.0, 2, False))
    assert history.waiting == []
    history.close()
    [row] = History(tiny_fs.root / "history.sqlite").sessions()
    assert row.summary.session == 2
    assert recordings(tiny_fs.root / "sessions") == []


def test_a_row_waits_while_the_disk_is_full_and_is_stored_when_room_returns(
    tiny_fs: TinyFs, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    path = tiny_fs.root / "history.sqlite"
    tiny_fs.fill(leave_bytes=0)
    with caplog.at_level(logging.INFO, logger="acumat.history"):
        history = _history(path, clock)
        for i in range(95):  # 9.5 s of frames: tried at start, with the row, 5 s later
            events = [ended(500.0, 1, 400.0)] if i == 0 else []
            history.on_frame(frame(500.0 + i / 10), events, state(500.0 + i / 10, None, False))
            clock.advance(0.1)
        assert len(history.waiting) == 1
        tiny_fs.empty()
        clock.advance(5.0)
        history.on_frame(frame(520.0), [], state(520.0, None, False))
    assert history.waiting == []
    history.close()
    assert [r.summary.session for r in History(path).sessions()] == [1]
    [error] = _lines(caplog, logging.ERROR)
    assert "database or disk is full" in error or "No space left" in error
    assert _lines(caplog, logging.INFO) == [f"writing the history {path}: works again "
                                            "after 3 failures"]  # fmt: skip


def test_a_row_that_never_fits_goes_to_the_log_whole_at_stop(
    tiny_fs: TinyFs, caplog: pytest.LogCaptureFixture
) -> None:
    tiny_fs.fill(leave_bytes=0)
    history = _history(tiny_fs.root / "history.sqlite", FakeClock())
    history.on_frame(frame(500.0), [ended(500.0, 7, 400.0)], state(500.0, None, False))
    with caplog.at_level(logging.ERROR, logger="acumat.history"):
        history.close()
    [line] = [m for m in _lines(caplog, logging.ERROR) if m.startswith("session not stored")]
    stored = json.loads(line.split(": ", 1)[1])
    assert stored["uid"] == f"mat1_{WALL0 + 400.0:.3f}" and stored["session"] == 7
    assert stored["duration_s"] == 100.0


def test_a_recordings_folder_that_cannot_be_made_is_said_once_and_nothing_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path / "sessions"
    folder.write_text("a file where the folder should be")
    with caplog.at_level(logging.INFO, logger="acumat.recorder"):
        rec = _recorder(folder, FakeClock(), min_free_bytes=100)
        for n in (1, 2):
            play_session(rec, n, t0=1000.0 * n, frames_n=300)
        assert rec.make_room() == 0
        rec.close()
    [error] = [r.getMessage() for r in caplog.records]
    assert error.startswith(f"writing session recordings in {folder}: [Errno 17] File exists")


def test_a_restored_session_never_loses_its_own_recording_to_make_room(tiny_fs: TinyFs) -> None:
    """The recording a restored session continues is not a finished one to delete: when the
    older ones are not room enough, its recording stays as it was (readable, header first)."""
    folder = tiny_fs.root / "sessions"
    rec = _recorder(folder, FakeClock(), min_free_bytes=500_000)
    play_session(rec, 1, t0=100.0, frames_n=1000)  # an older, finished recording (~0.2 MB)
    start = SessionStarted(t=1000.0, session=2, program="relax", trigger="lie_down", target_s=None)
    rec.on_frame(frame(1000.0), [start], state(1000.0, 2, True))
    for i in range(1, 300):
        rec.on_frame(frame(1000.0 + i / 10), [], state(1000.0 + i / 10, 2, True))
    rec.close()  # the service stops mid-session
    older, unfinished = recordings(folder)
    tiny_fs.fill(leave_bytes=250_000)  # deleting the older one alone leaves it short
    again = _recorder(folder, FakeClock(), min_free_bytes=500_000)
    for i in range(50):  # the restarted service, the same session restored
        again.on_frame(frame(1100.0 + i / 10), [], state(1100.0 + i / 10, 2, True))
    again.close()
    assert recordings(folder) == [unfinished] and not older.exists()
    header, frames = open_frames(unfinished)  # still a recording, from its header on
    assert header.extra["recording"]["session"] == 2
    assert [f.t for f in frames][-1] < 1100.0  # not continued: there was no room
