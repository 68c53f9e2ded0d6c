"""MQTT and Home Assistant: events, state and zones out, commands in, discovery, the watch.

``client`` is the only module of acumat that imports paho (tests/mqtt/test_client.py checks
it); ``topics`` spells every topic; ``payloads``, ``commandwire``, ``discovery`` and ``topics``
are pure; ``adapter`` (the service's), ``outbox``, ``history`` and ``watch`` do I/O.
"""
