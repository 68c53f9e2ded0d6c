"""A broker that takes the TCP connection and never answers (hung, or a network path that loses
what follows the handshake, as a Wi-Fi drop does): said as that, not as a TLS port."""

from __future__ import annotations

import logging

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.reasoncodes import ReasonCode

from controller.mqtt.client import reason_text
from controller.mqtt.config import MqttConfig
from controller.mqtt.link import Link
from controller.mqtt.status import BrokerStatus

CONFIG = MqttConfig(host="broker.lan", port=1883)


def test_a_broker_that_never_answers_the_connect_is_not_called_a_tls_port(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = Link(CONFIG, "acumat-mat1", "mat1", BrokerStatus())
    # What paho hands on_disconnect when no CONNACK came within the keepalive.
    keepalive = reason_text(ReasonCode(PacketTypes.DISCONNECT, "Keep alive timeout"))
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.disconnected(0.0, keepalive, taken_over=False)
        link.disconnected(10.0, keepalive, taken_over=False)
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "mqtt: cannot connect: broker.lan:1883 took the connection but never answered within "
        "keepalive_s: a broker that hangs, or a network that loses what follows the handshake; "
        "retrying"
    ]
    assert link.status.current.state == "unreachable"


def test_a_connection_closed_before_the_answer_still_asks_about_tls(
    caplog: pytest.LogCaptureFixture,
) -> None:
    link = Link(CONFIG, "acumat-mat1", "mat1", BrokerStatus())
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        link.disconnected(0.0, "Unspecified error", taken_over=False)
    [line] = [r.getMessage() for r in caplog.records]
    assert line.endswith("closed the connection before answering: is it a TLS port (then set "
                         "mqtt.tls_ca)?; retrying")  # fmt: skip
