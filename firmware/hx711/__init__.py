"""The HX711 driver (``HX711Array``, the contract), its pin-line helpers and the bit-level
emulator that tests and the simulator drive it with.
"""

from firmware.hx711.driver import HX711Array

__all__ = ["HX711Array"]
