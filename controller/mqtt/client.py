"""One broker connection: the paho client configured, and its callbacks as typed notes (I/O).

The one module that imports paho; the service's adapter and ``acumat monitor``'s watch both
connect through ``BrokerClient``, so both get the same protocol, password, TLS, backoff and
handling of refusals. paho 2.x with ``CallbackAPIVersion.VERSION2``; the password is read here
from the file or the environment and handed to paho only (never logged, never in an exception
text). On paho's network thread nothing of the domain runs: each callback becomes one frozen
note (``controller/mqtt/notes.py``: ``Connected``, ``Refused``, ``Disconnected``, ``Message``,
``Acked``, ``Subscribed``) handed to the owner's ``on_note``, which queues it for its own
thread. A connect that fails before any MQTT is spoken (refused port, unknown name, timeout,
TLS) becomes ``ConnectFailed`` with a reason a person can act on (``notes.failure_reason``);
paho itself would only say "retrying".
Under MQTT 5 the CONNECT asks the broker for a maximum packet size, so it never sends the
client a message larger than ``max_packet_bytes``.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import ssl
import stat
from collections.abc import Callable, Sequence
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTErrorCode, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties
from paho.mqtt.reasoncodes import ReasonCode

from controller.errors import ControllerError
from controller.mqtt.config import MqttConfig
from controller.mqtt.notes import (
    Acked,
    Connected,
    ConnectFailed,
    Disconnected,
    Message,
    Note,
    Refused,
    Subscribed,
    failure_reason,
)

log = logging.getLogger("acumat.mqtt")


class MqttSetupError(ControllerError, ValueError):
    """The client cannot be set up (an unreadable password file or TLS file)."""


_TAKEN_OVER = 0x8E  # MQTT 5 DISCONNECT "Session taken over"


def log_subscribed(note: Subscribed) -> None:
    for reason in note.refusals:
        log.error("subscription refused by the broker: %s", reason)


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
        self._client.on_connect_error = self._connect_failed
        self._client.on_connect = self._connected
        self._client.on_disconnect = self._disconnected
        self._client.on_message = self._message
        self._client.on_publish = self._published
        self._client.on_subscribe = self._subscribed

    def start(self) -> None:
        """Starts connecting in paho's thread; failures are retried with backoff there."""
        config = self.config
        self._client.connect_async(
            config.host, config.port, config.keepalive_s, properties=_connect_properties(config)
        )
        self._client.loop_start()

    def back_off(self, delay_s: int | None) -> None:
        """The next reconnects wait ``delay_s`` each (None: the configured doubling again)."""
        low = self.config.reconnect_min_s if delay_s is None else delay_s
        high = self.config.reconnect_max_s if delay_s is None else delay_s
        self._client.reconnect_delay_set(low, high)

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

    def _connect_failed(self, exc: OSError) -> None:
        self._on_note(ConnectFailed(failure_reason(exc, self.config)))

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
        taken_over = getattr(rc, "value", None) == _TAKEN_OVER
        self._on_note(Disconnected(reason_text(rc), taken_over))

    def _message(self, _c: Any, _u: Any, msg: paho.MQTTMessage) -> None:
        self._on_note(Message(msg.topic, bytes(msg.payload), bool(msg.retain)))

    def _published(self, _c: Any, _u: Any, mid: int, rc: ReasonCode, _p: Any) -> None:
        # MQTT 5 only; a 3.1.1 broker drops a denied publish silently and acks it.
        self._on_note(Acked(mid, reason_text(rc) if rc.is_failure else None))

    def _subscribed(self, _c: Any, _u: Any, _mid: int, codes: list[ReasonCode], _p: Any) -> None:
        self._on_note(Subscribed(tuple(reason_text(c) for c in codes if c.is_failure)))


def reason_text(code: ReasonCode | int) -> str:
    return str(getattr(code, "getName", lambda: code)())


class _Paho(paho.Client):
    """paho's client, telling why a connect failed (paho only retries, and says nothing)."""

    on_connect_error: Callable[[OSError], None] | None = None

    def reconnect(self) -> MQTTErrorCode:
        try:
            return super().reconnect()
        except OSError as exc:  # paho's loop catches it and retries after the backoff
            if self.on_connect_error is not None:
                self.on_connect_error(exc)
            raise


def _paho_client(config: MqttConfig, client_id: str, will_topic: str | None) -> _Paho:
    client = _Paho(
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


def _connect_properties(config: MqttConfig) -> Properties | None:
    """MQTT 5: the broker must not send a packet larger than ``max_packet_bytes`` (it drops
    it for this client). MQTT 3.1.1 has no such field: paho reads whatever comes."""
    if config.protocol != "5":
        return None
    properties = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
    properties.MaximumPacketSize = config.max_packet_bytes
    return properties


def _credentials(client: paho.Client, config: MqttConfig) -> None:
    if config.username is None:
        return
    try:
        password = config.password()
    except OSError as exc:  # the file name is fine to show, its content never
        raise MqttSetupError(f"cannot read mqtt.password_file: {exc.strerror}") from None
    _warn_exposed(config, password)
    client.username_pw_set(config.username, password)


def _warn_exposed(config: MqttConfig, password: str | None) -> None:
    """One warning each: a password file anyone may read; a password sent in clear text."""
    if config.password_file is not None:
        with contextlib.suppress(OSError):
            mode = config.password_file.stat().st_mode
            if mode & stat.S_IROTH:
                log.warning(
                    "mqtt.password_file %s can be read by every user (mode %03o): "
                    "chmod o-r it (0600 or 0640)",
                    config.password_file,
                    stat.S_IMODE(mode),
                )
    if password is not None and config.tls_ca is None and not is_loopback(config.host):
        log.warning(
            "the MQTT password goes to %s without TLS: anyone on the network path can read "
            "it (set mqtt.tls_ca)",
            config.host,
        )


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (names are not resolved: a name is remote)."""
    if host.lower() in {"localhost", "localhost.localdomain", "ip6-localhost"}:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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
