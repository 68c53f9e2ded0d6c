"""The MQTT adapter: the service loop's events, state and zones out; commands in (I/O shell).

Three threads meet here. The service thread calls ``on_frame`` (writes events to the durable
outbox, decides state/zones publishing from frame times) and ``take_commands``; it never waits
on the network. paho's network thread only records what happened (connect, message, PUBACK)
on a queue. The adapter's worker thread does the rest: publishes the outbox in ``seq`` order
(at most ``max_inflight`` unacknowledged), deletes events once acked, parses commands, answers
bad ones at once, republishes discovery and state on every connect and on HA's birth message.
"""

from __future__ import annotations

import logging
import math
import queue
import threading
from collections.abc import Sequence
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from controller.core.commands import CommandRequest, CommandResult
from controller.core.events import Event, SessionEnded
from controller.core.state import MatState
from controller.mqtt import client as mq
from controller.mqtt.commandwire import parse_command, result_payload
from controller.mqtt.config import MqttConfig
from controller.mqtt.discovery import discovery_payload, discovery_topic
from controller.mqtt.history import HISTORY_FILE, history_payload, next_midnight_wall_s
from controller.mqtt.outbox import Outbox, outbox_path
from controller.mqtt.payloads import (
    StateThrottle,
    dumps,
    event_body,
    state_payload,
    with_seq,
    zones_payload,
)
from firmware.clock import Clock
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

log = logging.getLogger("acumat.mqtt")
_POLL_S = 0.25


