"""Outbox drain rate after an outage (goal >= 2,000 events/s), one figure per line.

A private mosquitto is down while 20,000 events are written to the adapter's outbox (as the
service loop would, 10 per frame); the broker comes back and the time until every event was
acknowledged (and a subscriber had them all) gives the rate.
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
from controller.mqtt.config import MqttConfig
from firmware.clock import SystemClock
from tests.mqtt.broker import Broker, wait_until
from tests.mqtt.conftest import adapter_for, frame, mat_state

EVENTS = 20_000
PER_FRAME = 10


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker", "allow_anonymous true\nset_tcp_nodelay true\n")
        config = MqttConfig(host="127.0.0.1", port=broker.port, discovery=False,
                            reconnect_min_s=1, reconnect_max_s=1)  # fmt: skip
        adapter = adapter_for(config, "bench", Path(d) / "state", SystemClock(), programs=["relax"])
        adapter.start()  # no broker yet: everything goes to the outbox
        t0 = time.perf_counter()
        for i in range(EVENTS // PER_FRAME):
            t = i / 10
            events = [PostureChanged(t=t, posture="lying", previous="sitting")] * PER_FRAME
            adapter.on_frame(frame(t), events, mat_state(t=t))
        write_s = time.perf_counter() - t0
        seen: set[int] = set()
        done = threading.Event()

        def on_message(_c: object, _u: object, msg: paho.MQTTMessage) -> None:
            seen.add(json.loads(msg.payload)["seq"])
            if len(seen) >= EVENTS:
                done.set()

        broker.start()
        sub = paho.Client(CallbackAPIVersion.VERSION2)
        sub.on_message = on_message
        sub.connect("127.0.0.1", broker.port)
        sub.subscribe("acumat/bench/event", qos=1)
        sub.loop_start()
        wait_until(adapter.connected.is_set, 10)
        t1 = time.perf_counter()
        wait_until(lambda: len(adapter.outbox) == 0 and done.is_set(), 120)
        drain_s = time.perf_counter() - t1
        delivered = len(seen)
        adapter.close()
        sub.loop_stop()
        broker.stop()
    print(f"mqtt outbox write (10 events per frame) events_per_s {EVENTS / write_s:.0f}")
    print(f"mqtt outbox drain after outage events_per_s {EVENTS / drain_s:.0f}")
    print(f"mqtt outbox delivered {delivered} of {EVENTS}")


if __name__ == "__main__":
    main()
