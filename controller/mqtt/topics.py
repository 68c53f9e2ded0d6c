"""Every MQTT topic acumat publishes or subscribes to, spelt once (pure).

A mat's own topics sit under ``<topic_prefix>/<mat_id>/`` (``acumat/mat1/state``); the two
Home Assistant topics it uses sit under the discovery prefix. Topics are a contract with
dashboards, automations, blueprints and broker ACLs (docs/mqtt.md lists them): a topic may be
added, never renamed. tests/mqtt/test_topics.py pins each one by its literal text.
"""

from __future__ import annotations

from dataclasses import dataclass

from controller.mqtt.config import MqttConfig

_COMMAND = "cmd"


@dataclass(frozen=True, slots=True)
class MatTopics:
    """The topics of one mat, and the Home Assistant topics it talks to."""

    prefix: str
    mat_id: str
    discovery_prefix: str = "homeassistant"

    @classmethod
    def of(cls, config: MqttConfig, mat_id: str) -> MatTopics:
        return cls(config.topic_prefix, mat_id, config.discovery_prefix)

    @property
    def base(self) -> str:
        return f"{self.prefix}/{self.mat_id}"

    @property
    def availability(self) -> str:
        """``online`` / ``offline``, retained; also the last will."""
        return f"{self.base}/availability"

    @property
    def state(self) -> str:
        """The retained JSON snapshot."""
        return f"{self.base}/state"

    @property
    def zones(self) -> str:
        """Live kg per zone, QoS 0."""
        return f"{self.base}/zones"

    @property
    def event(self) -> str:
        """Every controller event, from the durable outbox."""
        return f"{self.base}/event"

    @property
    def history(self) -> str:
        """The retained habit figures."""
        return f"{self.base}/history"

    def command(self, name: str) -> str:
        """Where clients send the command ``name``."""
        return f"{self.base}/{_COMMAND}/{name}"

    def result(self, name: str) -> str:
        """Where the answer to a ``name`` command goes."""
        return f"{self.command(name)}/result"

    @property
    def commands(self) -> str:
        """The subscription filter for every command (one level: results are not matched)."""
        return self.command("+")

    def command_name(self, topic: str) -> str | None:
        """The ``<name>`` of a command topic of this mat, else None."""
        head = self.command("")
        if not topic.startswith(head):
            return None
        name = topic[len(head) :]
        return None if "/" in name else name

    @property
    def discovery(self) -> str:
        """Home Assistant's device-based discovery config (HA >= 2024.11), retained."""
        return f"{self.discovery_prefix}/device/{self.mat_id}/config"

    @property
    def ha_status(self) -> str:
        """Home Assistant's birth and will (``online``: rediscover)."""
        return f"{self.discovery_prefix}/status"
