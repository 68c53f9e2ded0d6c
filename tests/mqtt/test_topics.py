"""Topics are a contract: each one pinned by its literal text, and the docs' table matches."""

from __future__ import annotations

import re
from pathlib import Path

from controller.mqtt.config import MqttConfig
from controller.mqtt.topics import MatTopics

DOCS = Path(__file__).parents[2] / "docs" / "mqtt.md"
T = MatTopics("acumat", "mat1")


def test_every_topic_keeps_its_name() -> None:
    # Dashboards, automations, the blueprint and broker ACLs spell these: never rename one.
    assert T.availability == "acumat/mat1/availability"
    assert T.state == "acumat/mat1/state"
    assert T.zones == "acumat/mat1/zones"
    assert T.event == "acumat/mat1/event"
    assert T.history == "acumat/mat1/history"
    assert T.command("start") == "acumat/mat1/cmd/start"
    assert T.result("start") == "acumat/mat1/cmd/start/result"
    assert T.commands == "acumat/mat1/cmd/+"
    assert T.discovery == "homeassistant/device/mat1/config"
    assert T.ha_status == "homeassistant/status"


def test_the_prefixes_come_from_the_config() -> None:
    config = MqttConfig(topic_prefix="home/mats", discovery_prefix="ha")
    topics = MatTopics.of(config, "bedroom")
    assert topics.state == "home/mats/bedroom/state"
    assert topics.command("tare") == "home/mats/bedroom/cmd/tare"
    assert (topics.discovery, topics.ha_status) == ("ha/device/bedroom/config", "ha/status")


def test_a_command_name_is_read_only_from_this_mats_command_topics() -> None:
    assert T.command_name("acumat/mat1/cmd/start") == "start"
    assert T.command_name(T.command("select_program")) == "select_program"
    assert T.command_name("acumat/mat1/cmd/start/result") is None
    assert T.command_name("acumat/mat2/cmd/start") is None
    assert T.command_name("acumat/mat1/state") is None


def _documented_leaves() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    table = text.split("## Topics", 1)[1].split("\n### ", 1)[0]
    return set(re.findall(r"^\| `([^`]+)` \|", table, flags=re.MULTILINE))


def test_the_documented_topic_table_is_what_the_code_builds() -> None:
    built = {
        T.availability,
        T.state,
        T.zones,
        T.history,
        T.event,
        T.command("<name>"),
        T.result("<name>"),
    }
    assert {topic.removeprefix(T.base + "/") for topic in built} == _documented_leaves()
