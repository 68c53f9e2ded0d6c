"""HX711 driver: several boards on one shared clock line, read bit by bit through gpiozero pins.

Owns the HX711 wire protocol (datasheet V1.0/V2.0): readiness judged from DOUT only, 24 bits
MSB first sampled while the clock is LOW (after the falling edge), nothing slow while the clock
is high (>60 µs powers the chip down), 25/26/27 pulses for gain 128/32/64, one discarded
conversion after power-up and after a gain change, 24-bit two's complement, and the saturation
codes 0x7FFFFF / 0x800000 reported as a status. Not pure: it drives pins. Waiting uses the
injected ``Clock``, so tests on gpiozero's ``MockFactory`` never sleep in real time. Where
``lgpio`` is available an optional fast path reads every data line with one ``group_read``.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from firmware.clock import Clock, SystemClock
from firmware.errors import FirmwareError
from firmware.faults import INTERRUPTED, NOT_READY, SATURATED, ReadStatus
from firmware.hx711.lines import GpiozeroLines, LgpioLines, Lines

PULSES_FOR_GAIN: Final = {128: 25, 32: 26, 64: 27}
SATURATED_HIGH: Final = 0x7FFFFF
SATURATED_LOW: Final = -0x800000
OK: Final[ReadStatus] = "ok"
_POWER_DOWN_AFTER_S: Final = 60e-6
_MAX_CYCLES: Final = 3  # an interrupted train, then the discarded re-settle, then the read
_POWER_DOWN_HOLD_S: Final = 100e-6  # datasheet: clock high > 60 µs powers the chip down


class HX711ConfigError(FirmwareError, ValueError):
    """Pins or gain that cannot describe a working set of boards."""


def decode_24bit(raw: int) -> int:
    """A 24-bit two's complement word as a Python int (0xFFFFFF is −1)."""
    raw &= 0xFFFFFF
    return raw - 0x1000000 if raw & 0x800000 else raw


def encode_24bit(value: int) -> int:
    """The 24-bit word the chip sends for ``value`` (clamped to the ADC's range)."""
    return max(SATURATED_LOW, min(SATURATED_HIGH, value)) & 0xFFFFFF


@dataclass(frozen=True, slots=True)
class Reading:
    """One channel of one read: signed counts (``None`` when not ready) and a status."""

    counts: int | None
    status: ReadStatus


def _status_of(value: int) -> ReadStatus:
    return SATURATED if value in (SATURATED_HIGH, SATURATED_LOW) else OK


