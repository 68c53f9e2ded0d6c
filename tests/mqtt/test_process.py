"""``acumat run`` as a process against a real mosquitto: the last will, outages, SIGKILL.

Each test drives the real service (simulator at 100x, core, history, MQTT adapter) in a
child process and judges only what reaches the broker and what is left in the outbox file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controller.core.commands import COMMAND_NAMES
from controller.mqtt.topics import MatTopics
from controller.storage.history import History
from firmware.clock import iso_utc
from tests.mqtt.broker import Broker, Recorder, free_port, wait_until
from tests.mqtt.conftest import local
from tests.mqtt.process import Mat, last_seq, outbox_rows

pytestmark = pytest.mark.broker
PROCMAT = MatTopics("acumat", "procmat")


@pytest.fixture
def mat(tmp_path: Path) -> Iterator[Mat]:
    m = Mat(tmp_path / "mat", port=free_port())
    yield m
    if m.alive():
        m.kill()


def _seqs(recorder: Recorder, mat_id: str) -> list[int]:
    """The ``seq`` of every event received, within the outbox's block (from 1)."""
    topic = MatTopics("acumat", mat_id).event
    return [local(int(json.loads(m.payload)["seq"])) for m in recorder.on(topic)]


def test_last_will_says_offline_when_acumat_is_sigkilled(mat: Mat, tmp_path: Path) -> None:
    broker = Broker(tmp_path / "broker", port=mat.port).start()
    mat.speed = 1.0  # a slow run: it must still be running when killed
    watcher = Recorder(broker.port, [PROCMAT.availability])
    try:
        mat.start()
        watcher.wait_for(lambda ms: any(m.payload == b"online" for m in ms), 15)
        mat.kill()
        watcher.wait_for(lambda ms: ms[-1].payload == b"offline", 10)
        late = Recorder(broker.port, [PROCMAT.availability])
        retained = late.wait_for(lambda ms: len(ms) >= 1)[0]
        late.close()
        assert retained.retain and retained.payload == b"offline"
    finally:
        watcher.close()
        broker.stop()


def test_broker_stopped_and_restarted_mid_session_loses_nothing(mat: Mat, tmp_path: Path) -> None:
    # A persistent broker and a persistent consumer session: what the consumer misses while
    # it is itself reconnecting is queued for it, so every gap would be acumat's.
    broker = Broker(tmp_path / "broker", port=mat.port, persistent=True).start()
    consumer = Recorder(broker.port, [PROCMAT.event], v5=False, client_id="consumer")
    try:
        mat.start()
        consumer.wait_for(lambda ms: len(ms) >= 3, 15)  # the session is under way
        broker.stop()
        assert wait_until(lambda: len(outbox_rows(mat.outbox)) >= 3, 20), mat.log()
        assert mat.alive(), "acumat must keep running without its broker"
        broker.start()
        assert mat.wait(60) == 0, mat.log()
        produced = local(last_seq(mat.outbox))
        consumer.wait_for(lambda ms: set(_seqs(consumer, "procmat")) >= set(range(1, produced)))
        seqs = _seqs(consumer, "procmat")
        assert sorted(set(seqs)) == list(range(1, produced + 1))
        assert list(dict.fromkeys(seqs)) == sorted(set(seqs)), "first arrivals are in order"
        assert outbox_rows(mat.outbox) == []
        assert "disconnected from the broker" in mat.log()
    finally:
        consumer.close()
        broker.stop()


def test_events_pending_at_a_sigkill_are_delivered_after_the_restart(
    mat: Mat, tmp_path: Path
) -> None:
    mat.start()  # no broker yet: every event waits in the outbox
    assert wait_until(lambda: len(outbox_rows(mat.outbox)) >= 5, 20), mat.log()
    assert wait_until(lambda: "connection refused" in mat.log(), 10)
    mat.kill()
    # paho retried every second; the reason was said at once, and once (once a minute).
    said = [line for line in mat.log().splitlines() if "mqtt: cannot connect" in line]
    assert len(said) == 1 and "connection refused: nothing listens on 127.0.0.1:" in said[0]
    pending = outbox_rows(mat.outbox)
    assert [local(seq) for seq, _ in pending] == list(range(1, len(pending) + 1))
    broker = Broker(tmp_path / "broker", port=mat.port).start()
    recorder = Recorder(broker.port, [PROCMAT.event])
    try:
        mat.start()
        recorder.wait_for(lambda ms: len(ms) >= len(pending), 15)
        got = [json.loads(m.payload) for m in recorder.on(PROCMAT.event)]
        first = got[: len(pending)]
        assert [e["seq"] for e in first] == [seq for seq, _ in pending]
        # The very records written before the kill: same ids and times, not re-made ones.
        assert [e["id"] for e in first] == [json.loads(b)["id"] for _, b in pending]
        # The second run goes on counting where the first stopped.
        recorder.wait_for(lambda ms: max(_seqs(recorder, "procmat")) > len(pending))
        assert mat.stop() == 0
    finally:
        recorder.close()
        broker.stop()


