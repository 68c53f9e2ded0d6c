"""Home Assistant device-based MQTT discovery for one mat (pure).

One retained message at ``<prefix>/device/<mat_id>/config`` (HA >= 2024.11) carrying the
device (``dev``), the origin (``o``) and every entity in ``cmps`` (the key HA's code reads;
the docs once said ``cmp``). Availability and the state topic sit at the root and are inherited;
every topic comes from ``MatTopics`` (controller/mqtt/topics.py).
Rules HA enforces silently, kept here: a unit must match its device class exactly, an
``enum`` sensor has ``options`` and neither unit nor state class, sensors may only be
``diagnostic`` (never ``config``), an ``event`` entity needs ``event_types``. The
``unique_id`` of every entity starts with the mat id, so two mats are two devices.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from controller.core import events as ev
from controller.core.events import POSTURES
from controller.core.state import SESSION_STATES
from controller.mqtt.topics import MatTopics

# Events that are figures, not happenings: each breathing estimate (about 4 a minute) would
# fire the event entity and fill HA's logbook. The breathing sensor carries them instead.
NOT_EVENTS = frozenset({"breathing"})


def event_types() -> list[str]:
    """The ``type`` of every event class in controller.core.events the event entity fires on,
    in definition order (all but ``NOT_EVENTS``)."""
    found: list[str] = []
    for value in vars(ev).values():
        if isinstance(value, type) and issubclass(value, ev.Event) and value is not ev.Event:
            found.append(value.type)
    return [t for t in found if t not in NOT_EVENTS]


def _sensors() -> dict[str, dict[str, Any]]:
    measure = {"p": "sensor", "state_class": "measurement"}
    return {
        "posture": {"p": "sensor", "name": "Posture", "device_class": "enum",
                    "options": list(POSTURES), "value_template": "{{ value_json.posture }}",
                    "icon": "mdi:human"},
        "load": {**measure, "name": "Load", "device_class": "weight",
                 "unit_of_measurement": "kg", "suggested_display_precision": 1,
                 "value_template": "{{ value_json.load_kg }}"},
        # (R - L) / (R + L) in percent: positive means the right side carries more.
        "balance": {**measure, "name": "Balance", "unit_of_measurement": "%",
                    "suggested_display_precision": 0, "icon": "mdi:scale-unbalanced",
                    "value_template": "{{ (value_json.imbalance * 100) | round(1) "
                    "if value_json.imbalance is not none else None }}"},
        "session_state": {"p": "sensor", "name": "Session", "device_class": "enum",
                          "options": list(SESSION_STATES),
                          "value_template": "{{ value_json.session.state }}"},
        # HA's MQTT sensor reads the rendered text "None" as unknown.
        "elapsed": {**measure, "name": "Session elapsed", "device_class": "duration",
                    "unit_of_measurement": "s",
                    "value_template": "{{ value_json.session.elapsed_s | round(0) }}"},
        "remaining": {**measure, "name": "Session remaining", "device_class": "duration",
                      "unit_of_measurement": "s",
                      "value_template": "{{ value_json.session.remaining_s | round(0) "
                      "if value_json.session.remaining_s is not none else None }}"},
        "breathing": {**measure, "name": "Breathing rate", "unit_of_measurement": "bpm",
                      "icon": "mdi:lungs",
                      "value_template": "{{ value_json.breathing_bpm }}"},
    }  # fmt: skip


def _habit_sensors(topics: MatTopics) -> dict[str, dict[str, Any]]:
    """Read from the retained ``history`` topic (controller/mqtt/history.py).

    Minutes today/this week only grow until they reset (midnight, Monday): HA's
    ``total_increasing`` reads a drop as a new cycle, where ``measurement`` would average them."""
    measure = {"p": "sensor", "state_class": "measurement", "state_topic": topics.history}
    counter = {**measure, "state_class": "total_increasing"}
    last = "value_json.last_session"
    return {
        "streak": {**measure, "name": "Streak", "unit_of_measurement": "d", "icon": "mdi:fire",
                   "value_template": "{{ value_json.streak_days }}"},
        "minutes_today": {**counter, "name": "Minutes today", "device_class": "duration",
                          "unit_of_measurement": "min",
                          "value_template": "{{ value_json.minutes_today }}"},
        "minutes_week": {**counter, "name": "Minutes this week", "device_class": "duration",
                         "unit_of_measurement": "min",
                         "value_template": "{{ value_json.minutes_week }}"},
        "sessions_total": {**counter, "name": "Sessions",
                           "icon": "mdi:counter",
                           "value_template": "{{ value_json.sessions_total }}"},
        # The newest session's last breathing estimate; its other figures as attributes.
        "last_breathing": {**measure, "name": "Last session breathing", "icon": "mdi:lungs",
                           "unit_of_measurement": "bpm",
                           "value_template": f"{{{{ {last}.breathing_end_bpm if {last} and "
                           f"{last}.breathing_end_bpm is not none else None }}}}",
                           "json_attributes_topic": topics.history,
                           "json_attributes_template": f"{{{{ {last} | tojson }}}}"},
    }  # fmt: skip


def _binary_sensors(topics: MatTopics) -> dict[str, dict[str, Any]]:
    return {
        "occupancy": {"p": "binary_sensor", "name": "Occupancy", "device_class": "occupancy",
                      "value_template": "{{ 'ON' if value_json.occupied else 'OFF' }}"},
        "uneven": {"p": "binary_sensor", "name": "Uneven load", "device_class": "problem",
                   "value_template": "{{ 'ON' if value_json.uneven else 'OFF' }}"},
        "fault": {"p": "binary_sensor", "name": "Sensor fault", "device_class": "problem",
                  "entity_category": "diagnostic",
                  "value_template": "{{ 'ON' if value_json.fault else 'OFF' }}",
                  # HA applies the template only to messages on this topic: name it.
                  "json_attributes_topic": topics.state,
                  "json_attributes_template": "{{ value_json.faults | tojson }}"},
    }  # fmt: skip


def _controls(topics: MatTopics, programs: Sequence[str]) -> dict[str, dict[str, Any]]:
    buttons = {
        name: {"p": "button", "name": label, "command_topic": topics.command(name),
               "payload_press": "{}", "icon": icon}
        for name, label, icon in (
            ("start", "Start session", "mdi:play"),
            ("stop", "Stop session", "mdi:stop"),
            ("pause", "Pause session", "mdi:pause"),
            ("resume", "Resume session", "mdi:play-pause"),
            ("tare", "Tare", "mdi:scale-balance"),
        )
    }  # fmt: skip
    program = {
        "p": "select",
        "name": "Program",
        "options": list(programs),
        "command_topic": topics.command("select_program"),
        "command_template": '{"program": "{{ value }}"}',
        "value_template": "{{ value_json.session.program }}",
        "icon": "mdi:format-list-bulleted",
    }
    return {**buttons, "program": program}


def _event(topics: MatTopics) -> dict[str, Any]:
    # HA's MQTT event drops a message whose template renders empty, quietly (a debug line);
    # an event type outside ``event_types`` would be a warning per message instead.
    skip = ", ".join(f"'{t}'" for t in sorted(NOT_EVENTS))
    return {
        "p": "event",
        "name": "Session events",
        "state_topic": topics.event,
        "event_types": event_types(),
        "value_template": f"{{% if value_json.type not in [{skip}] %}}"
        "{{ {'event_type': value_json.type, 'seq': value_json.seq} | tojson }}{% endif %}",
    }


def discovery_payload(
    topics: MatTopics, mat_name: str, programs: Sequence[str], *, sw_version: str
) -> dict[str, Any]:
    """The config published retained at ``topics.discovery``; ``sw_version`` is acumat's
    (``controller.__version__``)."""
    mat_id = topics.mat_id
    components = {
        **_binary_sensors(topics),
        **_sensors(),
        **_habit_sensors(topics),
        **_controls(topics, programs),
    }
    if not programs:
        components.pop("program")
    components["events"] = _event(topics)
    for key, component in components.items():
        component["unique_id"] = f"acumat_{mat_id}_{key}"
    return {
        "dev": {
            "identifiers": [f"acumat_{mat_id}"],
            "name": mat_name,
            "manufacturer": "acumat",
            "model": "Smart acupressure mat",
            "sw_version": sw_version,
        },
        "o": {"name": "acumat", "sw_version": sw_version},
        "availability_topic": topics.availability,
        "state_topic": topics.state,
        "qos": 1,
        "cmps": components,
    }
