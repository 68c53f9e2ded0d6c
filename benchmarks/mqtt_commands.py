"""Commands answered per second through a real mosquitto, beside a bare paho echo (reference).

One client sends N commands as fast as it can, up to 100 unanswered at a time, and counts the
results on ``cmd/+/result``. Two kinds: valid ``select_program`` commands, queued and answered
by a thread playing the service loop (``take_commands`` then ``reply``, as between frames);
and malformed ones, which the adapter answers at once. The reference is the same exchange
with a bare paho client answering each command itself: what the broker and paho allow on this
machine, measured in the same run. ``--quick``: 300 commands of each kind.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from controller.core.commands import CommandResult
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import MqttConfig
from firmware.clock import SystemClock
from tests.mqtt.broker import Broker, wait_until
from tests.mqtt.conftest import adapter_for

N = 5_000
WINDOW = 100
BASE = "acumat/bench/cmd"


class Asker:
    """Sends N payloads to ``BASE/<name>``, at most WINDOW unanswered; times the answers."""

    def __init__(self, port: int) -> None:
        self.answered = 0
        self._cond = threading.Condition()
        self.client = paho.Client(CallbackAPIVersion.VERSION2)
        self.client.on_message = self._on_result
        self.client.connect("127.0.0.1", port)
        self.client.subscribe(f"{BASE}/+/result", qos=1)
        self.client.loop_start()

    def _on_result(self, _c: object, _u: object, _m: paho.MQTTMessage) -> None:
        with self._cond:
            self.answered += 1
            self._cond.notify_all()

    def _room(self, sent: int) -> bool:
        return sent - self.answered <= WINDOW

    def rate(self, name: str, payload: bytes) -> float:
        start, self.answered = time.perf_counter(), 0
        for sent in range(1, N + 1):
            with self._cond:
                self._cond.wait_for(partial(self._room, sent), 10)
            self.client.publish(f"{BASE}/{name}", payload, qos=1)
        with self._cond:
            self._cond.wait_for(lambda: self.answered >= N, 60)
        return self.answered / (time.perf_counter() - start)


def serve(adapter: MqttAdapter, stop: threading.Event) -> None:
    """The service loop's part: between frames (10 ms here), take and answer the commands."""
    while not stop.is_set():
        for request in adapter.take_commands():
            request.reply(CommandResult.success())
        stop.wait(0.01)


def echo(port: int) -> paho.Client:
    """The reference: a bare paho client that answers every command as it arrives."""
    client = paho.Client(CallbackAPIVersion.VERSION2)

    def answer(c: paho.Client, _u: object, m: paho.MQTTMessage) -> None:
        c.publish(m.topic + "/result", b'{"status":"ok"}', 1)

    client.on_message = answer
    client.connect("127.0.0.1", port)
    client.subscribe(f"{BASE}/+", qos=1)
    client.loop_start()
    return client


def main() -> None:
    global N  # noqa: PLW0603
    if sys.argv[1:] == ["--quick"]:
        N = 300
    with tempfile.TemporaryDirectory() as d:
        broker = Broker(Path(d) / "broker", "allow_anonymous true\nset_tcp_nodelay true\n")
        broker.start()
        asker = Asker(broker.port)
        reference = echo(broker.port)
        time.sleep(0.5)
        bare = asker.rate("select_program", b'{"program": "relax"}')
        reference.loop_stop()
        reference.disconnect()
        config = MqttConfig(host="127.0.0.1", port=broker.port, discovery=False)
        adapter = adapter_for(config, "bench", Path(d) / "state", SystemClock(), programs=["relax"])
        adapter.start()
        wait_until(adapter.connected.is_set)
        stop = threading.Event()
        loop = threading.Thread(target=serve, args=(adapter, stop))
        loop.start()
        valid = asker.rate("select_program", b'{"program": "relax"}')
        bad = asker.rate("select_program", b'{"program": 5}')
        stop.set()
        loop.join()
        adapter.close()
        asker.client.loop_stop()
        broker.stop()
    print(f"mqtt commands answered, reference (bare paho echo) per_s {bare:.0f}")
    print(f"mqtt commands answered, valid (through the service loop) per_s {valid:.0f}")
    print(f"mqtt commands answered, malformed (answered at once) per_s {bad:.0f}")


if __name__ == "__main__":
    main()
