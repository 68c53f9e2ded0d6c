"""A bit-level HX711 emulator on gpiozero's MockFactory: the chips (their pins: ``mockpins``).

Not pure: it *is* the chip side of the wire, for tests and benchmarks. The clock pin is a
``MockPin`` subclass whose state changes notify every emulated chip on it (the pattern of
gpiozero's ``MockSPIDevice``); each chip moves its DOUT with ``drive_high``/``drive_low``.
Like the datasheet: DOUT high until a conversion is ready, then 24 bits MSB first, one per
rising edge; the 25th pulse pulls DOUT high; 25/26/27 pulses pick the next conversion's
gain (128 A / 32 B / 64 A); rails saturate; a clock held high > 60 µs powers the chip down
(it resets to gain 128 and settles); a dead board never gets ready; a DOUT wire can be
stuck high, stuck low or flapping (``dout_fault``); optional noise. Time
comes from a Clock (real by default, so the longest clock-high interval is this machine's).
Build the emulated chips *before* the driver asks the factory for the same pins. The pins,
the counting factory and the fake lgpio are ``firmware.hx711.mockpins``'s, re-exported here:
this module is the emulator's documented import path (docs/firmware.md).
"""

from __future__ import annotations

import random
from typing import Any, Literal

from gpiozero.pins.mock import MockFactory

from firmware.clock import Clock, SystemClock
from firmware.hx711.mockpins import (
    CountingMockFactory,
    EmulatedClockPin,
    EmulatedDataPin,
    FakeLgpio,
)

# The documented API (docs/firmware.md): the chips, and the factory and fake lgpio they go with.
__all__ = [
    "POWER_DOWN_S",
    "CountingMockFactory",
    "DoutFault",
    "FakeLgpio",
    "HX711Chip",
    "emulated_array",
]

POWER_DOWN_S = 60e-6
# A DOUT wire that no longer follows the chip: unplugged (the pull-up holds it high), shorted
# low, or loose (it reads whatever it picks up).
DoutFault = Literal["stuck_high", "stuck_low", "flapping"]
_GAIN_OF_PULSES = {25: 128, 26: 32, 27: 64}
_FULL_SCALE = 0x7FFFFF


