"""sd_notify over a real AF_UNIX datagram socket: messages, rate-limited watchdog, no-op."""

from __future__ import annotations

import itertools
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controller.service.sdnotify import Notifier, notify_address, watchdog_interval_s
from firmware.clock import FakeClock


@pytest.fixture
def listener() -> Iterator[tuple[socket.socket, str]]:
    # AF_UNIX paths are limited to 108 bytes: a short directory, not pytest's tmp_path.
    with tempfile.TemporaryDirectory(prefix="sd") as tmp:
        path = str(Path(tmp) / "notify")
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.bind(path)
        sock.settimeout(2.0)
        yield sock, path
        sock.close()


def _pending(sock: socket.socket) -> list[str]:
    sock.setblocking(False)
    got: list[str] = []
    try:
        while True:
            got.append(sock.recv(4096).decode())
    except BlockingIOError:
        return got
    finally:
        sock.settimeout(2.0)


def test_ready_stopping_status_reach_the_socket(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    notifier = Notifier(FakeClock(), {"NOTIFY_SOCKET": path})
    notifier.ready()
    notifier.status("lying\n12 min")
    notifier.stopping()
    assert [sock.recv(4096).decode() for _ in range(3)] == [
        "READY=1",
        "STATUS=lying 12 min",
        "STOPPING=1",
    ]
    notifier.close()


def test_abstract_socket_address() -> None:
    name = f"acumat-test-{uuid.uuid4().hex}"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind("\0" + name)
    sock.settimeout(2.0)
    try:
        Notifier(FakeClock(), {"NOTIFY_SOCKET": "@" + name}).ready()
        assert sock.recv(64) == b"READY=1"
    finally:
        sock.close()


def test_watchdog_is_rate_limited_to_half_the_interval(
    listener: tuple[socket.socket, str],
) -> None:
    sock, path = listener
    clock = FakeClock()
    notifier = Notifier(clock, {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "10000000"})
    assert notifier.watchdog_s == 10.0
    sent_at: list[float] = []
    for _ in range(300):  # 30 s of frames at 10 Hz
        notifier.watchdog()
        if _pending(sock) == ["WATCHDOG=1"]:
            sent_at.append(clock.monotonic())
        clock.advance(0.1)
    assert len(sent_at) == 6
    gaps = [b - a for a, b in itertools.pairwise(sent_at)]
    assert all(4.99 <= gap <= 5.11 for gap in gaps)


def test_no_watchdog_without_watchdog_usec(listener: tuple[socket.socket, str]) -> None:
    sock, path = listener
    notifier = Notifier(FakeClock(), {"NOTIFY_SOCKET": path})
    notifier.watchdog()
    notifier.ready()
    assert _pending(sock) == ["READY=1"]


def test_no_op_without_notify_socket() -> None:
    notifier = Notifier(FakeClock(), {"WATCHDOG_USEC": "1000000"})
    assert not notifier.enabled
    notifier.ready()
    notifier.watchdog()
    notifier.status("x")
    notifier.stopping()
    notifier.close()


def test_missing_socket_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    notifier = Notifier(FakeClock(), {"NOTIFY_SOCKET": "/nonexistent/acumat/notify"})
    notifier.ready()
    notifier.stopping()
    assert len([r for r in caplog.records if "cannot notify" in r.getMessage()]) == 1


def test_watchdog_for_another_pid_is_ignored() -> None:
    env = {"WATCHDOG_USEC": "2000000", "WATCHDOG_PID": str(os.getpid() + 1)}
    assert watchdog_interval_s(env) is None
    assert watchdog_interval_s({**env, "WATCHDOG_PID": str(os.getpid())}) == 2.0


@pytest.mark.parametrize("raw", ["", "0", "-5", "soon"])
def test_bad_watchdog_usec_means_no_watchdog(raw: str) -> None:
    assert watchdog_interval_s({"WATCHDOG_USEC": raw}) is None


def test_relative_notify_socket_is_refused() -> None:
    assert notify_address({"NOTIFY_SOCKET": "relative/path"}) is None
    assert notify_address({}) is None


@settings(max_examples=50, deadline=None)
@given(
    interval_s=st.floats(0.2, 120.0),
    steps_s=st.lists(st.floats(0.001, 5.0), min_size=1, max_size=60),
)
def test_pings_never_closer_than_half_interval(interval_s: float, steps_s: list[float]) -> None:
    clock = FakeClock()
    sent: list[float] = []
    with tempfile.TemporaryDirectory(prefix="sd") as tmp:
        path = str(Path(tmp) / "n")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(path)
            env = {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": str(int(interval_s * 1e6))}
            notifier = Notifier(clock, env)
            for step_s in steps_s:
                notifier.watchdog()
                sent.extend(clock.monotonic() for _ in _pending(sock))
                clock.advance(step_s)
            notifier.close()
    half_s = int(interval_s * 1e6) / 2e6
    assert sent[0] == 0.0
    assert all(b - a >= half_s - 1e-9 for a, b in itertools.pairwise(sent))
