"""A bit-level HX711 emulator on gpiozero's MockFactory, and a pin factory that counts calls.

Not pure: it *is* the chip side of the wire, for tests and benchmarks. The clock pin is a
``MockPin`` subclass whose state changes notify every emulated chip on it (the pattern of
gpiozero's ``MockSPIDevice``); each chip moves its DOUT with ``drive_high``/``drive_low``.
Like the datasheet: DOUT high until a conversion is ready, then 24 bits MSB first, one per
rising edge; the 25th pulse pulls DOUT high; 25/26/27 pulses pick the next conversion's
gain (128 A / 32 B / 64 A); rails saturate; a clock held high > 60 µs powers the chip down
(it resets to gain 128 and settles); a dead board never gets ready; a DOUT wire can be
stuck high, stuck low or flapping (``dout_fault``); optional noise. Time
comes from a Clock (real by default, so the longest clock-high interval is this machine's).
Build the emulated chips *before* the driver asks the factory for the same pins.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any, Literal

from gpiozero.pins.mock import MockFactory, MockPin

from firmware.clock import Clock, SystemClock

POWER_DOWN_S = 60e-6
# A DOUT wire that no longer follows the chip: unplugged (the pull-up holds it high), shorted
# low, or loose (it reads whatever it picks up).
DoutFault = Literal["stuck_high", "stuck_low", "flapping"]
_GAIN_OF_PULSES = {25: 128, 26: 32, 27: 64}
_FULL_SCALE = 0x7FFFFF


class CountingMockPin(MockPin):  # type: ignore[misc]
    """A MockPin that counts every state read and write into its factory's ``calls``."""

    def _count(self, what: str) -> None:
        counter = getattr(self.factory, "calls", None)
        if counter is not None:
            counter[what] += 1

    def _get_state(self) -> Any:
        self._count("read")
        return super()._get_state()

    def _set_state(self, value: Any) -> None:
        self._count("write")
        super()._set_state(value)


class CountingMockFactory(MockFactory):  # type: ignore[misc]
    """MockFactory whose pins count GPIO calls: ``calls["read"]``, ``calls["write"]``."""

    def __init__(self, revision: str | None = None, pin_class: Any = None) -> None:
        super().__init__(revision=revision, pin_class=pin_class or CountingMockPin)
        self.calls: Counter[str] = Counter()

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())


class EmulatedClockPin(CountingMockPin):
    """The shared PD_SCK line: every change is an edge for each chip listening."""

    def __init__(self, factory: Any, info: Any) -> None:
        super().__init__(factory, info)
        self.chips: list[HX711Chip] = []

    def _set_state(self, value: Any) -> None:
        changed = bool(value) != bool(self._state)
        # One instant per edge for every chip (the wire changes for all at once), read
        # before the pin moves, so the clock is read once per pulse while it is high.
        now = self.chips[0].now() if changed and self.chips else 0.0
        super()._set_state(value)
        if changed and self.chips:
            for chip in self.chips:
                chip.on_edge(bool(value), now)
            if value:
                # The chips' own work above is instant on silicon: high time starts after it.
                now = self.chips[0].now()
                for chip in self.chips:
                    chip.restart_high_timer(now)


class EmulatedDataPin(CountingMockPin):
    """A DOUT line: lets its chip finish a pending conversion just before it is sampled."""

    chip: HX711Chip | None = None
    reads_while_clock_high = 0  # the datasheet allows it; with many boards it fails

    def _get_state(self) -> Any:
        chip = self.chip
        if chip is not None:
            self.reads_while_clock_high += chip.clock_is_high
            chip.refresh()
            if chip.dout_fault is not None:
                return chip.dout_level()
        return super()._get_state()


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


class FakeLgpio:
    """The lgpio calls the driver's fast path uses, on MockFactory pins, counted in ``calls``."""

    def __init__(self, factory: MockFactory) -> None:
        self._factory = factory
        self.calls: Counter[str] = Counter()
        self._groups: dict[int, list[Any]] = {}
        self._pins: dict[int, Any] = {}

    def _pin(self, gpio: int) -> Any:
        # Cached: the factory's pin lookup is slow enough to distort clock-high times.
        if gpio not in self._pins:
            self._pins[gpio] = self._factory.pin(gpio)
        return self._pins[gpio]

    def gpiochip_open(self, gpiochip: int) -> int:
        self.calls["gpiochip_open"] += 1
        return 1

    def gpiochip_close(self, handle: int) -> int:
        self.calls["gpiochip_close"] += 1
        return 0

    def gpio_claim_output(self, handle: int, gpio: int, level: int = 0, lFlags: int = 0) -> int:  # noqa: N803
        self.calls["gpio_claim_output"] += 1
        pin = self._pin(gpio)
        pin.function = "output"
        pin.state = bool(level)
        return 0

    def group_claim_input(self, handle: int, gpios: list[int], lFlags: int = 0) -> int:  # noqa: N803
        self.calls["group_claim_input"] += 1
        self._groups[gpios[0]] = [self._pin(n) for n in gpios]
        return 0

    def gpio_write(self, handle: int, gpio: int, level: int) -> int:
        self.calls["gpio_write"] += 1
        self._pin(gpio).state = bool(level)
        return 0

    def group_read(self, handle: int, gpio: int) -> tuple[int, int]:
        self.calls["group_read"] += 1
        bits = 0
        for i, pin in enumerate(self._groups[gpio]):
            bits |= int(bool(pin.state)) << i
        return len(self._groups[gpio]), bits

    def group_free(self, handle: int, gpio: int) -> int:
        self.calls["group_free"] += 1
        return 0

    def gpio_free(self, handle: int, gpio: int) -> int:
        self.calls["gpio_free"] += 1
        return 0

    @property
    def io_calls(self) -> int:
        """Calls made per bit while reading (writes and group reads)."""
        return self.calls["gpio_write"] + self.calls["group_read"]
