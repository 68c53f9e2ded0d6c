"""A throwaway mosquitto for the tests, and a recording subscriber (test support, real I/O).

``Broker`` writes its own configuration (anonymous; password file + ACL; TLS with a CA made
by openssl in the test), listens on a free loopback port, and can be stopped and started
again on the same port. ``Recorder`` is a real paho client that keeps what it receives.
Waiting is always on a condition with a short timeout, never a fixed sleep.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
STEP_S = 0.01


def wait_until(predicate: Callable[[], bool], timeout_s: float = 5.0) -> bool:
    """Polls ``predicate`` every 10 ms for at most ``timeout_s`` (no wall clock needed)."""
    pause = threading.Event()
    for _ in range(int(timeout_s / STEP_S) + 1):
        if predicate():
            return True
        pause.wait(STEP_S)
    return predicate()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def _as_me() -> str:
    # As root mosquitto drops to user "mosquitto", who cannot read pytest's 0700 tmp dirs.
    return "user root\n" if os.geteuid() == 0 else ""


@dataclass
class Broker:
    workdir: Path
    extra_conf: str = "allow_anonymous true\n"
    port: int = field(default_factory=free_port)
    persistent: bool = False
    process: subprocess.Popen[bytes] | None = None

    @property
    def conf_path(self) -> Path:
        return self.workdir / "mosquitto.conf"

    @property
    def log_path(self) -> Path:
        return self.workdir / "mosquitto.log"

    def start(self) -> Broker:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.conf_path.write_text(
            f"listener {self.port} 127.0.0.1\n{self._persistence()}"
            f"log_dest stderr\nlog_type all\n{_as_me()}{self.extra_conf}"
        )
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [MOSQUITTO, "-c", str(self.conf_path)], stdout=log, stderr=log
            )
        if not wait_until(lambda: _accepts(self.port) or self._died(), 10.0) or self._died():
            raise RuntimeError(f"mosquitto did not start: {self.log_path.read_text()[-2000:]}")
        return self

    def _persistence(self) -> str:
        if not self.persistent:
            return "persistence false\n"
        return f"persistence true\npersistence_location {self.workdir}/\n"

    def _died(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def stop(self) -> None:
        """SIGTERM; a mosquitto still there 10 s later (seen once under load) is killed."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Received:
    topic: str
    payload: bytes
    retain: bool
    qos: int


class Recorder:
    """A subscriber that records every message; ``wait_for`` blocks until one matches."""

    def __init__(
        self,
        port: int,
        topics: list[str],
        *,
        username: str | None = None,
        password: str | None = None,
        v5: bool = True,
        client_id: str = "",
    ) -> None:
        self.messages: list[Received] = []
        self._cond = threading.Condition()
        self._subscribed = threading.Event()
        proto = MQTTProtocolVersion.MQTTv5 if v5 else MQTTProtocolVersion.MQTTv311
        # A fixed client id with a persistent session keeps QoS 1 messages across an outage.
        self.client = paho.Client(
            CallbackAPIVersion.VERSION2,
            client_id=client_id,
            protocol=proto,
            clean_session=None if v5 else not client_id,
        )
        if username:
            self.client.username_pw_set(username, password)
        self.client.on_message = self._on_message
        self.client.on_connect = lambda c, _u, _f, _rc, _p: c.subscribe([(t, 1) for t in topics])
        self.client.on_subscribe = lambda *_a: self._subscribed.set()
        self.client.connect("127.0.0.1", port)
        self.client.loop_start()
        if not self._subscribed.wait(5):
            raise RuntimeError("recorder could not subscribe")

    def _on_message(self, _c: object, _u: object, msg: paho.MQTTMessage) -> None:
        with self._cond:
            self.messages.append(Received(msg.topic, bytes(msg.payload), msg.retain, msg.qos))
            self._cond.notify_all()

    def on(self, topic: str) -> list[Received]:
        with self._cond:
            return [m for m in self.messages if m.topic == topic]

    def wait_for(
        self, predicate: Callable[[list[Received]], bool], timeout_s: float = 5.0
    ) -> list[Received]:
        with self._cond:
            if not self._cond.wait_for(lambda: predicate(self.messages), timeout_s):
                topics = sorted({m.topic for m in self.messages})
                raise AssertionError(f"timed out; got {len(self.messages)} on {topics}")
            return list(self.messages)

    def publish(self, topic: str, payload: bytes | str, qos: int = 1) -> None:
        self.client.publish(topic, payload, qos=qos).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()
