"""``[source.hardware] pin_library``: the driver through gpiozero's RPi.GPIO path, on fake-rpi.

fake-rpi 0.7.1 stands in for RPi.GPIO: its ``setup``/``setmode``/``cleanup`` do nothing, its
``output()`` does nothing and its ``input()`` is random unless ``set_input`` fixed the level
(FACTS.md). What it can honestly show, and these tests check: ``pin_library = "rpigpio"``
selects gpiozero's ``RPiGPIOFactory`` over the RPi.GPIO module; the clock pin is set up as an
output and every DOUT as an input with no pull (the HX711 drives DOUT push-pull); the clock
is driven with two writes per pulse and never during the wait for DOUT; a DOUT held high
reads as not ready and one held low as a zero word. To see real bits cross that path, the
last test wires fake-rpi's ``output``/``input`` to the bit-level emulator's clock and DOUT
pins (fake-rpi has no edges of its own): the words the emulated boards shift out arrive
whole through gpiozero's RPi.GPIO pin class.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import fake_rpi
import gpiozero.pins.local
import pytest
from gpiozero import Device
from gpiozero.pins.local import LocalPiFactory

from firmware.boards import HardwareSetupError, open_reader
from firmware.clock import FakeClock
from firmware.faults import NOT_READY
from firmware.hwconfig import HardwareConfig
from firmware.hx711.emulator import CountingMockFactory, emulated_array
from firmware.hx711.lines import pin_factory
from firmware.layout import MatLayout
from firmware.schema import parse

CLK = 5
DATA = [6, 13, 19]
LAYOUT = MatLayout.grid(1, 3, 0.5, 1.3)
PI_3B = 0xA02082  # gpiozero needs a board to map pins on; this machine is not a Pi


@dataclass
class GpioSpy:
    """The RPi.GPIO calls gpiozero makes; fake-rpi's own functions still run behind them."""

    gpio: Any
    setups: dict[int, tuple[int, int | None]] = field(default_factory=dict)
    writes: list[tuple[int, bool]] = field(default_factory=list)
    reads: list[int] = field(default_factory=list)

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in ("setup", "output", "input"):
            monkeypatch.setattr(self.gpio, name, getattr(self, f"_{name}"))
        self._fake_setup, self._fake_output = type(self.gpio).setup, type(self.gpio).output
        self._fake_input = type(self.gpio).input

    def _setup(self, channel: int, mode: int, pull: int | None = None, **kw: Any) -> None:
        self.setups[channel] = (mode, kw.get("pull_up_down", pull))
        self._fake_setup(self.gpio, channel, mode, **kw)

    def _output(self, channel: int, state: Any) -> None:
        self.writes.append((channel, bool(state)))
        self._fake_output(self.gpio, channel, state)

    def _input(self, channel: int) -> int:
        self.reads.append(channel)
        return int(self._fake_input(self.gpio, channel))


@pytest.fixture
def gpio(monkeypatch: pytest.MonkeyPatch) -> GpioSpy:
    """fake-rpi as RPi.GPIO on a Raspberry Pi 3B, every call recorded."""
    monkeypatch.setattr(fake_rpi.wrappers, "PRINT_ON", False)  # it prints every call
    monkeypatch.setitem(sys.modules, "RPi", fake_rpi.RPi)
    monkeypatch.setitem(sys.modules, "RPi.GPIO", fake_rpi.RPi.GPIO)
    monkeypatch.setattr(gpiozero.pins.local, "get_pi_revision", lambda: PI_3B)
    monkeypatch.setattr(LocalPiFactory, "pins", {})  # gpiozero shares pins across factories
    monkeypatch.setattr(fake_rpi.RPi.GPIO, "_inputs", [None] * 40)
    spy = GpioSpy(fake_rpi.RPi.GPIO)
    spy.install(monkeypatch)
    return spy


def _hw(**extra: Any) -> HardwareConfig:
    zones = {name: {"data_pin": pin} for name, pin in zip(LAYOUT.names, DATA, strict=True)}
    return parse(HardwareConfig, {"clock_pin": CLK, "zones": zones, **extra})


def _levels(gpio: GpioSpy, high: bool) -> None:
    for pin in DATA:
        gpio.gpio.set_input(pin, 1 if high else 0)


def test_rpigpio_selects_gpiozeros_rpi_gpio_factory(gpio: GpioSpy) -> None:
    from gpiozero.pins.rpigpio import GPIO, RPiGPIOFactory

    assert GPIO is fake_rpi.RPi.GPIO  # gpiozero's RPi.GPIO path is running on fake-rpi
    assert isinstance(pin_factory("rpigpio"), RPiGPIOFactory)
    assert pin_factory("auto") is None  # gpiozero's own pick ($GPIOZERO_PIN_FACTORY, lgpio …)


