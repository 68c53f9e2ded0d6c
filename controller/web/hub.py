"""The fan-out between the service thread and the event-stream clients (thread-safe, no I/O).

The service thread ``publish``es the latest state text and new event texts (each already JSON,
made once, whatever the number of clients); each stream thread ``wait``s for what is newer than
what it has sent. The state is latest-wins: a slow client skips states it had no time for,
never events. Events are kept in a bounded ring, so a client that reconnects with
``Last-Event-ID`` gets the ones it missed while they are still there. Publishing costs the
service thread one lock and a ``notify_all``; it never waits for a client.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

RING_EVENTS = 512


@dataclass(frozen=True, slots=True)
class Update:
    """What one client has not sent yet: events ``(seq, text)`` in order and the latest state."""

    events: tuple[tuple[int, str], ...]
    state: str | None
    state_version: int
    closed: bool = False


class Hub:
    def __init__(self, ring_events: int = RING_EVENTS) -> None:
        self._cond = threading.Condition()
        self._events: deque[tuple[int, str]] = deque(maxlen=ring_events)
        self._state: str | None = None
        self._state_version = 0
        self._closed = False

    # --- the service thread ---------------------------------------------------------------

    def publish(self, state: str | None, events: Sequence[tuple[int, str]] = ()) -> None:
        with self._cond:
            self._events.extend(events)
            if state is not None:
                self._state = state
                self._state_version += 1
            self._cond.notify_all()

    def close(self) -> None:
        """Wakes every stream so it ends (the service is stopping)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    # --- stream and request threads -------------------------------------------------------

    @property
    def state(self) -> str | None:
        with self._cond:
            return self._state

    @property
    def last_seq(self) -> int:
        with self._cond:
            return self._events[-1][0] if self._events else 0

    def wait(self, after_seq: int, state_version: int, timeout_s: float) -> Update:
        """Events after ``after_seq`` and the state if newer than ``state_version``; waits up
        to ``timeout_s`` for either (an empty update on time-out: send a keep-alive)."""
        with self._cond:
            self._cond.wait_for(
                lambda: (
                    self._closed
                    or self._state_version != state_version
                    or (bool(self._events) and self._events[-1][0] > after_seq)
                ),
                timeout_s,
            )
            events = self._after(after_seq)
            newer = self._state_version != state_version
            return Update(
                events=events,
                state=self._state if newer else None,
                state_version=self._state_version,
                closed=self._closed,
            )

    def _after(self, seq: int) -> tuple[tuple[int, str], ...]:
        # From the newest back: a client that is up to date costs one comparison.
        newer: list[tuple[int, str]] = []
        for event in reversed(self._events):
            if event[0] <= seq:
                break
            newer.append(event)
        return tuple(reversed(newer))
