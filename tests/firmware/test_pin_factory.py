"""No GPIO on this machine, or none for this user: one line saying what to do, gpiozero's
fallback warnings kept to the factory choice and logged at debug level (``firmware/backends/
pinfactory.py``). Every pin library is made unusable here, so this holds on a Pi too."""

from __future__ import annotations

import logging
import sys
import types
import warnings
from typing import Any

import pytest
from gpiozero import Device

from firmware.backends.pinfactory import NoGpioError, default_pin_factory, gpio_refusal
from firmware.boards import HardwareSetupError, open_reader
from firmware.clock import FakeClock
from firmware.hwconfig import HardwareConfig
from firmware.layout import MatLayout
from firmware.schema import parse

LAYOUT = MatLayout.grid(1, 2, 0.5, 1.3)


@pytest.fixture
def no_gpio(monkeypatch: pytest.MonkeyPatch) -> None:
    """gpiozero's default choice with every pin library gone."""
    monkeypatch.delenv("GPIOZERO_PIN_FACTORY", raising=False)
    monkeypatch.setattr(Device, "pin_factory", None)
    for name in ("lgpio", "RPi", "pigpio"):  # what gpiozero's lgpio, rpigpio, pigpio import
        monkeypatch.setitem(sys.modules, name, None)
    for name in ("lgpio", "rpigpio", "pigpio"):
        monkeypatch.delitem(sys.modules, f"gpiozero.pins.{name}", raising=False)
    monkeypatch.setitem(sys.modules, "gpiozero.pins.native", None)  # on a Pi it would load


def _hw(own_clocks: bool = False, **extra: Any) -> HardwareConfig:
    zones: dict[str, dict[str, int]] = {
        name: {"data_pin": pin} for name, pin in zip(LAYOUT.names, (6, 13), strict=True)
    }
    if own_clocks:  # the Adafruit driver's one board per clock line
        for zone, clock_pin in zip(zones.values(), (5, 12), strict=True):
            zone["clock_pin"] = clock_pin
        return parse(HardwareConfig, {"zones": zones, **extra})
    return parse(HardwareConfig, {"clock_pin": 5, "zones": zones, **extra})


@pytest.mark.usefixtures("no_gpio")
def test_no_pin_library_is_one_error_naming_what_was_tried_and_what_to_do(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="firmware.backends.pinfactory")
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        with pytest.raises(NoGpioError) as caught:
            default_pin_factory()
    assert shown == []  # gpiozero's four PinFactoryFallback warnings stay inside
    message = str(caught.value)
    assert "no GPIO here" in message and "tried lgpio, rpigpio, pigpio, native" in message
    assert "python3-lgpio" in message and "gpio group" in message
    assert 'kind = "simulate"' in message
    reasons = [r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG]
    assert len(reasons) == 4 and all(r.startswith("gpiozero: pin library ") for r in reasons)
    assert Device.pin_factory is None  # nothing half-chosen for the next try


@pytest.mark.usefixtures("no_gpio")
@pytest.mark.parametrize("kind", ["hx711", "adafruit"])
def test_the_readers_say_it_in_one_line(kind: str) -> None:
    with pytest.raises(HardwareSetupError) as caught:
        open_reader(kind, _hw(own_clocks=kind == "adafruit"), LAYOUT, FakeClock())
    assert str(caught.value).startswith(f"{kind}: no GPIO here: ")
    assert "\n" not in str(caught.value)


def test_lgpio_refusing_the_gpiochip_is_said_with_the_gpio_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class LgpioError(Exception):
        pass

    def gpiochip_open(chip: int) -> int:
        raise LgpioError("can not open gpiochip")

    lgpio = types.ModuleType("lgpio")
    lgpio.error = LgpioError  # type: ignore[attr-defined]
    lgpio.gpiochip_open = gpiochip_open  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "lgpio", lgpio)
    with pytest.raises(HardwareSetupError) as caught:
        open_reader("hx711", _hw(group_read=True), LAYOUT, FakeClock())
    message = str(caught.value)
    assert message.startswith("hx711: lgpio cannot open the pins (can not open gpiochip); ")
    assert "gpio group" in message


def test_other_errors_are_not_taken_for_missing_gpio() -> None:
    assert gpio_refusal(ValueError("pin used twice")) is None
    assert gpio_refusal(ImportError("No module named 'adafruit_hx711'")) is None
