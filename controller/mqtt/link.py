"""What the broker connection's notes mean for people: log lines and the status (I/O: logs).

The MQTT adapter's worker hands each connection note to ``Link``. A failed connect (refused
port, unknown name, timeout, TLS, the broker's "not authorised") is said at once with its
reason, then at most once a minute while it keeps failing (``storage.trouble.Every`` on the
injected clock; paho retries every few seconds). The ``BrokerStatus`` the console shows is
updated on every note, so the status line is never a minute late.

Two clients with one client id take the connection from each other in turn. Under MQTT 5 a
broker may say so ("Session taken over"); mosquitto 2.0 just closes the older connection.
So a connection closed by the broker soon after it was made, ``TAKEOVER_SUSPECT`` times in a
row while reconnecting works at once, is reported as a mat id in use too. Either way the
adapter then reconnects only every ``reconnect_max_s``: the two stop fighting every second,
and the log says once a minute which id is taken.
"""

from __future__ import annotations

import logging
import math

from controller.mqtt.config import MqttConfig
from controller.mqtt.status import BrokerState, BrokerStatus
from controller.storage.trouble import Every, and_more

log = logging.getLogger("acumat.mqtt")
SHORT_CONNECTION_S = 60.0  # closed sooner (or within 2 reconnect delays): a take-over sign
TAKEOVER_SUSPECT = 3
KEEPALIVE_TIMEOUT = "Keep alive timeout"  # paho's reason when it stops waiting for the broker


class Link:
    """The connection as the log and the status line tell it (the worker thread's only)."""

    def __init__(
        self, config: MqttConfig, client_id: str, mat_id: str, status: BrokerStatus
    ) -> None:
        self._where = f"{config.host}:{config.port}"
        self._tls = config.tls_ca is not None
        self._client_id, self._mat_id = client_id, mat_id
        self.status = status
        self._failing = Every()  # failed connects and refusals
        self._dropping = Every()  # connections lost
        self._in_use = Every()
        self._told_down = False
        self._up_since_s = math.nan  # NaN: not connected
        self._refused = False  # a refused CONNACK: paho's disconnect after it is no news
        self._short = 0  # connections closed soon after being made, in a row
        self._short_s = max(SHORT_CONNECTION_S, 2.0 * config.reconnect_max_s)

    @property
    def in_use(self) -> bool:
        """Another client takes this client id in turns with us (reconnect slowly)."""
        return self._short >= TAKEOVER_SUSPECT

    def connected(self, now_s: float) -> None:
        if self.in_use:
            self.status.set(BrokerState("in_use", f"connected in turns as {self._client_id}"))
        else:
            self.status.set(BrokerState("connected"))
        self._up_since_s, self._refused = now_s, False
        if self._told_down:
            log.info("connected to %s", self._where)
            self._told_down = False
        else:
            log.debug("connected to %s", self._where)

    def failed(self, now_s: float, reason: str, *, refused: bool = False) -> None:
        """A connect that did not become a connection; ``refused``: the broker said no."""
        self._refused = refused
        self._short = 0  # the broker is not simply handing the id around
        self.status.set(BrokerState("refused" if refused else "unreachable", reason))
        held = self._failing.due(now_s)
        if held is None:
            return
        what = "the broker refused the connection" if refused else "cannot connect"
        log.error("mqtt: %s: %s; retrying%s", what, reason, and_more(held))
        self._told_down = True

    def disconnected(self, now_s: float, reason: str, taken_over: bool) -> None:
        """A connection ended (or the socket of a failed connect closed)."""
        was_up, lasted_s = not math.isnan(self._up_since_s), now_s - self._up_since_s
        self._up_since_s = math.nan
        if not was_up:
            if not self._refused:  # a refusal was said already; else nobody answered
                self.failed(now_s, self._closed_early(reason))
            return
        self._short = self._short + 1 if lasted_s < self._short_s else 0
        if taken_over:
            self._short = max(self._short, TAKEOVER_SUSPECT)
        if self.in_use:
            self._report_in_use(now_s, reason, certain=taken_over)
            return
        self.status.set(BrokerState("connecting", f"connection lost: {reason}"))
        held = self._dropping.due(now_s)
        if held is not None:
            log.warning("disconnected from the broker (%s); reconnecting%s", reason, and_more(held))
            self._told_down = True

    def _closed_early(self, reason: str) -> str:
        if reason == KEEPALIVE_TIMEOUT:  # we gave up waiting: the broker closed nothing
            return (
                f"{self._where} took the connection but never answered within keepalive_s:"
                " a broker that hangs, or a network that loses what follows the handshake"
            )
        hint = "" if self._tls else ": is it a TLS port (then set mqtt.tls_ca)?"
        return f"{self._where} closed the connection before answering{hint}"

    def _report_in_use(self, now_s: float, reason: str, certain: bool) -> None:
        why = "the broker says it was taken over"
        if not certain:
            why = f"closed {self._short} times in a row soon after connecting ({reason})"
        self.status.set(BrokerState("in_use", f"client id {self._client_id} taken"))
        held = self._in_use.due(now_s)
        if held is None:
            return
        log.error(
            "mat id %r is in use: another client connects as %s (%s). Give each mat its own "
            "[mat] id; never run two acumat with the same id. Reconnecting slowly%s",
            self._mat_id,
            self._client_id,
            why,
            and_more(held),
        )
        self._told_down = True
