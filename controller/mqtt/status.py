"""The broker connection's state as people see it: the console's status line reads it (thread-safe).

The MQTT adapter's worker ``set``s it from what paho reported (connecting, connected, a
refusal with its reason); the console reads ``text()`` on the service thread at every frame.
One lock around one frozen value: a reader never sees a state half written. Beside it, what
Home Assistant last said of itself on its status topic (``online`` / ``offline``, None until
it says anything): HA says it when it starts and stops, not when acumat connects, so a mat
started after HA has not seen it yet. The web page shows both.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

LinkState = Literal["connecting", "connected", "unreachable", "refused", "in_use"]
HomeAssistantState = Literal["online", "offline"]


@dataclass(frozen=True, slots=True)
class BrokerState:
    """``unreachable``: no MQTT session could be made (refused port, unknown name, timeout,
    TLS); ``refused``: the broker said no (not authorised); ``in_use``: another client took
    this client id (another mat with the same id)."""

    state: LinkState = "connecting"
    reason: str | None = None

    def text(self) -> str:
        words = self.state.replace("_", " ")
        return f"mqtt {words}" if self.reason is None else f"mqtt {words}: {self.reason}"


class BrokerStatus:
    """The current ``BrokerState`` (any thread may read or set it)."""

    def __init__(self, initial: BrokerState | None = None) -> None:
        self._lock = threading.Lock()
        self._state = initial or BrokerState()
        self._home_assistant: HomeAssistantState | None = None

    def set(self, state: BrokerState) -> None:
        with self._lock:
            self._state = state

    @property
    def current(self) -> BrokerState:
        with self._lock:
            return self._state

    def home_assistant_said(self, said: HomeAssistantState) -> None:
        with self._lock:
            self._home_assistant = said

    @property
    def home_assistant(self) -> HomeAssistantState | None:
        """What Home Assistant last said on its status topic (None: not seen yet)."""
        with self._lock:
            return self._home_assistant

    def status_text(self) -> str:
        """One short phrase for a status line (``mqtt refused: Not authorized``)."""
        return self.current.text()
