"""Events per second through the outbox, beside a bare paho publisher (reference), one figure
per line.

A private mosquitto and one subscriber on the events. Reference: a bare paho client publishes
the same number of event-sized QoS 1 messages and the subscriber's rate is timed: what the
broker and paho carry on this machine, in the same run. Then the adapter: (1) connected, the
service loop hands it 10 events per frame as fast as it can (each frame one outbox commit with
its fsync); (2) the broker is down while 20,000 events are written to the outbox, comes back,
and the time until every event was acknowledged and received gives the drain rate
(goal >= 2,000 events/s). ``--quick``: 1,000 events.
"""

from __future__ import annotations

import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from controller.core.events import PostureChanged
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import MqttConfig
from controller.wire.payloads import event_body, with_seq
from firmware.clock import SystemClock
from tests.mqtt.broker import Broker, wait_until
from tests.mqtt.conftest import adapter_for, frame, mat_state

EVENTS = 20_000
PER_FRAME = 10
TOPIC = "acumat/bench/event"


class Subscriber:
    def __init__(self, port: int) -> None:
        self.seen: set[int] = set()
        self.done = threading.Event()
        self.want = EVENTS
        self.client = paho.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(TOPIC, qos=1)
        self.client.loop_start()

    def _on_message(self, _c: object, _u: object, msg: paho.MQTTMessage) -> None:
        self.seen.add(json.loads(msg.payload)["seq"])
        if len(self.seen) >= self.want:
            self.done.set()

    def expect(self, n: int) -> None:
        self.seen, self.want = set(), n
        self.done.clear()


def reference(port: int, sub: Subscriber) -> float:
    body = event_body(
        PostureChanged(t=1.0, posture="lying", previous="sitting"), "b", 0.0, "0" * 32
    )
    pub = paho.Client(CallbackAPIVersion.VERSION2)
    pub.max_inflight_messages_set(100)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    sub.expect(EVENTS)
    t0 = time.perf_counter()
    for seq in range(1, EVENTS + 1):
        pub.publish(TOPIC, with_seq(seq, body), qos=1)
    sub.done.wait(120)
    rate = len(sub.seen) / (time.perf_counter() - t0)
    pub.loop_stop()
    pub.disconnect()
    return rate


def feed(adapter: MqttAdapter, n: int, t0: float = 0.0) -> None:
    for i in range(n // PER_FRAME):
        t = t0 + i / 10
        events = [PostureChanged(t=t, posture="lying", previous="sitting")] * PER_FRAME
        adapter.on_frame(frame(t), events, mat_state(t=t))


def connected_rate(adapter: MqttAdapter, sub: Subscriber) -> float:
    sub.expect(EVENTS)
    t0 = time.perf_counter()
    feed(adapter, EVENTS)
    sub.done.wait(120)
    return len(sub.seen) / (time.perf_counter() - t0)


def drain(adapter: MqttAdapter, broker: Broker) -> tuple[float, float, int]:
    broker.stop()
    wait_until(lambda: not adapter.connected.is_set(), 10)
    t0 = time.perf_counter()
    feed(adapter, EVENTS, t0=10_000.0)
    write_s = time.perf_counter() - t0
    broker.start()
    sub = Subscriber(broker.port)  # subscribed before the adapter's reconnect (1 s)
    wait_until(adapter.connected.is_set, 10)
    t1 = time.perf_counter()
    wait_until(lambda: len(adapter.outbox) == 0 and sub.done.is_set(), 120)
    drain_s = time.perf_counter() - t1
    sub.client.loop_stop()
    return EVENTS / write_s, EVENTS / drain_s, len(sub.seen)


def main() -> None:
    global EVENTS  # noqa: PLW0603
    if sys.argv[1:] == ["--quick"]:
        EVENTS = 1_000
    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker", "allow_anonymous true\nset_tcp_nodelay true\n"
                        "max_queued_messages 0\n").start()  # fmt: skip
        sub = Subscriber(broker.port)
        ref = reference(broker.port, sub)
        config = MqttConfig(host="127.0.0.1", port=broker.port, discovery=False,
                            reconnect_min_s=1, reconnect_max_s=1)  # fmt: skip
        adapter = adapter_for(config, "bench", Path(d) / "state", SystemClock(), programs=["relax"])
        adapter.start()
        wait_until(adapter.connected.is_set, 10)
        live = connected_rate(adapter, sub)
        sub.client.loop_stop()
        write, drained, delivered = drain(adapter, broker)
        adapter.close()
        broker.stop()
    print(f"mqtt reference: bare paho QoS 1 publish to subscriber events_per_s {ref:.0f}")
    print(f"mqtt outbox connected, on_frame to subscriber (10 per frame) events_per_s {live:.0f}")
    print(f"mqtt outbox write while the broker is down (10 per frame) events_per_s {write:.0f}")
    print(f"mqtt outbox drain after outage events_per_s {drained:.0f}")
    print(f"mqtt outbox delivered {delivered} of {EVENTS}")


if __name__ == "__main__":
    main()
