"""A stalled source, end to end: the loop's ``source_stalled`` reaches a real mosquitto through
the real MQTT adapter while ``source.frames()`` is blocked, and its end follows."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.mqtt.config import MqttConfig
from controller.service.loop import Service
from firmware.clock import FakeClock
from firmware.layout import DEFAULT_LAYOUT
from firmware.schema import parse
from tests.mqtt.broker import Broker, Recorder, wait_until
from tests.mqtt.conftest import adapter_for
from tests.service.fakes import ListSource, empty_frames

pytestmark = pytest.mark.broker
WAIT_S = 5.0


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker").start()
    yield b
    b.stop()


def stall_events(recorder: Recorder) -> list[dict[str, object]]:
    got = [json.loads(m.payload) for m in recorder.on("acumat/mat1/event")]
    return [e for e in got if e["type"] == "source_stalled"]


def test_source_stalled_is_published_while_the_source_is_blocked(
    broker: Broker, tmp_path: Path
) -> None:
    clock = FakeClock()
    config = parse(MqttConfig, {"host": "127.0.0.1", "port": broker.port, "close_timeout_s": 2.0})
    mqtt = adapter_for(config, "mat1", tmp_path / "state", clock)
    source = ListSource(empty_frames(100), clock=clock, gate_at=5.0)
    svc = Service(
        core=MatController(DEFAULT_LAYOUT),
        source=source,
        adapters=[mqtt],
        clock=clock,
        wait_s=0.005,
    )
    recorder = Recorder(broker.port, ["acumat/mat1/event"])
    thread = threading.Thread(target=svc.run, name="service-under-test")
    thread.start()
    try:
        assert source.reached.wait(WAIT_S)
        assert wait_until(mqtt.connected.is_set)
        clock.advance(6.0)
        assert wait_until(lambda: len(stall_events(recorder)) == 1, WAIT_S)
        [stalled] = stall_events(recorder)
        assert (stalled["active"], stalled["t"], stalled["stalled_s"]) == (True, 4.9, 6.0)
        source.clock_offset_s = 6.0
        source.gate.set()
        thread.join(WAIT_S)
        assert not thread.is_alive()
        assert wait_until(lambda: len(stall_events(recorder)) == 2, WAIT_S)
        ended = stall_events(recorder)[1]
        assert (ended["active"], ended["t"]) == (False, 5.0)
    finally:
        source.gate.set()
        svc.stop()
        thread.join(WAIT_S)
        recorder.close()
