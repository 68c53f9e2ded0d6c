"""Home Assistant discovery: the payload checked against a schema written from HA's own rules.

Keys per platform follow HA's MQTT platform schemas (homeassistant/components/mqtt/*.py) and
its device-discovery schema (schemas.py: ``dev`` with an identifier, ``o`` with a name,
``cmps`` each with ``p``). HA drops unknown keys silently, so an unknown key fails here.
"""

from __future__ import annotations

import json
import re
from datetime import UTC
from pathlib import Path
from typing import Any

from controller.core.events import POSTURES
from controller.core.state import SESSION_STATES
from controller.core.summary import SessionSummary
from controller.mqtt.discovery import discovery_payload, event_types
from controller.mqtt.history import history_payload
from controller.mqtt.topics import MatTopics
from controller.storage.history import History, SessionRow
from controller.wire.payloads import state_payload, zones_payload
from tests.mqtt.conftest import MAT1, mat_state

COMMON = {"p", "name", "unique_id", "icon", "value_template", "state_topic", "entity_category",
          "json_attributes_template", "json_attributes_topic", "availability_topic", "qos",
          "enabled_by_default", "default_entity_id"}  # fmt: skip
PLATFORM_KEYS = {
    "sensor": {"device_class", "unit_of_measurement", "state_class", "options",
               "suggested_display_precision", "expire_after", "force_update"},
    "binary_sensor": {"device_class", "payload_on", "payload_off", "off_delay", "expire_after"},
    "button": {"command_topic", "command_template", "payload_press", "device_class", "retain"},
    "select": {"command_topic", "command_template", "options", "optimistic", "retain"},
    "event": {"event_types", "device_class"},
}  # fmt: skip
UNITS = {
    "weight": {"kg", "g", "lb", "oz", "mg", "µg", "st"},
    "duration": {"d", "h", "min", "s", "ms"},
}
# HA's DEVICE_CLASS_STATE_CLASSES (homeassistant/components/sensor/const.py), for our classes.
STATE_CLASSES = {
    "weight": {"measurement", "total", "total_increasing"},
    "duration": {"measurement", "total", "total_increasing"},
}
BINARY_CLASSES = {"occupancy", "problem", "presence", "motion", "safety"}
TOPIC = re.compile(r"^[^#+\s]+(/[^#+/\s]+)*$")


def _check_sensor(c: dict[str, Any]) -> None:
    dc = c.get("device_class")
    if dc == "enum":
        assert c["options"] and all(isinstance(o, str) for o in c["options"])
        assert "unit_of_measurement" not in c and "state_class" not in c
    elif dc is not None:
        assert c["unit_of_measurement"] in UNITS[dc], c
        assert c.get("state_class") is None or c["state_class"] in STATE_CLASSES[dc], c
    assert c.get("state_class") in {None, "measurement", "total", "total_increasing"}
    assert c.get("entity_category") in {None, "diagnostic"}  # HA rejects config for sensors


def _check_component(key: str, c: dict[str, Any], mat_id: str) -> None:
    platform = c["p"]
    assert set(c) <= COMMON | PLATFORM_KEYS[platform], (
        key,
        set(c) - COMMON - PLATFORM_KEYS[platform],
    )
    assert re.fullmatch(rf"acumat_{mat_id}_[a-z_]+", c["unique_id"])
    for topic_key in ("state_topic", "command_topic"):
        assert topic_key not in c or TOPIC.match(c[topic_key])
    if platform == "sensor":
        _check_sensor(c)
    if platform == "binary_sensor":
        assert c["device_class"] in BINARY_CLASSES
    if platform == "event":
        assert c["event_types"] and len(set(c["event_types"])) == len(c["event_types"])
    if platform == "select":
        assert c["options"]


def _payload(mat_id: str = "mat1") -> dict[str, Any]:
    return discovery_payload(
        MatTopics("acumat", mat_id), "Bedroom mat", ["energy", "relax"], sw_version="1.2.3"
    )


def test_device_discovery_matches_the_schema() -> None:
    p = _payload()
    assert set(p) <= {"dev", "o", "cmps", "availability_topic", "state_topic", "qos"}
    assert p["dev"]["identifiers"] and p["o"]["name"] == "acumat"
    for key, component in p["cmps"].items():
        _check_component(key, component, "mat1")


def test_the_entities_the_issue_asks_for_are_there() -> None:
    c = _payload()["cmps"]
    assert (c["occupancy"]["p"], c["occupancy"]["device_class"]) == ("binary_sensor", "occupancy")
    assert (c["uneven"]["p"], c["uneven"]["device_class"]) == ("binary_sensor", "problem")
    assert c["posture"]["options"] == list(POSTURES)
    assert c["session_state"]["options"] == list(SESSION_STATES)
    assert c["load"]["unit_of_measurement"] == "kg"
    assert c["elapsed"]["device_class"] == c["remaining"]["device_class"] == "duration"
    assert c["program"]["p"] == "select" and c["program"]["options"] == ["energy", "relax"]
    assert {c[k]["p"] for k in ("start", "stop", "tare")} == {"button"}
    assert c["fault"]["entity_category"] == "diagnostic"
    assert c["events"]["p"] == "event" and "session_started" in c["events"]["event_types"]
    assert "balance" in c and "breathing" in c


