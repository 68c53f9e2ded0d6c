"""The ``[mqtt]`` section of the configuration (pure data; ``password()`` reads a file).

A frozen dataclass (validated by ``firmware.schema``): broker address, protocol, identity,
TLS, rates and the outbox bound. The password never lives in the config: it comes from
``password_file`` or the environment variable ``ACUMAT_MQTT_PASSWORD`` and is kept out of
``repr`` and logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from annotated_types import Ge, Gt, Le

from firmware.schema import Pattern, doc

PASSWORD_ENV = "ACUMAT_MQTT_PASSWORD"
Prefix = Annotated[str, Pattern(r"[A-Za-z0-9_/-]+", "letters, digits, _, - and / only")]
# paho refuses an empty host with a traceback at connect (``ValueError: Invalid host.``), after
# check-config had said ok: the host is checked here, once, for the config and ``--mqtt`` alike.
Host = Annotated[str, Pattern(r"[^\s/]+", "a host name or address, not empty, no spaces or /")]


@dataclass(frozen=True)
class MqttConfig:
    host: Host = doc("localhost", "Broker host name or address.")
    port: Annotated[int, Ge(1), Le(65535)] = doc(1883, "Broker port.")
    username: str | None = doc(None, "User name, if the broker wants one.")
    password_file: Path | None = doc(
        None, "File holding the password (never put the password in the config)."
    )
    tls_ca: Path | None = doc(None, "CA certificate; enables TLS.")
    tls_cert: Path | None = doc(None, "Client certificate for TLS.")
    tls_key: Path | None = doc(None, "Client key for TLS.")
    tls_insecure: bool = doc(
        False, "Skip the host name check of the broker's certificate (tests only)."
    )
    discovery_prefix: Prefix = doc("homeassistant", "Home Assistant discovery prefix.")
    discovery: bool = doc(True, "Publish Home Assistant discovery.")
    topic_prefix: Prefix = doc("acumat", "Root of acumat's own topics.")
    protocol: Literal["3.1.1", "5"] = doc("5", "MQTT protocol version.")
    client_id: str | None = doc(
        None, "MQTT client id; default acumat-<mat id> (must be unique per broker)."
    )
    keepalive_s: Annotated[int, Ge(5), Le(65535)] = doc(30, "MQTT keepalive, s.")
    reconnect_min_s: Annotated[int, Ge(1)] = doc(1, "First reconnect delay, s (doubles).")
    reconnect_max_s: Annotated[int, Ge(1)] = doc(30, "Longest reconnect delay, s.")
    zones_rate_hz: Annotated[float, Gt(0), Le(50)] = doc(
        2.0, "Rate of the live ``zones`` topic (QoS 0), Hz."
    )
    heartbeat_s: Annotated[float, Gt(0)] = doc(
        30.0, "Republish the retained state at least this often, s."
    )
    max_inflight: Annotated[int, Ge(1), Le(65535)] = doc(
        100, "Events sent but not yet acknowledged, at most."
    )
    outbox_max_events: Annotated[int, Ge(10)] = doc(
        100_000,
        "Outbox bound: beyond it the oldest non-session events are dropped "
        "(counted and logged); session records are never dropped.",
    )
    max_packet_bytes: Annotated[int, Ge(8_192), Le(268_435_455)] = doc(
        65_536,
        "MQTT 5: the broker must not send acumat a packet larger than this, bytes "
        "(a command payload over 4 KiB is answered with an error; a packet over this bound "
        "never arrives). MQTT 3.1.1 cannot ask: set max_packet_size on the broker.",
    )
    close_timeout_s: Annotated[float, Ge(0)] = doc(
        3.0, "On shutdown, wait at most this long for the outbox to drain."
    )

    def __post_init__(self) -> None:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("tls_cert and tls_key go together")
        if self.tls_cert is not None and self.tls_ca is None:
            raise ValueError("a client certificate needs tls_ca too")
        if self.password_file is not None and self.username is None:
            raise ValueError("password_file needs username")
        if self.reconnect_max_s < self.reconnect_min_s:
            raise ValueError("reconnect_max_s must be >= reconnect_min_s")

    def password(self) -> str | None:
        """The password from ``password_file`` (first line) or ``$ACUMAT_MQTT_PASSWORD``."""
        if self.password_file is not None:
            text = self.password_file.read_text(encoding="utf-8")
            return text.splitlines()[0] if text else ""
        return os.environ.get(PASSWORD_ENV)
