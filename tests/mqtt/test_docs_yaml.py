"""The Home Assistant files in docs/ha: valid YAML that fits what acumat really publishes.

The dashboard card may only name entities the discovery message creates (ids derived the
way Home Assistant derives them: device name + entity name, slugified). The blueprint is
loaded with a loader that knows HA's ``!input`` tag; every ``!input`` must name a declared
input, and every event type it reacts to must be one acumat sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from controller.mqtt.discovery import discovery_payload, event_types
from controller.service.config import MatConfig
from tests.mqtt.conftest import MAT1

HA_DOCS = Path(__file__).parents[2] / "docs" / "ha"
PROGRAMS = ("energy", "relax", "sleep")


@dataclass(frozen=True)
class Input:
    """A blueprint's ``!input name`` (Home Assistant fills it in when the blueprint is used)."""

    name: str


class BlueprintLoader(yaml.SafeLoader):
    """SafeLoader plus HA's ``!input`` tag."""


def _input(loader: yaml.SafeLoader, node: yaml.Node) -> Input:
    assert isinstance(node, yaml.ScalarNode), "!input takes a name"
    return Input(str(loader.construct_scalar(node)))


BlueprintLoader.add_constructor("!input", _input)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def discovered_entity_ids(mat_name: str) -> set[str]:
    payload = discovery_payload(MAT1, mat_name, PROGRAMS, sw_version="1.2.3")
    device = _slug(payload["dev"]["name"])
    return {f"{c['p']}.{device}_{_slug(c['name'])}" for c in payload["cmps"].values()}


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _entity_refs(card: Any) -> set[str]:
    refs: set[str] = set()
    for node in _walk(card):
        if isinstance(node, dict):
            for key in ("entity", "entity_id"):
                if isinstance(node.get(key), str):
                    refs.add(node[key])
            entities = node.get("entities")
            if isinstance(entities, list):
                refs.update(e for e in entities if isinstance(e, str))
    return refs


def test_the_dashboard_card_names_only_entities_acumat_creates() -> None:
    card = yaml.safe_load((HA_DOCS / "dashboard-card.yaml").read_text(encoding="utf-8"))
    assert card["type"] == "vertical-stack"
    refs = _entity_refs(card)
    known = discovered_entity_ids(MatConfig().name)
    assert len(refs) >= 10
    assert refs <= known, f"not created by discovery: {sorted(refs - known)}"


def test_the_derived_entity_ids_follow_the_mat_name() -> None:
    ids = discovered_entity_ids("Bedroom mat")
    assert "sensor.bedroom_mat_posture" in ids
    assert "binary_sensor.bedroom_mat_occupancy" in ids
    assert "event.bedroom_mat_session_events" in ids


@pytest.fixture(scope="module")
def blueprint() -> dict[str, Any]:
    text = (HA_DOCS / "blueprint-session.yaml").read_text(encoding="utf-8")
    loaded = yaml.load(text, Loader=BlueprintLoader)  # a SafeLoader subclass
    assert isinstance(loaded, dict)
    return loaded


def test_the_blueprint_is_an_automation_with_declared_inputs(blueprint: dict[str, Any]) -> None:
    meta = blueprint["blueprint"]
    assert meta["domain"] == "automation" and meta["name"]
    declared = meta["input"]
    used = {n.name for n in _walk(blueprint) if isinstance(n, Input)}
    assert used == set(declared), "every input is used and every use is declared"
    for name, spec in declared.items():
        assert spec["name"] and "selector" in spec, name
    assert blueprint["triggers"] == [{"trigger": "mqtt", "topic": Input("event_topic")}]
    assert declared["event_topic"]["default"] == MAT1.event


def test_the_blueprint_reacts_only_to_event_types_acumat_sends(
    blueprint: dict[str, Any],
) -> None:
    templates = [n for n in _walk(blueprint) if isinstance(n, str) and "{{" in n]
    named = {t for text in templates for t in re.findall(r"'(session_[a-z_]+)'", text)}
    assert named == {"session_started", "session_target_reached", "session_ended"}
    assert named <= set(event_types())


def test_a_plain_safe_load_rejects_the_input_tag() -> None:
    # Why the custom loader exists: !input is not YAML's, and safe_load refuses unknown tags.
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.safe_load((HA_DOCS / "blueprint-session.yaml").read_text(encoding="utf-8"))
