"""One broker connection: the paho client configured, and its callbacks as typed notes (I/O).

The one module that imports paho; the service's adapter and ``acumat monitor``'s watch both
connect through ``BrokerClient``, so both get the same protocol, password, TLS, backoff and
handling of refusals. paho 2.x with ``CallbackAPIVersion.VERSION2``; the password is read here
from the file or the environment and handed to paho only (never logged, never in an exception
text). On paho's network thread nothing of the domain runs: each callback becomes one frozen
note (``Connected``, ``Refused``, ``Disconnected``, ``Message``, ``Acked``, ``Subscribed``)
handed to the owner's ``on_note``, which queues it for its own thread.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.reasoncodes import ReasonCode

from controller.errors import ControllerError
from controller.mqtt.config import MqttConfig

log = logging.getLogger("acumat.mqtt")


class MqttSetupError(ControllerError, ValueError):
    """The client cannot be set up (an unreadable password file or TLS file)."""


# --- what paho's network thread reports -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Connected:
    """The broker accepted the connection; the subscriptions were sent."""


@dataclass(frozen=True, slots=True)
class Refused:
    """The broker refused the connection (a failed CONNACK is not a connection)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Disconnected:
    reason: str


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class Acked:
    """The broker answered the publish ``mid``; ``refusal`` says why it refused it (MQTT 5)."""

    mid: int
    refusal: str | None = None


@dataclass(frozen=True, slots=True)
class Subscribed:
    """A SUBACK; ``refusals`` names each subscription the broker refused."""

    refusals: tuple[str, ...] = ()


Note = Connected | Refused | Disconnected | Message | Acked | Subscribed


def log_note(note: Note, config: MqttConfig) -> None:
    """Says what happened to the connection, once per note (the adapter's log lines)."""
    match note:
        case Connected():
            log.info("connected to %s:%d", config.host, config.port)
        case Refused(reason=reason):
            log.error("broker %s refused the connection: %s", config.host, reason)
        case Disconnected(reason=reason):
            log.warning("disconnected from the broker (%s); reconnecting", reason)
        case Subscribed(refusals=refusals):
            for reason in refusals:
                log.error("subscription refused by the broker: %s", reason)
        case Message() | Acked():
            pass


# --- the client ---------------------------------------------------------------------------


class BrokerClient:
    """A configured client that reconnects by itself and re-subscribes on every connect.

    ``will_topic`` gets a retained ``offline`` as the last will (None: no will, for a watcher
    that must never mark the mat offline). ``client_id`` "" lets the broker choose one.
    """

    def __init__(
        self,
        config: MqttConfig,
        *,
        client_id: str,
        will_topic: str | None,
        subscriptions: Sequence[tuple[str, int]],
        on_note: Callable[[Note], None],
    ) -> None:
        self.config = config
        self._subscriptions = list(subscriptions)
        self._on_note = on_note
        self._client = _paho_client(config, client_id, will_topic)
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._message
        self._client.on_publish = self._published
        self._client.on_subscribe = self._subscribed

    def start(self) -> None:
        """Starts connecting in paho's thread; failures are retried with backoff there."""
        self._client.connect_async(self.config.host, self.config.port, self.config.keepalive_s)
        self._client.loop_start()

    def publish(self, topic: str, payload: str, qos: int = 0, retain: bool = False) -> int:
        """Queues a publish (any thread); returns its ``mid``, which ``Acked`` names."""
        return int(self._client.publish(topic, payload, qos=qos, retain=retain).mid)

    def publish_and_wait(
        self, topic: str, payload: str, qos: int, retain: bool, timeout_s: float
    ) -> bool:
        """Publishes and waits (bounded) until it left; False when it could not be sent."""
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        try:
            info.wait_for_publish(timeout_s)
        except (RuntimeError, ValueError):  # not connected any more, or paho's queue is full
            return False
        return bool(info.is_published())

    def stop(self) -> None:
        """Disconnects cleanly (no last will) and stops paho's thread."""
        self._client.disconnect()
        self._client.loop_stop()

    # paho's network thread: translate, hand over, nothing else.

    def _connected(self, client: Any, _u: Any, _f: Any, rc: ReasonCode, _p: Any) -> None:
        if rc.is_failure:  # a refused CONNACK is not a connection (Frigate's bug)
            self._on_note(Refused(reason_text(rc)))
            return
        # The session is clean: subscriptions are renewed on every connect, before anyone
        # is told it is connected.
        if self._subscriptions:
            client.subscribe(self._subscriptions)
        self._on_note(Connected())

    def _disconnected(self, _c: Any, _u: Any, _f: Any, rc: ReasonCode, _p: Any) -> None:
        self._on_note(Disconnected(reason_text(rc)))

    def _message(self, _c: Any, _u: Any, msg: paho.MQTTMessage) -> None:
        self._on_note(Message(msg.topic, bytes(msg.payload)))

    def _published(self, _c: Any, _u: Any, mid: int, rc: ReasonCode, _p: Any) -> None:
        # MQTT 5 only; a 3.1.1 broker drops a denied publish silently and acks it.
        self._on_note(Acked(mid, reason_text(rc) if rc.is_failure else None))

    def _subscribed(self, _c: Any, _u: Any, _mid: int, codes: list[ReasonCode], _p: Any) -> None:
        self._on_note(Subscribed(tuple(reason_text(c) for c in codes if c.is_failure)))


def reason_text(code: ReasonCode | int) -> str:
    return str(getattr(code, "getName", lambda: code)())


def _paho_client(config: MqttConfig, client_id: str, will_topic: str | None) -> paho.Client:
    client = paho.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=_protocol(config),
        reconnect_on_failure=True,
    )
    _credentials(client, config)
    _tls(client, config)
    if will_topic is not None:
        client.will_set(will_topic, "offline", qos=1, retain=True)
    client.reconnect_delay_set(config.reconnect_min_s, config.reconnect_max_s)
    client.max_inflight_messages_set(config.max_inflight)
    client.on_socket_open = _no_delay
    # No paho logger: during an outage it logs an error every second; the owner logs the
    # disconnect once and the reconnect once.
    return client


def _protocol(config: MqttConfig) -> MQTTProtocolVersion:
    return MQTTProtocolVersion.MQTTv5 if config.protocol == "5" else MQTTProtocolVersion.MQTTv311


def _credentials(client: paho.Client, config: MqttConfig) -> None:
    if config.username is None:
        return
    try:
        password = config.password()
    except OSError as exc:  # the file name is fine to show, its content never
        raise MqttSetupError(f"cannot read mqtt.password_file: {exc.strerror}") from None
    client.username_pw_set(config.username, password)


def _tls(client: paho.Client, config: MqttConfig) -> None:
    if config.tls_ca is None:
        return
    try:
        client.tls_set(
            ca_certs=str(config.tls_ca),
            certfile=None if config.tls_cert is None else str(config.tls_cert),
            keyfile=None if config.tls_key is None else str(config.tls_key),
            cert_reqs=ssl.CERT_REQUIRED,
            tls_version=ssl.PROTOCOL_TLS_CLIENT,
        )
    except (OSError, ssl.SSLError) as exc:
        raise MqttSetupError(f"mqtt TLS files: {exc}") from None
    client.tls_insecure_set(config.tls_insecure)


def _no_delay(_client: Any, _userdata: Any, sock: Any) -> None:
    # Nagle + delayed ACK held 1 event in 5 back ~40 ms on loopback (benchmarks/mqtt_latency).
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
