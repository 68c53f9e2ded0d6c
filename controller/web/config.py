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
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from annotated_types import Ge, Gt, Le

from firmware.schema import Check, Secret, doc

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


@dataclass(frozen=True)
class WebConfig:
    listen: Annotated[str, Check(split_listen)] = doc(
        DEFAULT_LISTEN, "HOST:PORT the page listens on; beyond loopback it needs a token."
    )
    token: Secret | None = doc(
        None, "Token for the API and the event stream (or token_file, or the env)."
    )
    token_file: Path | None = doc(None, "File holding the token (first line).")
    max_connections: Annotated[int, Ge(2), Le(1000)] = doc(
        100, "Open connections at most; more are answered 503."
    )
    max_streams: Annotated[int, Ge(1), Le(1000)] = doc(
        64, "Event-stream clients at most; more are answered 503."
    )
    allowed_hosts: tuple[str, ...] = doc(
        (),
        "Host names the page answers to besides IP addresses, localhost and this "
        "machine's name (and its .local); others are refused (DNS rebinding).",
    )
    state_rate_hz: Annotated[float, Gt(0), Le(50)] = doc(
        10.0, "State updates on the event stream at most, per second."
    )

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
            return self.token.reveal() or None
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