class HX711Chip:
    """One emulated HX711; ``counts_a`` is the input in counts at gain 128 (B: at gain 32)."""

    def __init__(
        self,
        factory: MockFactory,
        clock_pin: int,
        data_pin: int,
        *,
        clock: Clock | None = None,
        counts_a: int = 0,
        counts_b: int = 0,
        conversion_s: float = 0.0,
        settle_s: float = 0.0,
        noise_counts: float = 0.0,
        seed: int = 0,
        dead: bool = False,
        power_down_s: float = POWER_DOWN_S,
        dout_fault: DoutFault | None = None,
    ) -> None:
        self.clk: EmulatedClockPin = factory.pin(clock_pin, pin_class=EmulatedClockPin)
        self.dout: EmulatedDataPin = factory.pin(data_pin, pin_class=EmulatedDataPin)
        self.clk.chips.append(self)
        self.dout.chip = self
        self._clock = clock or SystemClock()
        self.counts_a, self.counts_b = counts_a, counts_b
        self.conversion_s, self.settle_s = conversion_s, settle_s
        self.noise_counts, self._rng = noise_counts, random.Random(seed)
        self.dead = dead
        self.dout_fault = dout_fault  # what the wire shows instead of the chip, while set
        self.power_down_s = power_down_s  # raise it where real-time scheduling is not the test
        self._last_fall_s = float("-inf")
        self.queue: list[int] = []  # exact counts for the next conversions, before counts_a
        self.sent: list[int] = []  # every word shifted out, as signed counts
        self.gains: list[int] = []  # the gain each sent word was converted at
        self.longest_high_s = 0.0
        self.high_times_s: list[float] | None = None  # set to a list to record every pulse
        self.power_downs = self.protocol_errors = self.stray_pulses = 0
        self._reset(self._clock.monotonic())

    # -- the chip's state machine ------------------------------------------------------
    def _reset(self, now: float) -> None:
        self.gain = 128  # datasheet V1.0: power-down resets to channel A, gain 128
        self._word: int | None = None
        self._pulses = 0
        self._ready_at = now + self.settle_s
        self._high_since: float | None = None
        self._train_open = False
        self._drive(True)

    def now(self) -> float:
        return self._clock.monotonic()

    def dout_level(self) -> bool:
        """The level a faulty DOUT wire shows: pulled up, shorted to ground, or flapping."""
        if self.dout_fault == "flapping":
            return self._rng.random() < 0.5
        return self.dout_fault == "stuck_high"

    def replug(self) -> None:
        """Power back after an unplug: the chip resets (gain 128) and settles again."""
        self.dead, self.dout_fault = False, None
        self._reset(self._clock.monotonic())

    def restart_high_timer(self, now: float) -> None:
        if self._high_since is not None:
            self._high_since = now

    @property
    def clock_is_high(self) -> bool:
        return self._high_since is not None

    def refresh(self) -> None:
        """DOUT is being sampled: with the clock low, a due conversion becomes ready."""
        now = self._clock.monotonic()
        if self._high_since is not None:
            if now - self._high_since > self.power_down_s:
                self._drive(True)  # powered down while the clock stays high
            return
        self._train_open = False  # a sample between pulses ends the gain-selecting train
        self._try_latch(now)

    def on_edge(self, high: bool, now: float) -> None:
        if high:
            self._high_since = now
            self._rising(now)
            return
        held_s = now - (self._high_since if self._high_since is not None else now)
        self._high_since, self._last_fall_s = None, now
        self.longest_high_s = max(self.longest_high_s, held_s)
        if self.high_times_s is not None:
            self.high_times_s.append(held_s)
        if held_s > self.power_down_s:
            self.power_downs += 1
            self._reset(now)
        elif self._word is not None and self._pulses >= 25:
            self.gains.append(self.gain)
            self._word, self._train_open = None, True
            self._ready_at = now + self.conversion_s

    def _rising(self, now: float) -> None:
        if self._word is None and self._train_open:
            self._pulses += 1  # pulses 26 and 27 choose the next conversion's gain
            self._ready_at = now + self.conversion_s
            return
        if self._ready_at < self._last_fall_s:
            # DOUT was already low before this pulse began: the pulse takes the conversion.
            self._try_latch(now)
        if self._word is None:
            self.stray_pulses += 1  # clocked while busy, dead or powered down
            return
        self._pulses += 1
        if self._pulses <= 24:
            self._drive(bool(self._word >> (24 - self._pulses) & 1))
        else:
            self._drive(True)

    def _try_latch(self, now: float) -> None:
        if self._word is None and not self.dead and now >= self._ready_at:
            self._latch()

    def _latch(self) -> None:
        if self._pulses:  # the previous train's length picks this conversion's gain
            gain = _GAIN_OF_PULSES.get(self._pulses)
            self.protocol_errors += gain is None
            self.gain = gain or self.gain
        self._pulses = 0
        counts = self._sample()
        self.sent.append(counts)
        self._word = counts & 0xFFFFFF
        self._drive(False)

    def _sample(self) -> int:
        if self.queue:
            value = float(self.queue.pop(0))
        else:
            base = self.counts_b if self.gain == 32 else self.counts_a * self.gain / 128
            value = base + (self._rng.gauss(0.0, self.noise_counts) if self.noise_counts else 0.0)
        return max(-_FULL_SCALE - 1, min(_FULL_SCALE, round(value)))

    def _drive(self, high: bool) -> None:
        if high:
            self.dout.drive_high()
        else:
            self.dout.drive_low()


def emulated_array(
    factory: MockFactory, clock_pin: int, data_pins: list[int], **chip_kwargs: Any
) -> list[HX711Chip]:
    """One emulated chip per data pin, all on ``clock_pin``."""
    return [HX711Chip(factory, clock_pin, pin, **chip_kwargs) for pin in data_pins]
