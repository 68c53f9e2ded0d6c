"""The outbox and the payload rules, without a broker: seq, bound policy, throttling."""

from __future__ import annotations

import json
import logging
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core.events import PostureChanged
from controller.mqtt.outbox import BLOCK_BITS, Outbox
from controller.wire.payloads import StateThrottle, event_body, with_seq
from firmware.clock import FakeClock
from tests.mqtt.conftest import mat_state


def test_seq_is_monotonic_and_never_reused_after_acks_and_reopen(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", clock=FakeClock(), seq_block=0)
    assert box.add([("posture", "{}"), ("posture", "{}")]) == [1, 2]
    box.ack([1, 2])
    assert len(box) == 0
    box.close()
    again = Outbox(tmp_path / "o.sqlite", clock=FakeClock(), seq_block=0)
    assert again.add([("tared", "{}")]) == [3]
    assert again.last_seq == 3 and len(again) == 1


def test_the_bound_drops_oldest_non_session_events_and_counts_them(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_events=10, clock=FakeClock(), seq_block=0)
    box.add([("session_started", "{}")])
    box.add([("posture", "{}")] * 12)
    box.add([("session_ended", "{}")])
    rows = box.pending(0, 100)
    assert len(box) == 10 and len(rows) == 10
    assert rows[0][0] == 1 and rows[-1][0] == 14  # both session records kept
    assert box.dropped == 4


def test_session_records_are_never_dropped_even_past_the_bound(tmp_path: Path) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_events=10, clock=FakeClock(), seq_block=0)
    box.add([("session_ended", "{}")] * 15)
    assert len(box) == 15 and box.dropped == 0


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=1, max_size=10), st.integers(10, 20))
def test_pending_is_in_seq_order_and_within_bound(batches: list[int], bound: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        box = Outbox(Path(d) / "o.sqlite", max_events=bound, clock=FakeClock(), seq_block=0)
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


def test_throttle_publishes_changes_elapsed_every_10_s_and_heartbeats() -> None:
    throttle = StateThrottle(heartbeat_s=60.0, zones_rate_hz=2.0)
    running = [mat_state(t=t / 10, session_state="running", elapsed_s=t / 10) for t in range(500)]
    due = [s.t for s in running if throttle.state_due(s)]
    assert due == [0.0, 10.0, 20.0, 30.0, 40.0]  # at most every 10 s while a session runs
    paused = mat_state(t=50.5, session_state="paused", elapsed_s=49.0)
    assert throttle.state_due(paused)  # a change goes at once
    idle = StateThrottle(heartbeat_s=30.0, zones_rate_hz=2.0)
    beats = [t for t in range(0, 100) if idle.state_due(mat_state(t=float(t)))]
    assert beats == [0, 30, 60, 90]
    assert idle.state_due(mat_state(t=100.0, posture="sitting"))


def test_a_new_outbox_counts_in_a_random_block_and_keeps_it(tmp_path: Path) -> None:
    first = Outbox(tmp_path / "a.sqlite", clock=FakeClock())
    second = Outbox(tmp_path / "b.sqlite", clock=FakeClock())
    a, b = first.add([("tared", "{}")])[0], second.add([("tared", "{}")])[0]
    assert a >> BLOCK_BITS != b >> BLOCK_BITS  # two outboxes, two blocks (1 in 2**21 apart)
    assert a % 2**BLOCK_BITS == 1 and 2**BLOCK_BITS < a < 2**53
    first.close()
    again = Outbox(tmp_path / "a.sqlite", clock=FakeClock())  # a block given is not taken
    assert again.add([("tared", "{}")]) == [a + 1]


def test_an_outbox_made_before_blocks_keeps_its_numbering(tmp_path: Path) -> None:
    old = Outbox(tmp_path / "o.sqlite", clock=FakeClock(), seq_block=0)
    old.add([("tared", "{}")] * 3)
    old.close()
    assert Outbox(tmp_path / "o.sqlite", clock=FakeClock()).add([("tared", "{}")]) == [4]


def test_overflow_is_logged_at_once_then_once_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    box = Outbox(tmp_path / "o.sqlite", max_events=10, clock=clock, seq_block=0)
    with caplog.at_level(logging.WARNING, logger="acumat.mqtt.outbox"):
        for _ in range(1000):  # ten minutes of an event a frame at 10 Hz... in 100 s steps
            box.add([("posture", "{}")])
            clock.advance(0.1)
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2  # 0 s and 60 s: not 990 lines
    assert "dropped the 1 oldest non-session events since the last line, 1 in all" in lines[0]
    assert "dropped the 600 oldest" in lines[1]
    assert box.dropped == 990 and len(box) == 10


def test_events_handed_to_the_client_are_not_dropped_so_dropped_is_the_gap(
    tmp_path: Path,
) -> None:
    box = Outbox(tmp_path / "o.sqlite", max_events=10, clock=FakeClock(), seq_block=0)
    box.add([("posture", "{}")] * 3)
    assert [seq for seq, _ in box.to_send(0, 2)] == [1, 2]  # in paho's hands: may arrive
    box.add([("posture", "{}")] * 12)
    kept = [seq for seq, _ in box.pending(0, 100)]
    assert kept[:2] == [1, 2] and len(kept) == 10
    never_seen = sorted(set(range(1, 16)) - set(kept))
    assert box.dropped == len(never_seen) == 5


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 200],
    ids=["garbage", "cut-short"],
)
def test_a_damaged_outbox_is_moved_aside_once_and_a_fresh_one_made(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, content: bytes
) -> None:
    path = tmp_path / "mqtt-outbox-mat1.sqlite"
    path.write_bytes(content)
    clock = FakeClock(wall_start_s=1_800_000_000.0)
    with caplog.at_level(logging.WARNING, logger="acumat.mqtt.outbox"):
        box = Outbox(path, clock=clock)
    moved = tmp_path / "mqtt-outbox-mat1.sqlite.damaged-20270115T080000Z"
    assert moved.read_bytes() == content
    [line] = [r.getMessage() for r in caplog.records]
    assert "is damaged" in line and str(moved) in line
    assert box.add([("tared", "{}")])[0] % 2**BLOCK_BITS == 1
    assert len(box) == 1


def test_a_malformed_outbox_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite"
    box = Outbox(path, clock=FakeClock(), seq_block=0)
    box.add([("posture", "x" * 5000)] * 50)
    box.close()
    data = bytearray(path.read_bytes())
    data[4096 * 2 : 4096 * 3] = b"\xa5" * 4096  # a page of the table overwritten
    path.write_bytes(bytes(data))
    for companion in ("-wal", "-shm"):
        path.with_name(path.name + companion).unlink(missing_ok=True)
    fresh = Outbox(path, clock=FakeClock())
    assert len(fresh) == 0 and list(tmp_path.glob("o.sqlite.damaged-*"))


def test_the_outbox_is_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o000)
    try:
        box = Outbox(tmp_path / "o.sqlite", clock=FakeClock())
        box.add([("tared", "{}")])
    finally:
        os.umask(old)
    for path in tmp_path.glob("o.sqlite*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