def test_a_missing_library_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "RPi", None)
    monkeypatch.delitem(sys.modules, "gpiozero.pins.rpigpio", raising=False)
    with pytest.raises(ImportError, match=r"apt install python3-rpi\.gpio"):
        pin_factory("rpigpio")
    monkeypatch.setitem(sys.modules, "lgpio", None)
    monkeypatch.delitem(sys.modules, "gpiozero.pins.lgpio", raising=False)
    with pytest.raises(ImportError, match="apt install python3-lgpio"):
        pin_factory("lgpio")
    hw = _hw(pin_library="lgpio")
    with pytest.raises(HardwareSetupError, match="hx711: cannot open the boards: pin_library"):
        open_reader("hx711", hw, LAYOUT, FakeClock())


def test_the_pins_are_set_up_and_the_clock_is_driven_through_rpi_gpio(
    gpio: GpioSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    # gpiozero's own pick would be this mock factory: rpigpio must not take it
    monkeypatch.setattr(Device, "pin_factory", CountingMockFactory())
    reader = open_reader("hx711", _hw(pin_library="rpigpio"), LAYOUT, FakeClock())
    try:
        out, inp, no_pull = gpio.gpio.OUT, gpio.gpio.IN, gpio.gpio.PUD_OFF
        assert gpio.setups[CLK][0] == out
        assert all(gpio.setups[pin] == (inp, no_pull) for pin in DATA)
        # clock low, then the power cycle that aligns the boards: high, then low
        assert gpio.writes == [(CLK, False), (CLK, True), (CLK, False)]
    finally:
        reader.close()


def test_dout_high_is_not_ready_and_the_clock_stays_low_while_waiting(gpio: GpioSpy) -> None:
    clock = FakeClock()
    reader = open_reader("hx711", _hw(pin_library="rpigpio"), LAYOUT, clock)
    try:
        _levels(gpio, high=True)
        gpio.writes.clear()
        readings = reader.read_detailed()
        assert [r.status for r in readings] == [NOT_READY] * 3
        assert gpio.writes == []  # no pulse for boards that never got ready
        assert clock.monotonic() >= 0.5  # the ready timeout, on the injected clock
        assert set(gpio.reads) == set(DATA)
    finally:
        reader.close()


def test_dout_low_is_clocked_in_as_a_zero_word(gpio: GpioSpy) -> None:
    reader = open_reader("hx711", _hw(pin_library="rpigpio"), LAYOUT, FakeClock())
    try:
        _levels(gpio, high=False)
        gpio.writes.clear()
        readings = reader.read_detailed()
        assert [r.counts for r in readings] == [0, 0, 0]
        # two trains of 25 pulses: the first conversion after power-up is dropped
        assert gpio.writes == [(CLK, True), (CLK, False)] * 50
    finally:
        reader.close()


def test_emulated_boards_answer_bit_by_bit_through_the_rpi_gpio_path(
    gpio: GpioSpy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fake-rpi's output/input wired to the emulator's wire (fake-rpi has no edges itself)."""
    clock = FakeClock()
    wire = CountingMockFactory()
    chips = emulated_array(wire, CLK, DATA, clock=clock, conversion_s=0.1)
    for chip, counts in zip(chips, (123_456, -98_765, 0x7FFF00), strict=True):
        chip.counts_a = counts
    wire.pin(CLK).function = "output"  # what gpiozero's setup(CLK, OUT) does on a real Pi
    record_output, record_input = gpio._output, gpio._input

    def output(channel: int, state: Any) -> None:
        record_output(channel, state)
        wire.pin(channel).state = bool(state)

    def input_(channel: int) -> int:
        record_input(channel)
        return int(wire.pin(channel).state)

    monkeypatch.setattr(gpio.gpio, "output", output)
    monkeypatch.setattr(gpio.gpio, "input", input_)
    reader = open_reader("hx711", _hw(pin_library="rpigpio"), LAYOUT, clock)
    try:
        first = reader.read_detailed()
        second = reader.read_detailed()
    finally:
        reader.close()
    assert [r.counts for r in first] == [123_456, -98_765, 0x7FFF00]
    assert [r.counts for r in second] == [123_456, -98_765, 0x7FFF00]
    assert all(chip.power_downs == 1 for chip in chips)
    assert all(chip.dout.reads_while_clock_high == 0 for chip in chips)
