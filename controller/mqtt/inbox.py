"""Commands off the broker, before the service sees them (I/O: logs; any thread).

The MQTT adapter's worker hands every ``cmd/<name>`` message here. What is not a command to
run is settled at once, never reaching the controller:

* a *retained* message (published with ``-r``, re-sent by the broker on every connect, so a
  ``start`` from last week would start a session at each reconnect) gets an error result that
  says how to clear it, with the payload's ``transaction`` if it has one, and is never run;
* an empty payload is ignored without a reply: it is what clearing a retained topic sends
  (``mosquitto_pub -r -n``), and a live subscriber receives it too;
* a payload ``controller.wire.commands`` cannot read (bad JSON, over 4 KiB, unknown command or
  field) gets its error result.

A valid command becomes a ``CommandRequest`` the service thread takes between frames; its
result goes back through ``answer`` (the adapter queues it for the worker). Rejections are
logged at once, then at most one line a minute with the count: a flood of bad payloads is not
a flood of log lines.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from controller.core.commands import CommandRequest, CommandResult
from controller.mqtt.topics import MatTopics
from controller.storage.trouble import Every, and_more
from controller.wire.commands import parse_command, result_payload
from firmware.clock import Clock

log = logging.getLogger("acumat.mqtt")


def retained_error(topic: str) -> str:
    """The error result of a retained command: why, and the command that clears it."""
    return (
        "retained commands are ignored (the broker re-sends them on every connect); "
        f"clear this one with: mosquitto_pub -r -n -t {topic}"
    )


class CommandInbox:
    """Parses, refuses or queues commands; ``take`` hands the queued ones to the service."""

    def __init__(self, topics: MatTopics, answer: Callable[[str, str], None], clock: Clock) -> None:
        self._topics, self._answer, self._clock = topics, answer, clock
        self._queued: list[CommandRequest] = []
        self._lock = threading.Lock()
        self._rejections = Every()

    def receive(self, topic: str, payload: bytes, retain: bool) -> None:
        """One message on a command topic of this mat (the worker thread)."""
        name = self._topics.command_name(topic)
        if name is None or not payload:  # not a command topic; or a retained one cleared
            return
        parsed = parse_command(name, payload)  # a retained one too: its transaction is echoed
        if retain:
            self._reject(name, parsed.transaction, retained_error(topic))
            return
        if parsed.command is None:
            self._reject(name, parsed.transaction, str(parsed.error))
            return
        request = CommandRequest(parsed.command, partial(self._reply, name, parsed.transaction))
        with self._lock:
            self._queued.append(request)

    def take(self) -> list[CommandRequest]:
        """The commands received since the last call (the service thread)."""
        with self._lock:
            taken, self._queued = self._queued, []
        return taken

    def _reject(self, name: str, transaction: Any, error: str) -> None:
        held = self._rejections.due(self._clock.monotonic())
        if held is not None:
            log.warning("command %r rejected: %s%s", name[:40], error, and_more(held))
        self._reply(name, transaction, CommandResult.failure(error))

    def _reply(self, name: str, transaction: Any, result: CommandResult) -> None:
        self._answer(self._topics.result(name), result_payload(transaction, result))
