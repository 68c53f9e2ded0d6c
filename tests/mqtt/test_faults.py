"""MQTT faults against a real mosquitto: retained and empty commands, connects that fail and
say why, a mat id in use, an outbox that overflows, oversized commands."""

from __future__ import annotations

import json
import logging
import os
import signal
from pathlib import Path

import pytest

from controller.core.commands import CommandRequest, PauseSession, StartSession
from controller.core.events import PostureChanged, Tared
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import PASSWORD_ENV
from controller.mqtt.inbox import retained_error
from firmware.clock import FakeClock
from tests.mqtt.broker import Broker, Recorder, free_port, wait_until
from tests.mqtt.conftest import (
    MAT1,
    AdapterFactory,
    frame,
    local,
    mat_state,
    started,
    with_users,
)

pytestmark = pytest.mark.broker


def _results(recorder: Recorder, name: str) -> list[dict[str, object]]:
    return [json.loads(m.payload) for m in recorder.on(MAT1.result(name))]


def _lines(caplog: pytest.LogCaptureFixture, level: int = logging.WARNING) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= level]


def _taken(adapter: MqttAdapter) -> list[CommandRequest]:
    """What the service thread would take, once something is there."""
    taken: list[CommandRequest] = []

    def some() -> bool:
        taken.extend(adapter.take_commands())
        return bool(taken)

    assert wait_until(some)
    return taken


# --- retained and empty commands -------------------------------------------------------


