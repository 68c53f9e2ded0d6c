"""The page beside MQTT, against a real mosquitto: one event has one ``seq`` and one body on
both channels (issue 14), the page shows what Home Assistant last said of itself, and the
elapsed time never runs backwards at a pause on either channel (issue 12).

The service as ``acumat run`` wires it: the simulated ``board_lost`` (lies 10 min; a board stops
for 30 s at 300 s: a pause the core dates back 8 s, then a resume) at 50× real time, the MQTT
adapter and the web adapter sharing one event numbering. (At that speed a pause dated back by
the usual 1.4 s falls between two of the page's states: tests/service/test_elapsed.py covers
it frame by frame.)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from controller.mqtt.topics import MatTopics
from tests.mqtt.broker import Broker, Recorder
from tests.web.client import Message, wait_until
from tests.web.harness import RunningMat

TOPICS = MatTopics("acumat", "webmat")


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Broker]:
    b = Broker(tmp_path_factory.mktemp("broker")).start()
    yield b
    b.stop()


@pytest.fixture(scope="module")
def recorder(broker: Broker) -> Iterator[Recorder]:
    r = Recorder(broker.port, ["acumat/#"])
    yield r
    r.close()


@pytest.fixture(scope="module")
def mat(
    broker: Broker, recorder: Recorder, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningMat]:
    running = RunningMat(
        Path(tmp_path_factory.mktemp("state")),
        scenario="board_lost",
        speed=50.0,
        mqtt_port=broker.port,
    ).start()
    assert running.mqtt is not None and wait_until(running.mqtt.connected.is_set)
    yield running
    running.stop()


def elapsed_backwards(sessions: list[dict[str, Any]]) -> list[tuple[float, float]]:
    return [
        (a["elapsed_s"], b["elapsed_s"])
        for a, b in pairwise(sessions)
        if a["session"] == b["session"] and b["elapsed_s"] < a["elapsed_s"]
    ]


def test_an_event_has_the_same_seq_and_body_on_mqtt_and_on_the_page(
    mat: RunningMat, recorder: Recorder
) -> None:
    # An SSE id of another run: the page sends every event it still holds, from the start.
    stream = mat.client().events(last_event_id="another-run:0")
    try:
        seen: list[Message] = []
        while not any(m.event == "event" and m.json()["type"] == "session_resumed" for m in seen):
            seen.append(stream.next())
    finally:
        stream.close()
    on_page = {m.json()["seq"]: m for m in seen if m.event == "event"}
    kinds = {m.json()["type"] for m in on_page.values()}
    assert {"session_started", "session_paused", "session_resumed"} <= kinds

    def all_on_mqtt(messages: list[Any]) -> bool:
        seqs = {json.loads(m.payload)["seq"] for m in messages if m.topic == TOPICS.event}
        return set(on_page) <= seqs

    recorder.wait_for(all_on_mqtt, 10.0)
    on_mqtt = {json.loads(m.payload)["seq"]: m.payload for m in recorder.on(TOPICS.event)}
    for seq, message in on_page.items():
        assert message.data.encode() == on_mqtt[seq]  # the same text: seq, id, ts, fields
        assert message.id is not None and message.id.endswith(f":{seq}")
    seqs = sorted(on_page)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # one numbering, no gap

    # Issue 12: at the pause neither channel's elapsed time went backwards.
    page_states = [m.json()["session"] for m in seen if m.event == "state"]
    assert any(s["state"] == "paused" for s in page_states)
    assert elapsed_backwards(page_states) == []
    mqtt_states = [json.loads(m.payload)["session"] for m in recorder.on(TOPICS.state)]
    assert any(s["state"] == "paused" for s in mqtt_states)
    assert elapsed_backwards(mqtt_states) == []


def test_the_page_shows_what_home_assistant_last_said(mat: RunningMat, recorder: Recorder) -> None:
    client = mat.client()

    def home_assistant() -> object:
        return client.get("/api/status").json()["mqtt"]["home_assistant"]

    status = client.get("/api/status").json()["mqtt"]
    assert status["configured"] is True and status["connected"] is True
    assert status["home_assistant"] is None  # HA has said nothing since the mat connected
    recorder.publish(TOPICS.ha_status, "offline")
    assert wait_until(lambda: home_assistant() == "offline")
    recorder.publish(TOPICS.ha_status, "online")
    assert wait_until(lambda: home_assistant() == "online")
    recorder.publish(TOPICS.ha_status, "rebooting")  # not HA's word: what it said stands
    recorder.publish(TOPICS.ha_status, "offline")
    assert wait_until(lambda: home_assistant() == "offline")
