"""MQTT and Home Assistant: the only place paho is imported."""