def test_event_types_are_every_event_the_controller_emits() -> None:
    assert {"posture", "occupancy", "session_started", "session_ended", "tared"} <= set(
        event_types()
    )


def test_counters_that_reset_are_total_increasing() -> None:
    # A daily or weekly total that drops at midnight is a new cycle, not a measurement to average.
    c = _payload()["cmps"]
    for key in ("minutes_today", "minutes_week", "sessions_total"):
        assert c[key]["state_class"] == "total_increasing", key
    for key in ("load", "balance", "breathing", "streak"):
        assert c[key]["state_class"] == "measurement", key


def test_breathing_is_a_sensor_and_never_fires_the_event_entity() -> None:
    c = _payload()["cmps"]
    assert c["breathing"]["p"] == "sensor"
    assert "breathing" not in c["events"]["event_types"]
    assert "breathing" not in event_types()
    # HA's MQTT event ignores a message whose template renders empty (a debug line, not a
    # warning per estimate): the template renders nothing for a breathing event.
    template = c["events"]["value_template"]
    assert template.startswith("{% if value_json.type not in ['breathing'] %}")
    assert template.endswith("{% endif %}")


def _history_json(tmp_path: Path) -> dict[str, Any]:
    """A real history payload, from a database with one finished session."""
    history = History(tmp_path / "history.sqlite")
    summary = SessionSummary(session=1, program="relax", duration_s=600.0, completed=True,
                             reason="left_mat", target_s=600.0, uneven_s=3.0, mean_imbalance=0.1,
                             breathing_start_bpm=14.0, breathing_end_bpm=11.5,
                             breathing_trend_bpm_per_min=-0.4, still_fraction=0.9)  # fmt: skip
    history.add(SessionRow("m:1", "mat1", 0.0, 600.0, summary))
    history.close()
    return dict(json.loads(history_payload(tmp_path / "history.sqlite", "mat1", 900.0, UTC)))


def _paths_exist(key: str, template: str, data: dict[str, Any]) -> None:
    for path in re.findall(r"value_json\.([a-z_.]+)", template):
        node: Any = data
        for part in path.split("."):
            assert part in node, (key, path)
            node = node[part]


def test_templates_only_read_fields_their_topic_has(tmp_path: Path) -> None:
    state = json.loads(state_payload(mat_state(posture="lying", load_kg=50.0), "mat1", 0.0))
    history = _history_json(tmp_path)
    for key, c in _payload()["cmps"].items():
        if c["p"] == "event":
            continue
        own = c.get("state_topic", MAT1.state)
        assert own in {MAT1.state, MAT1.history}
        data = history if own == MAT1.history else state
        assert c.get("json_attributes_topic", own) == own
        for template in (c.get("value_template", ""), c.get("json_attributes_template", "")):
            _paths_exist(key, template, data)


def test_habit_sensors_read_the_history_topic() -> None:
    c = _payload()["cmps"]
    assert c["streak"]["unit_of_measurement"] == "d"
    for key in ("minutes_today", "minutes_week"):
        assert (c[key]["device_class"], c[key]["unit_of_measurement"]) == ("duration", "min")
    assert c["last_breathing"]["unit_of_measurement"] == "bpm"
    for key in ("streak", "minutes_today", "minutes_week", "sessions_total", "last_breathing"):
        assert c[key]["state_topic"] == MAT1.history


def test_two_mats_never_share_an_id() -> None:
    a, b = _payload("mat1"), _payload("mat2")
    assert a["dev"]["identifiers"] != b["dev"]["identifiers"]
    ids_a = {c["unique_id"] for c in a["cmps"].values()}
    assert not ids_a & {c["unique_id"] for c in b["cmps"].values()}


def test_attribute_templates_name_their_topic() -> None:
    # HA applies json_attributes_template only to messages on json_attributes_topic.
    for key, component in _payload()["cmps"].items():
        if "json_attributes_template" in component:
            assert component.get("json_attributes_topic"), key


def test_published_loads_are_never_below_zero() -> None:
    state = mat_state(load_kg=-0.19)
    payload = json.loads(state_payload(state, "mat1", 0.0))
    assert payload["load_kg"] == 0.0
    assert all(v == 0.0 for v in payload["zones_kg"].values())
    zones = json.loads(zones_payload(state, list(state.zones_kg), 0.0))
    assert zones["load_kg"] == 0.0 and all(v == 0.0 for v in zones["zones"].values())
    loaded = json.loads(state_payload(mat_state(load_kg=61.5), "mat1", 0.0))
    assert loaded["load_kg"] == 61.5
