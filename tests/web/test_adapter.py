"""The web adapter on the service thread's side, with a fake clock: what reaches the hub and
when, commands in, and the loop's watch over the server thread.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from controller.core.commands import CommandResult, StopSession
from controller.core.events import Posture, PostureChanged
from controller.core.factory import build_controller
from controller.core.state import MatState, SessionSnapshot
from controller.mqtt.outbox import Outbox, stamper_without_mqtt
from controller.web.adapter import RESTART_EVERY_S, WebAdapter
from controller.web.config import WebConfig
from controller.web.hub import Hub, MakeState
from controller.wire.payloads import event_body, state_payload, with_seq
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.schema import parse
from tests.web.client import Client, wait_until


def make(tmp_path: Path, clock: FakeClock, **web: float) -> WebAdapter:
    core, wall_at = build_controller(DEFAULT_LAYOUT), WallAt()
    return WebAdapter(
        parse(WebConfig, {"listen": "127.0.0.1:0", **web}),
        token=None,
        mat_id="m1",
        mat_name="Mat",
        layout=DEFAULT_LAYOUT,
        programs=core.settings.session.programs,
        source_kind="simulate",
        clock=clock,
        wall_at=wall_at,
        history_path=tmp_path / "history.sqlite",
        calibration_path=tmp_path / "calibration.json",
        stamper=stamper_without_mqtt(tmp_path / "outbox.sqlite", "m1", wall_at, clock=clock),
    )


def state(t: float, posture: Posture = "lying") -> MatState:
    zones = dict.fromkeys(DEFAULT_LAYOUT.names, 10.0)
    session = SessionSnapshot(state="idle", program="relax")
    return MatState(t, posture, True, 60.0, dict(zones), 0.0, 0.25, 0.6, session)


LIES_DOWN = [PostureChanged(t=1.0, posture="lying", previous="empty")]


def frame(t: float) -> ZoneFrame:
    return ZoneFrame(t=t, load_kg=tuple(10.0 for _ in DEFAULT_LAYOUT.names))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_state_goes_out_at_most_at_the_configured_rate_unless_it_changes(
    tmp_path: Path, clock: FakeClock
) -> None:
    adapter = make(tmp_path, clock, state_rate_hz=2.0)
    published: list[str] = []
    real = adapter.hub.publish

    def publish(state: MakeState | None, events: Sequence[tuple[int, str]] = ()) -> None:
        if state is not None:
            published.append(state())
        real(state, events)

    adapter.hub.publish = publish  # type: ignore[method-assign]
    for i in range(10):  # 10 frames in 0.9 s at 2 Hz: 0, 0.4 and 0.8 s (0.8 of the period)
        adapter.on_frame(frame(i / 10), [], state(i / 10))
        clock.advance(0.1)
    assert len(published) == 3
    adapter.on_frame(frame(1.0), [], state(1.0, posture="sitting"))  # a change goes at once
    assert len(published) == 4
    assert json.loads(published[-1])["posture"] == "sitting"
    adapter.close()


def test_the_state_json_is_made_once_by_its_first_reader() -> None:
    hub, made = Hub(), []

    def make() -> str:
        made.append(1)
        return '{"n":1}'

    hub.publish(make)
    assert made == []  # nobody has looked: no JSON made
    assert [hub.wait(0, 0, 0).state for _ in range(3)] == ['{"n":1}'] * 3
    assert hub.state == '{"n":1}' and made == [1]
    assert hub.wait(0, 1, 0).state is None  # up to date: nothing to send


def test_events_are_stamped_as_mqtt_stamps_them(tmp_path: Path, clock: FakeClock) -> None:
    adapter = make(tmp_path, clock)
    events = [PostureChanged(t=1.0, posture="lying", previous="sitting")] * 2
    adapter.on_frame(frame(1.0), events, state(1.0))
    update = adapter.hub.wait(0, -1, 0)
    first, second = (seq for seq, _ in update.events)
    assert second == first + 1 and first % 2**32 == 1  # the outbox's numbering: a fresh block
    sent = json.loads(update.events[0][1])
    assert update.events[0][1] == with_seq(first, event_body(events[0], "m1", 1.0, sent["id"]))
    assert update.state == state_payload(state(1.0), "m1", 1.0)
    assert json.loads(update.events[1][1])["id"] != sent["id"]
    adapter.close()


def test_without_mqtt_the_numbering_goes_on_after_a_restart_and_keeps_no_event(
    tmp_path: Path, clock: FakeClock
) -> None:
    seqs = []
    for _run in range(2):
        adapter = make(tmp_path, clock)
        adapter.on_frame(frame(1.0), LIES_DOWN, state(1.0))
        seqs += [seq for seq, _ in adapter.hub.wait(0, -1, 0).events]
        adapter.close()
    assert seqs[1] == seqs[0] + 1
    outbox = Outbox(tmp_path / "outbox.sqlite", clock=clock)  # what MQTT would open
    assert len(outbox) == 0 and outbox.last_seq == seqs[1]
    outbox.close()


def test_a_numbering_that_fails_still_lets_the_state_out_and_is_reported(
    tmp_path: Path, clock: FakeClock
) -> None:
    adapter = make(tmp_path, clock)
    adapter._stamper.close()  # its database closed under it
    with pytest.raises(sqlite3.ProgrammingError):
        adapter.on_frame(frame(1.0), LIES_DOWN, state(1.0))
    update = adapter.hub.wait(0, -1, 0)
    assert update.events == () and update.state == state_payload(state(1.0), "m1", 1.0)
    adapter.close()


def test_a_command_reaches_the_loop_as_a_request_and_its_result_comes_back(
    tmp_path: Path, clock: FakeClock
) -> None:
    adapter = make(tmp_path, clock)
    answers: list[CommandResult] = []
    withdraw = adapter.api._submit(StopSession(), answers.append)
    [request] = adapter.take_commands()
    assert request.command == StopSession() and not withdraw()
    request.reply(CommandResult.failure("no session is running"))
    assert answers == [CommandResult.failure("no session is running")]
    adapter.close()


def test_a_command_the_loop_never_takes_is_withdrawn_and_answered_503(
    tmp_path: Path, clock: FakeClock
) -> None:
    adapter = make(tmp_path, clock)
    reply = adapter.api.command("stop", b"{}", timeout_s=0.01)
    assert reply.status == 503 and "not applied" in reply.body
    assert adapter.take_commands() == []  # never applied later either
    adapter.close()


def _crash(adapter: WebAdapter) -> None:
    def fail() -> None:
        raise RuntimeError("injected")

    adapter.server._http.service_actions = fail  # type: ignore[method-assign]


def _close_socket(adapter: WebAdapter) -> None:
    adapter.server._http.socket.close()


@pytest.mark.parametrize("fault", [_crash, _close_socket])
def test_the_loop_restarts_a_server_that_died(
    tmp_path: Path, clock: FakeClock, fault: Callable[[WebAdapter], None]
) -> None:
    adapter = make(tmp_path, clock)
    adapter.start()
    host, port = adapter.address
    adapter.on_frame(frame(0.0), [], state(0.0))
    assert Client(host, port).get("/api/state").status == 200
    first = adapter.server
    fault(adapter)
    thread = first._thread
    assert wait_until(lambda: not (first.listening and thread and thread.is_alive()))

    def restarted() -> bool:  # the kernel frees the old port once the old poll() returns
        clock.advance(RESTART_EVERY_S)
        adapter.on_frame(frame(clock.monotonic()), [], state(clock.monotonic()))
        return adapter.server is not first

    assert wait_until(restarted)
    assert adapter._thread is not None
    assert adapter._thread.is_alive() and adapter.address == (host, port)
    assert Client(host, port).get("/api/state").status == 200
    adapter.close()


def test_close_ends_every_stream(tmp_path: Path, clock: FakeClock) -> None:
    adapter = make(tmp_path, clock)
    adapter.start()
    adapter.on_frame(frame(0.0), [], state(0.0))
    host, port = adapter.address
    stream = Client(host, port).events()
    assert stream.next().event == "state"
    ended = threading.Event()

    def read() -> None:
        try:
            while True:
                stream.next()
        except (EOFError, OSError):
            ended.set()

    threading.Thread(target=read, daemon=True).start()
    adapter.close()
    assert ended.wait(5), "the stream stayed open after close()"
