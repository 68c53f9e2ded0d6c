"""The same-run reference for in-process timings: the naive threshold's cost per frame.

Not a benchmark (the smoke test skips files that start with ``_``). ``naive_frame_us()``
times what a DIY mat sensor does with a 6-zone frame (sum the loads; an on/off threshold with
hysteresis and ESPHome-style delays) in this interpreter, now. A figure printed beside it as a
ratio ("= N x the naive frame") carries over between machines far better than µs do: the
ratio is what docs/performance.md scales to a Raspberry Pi.
"""

from __future__ import annotations

import random
import time

ZONES = 6
FRAMES = 20_000


def _naive(frames: list[tuple[float, ...]], rate_hz: float = 10.0) -> int:
    on_kg, off_kg, delayed_on_s, delayed_off_s = 20.0, 15.0, 1.0, 5.0
    state, since, changes = False, -1.0, 0
    for i, loads in enumerate(frames):
        t = i / rate_hz
        total = sum(loads)
        want = total > on_kg if not state else total >= off_kg
        if want == state:
            since = -1.0
            continue
        if since < 0:
            since = t
        if t - since >= (delayed_on_s if want else delayed_off_s):
            state, since, changes = want, -1.0, changes + 1
    return changes


def naive_frame_us(repeats: int = 5) -> float:
    """Best of ``repeats``: µs per frame of the naive threshold over 20,000 6-zone frames."""
    rng = random.Random(7)
    frames = [
        tuple(rng.uniform(0.0, 12.0) * (i // 600 % 2) for _ in range(ZONES)) for i in range(FRAMES)
    ]
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        _naive(frames)
        best = min(best, time.perf_counter() - start)
    return best / FRAMES * 1e6


def beside(us: float, reference_us: float) -> str:
    """``12.3 us (= 45 x the naive frame, 0.27 us, same run)``."""
    ratio = us / reference_us
    return f"{us:.2f} us (= {ratio:.0f} x the naive frame, {reference_us:.3f} us, same run)"


def bare_paho_latency_ms(port: int, count: int, topic: str = "bench/reference") -> list[float]:
    """The MQTT reference: a bare paho client publishes ``count`` event-sized QoS 1 messages
    one at a time to a bare subscriber on the broker at ``port``; ms from publish to arrival."""
    import threading

    import paho.mqtt.client as paho
    from paho.mqtt.enums import CallbackAPIVersion

    arrived = threading.Event()
    sub = paho.Client(CallbackAPIVersion.VERSION2)
    sub.on_message = lambda _c, _u, _m: arrived.set()
    subscribed = threading.Event()
    sub.on_subscribe = lambda *_a: subscribed.set()
    sub.connect("127.0.0.1", port)
    sub.subscribe(topic, qos=1)
    sub.loop_start()
    pub = paho.Client(CallbackAPIVersion.VERSION2)
    pub.connect("127.0.0.1", port)
    pub.loop_start()
    subscribed.wait(5)
    payload = b'{"type":"posture","t":1.0,"posture":"lying","previous":"sitting","seq":1}'
    latencies: list[float] = []
    for _ in range(count):
        arrived.clear()
        start = time.perf_counter()
        pub.publish(topic, payload, qos=1)
        if arrived.wait(5):
            latencies.append((time.perf_counter() - start) * 1000)
    for client in (pub, sub):
        client.loop_stop()
        client.disconnect()
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
