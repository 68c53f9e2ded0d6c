"""``acumat monitor``'s view of a mat through its MQTT topics (I/O: a broker connection).

``MqttWatch`` subscribes to the mat's ``state``, ``zones`` and ``availability`` and keeps the
latest view; the newer ``zones`` message (2 Hz) overrides the state's loads. It connects
through the same ``BrokerClient`` as the service (same password, TLS, backoff, refusals), with
no last will and a client id the broker chooses: watching must never mark the mat offline nor
take the mat's own connection over. What is wrong with the connection is kept in ``problem``
for the screen to show (a terminal that is redrawn in place has no room for log lines), and
why the last connect attempt failed in ``unreachable`` (a host name not found, a refused port):
a watcher that only says "cannot reach the broker" leaves the user guessing which.
"""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from typing import Any

from controller.core.state import MatState
from controller.mqtt.client import BrokerClient
from controller.mqtt.config import MqttConfig
from controller.mqtt.notes import (
    Connected,
    ConnectFailed,
    Disconnected,
    Message,
    Note,
    Refused,
    Subscribed,
)
from controller.mqtt.topics import MatTopics
from controller.wire.payloads import state_from_payload


class MqttWatch:
    """The latest state of one mat, as its MQTT topics tell it (thread-safe)."""

    def __init__(self, config: MqttConfig, mat_id: str) -> None:
        self.config = config
        self.topics = MatTopics.of(config, mat_id)
        self._lock = threading.Lock()
        self._state: MatState | None = None
        self._zone_names: list[str] = []
        self._availability = "unknown"
        self._problem: str | None = None
        self._connected = False  # paho's network thread only
        self._unreachable: str | None = None
        self._attempted = threading.Event()  # the first connect attempt has an outcome
        self._client: BrokerClient | None = None

    @property
    def state(self) -> MatState | None:
        with self._lock:
            return self._state

    @property
    def zone_names(self) -> list[str]:
        with self._lock:
            return list(self._zone_names)

    @property
    def availability(self) -> str:
        """``online``, ``offline`` (the mat said so, or its last will did) or ``unknown``."""
        with self._lock:
            return self._availability

    @property
    def connected(self) -> bool:
        """True while the broker connection is up (False before the first, and after a loss)."""
        with self._lock:
            return self._connected

    @property
    def problem(self) -> str | None:
        """Why there is no connection to the broker (None while connected or connecting)."""
        with self._lock:
            return self._problem

    @property
    def unreachable(self) -> str | None:
        """Why the last connect attempt failed (None once connected, or before an attempt)."""
        with self._lock:
            return self._unreachable

    def wait_first_attempt(self, timeout_s: float) -> bool:
        """Blocks until the first connect attempt succeeded or failed, at most ``timeout_s``
        (a refused port answers at once; a host name lookup can take seconds)."""
        return self._attempted.wait(timeout_s)

    def apply(self, topic: str, payload: bytes) -> None:
        """Takes one message; a payload it cannot read is skipped (the next one will do)."""
        try:
            with self._lock:
                if topic == self.topics.availability:
                    self._availability = payload.decode("utf-8", "replace")
                elif topic == self.topics.state:
                    self._state = state_from_payload(_object(payload))
                    self._zone_names = self._zone_names or list(self._state.zones_kg)
                elif topic == self.topics.zones and self._state is not None:
                    self._state = _with_zones(self._state, _object(payload))
                    self._zone_names = list(self._state.zones_kg)
        except (ValueError, KeyError, TypeError):
            return

    def start(self) -> None:
        """Starts watching; raises ``MqttSetupError`` for an unreadable password or TLS file."""
        topics = self.topics
        self._client = BrokerClient(
            self.config,
            client_id="",
            will_topic=None,
            subscriptions=[(t, 0) for t in (topics.state, topics.zones, topics.availability)],
            on_note=self._note,
        )
        self._client.start()

    def _note(self, note: Note) -> None:
        """paho's network thread: messages and what happened to the connection."""
        match note:
            case Message(topic, payload):
                self.apply(topic, payload)
            case Connected():
                self._set_problem(None, connected=True)
                self._attempted.set()
            case ConnectFailed(reason):
                with self._lock:
                    self._unreachable = reason
                self._attempted.set()
            case Refused(reason):
                self._set_problem(f"broker refused the connection: {reason}")
                self._attempted.set()
            case Disconnected(reason) if self._connected:
                # Only a connection that was up: paho also reports the socket a refusal closed.
                self._set_problem(f"disconnected from the broker: {reason}")
            case Subscribed(refusals) if refusals:
                self._set_problem(f"subscription refused by the broker: {refusals[0]}", True)
            case _:
                pass

    def _set_problem(self, problem: str | None, connected: bool = False) -> None:
        with self._lock:
            self._problem, self._connected = problem, connected
            if connected:
                self._unreachable = None

    def close(self) -> None:
        if self._client is not None:
            self._client.stop()
            self._client = None


def _object(payload: bytes) -> dict[str, Any]:
    data = json.loads(payload)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def _with_zones(state: MatState, data: dict[str, Any]) -> MatState:
    return replace(state, zones_kg=dict(data["zones"]), load_kg=data["load_kg"])
