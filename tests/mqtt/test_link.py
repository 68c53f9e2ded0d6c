"""What a failed or lost connection says, and when (no broker: ``Link`` on a fake clock)."""

from __future__ import annotations

import logging
import socket
import ssl
from dataclasses import replace
from pathlib import Path

import pytest

from controller.mqtt.client import is_loopback
from controller.mqtt.config import MqttConfig
from controller.mqtt.link import TAKEOVER_SUSPECT, Link
from controller.mqtt.notes import failure_reason
from controller.mqtt.status import BrokerState, BrokerStatus
from controller.storage.trouble import Every

CONFIG = MqttConfig(host="broker.lan", port=1883)


def _link(config: MqttConfig = CONFIG) -> Link:
    return Link(config, "acumat-mat1", "mat1", BrokerStatus())


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def test_every_says_the_first_at_once_then_once_a_period_with_the_count() -> None:
    every = Every(60.0)
    said = [(t, every.due(t)) for t in range(0, 200, 5)]
    assert [(t, held) for t, held in said if held is not None] == [(0, 0), (60, 11), (120, 11),
                                                                   (180, 11)]  # fmt: skip
    every.reset()
    assert every.due(181) == 0


def test_a_failing_connect_is_said_at_once_then_once_a_minute(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = _link()
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        for attempt in range(40):  # paho retries every 1..30 s; here every 2 s for 80 s
            link.failed(attempt * 2.0, "connection refused: nothing listens on broker.lan:1883")
    lines = _errors(caplog)
    assert len(lines) == 2
    assert lines[0] == ("mqtt: cannot connect: connection refused: nothing listens on "
                        "broker.lan:1883; retrying")  # fmt: skip
    assert lines[1].endswith("(and 29 more since the last line)")
    assert link.status.current == BrokerState(
        "unreachable", "connection refused: nothing listens on broker.lan:1883"
    )


def test_a_refusal_is_said_with_its_reason_and_its_closing_socket_is_no_news(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = _link()
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.failed(0.0, "Not authorized", refused=True)
        link.disconnected(0.1, "Unspecified error", taken_over=False)
    assert _errors(caplog) == ["mqtt: the broker refused the connection: Not authorized; retrying"]
    assert link.status.status_text() == "mqtt refused: Not authorized"


def test_a_connection_closed_before_any_answer_hints_at_a_tls_port(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = _link()
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.disconnected(0.0, "Unspecified error", taken_over=False)
    assert "closed the connection before answering: is it a TLS port" in _errors(caplog)[0]


def test_connected_after_being_told_down_is_said_and_the_status_follows(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = _link()
    assert link.status.status_text() == "mqtt connecting"
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.failed(0.0, "timed out connecting to broker.lan:1883")
        link.connected(5.0)
        link.disconnected(500.0, "Unspecified error", taken_over=False)
    assert link.status.status_text() == "mqtt connecting: connection lost: Unspecified error"
    messages = [r.getMessage() for r in caplog.records]
    assert messages[1] == "connected to broker.lan:1883"
    assert messages[2] == "disconnected from the broker (Unspecified error); reconnecting"
    assert not link.in_use  # one long connection lost: a broker restart, not a take-over


def test_short_connections_in_a_row_mean_the_mat_id_is_in_use(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = _link()
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        for n in range(10):  # another acumat-mat1 takes the id back every second
            link.connected(n * 2.0)
            link.disconnected(n * 2.0 + 1.0, "Unspecified error", taken_over=False)
    assert link.in_use
    in_use = [line for line in _errors(caplog) if "is in use" in line]
    assert len(in_use) == 1  # once a minute, not once a take-over
    assert in_use[0].startswith("mat id 'mat1' is in use: another client connects as acumat-mat1")
    lost = [line for line in _errors(caplog) if line.startswith("disconnected")]
    assert len(lost) == 1  # before the pattern was clear
    assert link.status.current.state == "in_use"
    link.failed(30.0, "connection refused: nothing listens on broker.lan:1883")
    assert not link.in_use  # the broker went away: that is not a take-over


def test_mqtt5_session_taken_over_is_certain_at_once(caplog: pytest.LogCaptureFixture) -> None:
    link = _link()
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.connected(0.0)
        link.disconnected(600.0, "Session taken over", taken_over=True)
    assert link.in_use and TAKEOVER_SUSPECT > 1
    assert "the broker says it was taken over" in _errors(caplog)[0]


def _cert_error(message: str) -> ssl.SSLCertVerificationError:
    exc = ssl.SSLCertVerificationError(1, message)
    exc.verify_message = message
    return exc


@pytest.mark.parametrize(
    ("exc", "tls", "expected"),
    [
        (ConnectionRefusedError(111, "Connection refused"), False,
         "connection refused: nothing listens on broker.lan:1883"),
        (socket.gaierror(-2, "Name or service not known"), False,
         "host name not found: broker.lan (Name or service not known)"),
        (TimeoutError("timed out"), False, "timed out connecting to broker.lan:1883"),
        (_cert_error("unable to get local issuer certificate"), True,
         "TLS verification of broker.lan failed: unable to get local issuer certificate"),
        (ConnectionResetError(104, "Connection reset by peer"), True,
         "broker.lan:1883 reset the TLS handshake: is it a plain (non-TLS) MQTT port?"),
        (ConnectionResetError(104, "Connection reset by peer"), False,
         "cannot connect to broker.lan:1883: Connection reset by peer"),
    ],
)  # fmt: skip
def test_failure_reasons_say_what_to_fix(exc: OSError, tls: bool, expected: str) -> None:
    config = replace(CONFIG, tls_ca=Path("ca.crt") if tls else None)
    assert failure_reason(exc, config) == expected


def test_loopback_hosts() -> None:
    assert all(map(is_loopback, ["localhost", "127.0.0.1", "127.8.0.1", "::1", "[::1]"]))
    assert not any(map(is_loopback, ["broker.lan", "10.0.0.2", "192.168.1.5", "mqtt"]))