def test_at_400x_an_event_has_the_wall_time_the_history_gives_it(mat: Mat, tmp_path: Path) -> None:
    # Frame time runs 400 times faster than the clock: dated at delivery, session_ended would
    # be minutes earlier on MQTT than in the history. One WallAt dates both by the frame.
    broker = Broker(tmp_path / "broker", port=mat.port).start()
    mat.speed = 400.0
    recorder = Recorder(broker.port, [PROCMAT.event])
    try:
        mat.start()
        assert mat.wait(60) == 0, mat.log()
        recorder.wait_for(lambda ms: any(b'"session_ended"' in m.payload for m in ms))
        events = [json.loads(m.payload) for m in recorder.on(PROCMAT.event)]
        history = History(mat.paths.history, read_only=True)
        rows = history.sessions()
        history.close()
        ended = [e for e in events if e["type"] == "session_ended"]
        started = [e for e in events if e["type"] == "session_started"]
        assert len(rows) == len(ended) == len(started) >= 1
        assert [e["ts"] for e in ended] == [iso_utc(r.ended_wall_s) for r in rows]
        assert [e["ts"] for e in started] == [iso_utc(r.started_wall_s) for r in rows]
        assert ended[0]["duration_s"] > 60  # minutes of frame time: the clocks did diverge
    finally:
        recorder.close()
        broker.stop()


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)
_fields = st.fixed_dictionaries(
    {}, optional={"program": st.sampled_from(["relax", "energy", "yoga", ""]) | _json,
                  "transaction": _json, "extra": _json},
)  # fmt: skip
_payloads = (
    _fields.map(lambda d: json.dumps(d).encode())
    | _json.map(lambda v: json.dumps(v).encode())
    | st.binary(min_size=1, max_size=64)  # an empty one is ignored, not answered
)
SELECT_RESULT = PROCMAT.result("select_program")
STOP_RESULT = PROCMAT.result("stop")
_names = st.sampled_from([*COMMAND_NAMES, "launch", "START", "rm_rf"])


def test_generated_commands_never_stop_the_running_service_and_all_get_a_result(
    mat: Mat, tmp_path: Path
) -> None:
    broker = Broker(tmp_path / "broker", port=mat.port).start()
    mat.scenario, mat.speed = "standing", 5.0  # someone on the mat for the whole test
    client = Recorder(broker.port, [PROCMAT.result("+"), PROCMAT.state])
    # A stop someone published with -r long ago: sent to acumat when it connects.
    client.client.publish(PROCMAT.command("stop"), "{}", qos=1, retain=True).wait_for_publish(5)
    try:
        mat.start()
        client.wait_for(lambda ms: any(m.topic.endswith("/state") for m in ms), 15)
        client.wait_for(lambda _ms: bool(client.on(STOP_RESULT)))
        stop = json.loads(client.on(STOP_RESULT)[0].payload)
        assert stop["status"] == "error" and "retained commands are ignored" in stop["error"]
        client.client.publish(PROCMAT.command("stop"), b"", qos=1, retain=True)  # cleared
        # The core, not the wire, knows the programs: its answer comes back with the transaction.
        client.publish(PROCMAT.command("select_program"), '{"program": "yoga", "transaction": 1}')
        client.publish(PROCMAT.command("select_program"), '{"program": "sleep", "transaction": 2}')
        client.wait_for(lambda _ms: len(client.on(SELECT_RESULT)) >= 2)
        by_tx = {
            r["transaction"]: r for r in (json.loads(m.payload) for m in client.on(SELECT_RESULT))
        }
        assert by_tx[1]["status"] == "error" and "unknown program" in by_tx[1]["error"]
        assert by_tx[2] == {"status": "ok", "error": None, "transaction": 2}

        @settings(max_examples=60, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
        @given(name=_names, payload=_payloads)
        def one_command(name: str, payload: bytes) -> None:
            topic = PROCMAT.result(name)
            before = len(client.on(topic))
            client.publish(PROCMAT.command(name), payload)
            client.wait_for(lambda _ms: len(client.on(topic)) > before)
            result = json.loads(client.on(topic)[before].payload)
            assert result["status"] in {"ok", "error"}
            assert (result["error"] is None) == (result["status"] == "ok")

        one_command()
        assert mat.alive(), mat.log()
        assert mat.stop() == 0
        assert "Traceback" not in mat.log()
    finally:
        client.close()
        broker.stop()


def test_two_processes_with_one_mat_id_say_so_and_never_share_a_seq(
    mat: Mat, tmp_path: Path
) -> None:
    broker = Broker(tmp_path / "broker", port=mat.port).start()
    twin = Mat(tmp_path / "twin", port=mat.port)  # another Pi, configured as the same mat
    recorder = Recorder(broker.port, [PROCMAT.event])
    try:
        mat.start()
        twin.start()
        assert wait_until(lambda: "is in use" in mat.log() + twin.log(), 30), mat.log()
        assert mat.wait(60) == 0 and twin.wait(60) == 0, mat.log() + twin.log()
        assert "mat id 'procmat' is in use" in mat.log() + twin.log()
        assert outbox_rows(mat.outbox) == outbox_rows(twin.outbox) == []
        ids_by_seq: dict[int, set[str]] = {}
        for m in recorder.on(PROCMAT.event):
            event = json.loads(m.payload)
            ids_by_seq.setdefault(event["seq"], set()).add(event["id"])
        blocks = {seq >> 32 for seq in ids_by_seq}
        assert len(blocks) == 2  # each outbox counts in its own block
        assert all(len(ids) == 1 for ids in ids_by_seq.values()), "a seq named two events"
        assert "Traceback" not in mat.log() + twin.log()
    finally:
        recorder.close()
        if twin.alive():
            twin.kill()
        broker.stop()
