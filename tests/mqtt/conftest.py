"""Fixtures for the MQTT suite: a private mosquitto per test, a test CA, adapters and states."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from controller.core.state import MatState, SessionSnapshot
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import MqttConfig
from controller.mqtt.topics import MatTopics
from controller.service.paths import StatePaths
from firmware.clock import Clock, FakeClock, WallAt
from firmware.faults import FaultReason
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.schema import parse
from tests.mqtt.broker import Broker, Recorder, wait_until

PROGRAMS = ("energy", "relax", "sleep")


def local(seq: int) -> int:
    """A ``seq`` within its outbox's block (a new outbox starts at a random block of 2**32:
    its first event is local 1)."""
    return seq % 2**32


MAT1 = MatTopics("acumat", "mat1")


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker").start()
    yield b
    b.stop()


@pytest.fixture
def recorder(broker: Broker) -> Iterator[Recorder]:
    r = Recorder(broker.port, ["acumat/#", "homeassistant/#"])
    yield r
    r.close()


def mat_state(
    t: float = 0.0,
    *,
    posture: Any = "empty",
    session_state: Any = "idle",
    elapsed_s: float = 0.0,
    load_kg: float = 0.0,
    uneven: bool = False,
    faults: dict[str, FaultReason] | None = None,
) -> MatState:
    names = DEFAULT_LAYOUT.names
    return MatState(
        t=t,
        posture=posture,
        occupied=posture != "empty",
        load_kg=load_kg,
        zones_kg={n: load_kg / len(names) for n in names},
        imbalance=0.1 if load_kg else None,
        cop_x_m=None,
        cop_y_m=None,
        session=SessionSnapshot(state=session_state, program="relax", elapsed_s=elapsed_s),
        uneven=uneven,
        uneven_side="left" if uneven else None,
        faults=faults or {},
    )


def frame(t: float) -> ZoneFrame:
    return ZoneFrame(t=t, load_kg=tuple(0.0 for _ in DEFAULT_LAYOUT.names))


AdapterFactory = Callable[..., MqttAdapter]


def adapter_for(
    config: MqttConfig,
    mat_id: str,
    state_dir: Path,
    clock: Clock,
    *,
    wall_at: WallAt | None = None,
    programs: Sequence[str] = PROGRAMS,
) -> MqttAdapter:
    """An adapter as ``acumat run`` builds one; frames here start at ``t`` 0, so without a
    ``wall_at`` frame time 0 is anchored at the clock's now (the service anchors at its first
    frame)."""
    if wall_at is None:
        wall_at = WallAt()
        wall_at.anchor(0.0, clock.wall())
    paths = StatePaths(state_dir)
    return MqttAdapter(
        config,
        mat_id=mat_id,
        mat_name=f"Mat {mat_id}",
        layout=DEFAULT_LAYOUT,
        programs=programs,
        clock=clock,
        wall_at=wall_at,
        outbox_path=paths.outbox(mat_id),
        history_path=paths.history,
    )


@pytest.fixture
def make_adapter(broker: Broker, tmp_path: Path) -> Iterator[AdapterFactory]:
    made: list[MqttAdapter] = []

    def make(
        mat_id: str = "mat1",
        state_dir: Path | None = None,
        wall_at: WallAt | None = None,
        **cfg: Any,
    ) -> MqttAdapter:
        config = parse(
            MqttConfig, {"host": "127.0.0.1", "port": broker.port, "close_timeout_s": 2.0, **cfg}
        )
        state_dir = state_dir or tmp_path / f"state-{mat_id}"
        adapter = adapter_for(config, mat_id, state_dir, FakeClock(), wall_at=wall_at)
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        if adapter._worker.is_alive():
            adapter.close()


def started(adapter: MqttAdapter) -> MqttAdapter:
    adapter.start()
    assert wait_until(adapter.connected.is_set), "adapter did not connect"
    return adapter


def with_users(broker: Broker, tmp_path: Path) -> None:
    """Restarts ``broker`` with passwords and an ACL: user ``mat`` (``s3cret pass``) owns
    ``acumat/mat1/#``; user ``ha`` (``hapass``) reads ``acumat/#``."""
    passwd, acl = tmp_path / "passwd", tmp_path / "acl"
    passwd.touch()
    for user, password in (("mat", "s3cret pass"), ("ha", "hapass")):
        subprocess.run(["mosquitto_passwd", "-b", str(passwd), user, password], check=True)
    acl.write_text(
        "user mat\ntopic readwrite acumat/mat1/#\ntopic readwrite homeassistant/#\n"
        "user ha\ntopic read acumat/#\ntopic readwrite homeassistant/#\n"
    )
    broker.stop()
    broker.extra_conf = f"allow_anonymous false\npassword_file {passwd}\nacl_file {acl}\n"
    broker.start()


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _signed(name: str, cn: str, cwd: Path) -> None:
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={cn}",
             cwd=cwd)  # fmt: skip
    (cwd / f"{name}.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
             "-CAcreateserial", "-out", f"{name}.crt", "-days", "2", "-extfile", f"{name}.ext",
             cwd=cwd)  # fmt: skip


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, a server certificate for 127.0.0.1 and a client certificate, made now."""
    d = tmp_path_factory.mktemp("ca")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
             "-subj", "/CN=acumat test CA", cwd=d)  # fmt: skip
    _signed("server", "localhost", d)
    _signed("client", "acumat-client", d)
    return d
