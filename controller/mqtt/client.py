"""The paho client, configured: protocol, identity, password, TLS, last will, backoff (I/O).

The one module that imports paho. paho 2.x with ``CallbackAPIVersion.VERSION2``; the password
is read here from the file or the environment and handed to paho only (never logged, never in
an exception text). Callbacks are wired by the adapter; nothing of the domain runs on paho's
network thread.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.reasoncodes import ReasonCode

from controller.errors import ControllerError
from controller.mqtt.config import MqttConfig

log = logging.getLogger("acumat.mqtt")

Client = paho.Client
MQTTMessage = paho.MQTTMessage
ReasonCodeT = ReasonCode
MQTT_ERR_SUCCESS = paho.MQTT_ERR_SUCCESS


class MqttSetupError(ControllerError, ValueError):
    """The client cannot be set up (an unreadable password file or TLS file)."""


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


def make_client(config: MqttConfig, client_id: str, will_topic: str) -> paho.Client:
    """A configured, not yet connected client whose last will is retained ``offline``."""
    client = paho.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=_protocol(config),
        reconnect_on_failure=True,
    )
    _credentials(client, config)
    _tls(client, config)
    client.will_set(will_topic, "offline", qos=1, retain=True)
    client.reconnect_delay_set(config.reconnect_min_s, config.reconnect_max_s)
    client.max_inflight_messages_set(config.max_inflight)
    client.on_socket_open = _no_delay
    # No paho logger: during an outage it logs an error every second; the adapter logs the
    # disconnect once and the reconnect once.
    return client


def _no_delay(_client: Any, _userdata: Any, sock: Any) -> None:
    # Nagle + delayed ACK held 1 event in 5 back ~40 ms on loopback (benchmarks/mqtt_latency).
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def connect_async(client: paho.Client, config: MqttConfig) -> None:
    """Starts connecting in paho's thread; failures are retried with backoff there."""
    client.connect_async(config.host, config.port, keepalive=config.keepalive_s)
    client.loop_start()


def reason_text(code: ReasonCode | int) -> str:
    return str(getattr(code, "getName", lambda: code)())