class MqttAdapter:
    def __init__(  # noqa: PLR0917 (the signature the service loop was promised)
        self,
        config: MqttConfig,
        mat_id: str,
        mat_name: str,
        layout: MatLayout,
        programs: Sequence[str],
        clock: Clock,
        state_dir: Path,
    ) -> None:
        self.config, self.mat_id, self._clock = config, mat_id, clock
        self._names = layout.names
        self.base = f"{config.topic_prefix}/{mat_id}"
        self._discovery = (
            discovery_topic(config.discovery_prefix, mat_id),
            dumps(discovery_payload(self.base, mat_id, mat_name, programs)),
        )
        self.outbox = Outbox(outbox_path(state_dir, mat_id), config.outbox_max_events)
        self._throttle = StateThrottle(config.heartbeat_s, config.zones_rate_hz)
        self._jobs: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._drained = threading.Event()
        self.connected = threading.Event()
        self._commands: list[CommandRequest] = []
        self._commands_lock = threading.Lock()
        self._inflight: dict[int, int] = {}  # paho mid -> seq; worker thread only
        self._sent_upto = 0
        self._last_state: str | None = None
        self._history_path = state_dir / HISTORY_FILE
        self.history_tz: tzinfo | None = None  # None: the machine's local time
        self._history_next_s = math.inf  # the next local midnight, once published
        self._client = mq.make_client(
            config, config.client_id or f"acumat-{mat_id}", self.topic("availability")
        )
        self._wire_callbacks()
        self._worker = threading.Thread(target=self._work, name=f"mqtt-{mat_id}", daemon=True)

    def topic(self, leaf: str) -> str:
        return f"{self.base}/{leaf}"

    # --- the service thread -------------------------------------------------------------

    def start(self) -> None:
        self._worker.start()
        mq.connect_async(self._client, self.config)

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        wall_s = self._clock.wall()
        if events:
            self.outbox.add((e.type, event_body(e, self.mat_id, wall_s)) for e in events)
            if any(isinstance(e, SessionEnded) for e in events):
                self._jobs.put(("history", None))  # read by the worker, off this thread
            self._drained.clear()
            self._wake.set()
        if self._throttle.state_due(state):
            self._last_state = state_payload(state, self.mat_id, wall_s)
            self._publish_job(self.topic("state"), self._last_state, qos=1, retain=True)
        if self._throttle.zones_due(state.t):
            zones = zones_payload(state, self._names, wall_s)
            self._publish_job(self.topic("zones"), zones, qos=0, retain=False)

    def take_commands(self) -> list[CommandRequest]:
        with self._commands_lock:
            taken, self._commands = self._commands, []
        return taken

    def close(self) -> None:
        """Waits (bounded) for the outbox to drain, says ``offline``, disconnects."""
        # Waits even while disconnected: a broker back within the bound still gets them all.
        if len(self.outbox):
            self._wake.set()
            self._drained.wait(self.config.close_timeout_s)
        if self.connected.is_set():
            info = self._client.publish(self.topic("availability"), "offline", qos=1, retain=True)
            _wait_published(info, self.config.close_timeout_s)
        self._stop.set()
        self._wake.set()
        if self._worker.is_alive():
            self._worker.join(timeout=self.config.close_timeout_s + 1)
        self._client.disconnect()
        self._client.loop_stop()
        self.outbox.close()

    def _publish_job(self, topic: str, payload: str, qos: int, retain: bool) -> None:
        self._jobs.put(("pub", (topic, payload, qos, retain)))
        self._wake.set()

    # --- paho's network thread: record and wake, nothing else --------------------------

    def _wire_callbacks(self) -> None:
        c = self._client
        c.on_connect = self._on_connect
        c.on_disconnect = self._on_disconnect
        c.on_message = lambda _c, _u, msg: self._note("msg", (msg.topic, bytes(msg.payload)))
        c.on_publish = lambda _c, _u, mid, rc, _p: self._note("ack", (mid, rc))
        c.on_subscribe = lambda _c, _u, _mid, codes, _p: self._note("suback", codes)

    def _note(self, kind: str, data: Any) -> None:
        self._jobs.put((kind, data))
        self._wake.set()

    def _on_connect(self, client: Any, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        if rc.is_failure:  # a refused CONNACK is not a connection (Frigate's bug)
            self._note("refused", rc)
            return
        # Subscriptions are renewed on every connect: the session is clean.
        client.subscribe([(self.topic("cmd/+"), 1), (f"{self.config.discovery_prefix}/status", 1)])
        self.connected.set()
        self._note("connected", None)

    def _on_disconnect(self, _c: Any, _u: Any, _f: Any, rc: Any, _p: Any) -> None:
        self.connected.clear()
        self._note("disconnected", rc)

    # --- the worker thread --------------------------------------------------------------

    def _work(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(_POLL_S)
            self._wake.clear()
            try:
                self._run_jobs()
                self._pump()
                if self.connected.is_set() and self._clock.wall() >= self._history_next_s:
                    self._publish_history()
            except Exception:  # the worker must outlive any one bad message
                log.exception("mqtt worker step failed")

    def _run_jobs(self) -> None:
        acked: list[int] = []
        while True:
            try:
                kind, data = self._jobs.get_nowait()
            except queue.Empty:
                break
            if kind == "ack":
                self._on_ack(data, acked)
            elif kind == "history":
                if self.connected.is_set():  # else the next connect publishes it
                    self._publish_history()
            else:
                self._handle(kind, data)
        self.outbox.ack(acked)

    def _handle(self, kind: str, data: Any) -> None:
        if kind == "pub":
            topic, payload, qos, retain = data
            if self.connected.is_set():
                self._client.publish(topic, payload, qos=qos, retain=retain)
        elif kind == "msg":
            self._on_message(*data)
        elif kind == "connected":
            self._announce()
        elif kind == "refused":
            log.error(
                "broker %s refused the connection: %s", self.config.host, mq.reason_text(data)
            )
        elif kind == "disconnected":
            log.warning("disconnected from the broker (%s); reconnecting", mq.reason_text(data))
        elif kind == "suback":
            for code in data:
                if code.is_failure:
                    log.error("subscription refused by the broker: %s", mq.reason_text(code))

    def _on_ack(self, data: tuple[int, Any], acked: list[int]) -> None:
        mid, rc = data
        seq = self._inflight.pop(mid, None)
        if seq is None:
            return
        if rc.is_failure:  # MQTT 5 only; 3.1.1 brokers drop a denied publish silently
            log.error("broker refused event seq %d: %s (kept for the next start)", seq, rc)
            return
        acked.append(seq)

    def _announce(self) -> None:
        log.info("connected to %s:%d", self.config.host, self.config.port)
        self._client.publish(self.topic("availability"), "online", qos=1, retain=True)
        if self.config.discovery:
            self._client.publish(*self._discovery, qos=1, retain=True)
        if self._last_state is not None:
            self._client.publish(self.topic("state"), self._last_state, qos=1, retain=True)
        self._publish_history()

    def _publish_history(self) -> None:
        """Habit figures from the history database, retained (worker thread only)."""
        now_s = self._clock.wall()
        payload = history_payload(self._history_path, self.mat_id, now_s, self.history_tz)
        self._client.publish(self.topic("history"), payload, qos=1, retain=True)
        self._history_next_s = next_midnight_wall_s(now_s, self.history_tz)

    def _on_message(self, topic: str, payload: bytes) -> None:
        if topic == f"{self.config.discovery_prefix}/status":
            if payload.strip() == b"online":
                self._announce()
            return
        name = topic.removeprefix(self.topic("cmd/"))
        parsed = parse_command(name, payload)
        if parsed.command is None:
            log.warning("command %r rejected: %s", name[:40], parsed.error)
            self._result(name, parsed.transaction, CommandResult.failure(str(parsed.error)))
            return
        request = CommandRequest(parsed.command, partial(self._reply, name, parsed.transaction))
        with self._commands_lock:
            self._commands.append(request)

    def _reply(self, name: str, transaction: Any, result: CommandResult) -> None:
        self._publish_job(
            self.topic(f"cmd/{name}/result"), result_payload(transaction, result), 1, False
        )

    def _result(self, name: str, transaction: Any, result: CommandResult) -> None:
        payload = result_payload(transaction, result)
        self._client.publish(self.topic(f"cmd/{name}/result"), payload, qos=1, retain=False)

    def _pump(self) -> None:
        """Publishes outbox events in seq order while connected, within the in-flight window."""
        if not self.connected.is_set():
            return
        room = self.config.max_inflight - len(self._inflight)
        if room > 0:
            for seq, body in self.outbox.pending(self._sent_upto, room):
                info = self._client.publish(self.topic("event"), with_seq(seq, body), qos=1)
                self._inflight[info.mid] = seq
                self._sent_upto = seq
        # Events a broker refused stay in the outbox (for the next start) but count as drained.
        if not self._inflight and not self.outbox.pending(self._sent_upto, 1):
            self._drained.set()


def _wait_published(info: Any, timeout_s: float) -> None:
    try:
        info.wait_for_publish(timeout_s)
    except (RuntimeError, ValueError):  # not connected any more: the will says offline
        log.info("could not say offline; the broker's last will will")
