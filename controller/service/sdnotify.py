"""systemd's notify protocol: READY, WATCHDOG, STOPPING and STATUS over ``$NOTIFY_SOCKET``.

A short implementation of sd_notify(3) (one datagram per message on an AF_UNIX socket; a
leading ``@`` names an abstract socket) so the service needs no C library. Not pure: it sends
datagrams. Everything is a no-op when ``$NOTIFY_SOCKET`` is unset (a terminal, the tests, a
container). Watchdog pings are rate-limited to half of ``$WATCHDOG_USEC`` using the injected
Clock, as sd_watchdog_enabled(3) recommends, so calling ``watchdog()`` every frame is cheap.
The service loop calls it per frame and never while it waits for one, so a stalled source
starves the watchdog and systemd restarts the service (``WatchdogSec`` after the last ping,
which is at most half of it before the last frame; then ``RestartSec``).
A failed send is logged once and never raised: supervision must not kill the mat.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

from controller.service.loop import Lifecycle
from firmware.clock import Clock

log = logging.getLogger("acumat.sdnotify")


def notify_address(environ: Mapping[str, str]) -> str | None:
    """The socket address from ``$NOTIFY_SOCKET`` (``@name`` → abstract), or ``None``."""
    raw = environ.get("NOTIFY_SOCKET", "")
    if not raw:
        return None
    if raw.startswith("@"):
        return "\0" + raw[1:]
    return raw if raw.startswith("/") else None


def watchdog_interval_s(environ: Mapping[str, str], pid: int | None = None) -> float | None:
    """``$WATCHDOG_USEC`` in seconds, or ``None`` if unset, invalid or meant for another pid."""
    usec = environ.get("WATCHDOG_USEC", "")
    owner = environ.get("WATCHDOG_PID", "")
    if owner and owner != str(os.getpid() if pid is None else pid):
        return None
    try:
        value = int(usec)
    except ValueError:
        return None
    return value / 1e6 if value > 0 else None


class Notifier(Lifecycle):
    """Tells systemd how the service is doing; silent when not started by systemd."""

    def __init__(self, clock: Clock, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self._clock = clock
        self._address = notify_address(env)
        self.watchdog_s = watchdog_interval_s(env)
        self._last_ping_s: float | None = None
        self._sock: socket.socket | None = None
        self._warned = False

    @property
    def enabled(self) -> bool:
        return self._address is not None

    def ready(self) -> None:
        self._send("READY=1")

    def watchdog(self) -> None:
        """Pings at most once per half watchdog interval; a no-op without a watchdog."""
        if self.watchdog_s is None:
            return
        now_s = self._clock.monotonic()
        if self._last_ping_s is not None and now_s - self._last_ping_s < self.watchdog_s / 2:
            return
        self._last_ping_s = now_s
        self._send("WATCHDOG=1")

    def stopping(self) -> None:
        self._send("STOPPING=1")

    def status(self, text: str) -> None:
        # One message is newline-separated KEY=VALUE lines: a newline would end the status.
        self._send("STATUS=" + " ".join(text.splitlines()))

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def _send(self, message: str) -> None:
        if self._address is None:
            return
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
            self._sock.sendto(message.encode("utf-8"), self._address)
        except OSError as exc:
            if not self._warned:
                log.warning("cannot notify systemd at %r: %s", self._address, exc)
                self._warned = True


__all__ = ["Notifier", "notify_address", "watchdog_interval_s"]
