"""The sampling loop over emulated boards: rate, calibration, faults, failures, the wiring."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice, pairwise
from pathlib import Path

import pytest
from gpiozero import Device

from controller.core.controller import MatController
from controller.core.events import Event, SensorFault
from firmware.boards import HardwareSetupError, ShortWaitAfterMiss, zone_problems
from firmware.calibration import (
    FILENAME,
    Calibration,
    CalibrationStore,
    ZoneCalibration,
    save_calibration,
)
from firmware.clock import FakeClock
from firmware.faults import IO_ERROR, NOT_READY, SATURATED, STUCK
from firmware.frame import ZoneFrame
from firmware.hwconfig import HardwareConfig
from firmware.hx711.driver import HX711Array, Reading
from firmware.hx711.emulator import CountingMockFactory, HX711Chip, emulated_array
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sampling import SamplingSource, open_hardware_source
from firmware.schema import parse

CLK = 5
DATA = [6, 13, 19, 26, 12, 16]
SCALE = 20_000.0
RATE_SPS = 10
LAYOUT = DEFAULT_LAYOUT


def _store(clock: FakeClock, tmp_path: Path) -> CalibrationStore:
    base = Calibration({n: ZoneCalibration(1000.0, SCALE) for n in LAYOUT.names})
    return CalibrationStore(tmp_path / FILENAME, base, clock)


def _chips(factory: CountingMockFactory, clock: FakeClock, kg: list[float]) -> list[HX711Chip]:
    chips = emulated_array(
        factory, CLK, DATA, clock=clock, conversion_s=1 / RATE_SPS, noise_counts=3
    )
    for chip, load in zip(chips, kg, strict=True):
        chip.counts_a = round(1000 + load * SCALE)
    return chips


def _source(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path, timeout_s: float = 0.5
) -> SamplingSource:
    arr = HX711Array(CLK, DATA, pin_factory=factory, clock=clock, ready_timeout=timeout_s)
    reader = ShortWaitAfterMiss(arr, timeout_s, RATE_SPS)
    return SamplingSource(reader, LAYOUT, _store(clock, tmp_path), clock, rate_sps=RATE_SPS)


def test_frames_come_at_the_adc_rate_with_calibrated_kg(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    kg = [5.0, 6.0, 20.0, 21.0, 3.0, 2.5]
    _chips(factory, clock, kg)
    frames = list(islice(_source(factory, clock, tmp_path).frames(), 6))
    gaps = [b.t - a.t for a, b in pairwise(frames)]
    assert gaps == pytest.approx([1 / RATE_SPS] * 5, abs=0.002)
    for frame in frames:
        assert frame.load_kg == pytest.approx(kg, abs=0.01)
        assert frame.faults == (None,) * 6


def test_one_dead_board_is_one_faulty_zone_and_the_rate_holds(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    chips = _chips(factory, clock, [5.0] * 6)
    source = _source(factory, clock, tmp_path)
    assert next(source.frames()).fault(2) is None
    chips[2].dead = True
    frames = list(islice(source.frames(), 8))
    for frame in frames[1:]:
        assert frame.load_kg[2] is None and frame.fault(2) == NOT_READY
        assert [frame.load_kg[i] for i in (0, 1, 3, 4, 5)] == pytest.approx([5.0] * 5, abs=0.01)
    # After the first miss a frame waits ~1.5 periods, not the 0.5 s ready timeout.
    gaps = [b.t - a.t for a, b in pairwise(frames[1:])]
    assert max(gaps) <= 1.5 / RATE_SPS + 0.01
    chips[2].dead = False  # plugged back in: read again from the next frame on
    back = list(islice(source.frames(), 2))
    assert [f.load_kg[2] for f in back] == pytest.approx([5.0, 5.0], abs=0.01)


def test_a_saturated_board_is_a_fault_and_a_glitch_passes_as_weight(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    chips = _chips(factory, clock, [5.0] * 6)
    source = _source(factory, clock, tmp_path)
    list(islice(source.frames(), 5))
    chips[0].counts_a = 50_000_000  # beyond the rail
    chips[1].queue.append(round(1000 + 400 * SCALE))  # one glitch of 400 kg
    frame = next(source.frames())
    assert frame.faults[:2] == (SATURATED, None)
    assert frame.load_kg[0] is None
    # Spikes are a judgement over time: the core's median rejects them (next test).
    assert frame.load_kg[1] == pytest.approx(400.0, abs=0.01)


def _controller_run(
    controller: MatController, source: SamplingSource, frames: int
) -> tuple[list[ZoneFrame], list[dict[str, float | None]], list[Event]]:
    """Feeds ``frames`` frames; returns them, the controller's zone loads after each, events."""
    fed = list(islice(source.frames(), frames))
    zones: list[dict[str, float | None]] = []
    events: list[Event] = []
    for frame in fed:
        events += controller.feed(frame)
        zones.append(controller.snapshot().zones_kg)
    return fed, zones, events


