"""The retained history topic against a real mosquitto: figures from the database at connect,
refreshed after a session ends, and kept for a subscriber that comes later."""

from __future__ import annotations

import json
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest

from controller.mqtt.history import next_midnight_wall_s
from controller.storage.history import History
from tests.history.helpers import row, wall
from tests.history.test_store import _ended
from tests.mqtt.broker import Broker, Recorder
from tests.mqtt.conftest import AdapterFactory, frame, mat_state, started

pytestmark = pytest.mark.broker
TOPIC = "acumat/mat1/history"
NOW = 1_767_225_600.0  # FakeClock's wall start: 2026-01-01 00:00 UTC, a Thursday


def _latest(recorder: Recorder, n: int) -> dict[str, Any]:
    msgs = recorder.wait_for(lambda ms: len([m for m in ms if m.topic == TOPIC]) >= n)
    last = [m for m in msgs if m.topic == TOPIC][-1]
    return dict(json.loads(last.payload))


def test_history_figures_at_connect_and_after_a_session(
    make_adapter: AdapterFactory, recorder: Recorder, tmp_path: Path
) -> None:
    state = tmp_path / "state"
    history = History(state / "history.sqlite")
    history.add(row(NOW - 86400 + 3600, 12, bpm=(14.0, 12.0)))  # yesterday, completed
    adapter = make_adapter(state_dir=state)
    adapter.history_tz = UTC
    started(adapter)
    first = _latest(recorder, 1)
    assert (first["streak_days"], first["minutes_today"], first["sessions_total"]) == (1, 0.0, 1)
    assert first["mat"] == "mat1" and first["schema_version"] == 1
    assert first["last_session"]["breathing_end_bpm"] == 12.0
    history.add(row(NOW + 60, 20, bpm=(15.0, 11.0)))  # what the history adapter stores first
    adapter.on_frame(frame(1.0), [_ended(1.0, program="relax")], mat_state(1.0))
    second = _latest(recorder, 2)
    assert (second["streak_days"], second["minutes_today"], second["sessions_total"]) == (2, 20, 2)
    assert second["minutes_week"] == 32.0
    assert second["last_session"]["breathing_start_bpm"] == 15.0
    history.close()


def test_a_late_subscriber_gets_the_retained_figures(
    make_adapter: AdapterFactory, broker: Broker, tmp_path: Path
) -> None:
    adapter = started(make_adapter(state_dir=tmp_path / "empty"))
    late = Recorder(broker.port, [TOPIC])
    try:
        [msg] = [m for m in late.wait_for(lambda ms: len(ms) >= 1) if m.topic == TOPIC]
        body = json.loads(msg.payload)
        assert msg.retain and body["sessions_total"] == 0 and body["last_session"] is None
    finally:
        late.close()
        adapter.close()


def test_the_next_refresh_is_the_next_local_midnight() -> None:
    assert next_midnight_wall_s(wall("2026-03-09 23:59", UTC), UTC) == wall("2026-03-10 00:00", UTC)
    assert next_midnight_wall_s(wall("2026-03-10 00:00", UTC), UTC) == wall("2026-03-11 00:00", UTC)
