"""The event stream's delivery: the durable outbox onto the ``event`` topic, acked (I/O).

``EventDelivery`` publishes the outbox's events in ``seq`` order at QoS 1, at most
``max_inflight`` unacknowledged at a time (paho's ``mid`` → the event's ``seq``). A PUBACK
names the event to delete; the adapter's worker collects them and deletes a whole batch in one
transaction (the drain rate needs it). An event the broker refused (MQTT 5 only; a 3.1.1
broker drops a denied publish silently and acks it) is logged once and stays in the outbox for
the next start, but counts as drained. ``drained`` is set when nothing is in flight and
nothing is left to send, so ``MqttAdapter.close`` can wait for it (bounded). Worker thread
only, but ``drained`` (any thread). Publishes through the client it is given, never paho.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from controller.mqtt.outbox import Outbox
from controller.wire.payloads import with_seq

log = logging.getLogger("acumat.mqtt")


class Publisher(Protocol):
    def publish(self, topic: str, payload: str, qos: int = 0, retain: bool = False) -> int:
        """Queues a publish; returns its ``mid``."""
        ...


class EventDelivery:
    """The outbox's events to the broker, in order, within the in-flight window."""

    def __init__(self, outbox: Outbox, topic: str, max_inflight: int, client: Publisher) -> None:
        self._outbox, self._topic = outbox, topic
        self._max_inflight, self._client = max_inflight, client
        self.drained = threading.Event()
        self._inflight: dict[int, int] = {}  # paho mid -> seq
        self.sent_upto = 0  # the last seq handed to the client

    def pump(self) -> None:
        """Publishes outbox events in seq order (call while connected) within the window."""
        room = self._max_inflight - len(self._inflight)
        if room > 0:
            for seq, body in self._outbox.to_send(self.sent_upto, room):
                mid = self._client.publish(self._topic, with_seq(seq, body), qos=1)
                self._inflight[mid] = seq
                self.sent_upto = seq
        # Events a broker refused stay in the outbox (for the next start) but count as drained.
        if not self._inflight and not self._outbox.pending(self.sent_upto, 1):
            self.drained.set()

    def on_ack(self, mid: int, refusal: str | None, acked: list[int]) -> None:
        """The broker answered ``mid``: its event's ``seq`` joins ``acked`` unless refused."""
        seq = self._inflight.pop(mid, None)
        if seq is None:
            return
        if refusal is not None:  # MQTT 5 only; 3.1.1 brokers drop a denied publish silently
            log.error("broker refused event seq %d: %s (kept for the next start)", seq, refusal)
            return
        acked.append(seq)
