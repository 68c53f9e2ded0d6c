"""One client factory: only controller/mqtt/client.py imports paho, and ``acumat monitor``'s
watch connects through it with the service's password, TLS and refusal handling."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from controller.mqtt.client import MqttSetupError
from controller.mqtt.config import PASSWORD_ENV, MqttConfig
from controller.mqtt.watch import MqttWatch
from firmware.schema import parse
from tests.mqtt.broker import Broker, wait_until
from tests.mqtt.conftest import AdapterFactory, frame, mat_state, started, with_users

ROOT = Path(__file__).parents[2]


def _paho_importers() -> list[str]:
    found = []
    for path in sorted([*ROOT.glob("controller/**/*.py"), *ROOT.glob("firmware/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            if any(name == "paho" or name.startswith("paho.") for name in names):
                found.append(path.relative_to(ROOT).as_posix())
                break
    return found


def test_only_the_client_module_imports_paho() -> None:
    assert _paho_importers() == ["controller/mqtt/client.py"]


def _config(broker: Broker, **fields: object) -> MqttConfig:
    return parse(MqttConfig, {"host": "127.0.0.1", "port": broker.port, **fields})


def test_the_watch_will_not_start_with_an_unreadable_password_file(tmp_path: Path) -> None:
    config = MqttConfig(username="ha", password_file=tmp_path / "missing")
    with pytest.raises(MqttSetupError, match=r"cannot read mqtt\.password_file"):
        MqttWatch(config, "mat1").start()


@pytest.mark.broker
def test_the_watch_says_why_the_broker_refused_it(
    make_adapter: AdapterFactory, broker: Broker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_users(broker, tmp_path)
    wrong = tmp_path / "wrong"
    wrong.write_text("wrong-password-xyz\n")
    monkeypatch.setenv(PASSWORD_ENV, "s3cret pass")
    started(make_adapter(username="mat"))  # the mat, online
    refused = MqttWatch(_config(broker, username="mat", password_file=str(wrong)), "mat1")
    welcome = MqttWatch(_config(broker, username="mat"), "mat1")
    try:
        refused.start()
        welcome.start()
        assert wait_until(lambda: refused.problem is not None and welcome.availability == "online")
        assert str(refused.problem).startswith("broker refused the connection: ")
        assert "wrong-password-xyz" not in str(refused.problem)
        assert refused.availability == "unknown" and welcome.problem is None
    finally:
        refused.close()
        welcome.close()


@pytest.mark.broker
def test_the_watch_reads_a_mat_over_tls_with_a_client_certificate(
    make_adapter: AdapterFactory, broker: Broker, test_ca: Path
) -> None:
    broker.stop()
    broker.extra_conf = (
        f"allow_anonymous true\ncafile {test_ca}/ca.crt\ncertfile {test_ca}/server.crt\n"
        f"keyfile {test_ca}/server.key\nrequire_certificate true\n"
    )
    broker.start()
    tls = {"tls_ca": str(test_ca / "ca.crt"), "tls_cert": str(test_ca / "client.crt"),
           "tls_key": str(test_ca / "client.key")}  # fmt: skip
    adapter = started(make_adapter(**tls))
    state = mat_state(t=3.0, posture="lying", load_kg=48.0)
    adapter.on_frame(frame(3.0), [], state)
    watch = MqttWatch(_config(broker, **tls), "mat1")
    try:
        watch.start()  # after the publish: the retained state arrives on subscribe
        assert wait_until(lambda: watch.state is not None)
        assert watch.state == state and watch.availability == "online"
        assert watch.problem is None
    finally:
        watch.close()
