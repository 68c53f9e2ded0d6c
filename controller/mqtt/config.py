"""The ``[mqtt]`` section of the configuration (pure data)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


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
    discovery_prefix: str = Field("homeassistant", description="Home Assistant discovery prefix.")
