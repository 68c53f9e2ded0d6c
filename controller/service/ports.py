"""The seams between the service loop and the outside: adapters that publish and take commands.

The MQTT adapter, the console and the history store each implement ``Adapter``; tests use
fakes that implement it too (so mypy checks them).
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
        """Called on the service loop's thread after each frame; must not block long."""
        ...

    def take_commands(self) -> list[CommandRequest]:
        """Commands that arrived since the last call (thread-safe)."""
        ...

    def close(self) -> None:
        """Flushes what must not be lost (outbox, session) and says goodbye (offline)."""
        ...
