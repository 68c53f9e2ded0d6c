"""The outbox and the payload rules, without a broker: seq, bound policy, throttling."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core.events import PostureChanged
from controller.mqtt.outbox import Outbox
from controller.wire.payloads import StateThrottle, event_body, with_seq
from tests.mqtt.conftest import mat_state


def test_seq_is_monotonic_and_never_reused_after_acks_and_reopen(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite")
    assert box.add([("posture", "{}"), ("posture", "{}")]) == [1, 2]
    box.ack([1, 2])
    assert len(box) == 0
    box.close()
    again = Outbox(tmp_path / "o.sqlite")
    assert again.add([("tared", "{}")]) == [3]
    assert again.last_seq == 3 and len(again) == 1


def test_the_bound_drops_oldest_non_session_events_and_counts_them(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_events=10)
    box.add([("session_started", "{}")])
    box.add([("posture", "{}")] * 12)
    box.add([("session_ended", "{}")])
    rows = box.pending(0, 100)
    assert len(box) == 10 and len(rows) == 10
    assert rows[0][0] == 1 and rows[-1][0] == 14  # both session records kept
    assert box.dropped == 4


def test_session_records_are_never_dropped_even_past_the_bound(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_events=10)
    box.add([("session_ended", "{}")] * 15)
    assert len(box) == 15 and box.dropped == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=10), st.integers(10, 20))
def test_pending_is_in_seq_order_and_within_bound(batches: list[int], bound: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        box = Outbox(Path(d) / "o.sqlite", max_events=bound)
        for n in batches:
            box.add([("posture", "{}")] * n)
        seqs = [s for s, _ in box.pending(0, 1000)]
        assert seqs == sorted(seqs) and len(seqs) == min(sum(batches), bound)
        assert seqs[-1] == sum(batches)  # the newest are kept
        box.close()


def test_event_payload_has_the_promised_fields() -> None:
    event = PostureChanged(t=1.5, posture="lying", previous="sitting")
    body = event_body(event, "m", 0.0, "0123abcd" * 4)
    payload = json.loads(with_seq(42, body))
    assert list(payload)[:5] == ["schema_version", "seq", "id", "ts", "mat"]
    assert payload["seq"] == 42 and payload["ts"] == "1970-01-01T00:00:00.000Z"
    assert payload["id"] == "0123abcd" * 4
    assert event_body(event, "m", 0.0, "0123abcd" * 4) == body  # pure: same in, same out
    assert payload["type"] == "posture" and payload["t"] == 1.5


def test_throttle_publishes_changes_each_elapsed_second_and_heartbeats() -> None:
    throttle = StateThrottle(heartbeat_s=30.0, zones_rate_hz=2.0)
    running = [mat_state(t=t / 10, session_state="running", elapsed_s=t / 10) for t in range(50)]
    due = [s.t for s in running if throttle.state_due(s)]
    assert due == [0.0, 1.0, 2.0, 3.0, 4.0]
    idle = StateThrottle(heartbeat_s=30.0, zones_rate_hz=2.0)
    beats = [t for t in range(0, 100) if idle.state_due(mat_state(t=float(t)))]
    assert beats == [0, 30, 60, 90]
    assert idle.state_due(mat_state(t=100.0, posture="sitting"))
