"""The MQTT suite's real-broker fixtures, for the history topic tests."""

from tests.mqtt.conftest import broker, make_adapter, recorder

__all__ = ["broker", "make_adapter", "recorder"]
