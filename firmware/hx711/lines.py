"""The HX711 driver's wires: one clock output and N data inputs (thin I/O shell).

Two ways to reach them: gpiozero pins from any pin factory (the default factory on a Pi,
``MockFactory`` and the emulator in tests), one call per line per bit; or lgpio's group
calls, where one ``group_read`` samples every data line at once (bit 0 = the first line).
lgpio is passed in as a module, never imported here, so this imports on any machine and a
fake lgpio can count the calls. ``pin_factory`` turns ``[source.hardware] pin_library`` into
gpiozero's factory for it: lgpio, RPi.GPIO (Bullseye-era systems), or gpiozero's own pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

# What to install for each library, said where it is found missing.
NEEDS = {
    "lgpio": "pin_library = 'lgpio' needs lgpio (apt install python3-lgpio, or the 'pi' extra)",
    "rpigpio": "pin_library = 'rpigpio' needs RPi.GPIO (apt install python3-rpi.gpio)",
}


def pin_factory(library: str, gpiochip: int = 0) -> Any:
    """gpiozero's pin factory for ``library`` (``None`` for ``auto``: gpiozero picks, honouring
    $GPIOZERO_PIN_FACTORY). A library that is not installed is an ``ImportError`` saying
    which package to install."""
    if library == "auto":
        return None
    if library == "rpigpio":
        try:
            from gpiozero.pins.rpigpio import RPiGPIOFactory
        except ImportError:
            raise ImportError(NEEDS[library]) from None
        return RPiGPIOFactory()
    if library == "lgpio":
        try:
            from gpiozero.pins.lgpio import LGPIOFactory
        except ImportError:
            raise ImportError(NEEDS[library]) from None
        return LGPIOFactory(chip=gpiochip)
    raise ValueError(f"pin_library must be auto, lgpio or rpigpio, got {library!r}")


class Lines(Protocol):
    def set_clock(self, high: bool) -> None: ...

    def read_data(self) -> int:
        """Bitmask of the data lines that are high, bit i = data line i."""
        ...

    def close(self) -> None: ...


class GpiozeroLines:
    """Pins from a gpiozero pin factory (``None``: gpiozero's default, lgpio on Bookworm)."""

    def __init__(
        self, clock_pin: int | str, data_pins: Sequence[int | str], pin_factory: Any
    ) -> None:
        if pin_factory is None:
            from gpiozero import Device

            Device.ensure_pin_factory()
            pin_factory = Device.pin_factory
        self._clk = pin_factory.pin(clock_pin)
        self._data = [pin_factory.pin(p) for p in data_pins]
        for pin in self._data:
            # Only when needed: re-selecting input re-applies the pull, which on a mock pin
            # (or GPIO 2/3 with their fixed pull-ups) would move a DOUT an emulator drives.
            if pin.function != "input":
                pin.function = "input"
        self._clk.function = "output"
        # Clock low from the start: low is the chips' running state.
        self._clk.state = False

    def set_clock(self, high: bool) -> None:
        self._clk.state = high

    def read_data(self) -> int:
        mask = 0
        for i, pin in enumerate(self._data):
            if pin.state:
                mask |= 1 << i
        return mask

    def close(self) -> None:
        self._clk.state = False
        for pin in (self._clk, *self._data):
            pin.close()


class LgpioLines:
    """The lgpio fast path: ``gpio_write`` for the clock, one ``group_read`` per bit."""

    def __init__(self, lgpio: Any, gpiochip: int, clock_pin: int, data_pins: Sequence[int]) -> None:
        self._lg = lgpio
        self._leader = data_pins[0]
        self._clock_pin = clock_pin
        self._handle = lgpio.gpiochip_open(gpiochip)
        try:
            lgpio.gpio_claim_output(self._handle, clock_pin, 0)
            lgpio.group_claim_input(self._handle, list(data_pins))
        except Exception:
            lgpio.gpiochip_close(self._handle)
            raise

    def set_clock(self, high: bool) -> None:
        self._lg.gpio_write(self._handle, self._clock_pin, 1 if high else 0)

    def read_data(self) -> int:
        result = self._lg.group_read(self._handle, self._leader)
        # lgpio's Python module returns (group size, levels); tolerate a bare int too.
        bits = result[1] if isinstance(result, tuple | list) else result
        return int(bits)

    def close(self) -> None:
        lg, handle = self._lg, self._handle
        lg.gpio_write(handle, self._clock_pin, 0)
        lg.group_free(handle, self._leader)
        lg.gpio_free(handle, self._clock_pin)
        lg.gpiochip_close(handle)
