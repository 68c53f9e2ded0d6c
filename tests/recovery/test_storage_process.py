"""Storage faults against the real process: ``acumat run --simulate short_absence`` on a
nearly full file system (a real 2 MB tmpfs), over a damaged history and session journal, and
with a state directory it cannot use (a file, /proc/nope, a read-only mount).

Each run is one 10-minute session simulated at ``SPEED`` (about 2 s). What must hold: the
session's history row is there (``acumat history`` shows it), the log has a handful of lines
with the real cause and no traceback, and the mat runs (exit 0) unless told to exit.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.service.paths import StatePaths
from controller.storage.history import History
from controller.storage.recorder import events_path, recordings
from tests.recovery.tinyfs import TinyFs, read_only_dir, tiny_fs

__all__ = ["read_only_dir", "tiny_fs"]  # the fixtures
SPEED = 500
RUN_ANYWAY = '[storage]\nunusable = "run"\n'  # what the installed config leaves as default


def acumat_run(state_dir: Path, *extra: str, config: str = "", env: dict[str, str] | None = None,
               config_dir: Path | None = None) -> subprocess.CompletedProcess[str]:  # fmt: skip
    args = [sys.executable, "-m", "controller", "run", "--simulate", "short_absence"]
    args += ["--speed", str(SPEED), "--state-dir", str(state_dir), "--quiet", *extra]
    if config:
        path = (config_dir or state_dir.parent) / "acumat.toml"
        path.write_text(config)
        args += ["--config", str(path)]
    return subprocess.run(args, capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, **(env or {})})  # fmt: skip


def storage_lines(done: subprocess.CompletedProcess[str]) -> list[str]:
    """What the run logged, but for the one line per event."""
    lines = (done.stdout + done.stderr).splitlines()
    return [line for line in lines if "acumat.events" not in line]


def test_a_nearly_full_disk_keeps_the_session_and_sheds_the_recording(tiny_fs: TinyFs) -> None:
    state = tiny_fs.root / "state"
    tiny_fs.fill(leave_bytes=400_000)  # the recording of this session is ~1.5 MB
    done = acumat_run(state, config="[storage]\nmin_free_mb = 0.2\n")
    assert done.returncode == 0, done.stderr
    data = StatePaths.for_source(state, simulated=True)  # a simulated run's own files
    [row] = History(data.history).sessions()
    assert row.summary.reason == "left_mat" and row.summary.duration_s > 500
    [recording] = recordings(data.recordings)
    events = events_path(recording).read_text().splitlines()
    assert json.loads(events[-1])["type"] == "recording_stopped"
    log = storage_lines(done)
    assert "Traceback" not in done.stderr and len(log) <= 5, log
    [stopped] = [line for line in log if "WARNING" in line]
    assert "stopped" in stopped and "kept free ([storage] min_free_mb)" in stopped
    assert tiny_fs.free_bytes() >= 200_000 - 8192


def test_a_full_disk_gives_the_recording_s_room_to_the_session(tiny_fs: TinyFs) -> None:
    state = tiny_fs.root / "state"
    tiny_fs.fill(leave_bytes=300_000)  # and no free-space margin: the recording fills it
    done = acumat_run(state, config="[storage]\nmin_free_mb = 0\n")
    assert done.returncode == 0, done.stderr
    data = StatePaths.for_source(state, simulated=True)
    [row] = History(data.history).sessions()
    assert row.summary.reason == "left_mat"
    assert recordings(data.recordings) == []  # it went for the row
    log = storage_lines(done)
    errors = [line for line in log if "ERROR" in line]
    assert "Traceback" not in done.stderr and 1 <= len(errors) <= 3, log
    assert all("No space left on device" in e or "disk is full" in e for e in errors)


def test_a_damaged_history_and_journal_are_moved_aside_and_the_mat_starts(tmp_path: Path) -> None:
    top = tmp_path / "state"
    paths = StatePaths.for_source(top, simulated=True, mat_id="mat1")  # a simulated run's own
    state = paths.root
    state.mkdir(parents=True)
    (state / "history.sqlite").write_bytes(os.urandom(8192))
    paths.journal.write_text('{"version": 2, "number": "three", "elapsed_s": []}')
    done = acumat_run(top)
    assert done.returncode == 0, done.stderr
    assert len(History(state / "history.sqlite").sessions()) == 1
    names = sorted(p.name.split(".damaged-")[0] for p in state.glob("*.damaged-*"))
    assert names == ["history.sqlite", "session-mat1.json"]
    warnings = [line for line in storage_lines(done) if "WARNING" in line]
    assert len(warnings) == 2 and "Traceback" not in done.stderr
    assert any("history.sqlite is damaged (file is not a database)" in w for w in warnings)


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[socket.socket]:
    """A stand-in for systemd's notify socket: what the service tells its supervisor."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(tmp_path / "notify"))
    sock.settimeout(0)
    yield sock
    sock.close()


def _told(sock: socket.socket) -> list[str]:
    said = []
    while True:
        try:
            said.append(sock.recv(4096).decode())
        except BlockingIOError:
            return said


@pytest.mark.parametrize("kind", ["a file", "/proc/nope", "read-only"])
def test_an_unusable_state_directory_runs_the_mat_and_says_so_once(
    kind: str, tmp_path: Path, notify_socket: socket.socket, request: pytest.FixtureRequest
) -> None:
    if kind == "a file":
        state = tmp_path / "state"
        state.write_text("a file, not a directory")
    elif kind == "/proc/nope":
        state = Path("/proc/nope")
    else:
        state = request.getfixturevalue("read_only_dir")
    done = acumat_run(
        state,
        config=RUN_ANYWAY,
        config_dir=tmp_path,
        env={"NOTIFY_SOCKET": str(tmp_path / "notify")},
    )
    assert done.returncode == 0, done.stderr
    [warning] = [line for line in storage_lines(done) if "WARNING" in line]
    assert f"the state directory {state} " in warning and "running without storing" in warning
    assert "Traceback" not in done.stderr
    assert "STATUS=running without storing" in _told(notify_socket)


def test_a_state_directory_typed_on_the_command_line_that_cannot_be_used_is_exit_2(
    tmp_path: Path,
) -> None:
    done = acumat_run(Path("/proc/nope"))
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert line.startswith("acumat: the state directory /proc/nope ") and "exiting" in line


def test_told_to_exit_an_unusable_state_directory_is_exit_2_with_one_line(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.write_text("a file, not a directory")
    done = acumat_run(state, config='[storage]\nunusable = "exit"\n')
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"acumat: the state directory {state} is not a directory; exiting "
        "([storage] unusable = 'exit')"
    ]
