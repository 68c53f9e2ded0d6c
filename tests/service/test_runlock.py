"""One service per state directory: the run lock (controller/service/runlock.py), in process and
between real ``acumat run`` processes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from controller.cli.run import serve
from controller.service.config import parse_config
from controller.service.paths import StatePaths
from controller.service.runlock import RunLock, StateDirBusyError
from firmware.clock import FakeClock

STARTED = "INFO acumat: mat "  # the service's first log line: lock held, source open


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    first, second = RunLock(tmp_path / "acumat.lock"), RunLock(tmp_path / "acumat.lock")
    first.acquire()
    with pytest.raises(StateDirBusyError) as refused:
        second.acquire()
    assert refused.value.holder_pid == os.getpid()
    assert f"pid {os.getpid()}" in str(refused.value)
    first.release()
    second.acquire()  # free again once the first lets go
    second.release()


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "acumat.lock"
    script = (
        "import time; from pathlib import Path; from controller.service.runlock import RunLock;"
        f"lock = RunLock(Path({str(path)!r})); lock.acquire(); print('held', flush=True);"
        "time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with pytest.raises(StateDirBusyError):
            RunLock(path).acquire()
    finally:
        holder.kill()  # SIGKILL: no clean-up runs
        holder.wait()
    assert path.exists()  # the file stays behind ...
    lock = RunLock(path)
    lock.acquire()  # ... and blocks nothing
    lock.release()


def test_the_real_mat_and_each_simulated_mat_id_have_their_own_lock(tmp_path: Path) -> None:
    real = StatePaths.for_source(tmp_path, False, "hall").run_lock
    demo_a = StatePaths.for_source(tmp_path, True, "a").run_lock
    demo_b = StatePaths.for_source(tmp_path, True, "b").run_lock
    assert len({real, demo_a, demo_b}) == 3
    assert real.parent == tmp_path  # the one journal, the calibration: one service


@contextmanager
def _service(state_dir: Path) -> Iterator[subprocess.Popen[str]]:
    """A real ``acumat run --simulate`` on ``state_dir``, past its start."""
    argv = [sys.executable, "-m", "controller", "run", "--simulate", "--quiet"]
    proc = subprocess.Popen(
        [*argv, "--state-dir", str(state_dir)], stderr=subprocess.PIPE, text=True
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if STARTED in line:
                break
        yield proc
    finally:
        proc.kill()
        proc.wait()


def test_a_second_run_on_the_same_state_directory_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {"source": {"kind": "simulate", "scenario": "short_absence"},
         "storage": {"dir": str(tmp_path)}}
    )  # fmt: skip
    with _service(tmp_path) as first:
        assert first.poll() is None
        assert serve(config, FakeClock()) == 2
    err = capsys.readouterr().err
    assert f"another acumat (pid {first.pid}) is running on this state directory" in err
    assert "sudo systemctl stop acumat" in err and len(err.strip().splitlines()) == 1
    journal = StatePaths.for_source(tmp_path, True, "mat1").journal
    assert not journal.exists()  # refused before it touched anything
