"""Secrets handled with care: warnings for a readable password file and a clear-text password."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from controller.mqtt.client import BrokerClient
from controller.mqtt.config import PASSWORD_ENV, MqttConfig


def _warnings(config: MqttConfig, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="acumat.mqtt"):
        BrokerClient(config, client_id="t", will_topic=None, subscriptions=[], on_note=print)
    return [r.getMessage() for r in caplog.records]


def test_a_password_file_others_can_read_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "pass"
    secret.write_text("s3cret\n")
    config = MqttConfig(host="127.0.0.1", username="mat", password_file=secret)
    secret.chmod(0o644)
    [line] = _warnings(config, caplog)
    assert "can be read by every user (mode 644)" in line and "s3cret" not in line
    secret.chmod(0o640)  # a group for the service is fine
    assert _warnings(config, caplog) == []


def test_a_password_without_tls_to_another_host_is_warned_about_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "s3cret")
    [line] = _warnings(MqttConfig(host="broker.lan", username="mat"), caplog)
    assert line.startswith("the MQTT password goes to broker.lan without TLS")
    assert _warnings(MqttConfig(host="localhost", username="mat"), caplog) == []
    assert _warnings(MqttConfig(host="broker.lan"), caplog) == []  # no user, no password