@pytest.mark.parametrize("glitch_kg", [400.0, 30.0, -15.0])
def test_a_glitch_from_a_board_never_reaches_the_controllers_loads(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path, glitch_kg: float
) -> None:
    # End to end: emulated boards → sampling loop → MatController. 400 kg is out of range,
    # 30 and -15 kg are in range and left to the median; none may show as load.
    chips = _chips(factory, clock, [5.0] * 6)
    source, controller = _source(factory, clock, tmp_path), MatController(LAYOUT)
    _controller_run(controller, source, 10)
    chips[1].queue.append(round(1000 + glitch_kg * SCALE))
    fed, zones, events = _controller_run(controller, source, 20)
    assert any(f.load_kg[1] == pytest.approx(glitch_kg, abs=0.01) for f in fed)
    upper_right = [z["upper_right"] for z in zones]
    assert upper_right == pytest.approx([5.0] * 20, abs=0.01)
    assert not [e for e in events if isinstance(e, SensorFault)]


def test_a_stuck_board_is_judged_by_firmware_and_reported_by_the_core(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    chips = _chips(factory, clock, [5.0] * 6)
    chips[2].noise_counts = 0.0  # one word, over and over: a DOUT shorted or a frozen ADC
    source = _source(factory, clock, tmp_path)
    fed, zones, events = _controller_run(MatController(LAYOUT), source, 40)
    faults = [e for e in events if isinstance(e, SensorFault)]
    assert [(e.zone, e.active, e.fault) for e in faults] == [("middle_left", True, STUCK)]
    # The 20th identical word (index 19) is the first stuck one; then missing_s = 1 s.
    assert faults[0].t == pytest.approx(fed[19].t + 1.0, abs=0.01)
    assert zones[-1]["middle_left"] is None


class _Flaky:
    """A backend that raises now and then, as a board coming loose does."""

    def __init__(self, fail_on: set[int]) -> None:
        self.calls = 0
        self.fail_on = fail_on

    def read_detailed(self) -> list[Reading]:
        self.calls += 1
        if self.calls in self.fail_on:
            raise OSError(5, "Input/output error")
        return [Reading(1000 + self.calls, "ok") for _ in LAYOUT.names]

    def close(self) -> None:
        self.calls = -1


def test_a_failing_backend_gives_io_error_frames_and_the_loop_goes_on(
    clock: FakeClock, tmp_path: Path
) -> None:
    flaky = _Flaky({2, 3})
    source = SamplingSource(flaky, LAYOUT, _store(clock, tmp_path), clock, rate_sps=RATE_SPS)
    frames: Iterator[ZoneFrame] = source.frames()
    got = [next(frames) for _ in range(5)]
    assert [f.faults[0] for f in got] == [None, IO_ERROR, IO_ERROR, None, None]
    # Failing fast never spins: frames stay at least half a period apart.
    assert all(b.t - a.t >= 0.5 / RATE_SPS - 1e-9 for a, b in pairwise(got))
    source.close()
    assert flaky.calls == -1


def test_a_new_calibration_file_applies_while_running(clock: FakeClock, tmp_path: Path) -> None:
    source = SamplingSource(
        _Flaky(set()), LAYOUT, _store(clock, tmp_path), clock, rate_sps=RATE_SPS
    )
    frames = source.frames()
    assert next(frames).load_kg[0] == pytest.approx((1001 - 1000) / SCALE)
    save_calibration(
        tmp_path / FILENAME, Calibration({"upper_left": ZoneCalibration(0.0, 100.0)}), 0
    )
    clock.advance(2.0)
    frame = next(frames)
    assert frame.load_kg[0] == pytest.approx(1002 / 100.0)
    assert frame.load_kg[1] == pytest.approx(2 / SCALE)


@pytest.fixture
def default_factory(factory: CountingMockFactory) -> Iterator[CountingMockFactory]:
    Device.pin_factory = factory
    yield factory
    Device.pin_factory = None


def _hw(zones: list[str]) -> HardwareConfig:
    return parse(
        HardwareConfig,
        {
            "clock_pin": CLK,
            "rate_sps": RATE_SPS,
            "zones": {
                z: {"data_pin": p, "scale_counts_per_kg": SCALE, "offset_counts": 1000}
                for z, p in zip(zones, DATA, strict=False)
            },
        },
    )


def test_open_hardware_source_reads_the_boards_named_in_the_config(
    default_factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    chips = _chips(default_factory, clock, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    source = open_hardware_source(
        "hx711", _hw(list(LAYOUT.names)), LAYOUT, clock, tmp_path / "calibration.json"
    )
    frame = next(source.frames())
    assert frame.load_kg == pytest.approx([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], abs=0.01)
    assert all(chip.power_downs == 1 for chip in chips)  # aligned by one power cycle
    source.close()


def test_open_hardware_source_refuses_zones_that_do_not_match(
    clock: FakeClock, tmp_path: Path
) -> None:
    with pytest.raises(HardwareSetupError, match="zone lower_right has no board"):
        open_hardware_source(
            "hx711", _hw(list(LAYOUT.names)[:5]), LAYOUT, clock, tmp_path / "calibration.json"
        )
    small = MatLayout.grid(1, 1, 0.5, 0.5)
    with pytest.raises(HardwareSetupError, match="upper_right: not a zone of the mat"):
        open_hardware_source(
            "hx711", _hw(list(LAYOUT.names)), small, clock, tmp_path / "calibration.json"
        )


def test_a_misspelt_zone_is_named_with_the_zone_it_was_meant_to_be() -> None:
    names = [n if n != "upper_left" else "upper_lft" for n in LAYOUT.names]
    assert zone_problems(_hw(names).zones, LAYOUT) == [
        "source.hardware.zones.upper_lft: not a zone of the mat; did you mean upper_left?"
        f" (zones: {', '.join(LAYOUT.names)})",
        "source.hardware.zones: zone upper_left has no board"
        " (add [source.hardware.zones.upper_left])",
    ]
    assert zone_problems(_hw(list(LAYOUT.names)).zones, LAYOUT) == []


def test_between_conversions_the_boards_are_not_polled_for_the_whole_period(
    factory: CountingMockFactory, clock: FakeClock, tmp_path: Path
) -> None:
    # Each DOUT poll is a GPIO call and a sleep: ~20 µs of CPU on a Pi 4. Polling every 0.5 ms
    # through the whole 100 ms period would be ~200 a frame (docs/firmware.md).
    _chips(factory, clock, [5.0] * 6)
    frames = _source(factory, clock, tmp_path).frames()
    next(frames)
    reads_before = factory.calls["read"]
    more = list(islice(frames, 20))
    pin_reads_per_frame = (factory.calls["read"] - reads_before) / len(more)
    data_bits_per_frame = 6 * 24  # one read per board per bit shifted in
    polls_per_frame = (pin_reads_per_frame - data_bits_per_frame) / 6
    assert polls_per_frame <= 50  # a quarter of the ~200 when polling the whole period
    gaps = [b.t - a.t for a, b in pairwise(more)]
    assert gaps == pytest.approx([1 / RATE_SPS] * 19, abs=0.002)  # and no conversion is lost
