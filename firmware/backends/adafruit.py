"""Adapter that makes adafruit-circuitpython-hx711 1.1.2 read correctly on a Pi (I/O shell).

As shipped the package cannot read on a Raspberry Pi (read from its source, version 1.1.2):
``read_fast`` calls ``microcontroller.disable_interrupts()``, which Adafruit Blinka does not
have (AttributeError); Blinka's ``delay_us(1)`` is ``time.sleep(1e-6)``, 36-100 µs, with the
clock *high* (over 60 µs powers the chip down mid-word); ``value |= 0xFF000000`` turns a
negative reading into ~4.29e9 on CPython; ``while self.is_busy: pass`` waits forever for a
missing board; and ``read()`` always does a discarded read first, halving the rate. The
adapter supplies the missing calls (interrupts cannot be masked from user space; the
delays become no-ops, a Python call already holds the clock > 0.2 µs), waits for DOUT
itself with a deadline on the injected clock, decodes the sign from the low 24 bits, and
calls the package's one-read ``_read_channel_raw`` only once DOUT is low. That private call
is why the version is pinned: another version is refused. The package reads one chip per
pulse train, so each board needs its own clock pin. Pins are gpiozero pins.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

from firmware.clock import Clock, SystemClock
from firmware.errors import FirmwareError
from firmware.faults import NOT_READY, SATURATED
from firmware.hx711.driver import OK, PULSES_FOR_GAIN, Reading, decode_24bit

VERIFIED_VERSION = "1.1.2"
_POLL_S = 0.0005


class AdafruitBackendError(FirmwareError, RuntimeError):
    """The Adafruit package is missing or not the version this adapter was proven with."""


class _Microcontroller:
    """What ``read_fast`` needs from ``microcontroller``; nothing here may sleep."""

    @staticmethod
    def disable_interrupts() -> None:
        """User space cannot mask interrupts; the low-phase wait makes that harmless."""

    @staticmethod
    def enable_interrupts() -> None:
        """See ``disable_interrupts``."""

    @staticmethod
    def delay_us(_delay_us: float) -> None:
        """No sleep: the call itself lasts longer than the chip's 0.2 µs minimum."""


class _DigitalPin:
    """A gpiozero pin with the ``.value`` of a ``digitalio.DigitalInOut``."""

    def __init__(self, pin: Any, output: bool) -> None:
        self._pin = pin
        pin.function = "output" if output else "input"
        if output:
            pin.state = False

    @property
    def value(self) -> bool:
        return bool(self._pin.state)

    @value.setter
    def value(self, high: bool) -> None:
        self._pin.state = high

    def close(self) -> None:
        self._pin.close()


def load_module() -> Any:
    """``adafruit_hx711.hx711`` with Blinka's gaps filled, or a refusal saying why."""
    try:
        module = importlib.import_module("adafruit_hx711.hx711")
    except Exception as exc:  # Blinka raises more than ImportError on unknown boards
        raise AdafruitBackendError(
            f"adafruit: cannot import adafruit_hx711 ({exc}); install the 'pi' extra"
        ) from None
    version = getattr(module, "__version__", "?")
    if version != VERIFIED_VERSION:
        raise AdafruitBackendError(
            f"adafruit: adafruit-circuitpython-hx711 {version} is installed; the adapter is"
            f" proven against {VERIFIED_VERSION} only (it calls _read_channel_raw):"
            f" pip install adafruit-circuitpython-hx711=={VERIFIED_VERSION}, or use source.kind"
            " = 'hx711'"
        )
    setattr(module, "microcontroller", _Microcontroller())  # noqa: B010 (third-party global)
    return module


class AdafruitReader:
    """One Adafruit ``HX711`` per board, each on its own (clock, data) pin pair."""

    def __init__(
        self,
        pins: Sequence[tuple[int, int]],
        gain: int = 128,
        pin_factory: Any = None,
        *,
        clock: Clock | None = None,
        ready_timeout_s: float = 0.5,
    ) -> None:
        module = load_module()
        factory = pin_factory or _default_factory()
        self._pulses = PULSES_FOR_GAIN[gain]
        self._clock = clock or SystemClock()
        self._timeout_s = ready_timeout_s
        self._pins = [
            (_DigitalPin(factory.pin(c), True), _DigitalPin(factory.pin(d), False)) for c, d in pins
        ]
        # The constructor power-cycles the chip (clock high for 1 ms): a reset, as meant.
        self._chips = [module.HX711(data_pin=d, clock_pin=c) for c, d in self._pins]
        self._discard = [True] * len(self._chips)

    def read_detailed(self) -> list[Reading]:
        return [self._read(i) for i in range(len(self._chips))]

    def _read(self, i: int) -> Reading:
        reading = self._read_once(i)
        if self._discard[i] and reading.counts is not None:
            self._discard[i] = False  # the power-up conversion has the chip's default gain
            reading = self._read_once(i)
        return reading

    def _read_once(self, i: int) -> Reading:
        if not self._wait_ready(self._pins[i][1]):
            return Reading(None, NOT_READY)
        raw = self._chips[i]._read_channel_raw(self._pulses)
        value = decode_24bit(int(raw) & 0xFFFFFF)  # undo the package's 32-bit sign step
        return Reading(value, SATURATED if value in (0x7FFFFF, -0x800000) else OK)

    def _wait_ready(self, data: _DigitalPin) -> bool:
        deadline = self._clock.monotonic() + self._timeout_s
        while data.value:
            if self._clock.monotonic() >= deadline:
                return False
            self._clock.sleep(_POLL_S)
        return True

    def close(self) -> None:
        for clock_pin, data_pin in self._pins:
            clock_pin.value = False
            clock_pin.close()
            data_pin.close()


def _default_factory() -> Any:
    from firmware.backends.pinfactory import default_pin_factory

    return default_pin_factory()
