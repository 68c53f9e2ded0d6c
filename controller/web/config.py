"""The ``[web]`` section of the configuration, where the page listens and its token (pure data;
``token()`` reads a file or the environment).

The page listens on loopback by default. Anywhere else it needs a token: ``token``,
``token_file`` (first line) or ``$ACUMAT_WEB_TOKEN``; without one ``acumat run`` refuses with one
line (``refusal``). The token is kept out of ``repr`` and never logged.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

TOKEN_ENV = "ACUMAT_WEB_TOKEN"
DEFAULT_LISTEN = "127.0.0.1:8080"
MIN_TOKEN_CHARS = 16


def split_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:8080`` for IPv6) into its parts; ``ValueError`` says why not."""
    host, sep, port_text = listen.rpartition(":")
    if not sep or not port_text.isdigit():
        raise ValueError(f"listen must be HOST:PORT, got {listen!r}")
    port = int(port_text)
    if not 0 <= port <= 65535:
        raise ValueError(f"port {port} is not 0 to 65535")
    host = host.removeprefix("[").removesuffix("]")
    if not host:
        raise ValueError(f"listen must name a host (0.0.0.0 for every address), got {listen!r}")
    return host, port


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


class WebConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    listen: str = Field(
        DEFAULT_LISTEN,
        description="HOST:PORT the page listens on; beyond loopback it needs a token.",
    )
    token: SecretStr | None = Field(
        None, description="Token for the API and the event stream (or token_file, or the env)."
    )
    token_file: Path | None = Field(None, description="File holding the token (first line).")
    max_connections: int = Field(
        100, ge=2, le=1000, description="Open connections at most; more are answered 503."
    )
    max_streams: int = Field(
        64, ge=1, le=1000, description="Event-stream clients at most; more are answered 503."
    )
    allowed_hosts: tuple[str, ...] = Field(
        (),
        description="Host names the page answers to besides IP addresses, localhost and this "
        "machine's name (and its .local); others are refused (DNS rebinding).",
    )
    state_rate_hz: float = Field(
        10.0, gt=0, le=50, description="State updates on the event stream at most, per second."
    )

    @field_validator("listen")
    @classmethod
    def _listen(cls, value: str) -> str:
        split_listen(value)
        return value

    @property
    def host(self) -> str:
        return split_listen(self.listen)[0]

    @property
    def port(self) -> int:
        return split_listen(self.listen)[1]

    def host_names(self) -> frozenset[str]:
        """The names a request's Host header may carry (IP addresses are always allowed)."""
        me = socket.gethostname().lower()
        names = {"localhost", me, f"{me}.local", *(h.lower() for h in self.allowed_hosts)}
        return frozenset(names)

    def resolved_token(self) -> str | None:
        """``token``, else ``token_file``'s first line, else ``$ACUMAT_WEB_TOKEN`` (or None)."""
        if self.token is not None:
            return self.token.get_secret_value() or None
        if self.token_file is not None:
            text = self.token_file.read_text(encoding="utf-8")
            return (text.splitlines()[0].strip() if text else "") or None
        return os.environ.get(TOKEN_ENV) or None


def refusal(config: WebConfig, token: str | None) -> str | None:
    """Why the page must not start as configured (one line), or None."""
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        return f"web: the token is shorter than {MIN_TOKEN_CHARS} characters; use a longer one"
    if token is None and not is_loopback(config.host):
        return (
            f"web: listening on {config.host} (beyond loopback) needs a token: set [web] "
            f"token_file or ${TOKEN_ENV}, or listen on 127.0.0.1"
        )
    return None
