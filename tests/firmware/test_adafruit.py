"""The Adafruit adapter against the emulator, and the evidence that the package fails as shipped."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

from firmware.backends.adafruit import (
    VERIFIED_VERSION,
    AdafruitBackendError,
    AdafruitReader,
    load_module,
)
from firmware.boards import HardwareSetupError
from firmware.clock import FakeClock
from firmware.faults import NOT_READY, SATURATED
from firmware.hwconfig import HardwareConfig
from firmware.hx711.driver import OK, Reading
from firmware.hx711.emulator import CountingMockFactory, HX711Chip
from firmware.layout import MatLayout, Zone
from firmware.sampling import open_hardware_source
from firmware.schema import parse

PAIRS = [(5, 6), (13, 19)]


def _rig(factory: CountingMockFactory, gain: int = 128) -> tuple[list[HX711Chip], AdafruitReader]:
    # The package's constructor holds the clock high 1 ms with time.sleep, so the chips keep
    # real time; the adapter's waits use a fake clock. Power-down is off: on a loaded test
    # machine the scheduler, not the adapter, would decide it (the benchmark measures it).
    chips = [HX711Chip(factory, c, d, power_down_s=3600.0) for c, d in PAIRS]
    return chips, AdafruitReader(PAIRS, gain, pin_factory=factory, clock=FakeClock())


@pytest.mark.parametrize(
    ("counts", "reading"),
    [
        (-1, Reading(-1, OK)),
        (-1234, Reading(-1234, OK)),
        (0, Reading(0, OK)),
        (0x7FFFFE, Reading(0x7FFFFE, OK)),
        (-0x7FFFFF, Reading(-0x7FFFFF, OK)),
        (9_000_000, Reading(0x7FFFFF, SATURATED)),
        (-9_000_000, Reading(-0x800000, SATURATED)),
    ],
)
def test_reads_the_whole_range_with_the_right_sign(
    factory: CountingMockFactory, counts: int, reading: Reading
) -> None:
    chips, reader = _rig(factory)
    for chip in chips:
        chip.counts_a = counts
    assert reader.read_detailed() == [reading, reading]
    assert all(chip.protocol_errors == 0 for chip in chips)


@pytest.mark.parametrize(("gain", "expected"), [(64, -500), (32, 77)])
def test_gains_64_and_32(factory: CountingMockFactory, gain: int, expected: int) -> None:
    chips, reader = _rig(factory, gain)
    for chip in chips:
        chip.counts_a, chip.counts_b = -1000, 77
    assert reader.read_detailed() == [Reading(expected, OK)] * 2
    assert chips[0].gains[-1] == gain


def test_a_dead_board_is_not_ready_within_the_timeout(factory: CountingMockFactory) -> None:
    chips, reader = _rig(factory)
    chips[1].dead = True
    chips[0].counts_a = 4321
    assert reader.read_detailed() == [Reading(4321, OK), Reading(None, NOT_READY)]


def test_blinka_lacks_what_the_package_calls() -> None:
    # The evidence behind the adapter: Blinka's microcontroller has no disable_interrupts,
    # and its delay_us sleeps (tens of µs, with the clock high in read_fast).
    blinka: ModuleType = importlib.import_module("microcontroller")
    assert not hasattr(blinka, "disable_interrupts")
    assert "sleep" in blinka.delay_us.__code__.co_names


def test_another_package_version_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_module()
    assert module.__version__ == VERIFIED_VERSION
    monkeypatch.setattr(module, "__version__", "1.2.0")
    with pytest.raises(AdafruitBackendError, match=r"proven against 1\.1\.2"):
        load_module()


def test_the_service_gets_the_refusal_as_one_setup_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(load_module(), "__version__", "2.0.0")
    hw = parse(
        HardwareConfig, {"zones": {"only": {"data_pin": 6, "clock_pin": 5}}, "ready_timeout_s": 0.1}
    )
    layout = MatLayout(0.5, 0.5, (Zone("only", 0.25, 0.25, 0.5, 0.5),))
    with pytest.raises(HardwareSetupError, match=r"adafruit: cannot open the boards: .*1\.1\.2"):
        open_hardware_source("adafruit", hw, layout, FakeClock(), tmp_path)
