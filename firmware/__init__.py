"""acumat firmware: from load cells (or a simulator, or a recorded file) to zone frames.

Knows pins, HX711 timing, calibration, filters and the layout of zones; knows nothing of
sessions or MQTT. Nothing here imports ``controller``.
"""
