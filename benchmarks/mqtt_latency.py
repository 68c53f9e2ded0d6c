"""Frame-to-subscriber latency of an event on loopback (p50 / p99), one figure per line.

Starts a private mosquitto, an MqttAdapter on the real clock and a subscriber; hands the
adapter one event per frame and times until the subscriber has it (goal: p99 <= 20 ms).
The reference, same run and broker: a bare paho client publishing event-sized QoS 1 messages
to a bare subscriber, one at a time (benchmarks/_reference.py). ``--quick``: 100 events.
"""

from __future__ import annotations

import json
import statistics
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _reference import bare_paho_latency_ms, percentile

N = 1000


def main() -> None:
    n = 100 if sys.argv[1:] == ["--quick"] else N
    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker", "allow_anonymous true\nset_tcp_nodelay true\n").start()
        reference = bare_paho_latency_ms(broker.port, n)
        got: dict[int, float] = {}
        arrived = threading.Event()

        def on_message(_c: object, _u: object, msg: paho.MQTTMessage) -> None:
            got[json.loads(msg.payload)["seq"]] = time.perf_counter()
            arrived.set()

        sub = paho.Client(CallbackAPIVersion.VERSION2)
        sub.on_message = on_message
        sub.connect("127.0.0.1", broker.port)
        sub.subscribe("acumat/bench/event", qos=1)
        sub.loop_start()
        config = MqttConfig(host="127.0.0.1", port=broker.port, discovery=False)
        adapter = adapter_for(config, "bench", Path(d) / "state", SystemClock(), programs=["relax"])
        adapter.start()
        wait_until(adapter.connected.is_set)
        latencies = []
        for i in range(1, n + 1):
            arrived.clear()
            t0 = time.perf_counter()
            event = PostureChanged(t=i / 10, posture="lying", previous="sitting")
            seq = adapter.outbox.last_seq + 1  # seq numbers are unique across runs, not 1, 2, ...
            adapter.on_frame(frame(i / 10), [event], mat_state(t=i / 10))
            t_call = time.perf_counter() - t0
            while seq not in got:
                arrived.wait(1.0)
                arrived.clear()
            latencies.append((got[seq] - t0) * 1000)
        adapter.close()
        sub.loop_stop()
        broker.stop()
    print(f"mqtt reference: bare paho QoS 1 latency p50_ms {statistics.median(reference):.2f}")
    print(f"mqtt reference: bare paho QoS 1 latency p99_ms {percentile(reference, 0.99):.2f}")
    print(f"mqtt event latency p50_ms {statistics.median(latencies):.2f}")
    print(f"mqtt event latency p99_ms {percentile(latencies, 0.99):.2f}")
    print(f"mqtt on_frame call with one event_ms {t_call * 1000:.2f}")


if __name__ == "__main__":
    main()
