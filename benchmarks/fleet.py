"""N simulated mats against one broker: messages per second and end-to-end event latency.

``python benchmarks/fleet.py [MATS] [RATE_HZ] [SECONDS]`` (default 100 mats at 10 Hz for 10 s;
``--quick``: 5 mats for 1 s).
Each mat is a real MqttAdapter (own client, outbox, worker) fed frames at RATE_HZ: state on
change, zones at 2 Hz, an event every second. One subscriber on ``acumat/#`` counts messages
and times each event from ``on_frame`` to arrival, on a private mosquitto (one process).
References, same run and broker: the frames offered (mats x rate), and a bare paho client's
QoS 1 latency to a bare subscriber before the fleet starts (benchmarks/_reference.py).
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


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.arrived: dict[tuple[str, int], float] = {}
        self.lock = threading.Lock()

    def on_message(self, _c: object, _u: object, msg: paho.MQTTMessage) -> None:
        now = time.perf_counter()
        with self.lock:
            self.messages += 1
            if msg.topic.endswith("/event"):
                self.arrived[(msg.topic.split("/")[1], json.loads(msg.payload)["seq"])] = now


def run(mats: int, rate_hz: float, seconds: float, port: int, state: Path) -> None:
    reference = bare_paho_latency_ms(port, 200)
    counter = Counter()
    sub = paho.Client(CallbackAPIVersion.VERSION2)
    sub.on_message = counter.on_message
    sub.connect("127.0.0.1", port)
    sub.subscribe("acumat/#", qos=1)
    sub.loop_start()
    config = MqttConfig(host="127.0.0.1", port=port, discovery=False)
    clock = SystemClock()
    fleet = [adapter_for(config, f"mat{i:03d}", state, clock, programs=["relax"])
             for i in range(mats)]  # fmt: skip
    for adapter in fleet:
        adapter.start()
    wait_until(lambda: all(a.connected.is_set() for a in fleet), 30)
    sent: dict[tuple[str, int], float] = {}
    frames = int(seconds * rate_hz)
    t_start = time.perf_counter()
    for n in range(frames):
        t = n / rate_hz
        posture = "lying" if (n // int(rate_hz * 3)) % 2 else "sitting"
        for k, adapter in enumerate(fleet):
            events = []
            if n % int(rate_hz) == k % int(rate_hz):
                events = [PostureChanged(t=t, posture="lying", previous="sitting")]
                sent[(adapter.mat_id, adapter.outbox.last_seq + 1)] = time.perf_counter()
            adapter.on_frame(frame(t), events, mat_state(t=t, posture=posture, load_kg=60.0))
        lag = t_start + (n + 1) / rate_hz - time.perf_counter()
        if lag > 0:
            time.sleep(lag)
    wait_until(lambda: len(counter.arrived) >= len(sent), 30)
    elapsed = time.perf_counter() - t_start
    latencies = [(counter.arrived[k] - t0) * 1000 for k, t0 in sent.items() if k in counter.arrived]
    for adapter in fleet:
        adapter.close()
    sub.loop_stop()
    ordered = sorted(latencies)
    print(f"fleet {mats} mats at {rate_hz:g} Hz frames_per_s {mats * frames / elapsed:.0f} "
          f"(offered {mats * rate_hz:.0f})")  # fmt: skip
    print(f"fleet messages_per_s received {counter.messages / elapsed:.0f}")
    print(f"fleet events delivered {len(latencies)} of {len(sent)}")
    print(f"fleet reference: bare paho QoS 1 latency p50_ms {statistics.median(reference):.1f}")
    print(f"fleet reference: bare paho QoS 1 latency p99_ms {percentile(reference, 0.99):.1f}")
    print(f"fleet event latency p50_ms {statistics.median(ordered):.1f}")
    print(f"fleet event latency p99_ms {ordered[int(0.99 * (len(ordered) - 1))]:.1f}")


def main() -> None:
    quick = sys.argv[1:] == ["--quick"]
    args = ["5", "10", "1"] if quick else sys.argv[1:]
    mats = int(args[0]) if len(args) > 0 else 100
    rate_hz = float(args[1]) if len(args) > 1 else 10.0
    seconds = float(args[2]) if len(args) > 2 else 10.0
    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker", "allow_anonymous true\nset_tcp_nodelay true\n")
        broker.start()
        try:
            run(mats, rate_hz, seconds, broker.port, Path(d) / "state")
        finally:
            broker.stop()


if __name__ == "__main__":
    main()
