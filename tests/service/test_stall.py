"""A source that stops delivering frames: ``source_stalled`` reaches the adapters although
``source.frames()`` is blocked, commands are still answered, and the watchdog goes hungry so
that systemd restarts a service that stays stalled.

The source blocks on a ``threading.Event`` the test holds; time is a ``FakeClock`` the test
moves. The only real waiting is bounded: for the loop's thread to notice (it looks every
``wait_s`` = 5 ms) and for it to end.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from controller.core.commands import SelectProgram
from controller.core.controller import MatController
from controller.core.events import SessionPaused, SourceStalled
from controller.service.loop import Lifecycle, Service
from controller.service.sdnotify import Notifier
from firmware.clock import FakeClock
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from tests.service.fakes import Delivery, FakeAdapter, ListSource, RecordingLifecycle, empty_frames

WAIT_S = 5.0  # the most any step may take before the test fails (it takes milliseconds)
LYING = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)


def stalled_events(adapter: FakeAdapter) -> list[tuple[float, SourceStalled]]:
    return [
        (d.frame.t, e) for d in adapter.deliveries for e in d.events if isinstance(e, SourceStalled)
    ]


class Watch:
    """Sets an event when a delivery matches (called on the loop's thread)."""

    def __init__(self) -> None:
        self.stalled = threading.Event()
        self.resumed = threading.Event()

    def __call__(self, delivery: Delivery) -> None:
        for event in delivery.events:
            if isinstance(event, SourceStalled):
                (self.stalled if event.active else self.resumed).set()


@contextmanager
def running(svc: Service) -> Iterator[threading.Thread]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            svc.run()
        except BaseException as exc:  # handed to the test's thread
            errors.append(exc)

    thread = threading.Thread(target=run, name="service-under-test")
    thread.start()
    try:
        yield thread
    finally:
        source = svc.source
        if isinstance(source, ListSource):
            source.gate.set()
        svc.stop()
        thread.join(WAIT_S)
    assert not thread.is_alive(), "the service did not end"
    assert not errors, errors


def gated(
    frames: list[ZoneFrame],
    gate_at: float,
    lifecycle: Lifecycle,
    *adapters: FakeAdapter,
    clock: FakeClock | None = None,
) -> tuple[Service, ListSource, FakeClock]:
    clock = clock or FakeClock()
    source = ListSource(frames, clock=clock, gate_at=gate_at)
    svc = Service(
        core=MatController(DEFAULT_LAYOUT),
        source=source,
        adapters=adapters,
        lifecycle=lifecycle,
        clock=clock,
        wait_s=0.005,
    )
    return svc, source, clock


def test_a_silent_source_raises_source_stalled_and_its_return_clears_it() -> None:
    frames = empty_frames(400)  # 40 s at 10 Hz; the source hangs at 20 s for 33 s
    watch = Watch()
    adapter = FakeAdapter("a", on_delivery=watch)
    lifecycle = RecordingLifecycle()
    svc, source, clock = gated(frames, 20.0, lifecycle, adapter)
    with running(svc) as thread:
        assert source.reached.wait(WAIT_S)
        clock.advance(4.9)  # not yet a stall
        assert not watch.stalled.wait(0.05)
        clock.advance(0.2)
        assert watch.stalled.wait(WAIT_S)
        fed = lifecycle.calls.count("watchdog")
        clock.advance(28.0)
        source.clock_offset_s = 33.1  # the frames after the hang carry their own time
        source.gate.set()
        assert watch.resumed.wait(WAIT_S)
        thread.join(WAIT_S)

    [(at, stalled), (then, resumed)] = stalled_events(adapter)
    assert (at, stalled.t, stalled.active) == (19.9, 19.9, True)  # with the latest frame
    assert stalled.stalled_s == pytest.approx(5.1)
    assert (then, resumed.t, resumed.active) == (20.0, 20.0, False)  # with the frame ending it
    assert resumed.stalled_s == pytest.approx(33.1 + 0.1)
    assert fed == 200  # one per frame before the hang, none while it lasted
    assert lifecycle.calls.count("watchdog") == 400
    assert len({d.frame.t for d in adapter.deliveries}) == 400


def test_commands_are_answered_while_the_source_is_silent() -> None:
    answered = threading.Event()

    def on_delivery(delivery: Delivery) -> None:
        if any(e.type == "program_selected" for e in delivery.events):
            answered.set()

    adapter = FakeAdapter("a", on_delivery=on_delivery)
    svc, source, clock = gated(empty_frames(100), 5.0, RecordingLifecycle(), adapter)
    with running(svc):
        assert source.reached.wait(WAIT_S)
        adapter.send(SelectProgram("sleep"))
        clock.advance(1.0)  # no stall yet: commands do not wait for one
        assert answered.wait(WAIT_S)
        assert [(cmd, result.ok) for cmd, result in adapter.replies] == [
            (SelectProgram("sleep"), True)
        ]
        assert adapter.deliveries[-1].frame.t == 4.9  # at the latest frame's time
        assert adapter.deliveries[-1].state.session.program == "sleep"


def test_a_session_is_paused_at_the_last_frame_before_a_stall_and_resumed_after_it() -> None:
    """A live source dates its frames by the clock, so the frame after a hang shows the gap:
    the core needs no word of the stall to keep it out of the session."""
    lying = [ZoneFrame(t=i / 10, load_kg=LYING) for i in range(1200)]  # 2 min lying
    live = [
        f if f.t < 60.0 else ZoneFrame(t=round(f.t + 30.0, 1), load_kg=f.load_kg) for f in lying
    ]
    watch = Watch()
    adapter = FakeAdapter("a", on_delivery=watch)
    svc, source, clock = gated(live, 90.0, RecordingLifecycle(), adapter)
    with running(svc) as thread:
        assert source.reached.wait(WAIT_S)
        clock.advance(30.0)  # the source hangs for 30 s: shorter than grace_s
        assert watch.stalled.wait(WAIT_S)
        source.gate.set()
        thread.join(WAIT_S)
    kinds = [(d.frame.t, e.type) for d in adapter.deliveries for e in d.events]
    assert (59.9, "source_stalled") in kinds
    at_return = [kind for t, kind in kinds if t == 90.0]
    assert at_return == ["source_stalled", "session_paused", "session_resumed"]
    [paused] = [e for e in adapter.events() if isinstance(e, SessionPaused)]
    started = next(e.t for e in adapter.events() if e.type == "session_started")
    assert paused.reason == "no_frames"
    assert paused.elapsed_s == pytest.approx(59.9 - started)
    session = adapter.deliveries[-1].state.session
    assert session.state == "running"
    assert session.elapsed_s == pytest.approx(lying[-1].t - started - 0.1, abs=0.11)


# -- the watchdog, over systemd's own notify socket --------------------------------------------
@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    path = str(tmp_path / "notify")
    if len(path) > 100:  # AF_UNIX paths are short
        pytest.skip("temporary directory path too long for a unix socket")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.0)
    yield path, sock
    sock.close()


