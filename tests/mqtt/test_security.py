"""Password + ACL and TLS (a CA made in the test) against a real mosquitto."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from controller.core.events import Tared
from controller.mqtt.config import PASSWORD_ENV, MqttConfig
from firmware.schema import parse
from tests.mqtt.broker import Broker, Recorder, wait_until
from tests.mqtt.conftest import MAT1, AdapterFactory, frame, mat_state, started, with_users

pytestmark = pytest.mark.broker


def test_password_from_file_and_acl(
    make_adapter: AdapterFactory, broker: Broker, tmp_path: Path
) -> None:
    with_users(broker, tmp_path)
    secret = tmp_path / "mqtt.pass"
    secret.write_text("s3cret pass\n")
    ha = Recorder(broker.port, ["acumat/#"], username="ha", password="hapass")
    adapter = started(make_adapter(username="mat", password_file=str(secret)))
    adapter.on_frame(frame(0), [Tared(t=0, offsets_kg={})], mat_state())
    ha.wait_for(lambda ms: any(m.topic == MAT1.event for m in ms))
    assert "s3cret" not in repr(adapter.config) and "s3cret" not in broker.log()
    ha.close()


def test_password_from_the_environment(
    make_adapter: AdapterFactory, broker: Broker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_users(broker, tmp_path)
    monkeypatch.setenv(PASSWORD_ENV, "s3cret pass")
    started(make_adapter(username="mat"))


def test_a_wrong_password_is_refused_logged_and_never_connected(
    make_adapter: AdapterFactory,
    broker: Broker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with_users(broker, tmp_path)
    monkeypatch.setenv(PASSWORD_ENV, "wrong-password-xyz")
    adapter = make_adapter(username="mat")
    with caplog.at_level(logging.INFO, logger="acumat.mqtt"):
        adapter.start()
        assert wait_until(lambda: "refused the connection" in caplog.text)
    assert not adapter.connected.is_set()
    assert "wrong-password-xyz" not in caplog.text


@pytest.mark.parametrize("protocol", ["3.1.1", "5"])
def test_tls_with_client_certificate(
    make_adapter: AdapterFactory, broker: Broker, test_ca: Path, protocol: str
) -> None:
    plain_port = broker.port
    broker.stop()
    broker.extra_conf = (
        f"allow_anonymous true\ncafile {test_ca}/ca.crt\ncertfile {test_ca}/server.crt\n"
        f"keyfile {test_ca}/server.key\nrequire_certificate true\n"
    )
    broker.start()
    adapter = make_adapter(
        protocol=protocol,
        tls_ca=str(test_ca / "ca.crt"),
        tls_cert=str(test_ca / "client.crt"),
        tls_key=str(test_ca / "client.key"),
    )
    started(adapter)
    assert broker.port == plain_port  # the same listener, now TLS only
    assert "New client connected" in broker.log()


def test_tls_config_rules() -> None:
    with pytest.raises(ValueError, match="tls_cert and tls_key go together"):
        parse(MqttConfig, {"tls_ca": "ca", "tls_cert": "c"})
    with pytest.raises(ValueError, match="password_file needs username"):
        parse(MqttConfig, {"password_file": "p"})
