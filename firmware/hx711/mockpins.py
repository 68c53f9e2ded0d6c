"""The pins the HX711 driver talks to in tests and benchmarks, on gpiozero's MockFactory.

Not pure: the wire side of the emulator. ``CountingMockPin``/``CountingMockFactory`` count every
pin read and write; ``EmulatedClockPin`` is the shared PD_SCK line, whose every edge reaches
each emulated chip on it at one instant (the pattern of gpiozero's ``MockSPIDevice``);
``EmulatedDataPin`` is a chip's DOUT line, which lets the chip finish a due conversion just
before it is sampled and shows a faulty wire's level instead of the chip's; ``FakeLgpio`` is
the lgpio calls of the driver's fast path on the same pins. The chips are
``firmware.hx711.emulator``'s ``HX711Chip``; that module re-exports the counting factory and
``FakeLgpio`` (the emulator's documented import path).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from gpiozero.pins.mock import MockFactory, MockPin

if TYPE_CHECKING:
    from firmware.hx711.emulator import HX711Chip


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