def test_a_retained_command_is_answered_with_how_to_clear_it_and_never_run(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    # Published hours ago with -r: the broker hands it to acumat at every connect.
    recorder.client.publish(MAT1.command("start"), '{"transaction": 9}', qos=1, retain=True)
    adapter = started(make_adapter())
    recorder.wait_for(lambda _ms: len(_results(recorder, "start")) >= 1)
    result = _results(recorder, "start")[0]
    # its transaction is echoed, so the sender can tell which of its commands is refused
    assert result["status"] == "error" and result["transaction"] == 9
    assert result["error"] == retained_error(MAT1.command("start"))
    assert "mosquitto_pub -r -n -t acumat/mat1/cmd/start" in str(result["error"])
    recorder.publish(MAT1.command("start"), '{"transaction": 10}')  # a live one still works
    taken = _taken(adapter)
    assert [r.command for r in taken] == [StartSession()]


def test_clearing_a_retained_command_sends_an_empty_payload_that_is_ignored(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    adapter = started(make_adapter())
    recorder.client.publish(MAT1.command("stop"), b"", qos=1, retain=True).wait_for_publish(5)
    recorder.publish(MAT1.command("stop"), b"")
    recorder.publish(MAT1.command("pause"), b"{}")  # in order after the empty ones
    taken = _taken(adapter)
    assert [r.command for r in taken] == [PauseSession()]  # the empty stops never ran
    assert _results(recorder, "stop") == []  # nor were they answered


# --- connects that fail ----------------------------------------------------------------


def _first_failure(adapter: MqttAdapter, caplog: pytest.LogCaptureFixture) -> str:
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        adapter.start()
        assert wait_until(lambda: any("mqtt: " in line for line in _lines(caplog)), 10)
    assert not adapter.connected.is_set()
    [line] = [line for line in _lines(caplog) if line.startswith("mqtt: ")]
    return line


def test_a_refused_port_is_said_at_once_then_once_a_minute(
    make_adapter: AdapterFactory, caplog: pytest.LogCaptureFixture
) -> None:
    adapter = make_adapter(port=free_port(), reconnect_min_s=1, reconnect_max_s=1)
    line = _first_failure(adapter, caplog)
    assert line.startswith("mqtt: cannot connect: connection refused: nothing listens on")
    assert adapter.status.current.state == "unreachable"
    assert wait_until(lambda: adapter._link._failing.held >= 2, 10)  # two more attempts
    assert len([x for x in _lines(caplog) if x.startswith("mqtt: ")]) == 1
    assert isinstance(adapter._clock, FakeClock)
    adapter._clock.advance(60.0)
    assert wait_until(lambda: len([x for x in _lines(caplog) if x.startswith("mqtt: ")]) == 2, 10)
    assert "more since the last line" in _lines(caplog)[-1]


def test_an_unknown_host_is_said(
    make_adapter: AdapterFactory, caplog: pytest.LogCaptureFixture
) -> None:
    line = _first_failure(make_adapter(host="no-such-host.invalid"), caplog)
    assert line.startswith("mqtt: cannot connect: host name not found: no-such-host.invalid")


def test_wrong_credentials_are_said_as_a_refusal(
    make_adapter: AdapterFactory,
    broker: Broker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with_users(broker, tmp_path)
    monkeypatch.setenv(PASSWORD_ENV, "wrong-password-xyz")
    adapter = make_adapter(username="mat")
    line = _first_failure(adapter, caplog)
    assert line.startswith("mqtt: the broker refused the connection: ")
    assert "wrong-password-xyz" not in caplog.text
    assert adapter.status.status_text().startswith("mqtt refused: ")


def _tls_broker(broker: Broker, ca: Path) -> None:
    broker.stop()
    broker.extra_conf = (
        f"allow_anonymous true\ncafile {ca}/ca.crt\ncertfile {ca}/server.crt\n"
        f"keyfile {ca}/server.key\n"
    )
    broker.start()


def test_a_broker_certificate_that_does_not_verify_is_said(
    make_adapter: AdapterFactory, broker: Broker, test_ca: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _tls_broker(broker, test_ca)
    adapter = make_adapter(tls_ca=str(test_ca / "client.crt"))  # not the CA that signed it
    line = _first_failure(adapter, caplog)
    assert line.startswith("mqtt: cannot connect: TLS verification of 127.0.0.1 failed: ")


def test_tls_against_a_plain_port_is_said(
    make_adapter: AdapterFactory, test_ca: Path, caplog: pytest.LogCaptureFixture
) -> None:
    line = _first_failure(make_adapter(tls_ca=str(test_ca / "ca.crt")), caplog)
    assert "TLS" in line and "port" in line, line


def test_a_plain_connect_to_a_tls_port_is_said(
    make_adapter: AdapterFactory, broker: Broker, test_ca: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _tls_broker(broker, test_ca)
    line = _first_failure(make_adapter(), caplog)
    assert "closed the connection before answering: is it a TLS port" in line, line


# --- two mats, one id ------------------------------------------------------------------


def test_two_mats_with_one_id_are_reported_and_never_share_a_seq(
    make_adapter: AdapterFactory,
    recorder: Recorder,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fast = {"reconnect_min_s": 1, "reconnect_max_s": 1}
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        one = started(make_adapter(state_dir=tmp_path / "one", **fast))
        two = make_adapter(state_dir=tmp_path / "two", **fast)
        two.start()
        for i in range(5):
            for adapter in (one, two):
                adapter.on_frame(frame(i), [Tared(t=i, offsets_kg={})], mat_state(t=i))
        assert wait_until(lambda: "is in use" in caplog.text, 20)
    line = next(x for x in _lines(caplog) if "is in use" in x)
    assert line.startswith("mat id 'mat1' is in use: another client connects as acumat-mat1")
    assert "in_use" in {one.status.current.state, two.status.current.state}
    assert wait_until(lambda: len(one.outbox) == 0 and len(two.outbox) == 0, 20)
    ids_by_seq: dict[int, set[str]] = {}
    for m in recorder.on(MAT1.event):
        event = json.loads(m.payload)
        ids_by_seq.setdefault(event["seq"], set()).add(event["id"])
    assert len(ids_by_seq) == 10  # two outboxes, two blocks: ten different seq
    assert all(len(ids) == 1 for ids in ids_by_seq.values())


# --- the outbox bound ------------------------------------------------------------------


def test_dropped_counts_exactly_the_seq_no_consumer_sees_and_is_in_the_state(
    make_adapter: AdapterFactory, broker: Broker, recorder: Recorder
) -> None:
    adapter = started(make_adapter(outbox_max_events=10, max_inflight=1))
    assert broker.process is not None
    os.kill(broker.process.pid, signal.SIGSTOP)  # the broker hangs: publishes stay unacked
    try:
        adapter.on_frame(frame(0), [PostureChanged(t=0, posture="lying", previous="sitting")],
                         mat_state())  # fmt: skip
        assert wait_until(lambda: adapter._delivery.sent_upto > 0)  # in paho's hands, never acked
        # The window is full (max_inflight 1): the other 15 wait in the outbox, 6 too many.
        for i in range(1, 16):
            event = PostureChanged(t=i, posture="lying", previous="sitting")
            adapter.on_frame(frame(i), [event], mat_state(t=i))
    finally:
        os.kill(broker.process.pid, signal.SIGCONT)
    assert adapter.outbox.dropped == 6
    assert wait_until(lambda: len(adapter.outbox) == 0, 10)
    recorder.wait_for(lambda _ms: len(recorder.on(MAT1.event)) >= 10)
    seen = {local(json.loads(m.payload)["seq"]) for m in recorder.on(MAT1.event)}
    assert 16 - len(seen) == adapter.outbox.dropped  # the gap is what the count says
    adapter.on_frame(frame(20), [], mat_state(t=20, posture="sitting", load_kg=50.0))
    recorder.wait_for(lambda _ms: any(b'"sitting"' in m.payload for m in recorder.on(MAT1.state)))
    assert json.loads(recorder.on(MAT1.state)[-1].payload)["dropped"] == 6


# --- command size ----------------------------------------------------------------------


@pytest.mark.parametrize("protocol", ["5", "3.1.1"])
def test_oversized_commands_are_refused_and_mqtt5_never_receives_huge_ones(
    make_adapter: AdapterFactory, recorder: Recorder, broker: Broker, protocol: str
) -> None:
    started(make_adapter(protocol=protocol, max_packet_bytes=65_536))
    recorder.publish(MAT1.command("tare"), b'{"transaction": "' + b"x" * 10_000 + b'"}')
    recorder.publish(MAT1.command("start"), b" " * 200_000)  # over the packet bound
    recorder.publish(MAT1.command("stop"), b'{"bogus": 1}')  # answered at once, in order
    recorder.wait_for(lambda _ms: len(_results(recorder, "stop")) >= 1)
    [tare] = _results(recorder, "tare")
    assert tare["status"] == "error" and "payload over 4096 bytes" in str(tare["error"])
    if protocol == "5":  # the broker kept it from acumat: no answer is possible
        assert _results(recorder, "start") == []
    else:  # 3.1.1 cannot ask: it arrives, and is answered
        assert wait_until(lambda: len(_results(recorder, "start")) == 1)
