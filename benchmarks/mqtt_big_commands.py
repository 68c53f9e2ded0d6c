"""Memory of acumat receiving two 200 MB command payloads, MQTT 5 (bounded) beside 3.1.1.

``python benchmarks/mqtt_big_commands.py [MB]``. For each protocol a child process runs a
real MqttAdapter against a private mosquitto; this process publishes two payloads of MB
megabytes (default 200) to ``cmd/start``, then a small bad command whose answer says the
child has dealt with everything before it. The child prints its peak resident memory
(VmHWM) before and after. Under MQTT 5 acumat's CONNECT asks for a maximum packet size
(``max_packet_bytes``, 64 KiB), so the broker never sends the big ones; MQTT 3.1.1 cannot ask,
so its figure is also how acumat behaved before the bound (the reference, same run).
``--quick``: 5 MB payloads.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion

from controller.mqtt.config import MqttConfig
from firmware.clock import SystemClock
from firmware.schema import parse
from tests.mqtt.broker import Broker, wait_until
from tests.mqtt.conftest import adapter_for

CMD = "acumat/bench/cmd"


def peak_mb() -> float:
    """Peak resident memory of this process (VmHWM: unlike ``ru_maxrss``, not inherited from
    the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(protocol: str, port: int, state: str) -> None:
    config = parse(MqttConfig, {"host": "127.0.0.1", "port": port, "protocol": protocol,
                                "discovery": False})  # fmt: skip
    adapter = adapter_for(config, "bench", Path(state), SystemClock(), programs=["relax"])
    adapter.start()
    wait_until(adapter.connected.is_set, 10)
    print(f"ready {peak_mb():.0f}", flush=True)
    sys.stdin.readline()  # the parent saw the last answer
    print(f"done {peak_mb():.0f}", flush=True)
    adapter.close()


def publish_big(port: int, megabytes: int) -> bool:
    answered = threading.Event()
    client = paho.Client(CallbackAPIVersion.VERSION2)
    client.on_message = lambda _c, _u, _m: answered.set()
    client.connect("127.0.0.1", port)
    client.subscribe(f"{CMD}/stop/result", qos=1)
    client.loop_start()
    big = b" " * (megabytes * 1_000_000)
    for _ in range(2):
        client.publish(f"{CMD}/start", big, qos=1).wait_for_publish(120)
    del big
    client.publish(f"{CMD}/stop", b'{"bogus": 1}', qos=1)
    ok = answered.wait(300)
    client.loop_stop()
    client.disconnect()
    return ok


def run(protocol: str, megabytes: int, workdir: Path) -> tuple[float, float]:
    broker = Broker(workdir / f"broker-{protocol}").start()
    try:
        args = [sys.executable, __file__, "--child", protocol, str(broker.port)]
        proc = subprocess.Popen([*args, str(workdir / protocol)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None
        before = float(proc.stdout.readline().split()[1])
        if not publish_big(broker.port, megabytes):
            raise RuntimeError("the last command was never answered")
        proc.stdin.write("go\n")
        proc.stdin.flush()
        after = float(proc.stdout.readline().split()[1])
        proc.wait(30)
        return before, after
    finally:
        broker.stop()


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4])
        return
    quick = sys.argv[1:] == ["--quick"]
    megabytes = 5 if quick else int(sys.argv[1]) if len(sys.argv) > 1 else 200
    with tempfile.TemporaryDirectory() as d:
        v311 = run("3.1.1", megabytes, Path(d))
        v5 = run("5", megabytes, Path(d))
    print(f"two {megabytes} MB commands, MQTT 3.1.1 (reference: no bound) peak_rss_mb "
          f"{v311[0]:.0f} before, {v311[1]:.0f} after")  # fmt: skip
    print(f"two {megabytes} MB commands, MQTT 5 with max_packet_bytes 64 KiB peak_rss_mb "
          f"{v5[0]:.0f} before, {v5[1]:.0f} after")  # fmt: skip


if __name__ == "__main__":
    main()