def received(sock: socket.socket) -> list[str]:
    out = []
    while True:
        try:
            out.append(sock.recv(4096).decode())
        except BlockingIOError:
            return out


def test_the_watchdog_starves_while_the_source_is_stalled(
    notify_socket: tuple[str, socket.socket],
) -> None:
    path, sock = notify_socket
    watch = Watch()
    adapter = FakeAdapter("a", on_delivery=watch)
    frames = empty_frames(600)  # 60 s; the source hangs at 20 s
    clock = FakeClock()
    notifier = Notifier(clock, {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
    svc, source, _ = gated(frames, 20.0, notifier, adapter, clock=clock)
    with running(svc) as thread:
        assert source.reached.wait(WAIT_S)
        before = received(sock)
        clock.advance(31.0)  # past WatchdogSec=30 s after the last ping (at 15 s)
        assert watch.stalled.wait(WAIT_S)
        during = received(sock)
        source.clock_offset_s = 31.1
        source.gate.set()
        thread.join(WAIT_S)
    after = received(sock)
    notifier.close()

    assert before == ["READY=1", "WATCHDOG=1", "WATCHDOG=1"]  # at 0 s and 15 s (half of 30)
    assert during == []  # systemd's 30 s run out at 45 s: it restarts the service
    assert after[:1] == ["WATCHDOG=1"] and after[-1] == "STOPPING=1"
