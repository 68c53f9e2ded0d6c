"""The seams between the service loop and the outside: adapters that publish and take commands.

The MQTT adapter, the console and the history store each implement ``Adapter``; tests use
fakes that implement it too (so mypy checks them). An exception from any method but ``start``
is logged (once, then at most once a minute) and the mat goes on; see ``loop.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from controller.core.commands import CommandRequest
from controller.core.events import Event
from controller.core.state import MatState
from firmware.frame import ZoneFrame


class Adapter(Protocol):
    def start(self) -> None: ...

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        """Called on the service loop's thread after each frame; must not block long.

        The same frame comes again, with new events only, when events arise between frames:
        a command's (``tared``, ``session_ended`` from ``stop``), the end of the frames' (the
        session settled) and a stalled source's (``source_stalled``, with the latest frame while
        no new one comes). Each event is delivered once; an adapter that records frames records
        a frame once (the session recorder skips a frame time it has written).
        """
        ...

    def take_commands(self) -> list[CommandRequest]:
        """Commands that arrived since the last call (thread-safe)."""
        ...

    def close(self) -> None:
        """Flushes what must not be lost (outbox, session) and says goodbye (offline)."""
        ...
