"""The fan-out between the service thread and the event-stream clients (thread-safe, no I/O).

The service thread ``publish``es the latest state and new event texts; each stream thread
``wait``s for what is newer than what it has sent. The state is handed over as a function that
makes its JSON: the first reader of a new state runs it, on its own thread, once for all
clients, so the service thread pays for no JSON nobody reads. The state is latest-wins: a slow
client skips states it had no time for, never events. Events are kept in a bounded ring, so a
client that reconnects with ``Last-Event-ID`` gets the ones it missed while they are still
there. Publishing costs the service thread one lock and a ``notify_all``; it never waits for a
client.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

RING_EVENTS = 512
MakeState = Callable[[], str]


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
        self._make: MakeState | None = None
        self._text: str | None = None
        self._version = 0
        self._closed = False

    # --- the service thread ---------------------------------------------------------------

    def publish(self, state: MakeState | None, events: Sequence[tuple[int, str]] = ()) -> None:
        with self._cond:
            self._events.extend(events)
            if state is not None:
                self._make, self._text = state, None
                self._version += 1
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
            version = self._version
        return self._state_text(version)

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
                    or self._version != state_version
                    or (bool(self._events) and self._events[-1][0] > after_seq)
                ),
                timeout_s,
            )
            events, version, closed = self._after(after_seq), self._version, self._closed
        state = self._state_text(version) if version != state_version else None
        return Update(events=events, state=state, state_version=version, closed=closed)

    def _state_text(self, version: int) -> str | None:
        """The JSON of state ``version`` (or a newer one), made once, outside the lock."""
        with self._cond:
            make, text, current = self._make, self._text, self._version
        if text is not None or make is None:
            return text
        text = make()
        with self._cond:
            if self._version == current:
                self._text = text
        return text

    def _after(self, seq: int) -> tuple[tuple[int, str], ...]:
        # From the newest back: a client that is up to date costs one comparison.
        newer: list[tuple[int, str]] = []
        for event in reversed(self._events):
            if event[0] <= seq:
                break
            newer.append(event)
        return tuple(reversed(newer))