class HX711Array:
    """N HX711 boards sharing one clock pin; one pulse train reads every ready board."""

    def __init__(
        self,
        clock_pin: int | str,
        data_pins: Sequence[int | str],
        gain: int = 128,
        pin_factory: Any = None,
        ready_timeout: float = 0.5,
        *,
        clock: Clock | None = None,
        poll_s: float = 0.0005,
        group_read: bool = False,
        lgpio_module: Any = None,
        gpiochip: int = 0,
    ) -> None:
        _check_pins(clock_pin, data_pins)
        self._pulses = _pulses_for(gain)
        self._gain = gain
        self.ready_timeout = ready_timeout
        self._clock: Clock = clock if clock is not None else SystemClock()
        self._poll_s = poll_s
        self._lines: Lines = (
            _lgpio_lines(clock_pin, data_pins, lgpio_module, gpiochip)
            if group_read or lgpio_module is not None
            else GpiozeroLines(clock_pin, data_pins, pin_factory)
        )
        self._discard = [True] * len(data_pins)  # the first conversion is from power-up
        self.last_status: tuple[ReadStatus, ...] = ()
        self.interrupted_reads = 0  # trains in which the clock may have stayed high > 60 µs
        self.dropped_words = 0  # words from such trains that may come from a reset board
        self.longest_high_s = 0.0  # widest window around one high phase, on the injected clock

    @property
    def channels(self) -> int:
        return len(self._discard)

    @property
    def gain(self) -> int:
        return self._gain

    @gain.setter
    def gain(self, value: int) -> None:
        self._pulses = _pulses_for(value)
        if value != self._gain:
            # The read that sends the new pulse count still returns an old-gain conversion.
            self._discard = [True] * self.channels
        self._gain = value

    def read(self, timeout_s: float | None = None) -> list[int | None]:
        """One signed conversion per channel in ``data_pins`` order; ``None`` if not ready."""
        return [r.counts for r in self.read_detailed(timeout_s)]

    def read_detailed(
        self, timeout_s: float | None = None, wanted: Sequence[bool] | None = None
    ) -> list[Reading]:
        """Like ``read`` with a status per channel; also sets ``last_status``. ``wanted``: the
        channels to wait for (default all); the others are read if ready by then."""
        timeout = self.ready_timeout if timeout_s is None else timeout_s
        if wanted is None:
            wanted_mask = (1 << self.channels) - 1
        else:
            wanted_mask = sum(1 << ch for ch, want in enumerate(wanted) if want)
        return self._read_cycles(timeout, wanted_mask)

    def _read_cycles(self, timeout: float, wanted: int) -> list[Reading]:
        for _ in range(_MAX_CYCLES):
            readings, again, read_mask = self._cycle(timeout, wanted)
            if not again:
                break
            # Retry only for the boards that answered: a dead one costs one timeout, not three.
            wanted = read_mask
        self.last_status = tuple(r.status for r in readings)
        return readings

    def power_down(self) -> None:
        """Holds the clock high long enough for every board to power down."""
        self._lines.set_clock(True)
        self._clock.sleep(_POWER_DOWN_HOLD_S)

    def power_up(self) -> None:
        """Clock low: the boards wake, reset and settle; their first conversion is dropped."""
        self._lines.set_clock(False)
        self._discard = [True] * self.channels

    def close(self) -> None:
        self._lines.close()

    def _cycle(self, timeout_s: float, wanted: int) -> tuple[list[Reading], bool, int]:
        """One train; returns the readings, whether to go again, and who was read."""
        ready = self._wait_ready(self._clock.monotonic() + timeout_s, wanted)
        read_mask = sum(1 << ch for ch in range(self.channels) if ready[ch])
        words, long_pulses = self._shift_in(ready) if any(ready) else ({}, [])
        if long_pulses:
            self.interrupted_reads += 1
        judged = [self._judge(ch, words, long_pulses) for ch in range(self.channels)]
        return [r for r, _ in judged], any(again for _, again in judged), read_mask

    def _judge(
        self, ch: int, words: dict[int, int], long_pulses: list[int]
    ) -> tuple[Reading, bool]:
        """This channel's reading, and whether its word was dropped (so read again)."""
        if ch not in words:
            return Reading(None, NOT_READY), False
        if _maybe_powered_down(words[ch], long_pulses):
            self.dropped_words += 1
            self._discard[ch] = True  # it reset (gain 128, settling): drop its next word too
            return Reading(None, INTERRUPTED), True
        discard_this = self._discard[ch]
        # A long high after the 24th bit leaves this word whole, but a V1.0 board that powered
        # down then is back at gain 128: at another gain its next conversion is dropped.
        self._discard[ch] = self._gain != 128 and any(p >= 24 for p in long_pulses)
        if discard_this:
            return Reading(None, NOT_READY), True
        value = decode_24bit(words[ch])
        return Reading(value, _status_of(value)), False

    def _wait_ready(self, deadline_s: float, wanted: int) -> list[bool]:
        """Polls DOUT (low = ready) with the clock low until the wanted boards are ready
        or the deadline; boards ready by then are read whether wanted or not."""
        everyone = (1 << self.channels) - 1
        while True:
            not_ready = self._lines.read_data() & everyone
            if not (not_ready & wanted) or self._clock.monotonic() >= deadline_s:
                return [not (not_ready >> ch) & 1 for ch in range(self.channels)]
            self._clock.sleep(self._poll_s)

    def _shift_in(self, ready: list[bool]) -> tuple[dict[int, int], list[int]]:
        """Clocks the words in; also returns the pulses whose high phase may have been long."""
        active = [ch for ch in range(self.channels) if ready[ch]]
        masks = [0] * 24
        set_clock, read_data = self._lines.set_clock, self._lines.read_data
        now, windows_s = self._clock.monotonic, [0.0] * self._pulses
        # A collection pause while the clock is high would power the boards down mid-word.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            for pulse in range(self._pulses):
                before_s = now()
                set_clock(True)
                set_clock(False)
                windows_s[pulse] = now() - before_s
                if pulse < 24:
                    masks[pulse] = read_data()  # sampled in the low phase, after the falling edge
        finally:
            if gc_was_enabled:
                gc.enable()
        self.longest_high_s = max(self.longest_high_s, *windows_s)
        long_pulses = [p for p, w in enumerate(windows_s) if w > _POWER_DOWN_AFTER_S]
        return {ch: _word_of(masks, ch) for ch in active}, long_pulses


def _maybe_powered_down(word: int, long_pulses: list[int]) -> bool:
    """Could the board have powered down during a long high phase of a data bit?

    A board that powers down at bit ``p`` holds DOUT high from then on, so bits ``p``..23
    all read 1. One 0 among them after the last long pulse proves it kept shifting.
    """
    data_pulses = [p for p in long_pulses if p < 24]
    if not data_pulses:
        return False
    tail = (1 << (24 - max(data_pulses))) - 1
    return word & tail == tail


def _word_of(masks: list[int], ch: int) -> int:
    word = 0
    for mask in masks:
        word = (word << 1) | ((mask >> ch) & 1)
    return word


def _pulses_for(gain: int) -> int:
    try:
        return PULSES_FOR_GAIN[gain]
    except KeyError:
        raise HX711ConfigError(f"gain must be 128, 64 or 32 (channel B), got {gain!r}") from None


def _check_pins(clock_pin: int | str, data_pins: Sequence[int | str]) -> None:
    if not data_pins:
        raise HX711ConfigError("at least one data pin is needed")
    every = [str(clock_pin), *(str(p) for p in data_pins)]
    twice = sorted({p for p in every if every.count(p) > 1})
    if twice:
        raise HX711ConfigError(f"pin used twice: {', '.join(twice)}")


def _lgpio_lines(
    clock_pin: int | str, data_pins: Sequence[int | str], lgpio_module: Any, gpiochip: int
) -> LgpioLines:
    if lgpio_module is None:
        try:
            lgpio_module = importlib.import_module("lgpio")
        except ImportError:
            raise HX711ConfigError(
                "group_read needs the lgpio package (pip install lgpio, or the 'pi' extra)"
            ) from None
    try:
        numbers = [int(clock_pin), *(int(p) for p in data_pins)]
    except ValueError:
        raise HX711ConfigError("group_read needs BCM pin numbers, not names") from None
    return LgpioLines(lgpio_module, gpiochip, numbers[0], numbers[1:])
