"""The wire formats every outside channel shares (pure): command payloads in, results, events
and the state snapshot out, as JSON. MQTT and the web page use the same decoder and the
same shapes, so a command means the same thing on either.
"""
