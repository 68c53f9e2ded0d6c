"""The adapter against a real mosquitto: events, retained state, availability, commands."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from controller.core.commands import (
    CommandRequest,
    CommandResult,
    SelectProgram,
    StartSession,
    StopSession,
)
from controller.core.events import PostureChanged, SessionEnded, SessionStarted, Tared
from controller.core.summary import SessionSummary
from controller.mqtt.adapter import MqttAdapter
from firmware.clock import WallAt, iso_utc
from firmware.layout import DEFAULT_LAYOUT
from tests.mqtt.broker import Broker, Recorder, wait_until
from tests.mqtt.conftest import MAT1, AdapterFactory, frame, local, mat_state, started

pytestmark = pytest.mark.broker


def _events(recorder: Recorder, topic: str = MAT1.event) -> list[dict[str, object]]:
    return [json.loads(m.payload) for m in recorder.on(topic)]


def _take(adapter: MqttAdapter, n: int) -> list[CommandRequest]:
    taken: list[CommandRequest] = []

    def enough() -> bool:
        taken.extend(adapter.take_commands())
        return len(taken) >= n

    assert wait_until(enough)
    return taken


def test_events_arrive_with_qos1_in_order_and_complete(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    adapter = started(make_adapter())
    for i in range(50):
        event = PostureChanged(t=i * 0.1, posture="lying", previous="sitting")
        adapter.on_frame(frame(i * 0.1), [event], mat_state(t=i * 0.1))
    recorder.wait_for(lambda ms: sum(m.topic.endswith("/event") for m in ms) >= 50)
    got = _events(recorder)
    assert [local(int(str(e["seq"]))) for e in got] == list(range(1, 51))
    assert int(str(got[0]["seq"])) >= 2**32  # a fresh outbox counts in a block of its own
    assert all(m.qos == 1 for m in recorder.on(MAT1.event))
    first = got[0]
    assert first["schema_version"] == 1 and first["mat"] == "mat1"
    assert first["type"] == "posture" and first["posture"] == "lying"
    assert str(first["ts"]).endswith("Z") and len(str(first["id"])) == 32
    assert len({e["id"] for e in got}) == 50
    assert wait_until(lambda: len(adapter.outbox) == 0)


def test_state_and_availability_are_retained_and_offline_on_close(
    make_adapter: AdapterFactory, broker: Broker
) -> None:
    adapter = started(make_adapter())
    adapter.on_frame(frame(0.0), [], mat_state(posture="lying", load_kg=48.0))
    assert wait_until(adapter._jobs.empty)
    late = Recorder(broker.port, [MAT1.state, MAT1.availability])
    msgs = late.wait_for(lambda ms: len(ms) >= 2)
    by_topic = {m.topic: m for m in msgs}
    assert by_topic[MAT1.availability].payload == b"online"
    assert by_topic[MAT1.availability].retain
    state = json.loads(by_topic[MAT1.state].payload)
    assert by_topic[MAT1.state].retain
    assert state["posture"] == "lying" and state["load_kg"] == 48.0
    assert state["schema_version"] == 1 and state["session"]["state"] == "idle"
    adapter.close()
    late.wait_for(lambda ms: ms[-1].payload == b"offline")
    late.close()


def test_payloads_are_dated_by_their_frame_not_by_the_clock(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    wall_at = WallAt()  # the service's one mapping: frame 0 was at 1.8e9 s
    wall_at.anchor(0.0, 1_800_000_000.0)
    adapter = started(make_adapter(wall_at=wall_at))
    adapter.on_frame(frame(600.0), [Tared(t=600.0, offsets_kg={})], mat_state(t=600.0))
    topics = (MAT1.event, MAT1.state, MAT1.zones)
    recorder.wait_for(lambda ms: {m.topic for m in ms} >= set(topics))
    # The adapter's clock stands still at another time: only the frame can give this one.
    assert adapter._clock.wall() != 1_800_000_600.0
    for topic in topics:
        assert json.loads(recorder.on(topic)[-1].payload)["ts"] == iso_utc(1_800_000_600.0)


def test_state_is_published_on_change_and_throttled_otherwise(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    adapter = started(make_adapter(heartbeat_s=30.0, zones_rate_hz=2.0))
    for i in range(20):  # two seconds of an unchanged empty mat at 10 Hz
        adapter.on_frame(frame(i / 10), [], mat_state(t=i / 10))
    adapter.on_frame(frame(2.0), [], mat_state(t=2.0, posture="standing", load_kg=70.0))
    recorder.wait_for(lambda ms: any(b"standing" in m.payload for m in ms))
    assert wait_until(lambda: len(recorder.on(MAT1.zones)) >= 5)
    states = [json.loads(m.payload) for m in recorder.on(MAT1.state)]
    assert [s["posture"] for s in states] == ["empty", "standing"]
    zones = recorder.on(MAT1.zones)
    assert len(zones) == 5 and all(m.qos == 0 and not m.retain for m in zones)
    assert tuple(json.loads(zones[0].payload)["zones"]) == DEFAULT_LAYOUT.names


def test_commands_are_queued_answered_and_bad_ones_rejected_at_once(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    adapter = started(make_adapter())
    recorder.publish(MAT1.command("start"), '{"program": "relax", "transaction": 7}')
    recorder.publish(MAT1.command("stop"), "{}")
    recorder.publish(MAT1.command("launch"), '{"transaction": "x"}')
    recorder.publish(MAT1.command("select_program"), b"\xff\xfe")
    recorder.wait_for(lambda ms: sum(m.topic.endswith("/result") for m in ms) >= 2)
    taken = _take(adapter, 2)
    assert [r.command for r in taken] == [StartSession(program="relax"), StopSession()]
    launch = json.loads(recorder.on(MAT1.result("launch"))[0].payload)
    assert launch == {"status": "error", "error": "unknown command 'launch'", "transaction": "x"}
    bad = json.loads(recorder.on(MAT1.result("select_program"))[0].payload)
    assert bad["status"] == "error" and bad["error"].startswith("malformed payload")
    taken[0].reply(CommandResult.success())
    taken[1].reply(CommandResult.failure("no session"))
    recorder.wait_for(lambda ms: sum(m.topic.endswith("/result") for m in ms) >= 4)
    ok = json.loads(recorder.on(MAT1.result("start"))[0].payload)
    assert ok == {"status": "ok", "error": None, "transaction": 7}
    stop = json.loads(recorder.on(MAT1.result("stop"))[0].payload)
    assert stop == {"status": "error", "error": "no session", "transaction": None}


def test_discovery_is_republished_when_home_assistant_comes_online(
    make_adapter: AdapterFactory, recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="acumat.mqtt")
    started(make_adapter())
    topic = MAT1.discovery
    recorder.wait_for(lambda ms: any(m.topic == topic for m in ms))
    caplog.clear()
    recorder.publish(MAT1.ha_status, "online")
    recorder.wait_for(lambda ms: sum(m.topic == topic for m in ms) >= 2)
    config = json.loads(recorder.on(topic)[-1].payload)
    assert config["dev"]["identifiers"] == ["acumat_mat1"]
    said = [r.getMessage() for r in caplog.records]
    assert "Home Assistant is online: discovery and state sent again" in said
    assert not [m for m in said if m.startswith("connected")]  # the link did not change


def test_two_mats_on_one_broker_are_two_devices(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    started(make_adapter("mat1"))
    started(make_adapter("mat2"))
    recorder.wait_for(lambda ms: sum(m.topic.endswith("/config") for m in ms) >= 2)
    configs = [json.loads(m.payload) for m in recorder.messages if m.topic.endswith("/config")]
    devices = {c["dev"]["identifiers"][0] for c in configs}
    unique_ids = [u["unique_id"] for c in configs for u in c["cmps"].values()]
    assert devices == {"acumat_mat1", "acumat_mat2"}
    assert len(unique_ids) == len(set(unique_ids))


def test_seq_survives_a_restart(
    make_adapter: AdapterFactory, recorder: Recorder, tmp_path: Path
) -> None:
    state_dir = tmp_path / "keep"
    first = started(make_adapter(state_dir=state_dir))
    first.on_frame(frame(0), [Tared(t=0, offsets_kg={"a": 0.1})], mat_state())
    assert wait_until(lambda: len(first.outbox) == 0)
    first.close()
    second = started(make_adapter(state_dir=state_dir))
    second.on_frame(frame(1), [Tared(t=1, offsets_kg={"a": 0.2})], mat_state(t=1))
    recorder.wait_for(lambda ms: sum(m.topic.endswith("/event") for m in ms) >= 2)
    seqs = [int(str(e["seq"])) for e in _events(recorder)]
    assert [local(s) for s in seqs] == [1, 2] and seqs[1] == seqs[0] + 1


def test_broker_restart_mid_session_loses_nothing(
    make_adapter: AdapterFactory, broker: Broker
) -> None:
    broker.stop()
    broker.persistent = True
    broker.start()
    consumer = Recorder(broker.port, [MAT1.event], v5=False, client_id="consumer")
    adapter = started(make_adapter(reconnect_min_s=1, reconnect_max_s=1))
    start = SessionStarted(t=0, session=1, program="relax", trigger="lie_down", target_s=600.0)
    adapter.on_frame(frame(0), [start], mat_state(session_state="running"))
    consumer.wait_for(lambda ms: len(ms) >= 1)
    broker.stop()
    assert wait_until(lambda: not adapter.connected.is_set())
    for i in range(1, 21):  # events while the broker is down go to the outbox
        adapter.on_frame(frame(i), [PostureChanged(t=i, posture="lying", previous="sitting")],
                         mat_state(t=i, session_state="running"))  # fmt: skip
    end = SessionEnded(t=30, started_t=0, summary=SessionSummary(
        session=1, program="relax", duration_s=30.0, completed=False, reason="left_mat",
        target_s=600.0, uneven_s=0.0, mean_imbalance=None))  # fmt: skip
    adapter.on_frame(frame(30), [end], mat_state(t=30))
    assert len(adapter.outbox) == 21
    broker.start()
    consumer.wait_for(lambda ms: len({json.loads(m.payload)["seq"] for m in ms}) >= 22, 10)
    seqs = [local(json.loads(m.payload)["seq"]) for m in consumer.on(MAT1.event)]
    first_seen = list(dict.fromkeys(seqs))
    assert first_seen == list(range(1, 23))
    assert local(json.loads(consumer.on(MAT1.event)[-1].payload)["seq"]) in seqs
    assert wait_until(lambda: len(adapter.outbox) == 0)
    consumer.close()


def test_an_acl_denial_is_logged_not_fatal(
    tmp_path: Path, make_adapter: AdapterFactory, broker: Broker, caplog: pytest.LogCaptureFixture
) -> None:
    acl = tmp_path / "acl"
    acl.write_text(
        # Reading is fine, writing only availability: every event is refused.
        "topic read acumat/#\ntopic read homeassistant/#\ntopic write acumat/+/availability\n"
    )
    broker.stop()
    broker.extra_conf = f"allow_anonymous true\nacl_file {acl}\n"
    broker.start()
    watcher = Recorder(broker.port, ["acumat/#"])
    adapter = started(make_adapter(client_id="mat1"))
    with caplog.at_level(logging.ERROR, logger="acumat.mqtt"):
        adapter.on_frame(frame(0), [Tared(t=0, offsets_kg={})], mat_state())
        assert wait_until(lambda: "refused event seq" in caplog.text)
    assert adapter._worker.is_alive() and adapter.connected.is_set()
    assert len(adapter.outbox) == 1  # kept for the next start
    adapter.close()
    assert not watcher.on(MAT1.event)
    watcher.close()


def test_select_program_payload_from_home_assistant_parses(
    make_adapter: AdapterFactory, recorder: Recorder
) -> None:
    adapter = started(make_adapter())
    recorder.publish(MAT1.command("select_program"), '{"program": "sleep"}')
    taken = _take(adapter, 1)
    assert [r.command for r in taken] == [SelectProgram(program="sleep")]
