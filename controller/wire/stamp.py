"""Each event's wire form, made once for every channel: its ``seq`` and its body (pure, apart
from the random ``id`` and what the numbering store does).

An ``EventStamper`` turns a batch of core events into ``WireEvent``s: it draws each event's
``id``, dates it through the service's one ``WallAt`` and makes its body once
(``payloads.event_body``), then asks its ``Numbering`` for the ``seq``s. The numbering is the
durable MQTT outbox (``controller.mqtt.outbox``): it stores the bodies and gives out ``seq``
in the same transaction, or, when MQTT is off, only gives them out. So "the next ``seq``" has
one definition whether MQTT is on or off, and it never restarts with the process.

MQTT and the web page share one stamper. The service hands every adapter the same ``events``
object in a delivery: the first adapter that asks numbers the batch, the others get the same
``WireEvent``s back (the stamper keeps the last batch and its answer). A batch whose numbering
failed is numbered again by the next adapter that asks, so a failure on one channel never
gives the other a different ``seq``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from controller.core.events import Event
from controller.wire.payloads import event_body, with_seq
from firmware.clock import WallAt


class Numbering(Protocol):
    def add(self, items: Iterable[tuple[str, str]]) -> list[int]:
        """Numbers ``(type, body)`` pairs in order, durably; returns their ``seq``."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class WireEvent:
    """One event as every channel carries it."""

    seq: int
    type: str
    body: str  # without ``schema_version`` and ``seq``: what the outbox stores

    @property
    def text(self) -> str:
        """The JSON MQTT's ``event`` topic and the page's event stream carry."""
        return with_seq(self.seq, self.body)


class EventStamper:
    def __init__(
        self, numbering: Numbering, mat_id: str, wall_at: WallAt, *, owned: bool = False
    ) -> None:
        """``owned``: ``close()`` closes the numbering too (else its owner closes it)."""
        self._numbering, self.mat_id, self._wall_at = numbering, mat_id, wall_at
        self._owned = owned
        self._events: Sequence[Event] | None = None
        self._stamped: tuple[WireEvent, ...] = ()

    def stamp(self, events: Sequence[Event]) -> tuple[WireEvent, ...]:
        """The batch's wire events; the same ones again for the same ``events`` object."""
        if not events:
            return ()
        if events is self._events:
            return self._stamped
        bodies = [(e.type, self._body(e)) for e in events]
        seqs = self._numbering.add(bodies)
        pairs = zip(seqs, bodies, strict=True)
        stamped = tuple(WireEvent(seq, kind, body) for seq, (kind, body) in pairs)
        self._events, self._stamped = events, stamped
        return stamped

    def _body(self, event: Event) -> str:
        # The id is drawn once, here, and stored with the body: a redelivery repeats it.
        return event_body(event, self.mat_id, self._wall_at(event.t), uuid.uuid4().hex)

    def close(self) -> None:
        if self._owned:
            self._numbering.close()
