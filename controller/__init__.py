"""acumat controller: zone frames and commands in, events out (pure core), and the thin
shell that turns events into console lines, history rows and MQTT messages."""

__version__ = "0.1.0"  # the distribution's version (pyproject.toml reads it here)
