"""The MQTT adapter: the service loop's events, state and zones out; commands in (I/O shell).

Three threads meet here. The service thread calls ``on_frame`` (``stamper`` numbers the events
and so writes them to the durable outbox; the web page shares the stamper, so an event has one
``seq`` and one body on both; state/zones publishing is decided from frame times) and
``take_commands``; it never waits on the network. paho's network thread only reports what
happened (``notes.Note``: connect, message, PUBACK …). Both put typed jobs on one queue; the
adapter's worker thread runs them: ``EventDelivery`` (``delivery.py``) publishes the outbox in
``seq`` order (at most ``max_inflight`` unacknowledged) and events are deleted once acked;
commands go to the ``CommandInbox`` (which refuses retained ones and answers bad ones at
once); discovery and state are republished on every connect and on HA's birth message; and
``Link`` is told what happened to the connection (the log lines, the ``BrokerStatus`` the
console shows, a client id taken by another mat). Home Assistant's own ``online`` /
``offline`` on its status topic is kept in the ``BrokerStatus`` too, for the page.

Every payload is dated by the frame that caused it, through the service's one ``WallAt``: an
event by its ``t``, state and zones by the frame's. So MQTT, the history, the recordings and
the journal give one event one wall time, at any ``--speed``. Only the habit figures' "today"
(and their midnight refresh) reads the clock: it is about the real day.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from controller import __version__
from controller.core.commands import CommandRequest
from controller.core.events import Event, SessionEnded
from controller.core.state import MatState
from controller.mqtt.client import BrokerClient, log_subscribed
from controller.mqtt.config import MqttConfig
from controller.mqtt.delivery import EventDelivery
from controller.mqtt.discovery import discovery_payload
from controller.mqtt.history import history_payload, next_midnight_wall_s
from controller.mqtt.inbox import CommandInbox
from controller.mqtt.link import Link
from controller.mqtt.notes import (
    Acked,
    Connected,
    ConnectFailed,
    Disconnected,
    Message,
    Note,
    Refused,
    Subscribed,
)
from controller.mqtt.outbox import Outbox
from controller.mqtt.status import BrokerStatus, HomeAssistantState
from controller.mqtt.topics import MatTopics
from controller.wire.payloads import (
    StateThrottle,
    dumps,
    state_payload,
    zones_payload,
)
from controller.wire.stamp import EventStamper
from firmware.clock import Clock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

log = logging.getLogger("acumat.mqtt")
_POLL_S = 0.25
_HA_SAYS: dict[bytes, HomeAssistantState] = {b"online": "online", b"offline": "offline"}


@dataclass(frozen=True, slots=True)
class Publish:
    """A message from the service thread (state, zones, a command's result); sent only while
    connected: a state missed is republished on connect, zones are live."""

    topic: str
    payload: str
    qos: int
    retain: bool


@dataclass(frozen=True, slots=True)
class RefreshHistory:
    """A session ended: republish the habit figures (read on the worker, off the frame path)."""


Job = Publish | RefreshHistory | Note


class MqttAdapter:
    def __init__(
        self,
        config: MqttConfig,
        *,
        mat_id: str,
        mat_name: str,
        layout: MatLayout,
        programs: Sequence[str],
        clock: Clock,
        wall_at: WallAt,
        outbox_path: Path,
        history_path: Path,
        status: BrokerStatus | None = None,
    ) -> None:
        """``status``: where the connection's state is kept for the console (None: a new one,
        ``self.status``)."""
        self.config, self.mat_id = config, mat_id
        self._clock, self._wall_at = clock, wall_at
        self._names = layout.names
        self.topics = MatTopics.of(config, mat_id)
        discovery = discovery_payload(self.topics, mat_name, programs, sw_version=__version__)
        self._discovery = dumps(discovery)
        self.outbox = Outbox(outbox_path, config.outbox_max_events, clock=clock)
        self.stamper = EventStamper(self.outbox, mat_id, wall_at)  # the web page's too
        self._history_path = history_path
        self._throttle = StateThrottle(config.heartbeat_s, config.zones_rate_hz)
        self._jobs: queue.SimpleQueue[Job] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.connected = threading.Event()
        self._inbox = CommandInbox(self.topics, self._answer, clock)
        self._last_state: tuple[MatState, float] | None = None  # and its wall time
        self.history_tz: tzinfo | None = None  # None: the machine's local time
        self._history_next_s = math.inf  # the next local midnight, once published
        client_id = config.client_id or f"acumat-{mat_id}"
        self.status = status or BrokerStatus()
        self._link = Link(config, client_id, mat_id, self.status)
        self._slow_reconnect = False
        self._client = BrokerClient(
            config,
            client_id=client_id,
            will_topic=self.topics.availability,
            subscriptions=[(self.topics.commands, 1), (self.topics.ha_status, 1)],
            on_note=self._note,
        )
        self._delivery = EventDelivery(self.outbox, self.topics.event, config.max_inflight,
                                       self._client)  # fmt: skip
        self._worker = threading.Thread(target=self._work, name=f"mqtt-{mat_id}", daemon=True)

    # --- the service thread -------------------------------------------------------------

    def start(self) -> None:
        self._worker.start()
        self._client.start()

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        if events:
            self.stamper.stamp(events)  # into the outbox, numbered
            if any(isinstance(e, SessionEnded) for e in events):
                self._jobs.put(RefreshHistory())
            self._delivery.drained.clear()
            self._wake.set()
        wall_s = self._wall_at(frame.t)
        if self._throttle.state_due(state):
            self._last_state = (state, wall_s)
            self._put(Publish(self.topics.state, self._state_text(), qos=1, retain=True))
        if self._throttle.zones_due(state.t):
            zones = zones_payload(state, self._names, wall_s)
            self._put(Publish(self.topics.zones, zones, qos=0, retain=False))

    def _state_text(self) -> str:
        assert self._last_state is not None
        state, wall_s = self._last_state
        return state_payload(state, self.mat_id, wall_s, dropped=self.outbox.dropped)

    def take_commands(self) -> list[CommandRequest]:
        return self._inbox.take()

    def page_status(self) -> dict[str, Any]:
        """The connection as the web page shows it (any thread)."""
        return {
            "configured": True,
            "connected": self.connected.is_set(),
            "broker": f"{self.config.host}:{self.config.port}",
            "discovery": self.config.discovery,
            "pending_events": len(self.outbox),
            "home_assistant": self.status.home_assistant,
        }

    def close(self) -> None:
        """Waits (bounded) for the outbox to drain, says ``offline``, disconnects."""
        # Waits even while disconnected: a broker back within the bound still gets them all.
        if len(self.outbox):
            self._wake.set()
            self._delivery.drained.wait(self.config.close_timeout_s)
        if self.connected.is_set():
            said = self._client.publish_and_wait(
                self.topics.availability, "offline", 1, True, self.config.close_timeout_s
            )
            if not said:
                log.info("could not say offline; the broker's last will will")
        self._stop.set()
        self._wake.set()
        if self._worker.is_alive():
            self._worker.join(timeout=self.config.close_timeout_s + 1)
        self._client.stop()
        self.outbox.close()

    def _put(self, job: Job) -> None:
        self._jobs.put(job)
        self._wake.set()

    # --- paho's network thread: record and wake, nothing else --------------------------

    def _note(self, note: Note) -> None:
        if isinstance(note, Connected):
            self.connected.set()
        elif isinstance(note, Disconnected):
            self.connected.clear()
        self._put(note)

    # --- the worker thread --------------------------------------------------------------

    def _work(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(_POLL_S)
            self._wake.clear()
            try:
                self._run_jobs()
                if self.connected.is_set():
                    self._delivery.pump()
                if self.connected.is_set() and self._clock.wall() >= self._history_next_s:
                    self._publish_history()
            except Exception:  # the worker must outlive any one bad message
                log.exception("mqtt worker step failed")

    def _run_jobs(self) -> None:
        acked: list[int] = []
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            self._run(job, acked)
        self.outbox.ack(acked)  # one transaction for the whole batch: the drain rate needs it

    def _run(self, job: Job, acked: list[int]) -> None:
        match job:
            case Publish(topic, payload, qos, retain):
                if self.connected.is_set():
                    self._client.publish(topic, payload, qos, retain)
            case RefreshHistory():
                if self.connected.is_set():  # else the next connect publishes it
                    self._publish_history()
            case Acked(mid, refusal):
                self._delivery.on_ack(mid, refusal, acked)
            case Message(topic, payload, retain):
                self._on_message(topic, payload, retain)
            case Subscribed():
                log_subscribed(job)
            case _:
                self._on_link(job)

    def _on_link(self, note: Connected | ConnectFailed | Refused | Disconnected) -> None:
        now_s = self._clock.monotonic()
        match note:
            case Connected():
                self._link.connected(now_s)
                self._announce()
            case ConnectFailed(reason):
                self._link.failed(now_s, reason)
            case Refused(reason):
                self._link.failed(now_s, reason, refused=True)
            case Disconnected(reason, taken_over):
                self._link.disconnected(now_s, reason, taken_over)
        if self._link.in_use != self._slow_reconnect:  # two clients, one id: fight slowly
            self._slow_reconnect = self._link.in_use
            self._client.back_off(self.config.reconnect_max_s if self._slow_reconnect else None)

    def _announce(self) -> None:
        self._client.publish(self.topics.availability, "online", qos=1, retain=True)
        if self.config.discovery:
            self._client.publish(self.topics.discovery, self._discovery, qos=1, retain=True)
        if self._last_state is not None:  # with the outbox's dropped count as it is now
            self._client.publish(self.topics.state, self._state_text(), qos=1, retain=True)
        self._publish_history()

    def _publish_history(self) -> None:
        """Habit figures from the history database, retained (worker thread only)."""
        now_s = self._clock.wall()
        payload = history_payload(self._history_path, self.mat_id, now_s, self.history_tz)
        self._client.publish(self.topics.history, payload, qos=1, retain=True)
        self._history_next_s = next_midnight_wall_s(now_s, self.history_tz)

    def _on_message(self, topic: str, payload: bytes, retain: bool) -> None:
        if topic == self.topics.ha_status:
            said = _HA_SAYS.get(payload.strip())
            if said is not None:
                self.status.home_assistant_said(said)
            if said == "online":  # HA (re)started; our connection did not change
                log.info("Home Assistant is online: discovery and state sent again")
                self._announce()
            return
        self._inbox.receive(topic, payload, retain)

    def _answer(self, topic: str, payload: str) -> None:
        """A command's result (any thread): queued, published by the worker."""
        self._put(Publish(topic, payload, qos=1, retain=False))
