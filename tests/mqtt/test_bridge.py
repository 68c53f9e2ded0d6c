"""docs/mosquitto-bridge.conf, run for real: a Pi's local broker bridged to a central one.

Two private mosquittos: the "central" one, and a "local" one whose configuration is the
documented file with only the address, the listener and the persistence directory changed.
Events go out, commands come in, and events published while the uplink is down arrive once
it is back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mqtt.broker import Broker, Recorder
from tests.mqtt.conftest import MAT1

pytestmark = pytest.mark.broker

BRIDGE_CONF = Path(__file__).parents[2] / "docs" / "mosquitto-bridge.conf"
# The Broker fixture writes these itself (a free port, its own directory).
_OWN_LINES = re.compile(r"^(listener|persistence|persistence_location|autosave_interval)\b")


def _local_conf(central_port: int) -> str:
    lines = []
    for line in BRIDGE_CONF.read_text().splitlines():
        if _OWN_LINES.match(line):
            continue
        is_address = line.startswith("address ")
        lines.append(f"address 127.0.0.1:{central_port}" if is_address else line)
    return "\n".join(lines) + "\n"


@pytest.fixture
def brokers(tmp_path: Path) -> Iterator[tuple[Broker, Broker]]:
    central = Broker(tmp_path / "central", persistent=True).start()
    local = Broker(
        tmp_path / "local", extra_conf=_local_conf(central.port), persistent=True
    ).start()
    yield central, local
    local.stop()
    central.stop()


def test_the_documented_bridge_carries_events_out_and_commands_in(
    brokers: tuple[Broker, Broker],
) -> None:
    central, local = brokers
    centre = Recorder(central.port, ["acumat/#"], v5=False, client_id="centre")
    pi = Recorder(local.port, ["acumat/+/cmd/#"], v5=False, client_id="pi")
    try:
        centre.wait_for(lambda ms: any(m.topic.startswith("acumat/bridges/") for m in ms), 10)
        pi.publish(MAT1.event, json.dumps({"seq": 1}))
        centre.wait_for(lambda ms: any(m.topic == MAT1.event for m in ms))
        centre.publish(MAT1.command("start"), '{"transaction": 9}')
        pi.wait_for(lambda ms: any(m.topic == MAT1.command("start") for m in ms))
        pi.publish(MAT1.result("start"), '{"status": "ok", "transaction": 9}')
        centre.wait_for(lambda ms: any(m.topic == MAT1.result("start") for m in ms))
        # Commands never echo back (no loop), and the bridge keeps to acumat's topics.
        assert len(pi.on(MAT1.command("start"))) == 1
        pi.publish("private/x", "not for the centre")
        assert all(not m.topic.startswith("private") for m in centre.messages)
    finally:
        pi.close()
        centre.close()


def test_events_published_while_the_uplink_is_down_arrive_when_it_is_back(
    brokers: tuple[Broker, Broker],
) -> None:
    central, local = brokers
    centre = Recorder(central.port, ["acumat/+/event", "acumat/bridges/#"], v5=False,
                      client_id="centre")  # fmt: skip
    pi = Recorder(local.port, ["acumat/+/cmd/+"], v5=False, client_id="pi")
    try:
        centre.wait_for(lambda ms: any(m.payload == b"1" for m in ms), 10)
        central.stop()
        for seq in range(1, 21):
            pi.publish(MAT1.event, json.dumps({"seq": seq}))
        central.start()
        centre.wait_for(lambda ms: len(centre.on(MAT1.event)) >= 20, 30)
        seqs = [json.loads(m.payload)["seq"] for m in centre.on(MAT1.event)]
        assert list(dict.fromkeys(seqs)) == list(range(1, 21))
    finally:
        pi.close()
        centre.close()
