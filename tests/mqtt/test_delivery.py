"""EventDelivery: the outbox onto the event topic in seq order, within the in-flight window.

A real outbox (SQLite in a temporary directory) and a recording publisher instead of paho:
the adapter's tests cover the same path against a real mosquitto.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from controller.mqtt.delivery import EventDelivery
from controller.mqtt.outbox import Outbox
from firmware.clock import FakeClock

TOPIC = "acumat/mat1/event"


class Recorder:
    """Implements ``delivery.Publisher``: keeps each publish, numbers them like paho's mids."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, int, bool]] = []

    def publish(self, topic: str, payload: str, qos: int = 0, retain: bool = False) -> int:
        self.sent.append((topic, payload, qos, retain))
        return 100 + len(self.sent)  # mids are not seqs

    def seqs(self) -> list[int]:
        return [json.loads(payload)["seq"] for _, payload, _, _ in self.sent]


def _delivery(tmp_path: Path, events: int, max_inflight: int) -> tuple[EventDelivery, Recorder]:
    box = Outbox(tmp_path / "o.sqlite", clock=FakeClock(), seq_block=0)
    box.add([("posture", '{"type":"posture"}')] * events)
    recorder = Recorder()
    return EventDelivery(box, TOPIC, max_inflight, recorder), recorder


def test_events_go_in_seq_order_at_qos_1_within_the_window(tmp_path: Path) -> None:
    delivery, recorder = _delivery(tmp_path, events=5, max_inflight=2)
    delivery.pump()
    assert recorder.seqs() == [1, 2]
    assert all(t == TOPIC and qos == 1 and not retain for t, _, qos, retain in recorder.sent)
    delivery.pump()  # the window is full: nothing more until an ack
    assert recorder.seqs() == [1, 2]
    acked: list[int] = []
    delivery.on_ack(101, None, acked)  # the mid of seq 1
    assert acked == [1]
    delivery.pump()
    assert recorder.seqs() == [1, 2, 3]
    assert not delivery.drained.is_set()


def test_a_refused_event_is_said_once_not_acked_and_counts_as_drained(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    delivery, _ = _delivery(tmp_path, events=1, max_inflight=10)
    delivery.pump()
    acked: list[int] = []
    with caplog.at_level(logging.ERROR, logger="acumat.mqtt"):
        delivery.on_ack(101, "Not authorized", acked)
        delivery.on_ack(101, "Not authorized", acked)  # a repeated mid is not in flight
    assert acked == []
    assert [r.getMessage() for r in caplog.records] == [
        "broker refused event seq 1: Not authorized (kept for the next start)"
    ]
    delivery.pump()
    assert delivery.drained.is_set()


def test_drained_once_every_event_is_acked(tmp_path: Path) -> None:
    delivery, recorder = _delivery(tmp_path, events=3, max_inflight=10)
    delivery.pump()
    assert recorder.seqs() == [1, 2, 3] and not delivery.drained.is_set()
    acked: list[int] = []
    for mid in (101, 102, 103):
        delivery.on_ack(mid, None, acked)
    assert acked == [1, 2, 3]
    delivery.pump()
    assert delivery.drained.is_set() and delivery.sent_upto == 3
