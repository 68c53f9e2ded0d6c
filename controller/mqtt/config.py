"""The ``[mqtt]`` section of the configuration (pure data; ``password()`` reads a file).

Frozen pydantic model: broker address, protocol, identity, TLS, rates and the outbox bound.
The password never lives in the config: it comes from ``password_file`` or the environment
variable ``ACUMAT_MQTT_PASSWORD`` and is kept out of ``repr`` and logs.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

PASSWORD_ENV = "ACUMAT_MQTT_PASSWORD"


class MqttConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    host: str = Field("localhost", description="Broker host name or address.")
    port: int = Field(1883, ge=1, le=65535, description="Broker port.")
    username: str | None = Field(None, description="User name, if the broker wants one.")
    password_file: Path | None = Field(
        None, description="File holding the password (never put the password in the config)."
    )
    tls_ca: Path | None = Field(None, description="CA certificate; enables TLS.")
    tls_cert: Path | None = Field(None, description="Client certificate for TLS.")
    tls_key: Path | None = Field(None, description="Client key for TLS.")
    tls_insecure: bool = Field(
        False, description="Skip the host name check of the broker's certificate (tests only)."
    )
    discovery_prefix: str = Field(
        "homeassistant",
        pattern=r"^[A-Za-z0-9_/-]+$",
        description="Home Assistant discovery prefix.",
    )
    discovery: bool = Field(True, description="Publish Home Assistant discovery.")
    topic_prefix: str = Field(
        "acumat", pattern=r"^[A-Za-z0-9_/-]+$", description="Root of acumat's own topics."
    )
    protocol: Literal["3.1.1", "5"] = Field("5", description="MQTT protocol version.")
    client_id: str | None = Field(
        None, description="MQTT client id; default acumat-<mat id> (must be unique per broker)."
    )
    keepalive_s: int = Field(30, ge=5, le=65535, description="MQTT keepalive, s.")
    reconnect_min_s: int = Field(1, ge=1, description="First reconnect delay, s (doubles).")
    reconnect_max_s: int = Field(30, ge=1, description="Longest reconnect delay, s.")
    zones_rate_hz: float = Field(
        2.0, gt=0, le=50, description="Rate of the live ``zones`` topic (QoS 0), Hz."
    )
    heartbeat_s: float = Field(
        30.0, gt=0, description="Republish the retained state at least this often, s."
    )
    max_inflight: int = Field(
        100, ge=1, le=65535, description="Events sent but not yet acknowledged, at most."
    )
    outbox_max_events: int = Field(
        100_000,
        ge=10,
        description="Outbox bound: beyond it the oldest non-session events are dropped "
        "(counted and logged); session records are never dropped.",
    )
    max_packet_bytes: int = Field(
        65_536,
        ge=8_192,
        le=268_435_455,
        description="MQTT 5: the broker must not send acumat a packet larger than this, bytes "
        "(a command payload over 4 KiB is answered with an error; a packet over this bound "
        "never arrives). MQTT 3.1.1 cannot ask: set max_packet_size on the broker.",
    )
    close_timeout_s: float = Field(
        3.0, ge=0, description="On shutdown, wait at most this long for the outbox to drain."
    )

    @model_validator(mode="after")
    def _check(self) -> MqttConfig:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("tls_cert and tls_key go together")
        if self.tls_cert is not None and self.tls_ca is None:
            raise ValueError("a client certificate needs tls_ca too")
        if self.password_file is not None and self.username is None:
            raise ValueError("password_file needs username")
        if self.reconnect_max_s < self.reconnect_min_s:
            raise ValueError("reconnect_max_s must be >= reconnect_min_s")
        return self

    def password(self) -> str | None:
        """The password from ``password_file`` (first line) or ``$ACUMAT_MQTT_PASSWORD``."""
        if self.password_file is not None:
            text = self.password_file.read_text(encoding="utf-8")
            return text.splitlines()[0] if text else ""
        return os.environ.get(PASSWORD_ENV)
