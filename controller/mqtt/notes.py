"""What one broker connection reports to its owner, as typed notes (pure: no paho, no I/O).

``BrokerClient`` (``controller/mqtt/client.py``, the one module that imports paho) turns each
of paho's callbacks into one frozen note and hands it to its owner's ``on_note``: the MQTT
adapter and ``acumat monitor``'s watch read these types and never paho's. ``Connected``,
``Refused`` (a failed CONNACK), ``ConnectFailed`` (the TCP or TLS step failed, before any
MQTT), ``Disconnected``, ``Message``, ``Acked`` (a PUBACK) and ``Subscribed`` (a SUBACK).
``failure_reason`` says why a connect failed in words a person can act on; paho itself
would only say "retrying".
"""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass

from controller.mqtt.config import MqttConfig


@dataclass(frozen=True, slots=True)
class Connected:
    """The broker accepted the connection; the subscriptions were sent."""


@dataclass(frozen=True, slots=True)
class Refused:
    """The broker refused the connection (a failed CONNACK is not a connection)."""

    reason: str


@dataclass(frozen=True, slots=True)
class ConnectFailed:
    """No MQTT session could even be asked for: the TCP or TLS step failed (``reason``)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Disconnected:
    """The connection closed; ``taken_over``: the broker said another client took this
    client id (MQTT 5 reason "Session taken over")."""

    reason: str
    taken_over: bool = False


@dataclass(frozen=True, slots=True)
class Message:
    """A message; ``retain`` is set when the broker delivered it as a retained one."""

    topic: str
    payload: bytes
    retain: bool = False


@dataclass(frozen=True, slots=True)
class Acked:
    """The broker answered the publish ``mid``; ``refusal`` says why it refused it (MQTT 5)."""

    mid: int
    refusal: str | None = None


@dataclass(frozen=True, slots=True)
class Subscribed:
    """A SUBACK; ``refusals`` names each subscription the broker refused."""

    refusals: tuple[str, ...] = ()


Note = Connected | ConnectFailed | Refused | Disconnected | Message | Acked | Subscribed


def failure_reason(exc: OSError, config: MqttConfig) -> str:
    """Why a connect failed, in words a person can act on (pure)."""
    where = f"{config.host}:{config.port}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        detail = exc.verify_message or str(exc)
        return f"TLS verification of {config.host} failed: {detail}"
    if isinstance(exc, ssl.SSLError):
        return f"TLS handshake with {where} failed ({exc.reason or exc}): is it a TLS port?"
    if isinstance(exc, socket.gaierror):
        return f"host name not found: {config.host} ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return f"connection refused: nothing listens on {where}"
    if isinstance(exc, TimeoutError):
        return f"timed out connecting to {where}"
    if isinstance(exc, ConnectionResetError | BrokenPipeError) and config.tls_ca is not None:
        return f"{where} reset the TLS handshake: is it a plain (non-TLS) MQTT port?"
    return f"cannot connect to {where}: {exc.strerror or exc}"
