"""Wires that break under a lying person, end to end: emulated boards → driver → sampling loop
→ core, on a FakeClock.

Each case lies 40 s, breaks one board's wiring 20 s in (or every board's), gets up at 40 s and
leaves the mat empty for a minute: the session must end ``left_mat`` with the time lain, the fault
must be said once, the empty mat must read empty (no phantom, no held value), and a board that
comes back must clear its fault once and keep its zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import Event, OccupancyChanged, SensorFault, SessionEnded
from firmware.boards import ShortWaitAfterMiss
from firmware.calibration import FILENAME, Calibration, CalibrationStore, ZoneCalibration
from firmware.clock import FakeClock
from firmware.faults import NOT_READY, OUT_OF_RANGE, SATURATED, STUCK
from firmware.hx711.driver import HX711Array, Reading
from firmware.hx711.emulator import CountingMockFactory, HX711Chip, emulated_array
from firmware.layout import DEFAULT_LAYOUT
from firmware.sampling import SamplingSource

CLK, DATA = 5, [6, 13, 19, 26, 12, 16]
OFFSET, SCALE = 8_000.0, 20_000.0
LYING = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)
BREAK_S, LEAVE_S, END_S = 20.0, 40.0, 103.0  # grace_s (60 s) after leaving, the end
ZONE = 2  # middle_left: 16.5 kg of the person

Fault = Callable[[HX711Chip], None]


@dataclass
class Wiring:
    """The boards' inputs follow the person; ``breaks`` are applied once at ``BREAK_S``."""

    chips: list[HX711Chip]
    clock: FakeClock
    breaks: dict[int, Fault]
    mends_at_s: float | None = None  # the broken boards are plugged back in then
    array: HX711Array | None = None
    done: set[str] = field(default_factory=set)

    def read_detailed(
        self, timeout_s: float | None = None, wanted: list[bool] | None = None
    ) -> list[Reading]:
        t = self.clock.monotonic()
        loads = LYING if t < LEAVE_S else (0.0,) * len(LYING)
        for i, chip in enumerate(self.chips):
            if i not in self.breaks or "broken" not in self.done:
                chip.counts_a = round(OFFSET + loads[i] * SCALE)
        if t >= BREAK_S and "broken" not in self.done:
            self.done.add("broken")
            for i, fault in self.breaks.items():
                fault(self.chips[i])
        if self.mends_at_s is not None and t >= self.mends_at_s and "mended" not in self.done:
            self.done.add("mended")
            for i in self.breaks:
                self.chips[i].replug()
                self.chips[i].noise_counts = 30.0
            self.breaks = {}
        assert self.array is not None
        return self.array.read_detailed(timeout_s, wanted)

    def close(self) -> None:
        return None


def _run(
    tmp_path: Path, breaks: dict[int, Fault], mends_at_s: float | None = None
) -> tuple[list[Event], MatController, list[float]]:
    factory, clock = CountingMockFactory(), FakeClock()
    chips = emulated_array(factory, CLK, DATA, clock=clock, conversion_s=0.1, noise_counts=30.0,
                           power_down_s=1.0)  # fmt: skip
    wiring = Wiring(chips, clock, breaks, mends_at_s)
    wiring.array = HX711Array(CLK, DATA, pin_factory=factory, clock=clock, ready_timeout=0.5)
    base = Calibration({n: ZoneCalibration(OFFSET, SCALE) for n in DEFAULT_LAYOUT.names})
    store = CalibrationStore(tmp_path / FILENAME, base, clock)
    source = SamplingSource(ShortWaitAfterMiss(wiring, 0.5, 10.0), DEFAULT_LAYOUT, store, clock)
    core = MatController(DEFAULT_LAYOUT)
    events: list[Event] = []
    times: list[float] = []
    for frame in source.frames():
        events += core.feed(frame)
        times.append(frame.t)
        if frame.t >= END_S:
            return events, core, times
    raise AssertionError("the source ended")


def _unplugged(chip: HX711Chip) -> None:
    chip.dout_fault = "stuck_high"


def _shorted_low(chip: HX711Chip) -> None:
    chip.dout_fault = "stuck_low"


def _loose(chip: HX711Chip) -> None:
    chip.dout_fault = "flapping"


def _broken_input(chip: HX711Chip) -> None:
    chip.counts_a = 50_000_000  # an open bridge input: the ADC sits on its rail


def _frozen(chip: HX711Chip) -> None:
    chip.counts_a, chip.noise_counts = 123_456, 0.0  # one word for ever


def _assert_lain_and_left(events: list[Event], core: MatController) -> None:
    [ended] = [e for e in events if isinstance(e, SessionEnded)]
    assert ended.summary.reason == "left_mat"
    assert ended.summary.duration_s == pytest.approx(LEAVE_S - ended.started_t, abs=3.0)
    occupancy = [e for e in events if isinstance(e, OccupancyChanged)]
    assert not occupancy[-1].occupied  # the empty mat reads empty: no phantom, no held value
    assert core.snapshot().load_kg < 1.0


CASES = {
    "dout_stuck_high": (_unplugged, NOT_READY),
    "dout_stuck_low": (_shorted_low, STUCK),
    "input_wire_broken": (_broken_input, SATURATED),
    "frozen_word": (_frozen, STUCK),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_board_broken_under_a_lying_person(tmp_path: Path, case: str) -> None:
    fault, reason = CASES[case]
    events, core, _ = _run(tmp_path, {ZONE: fault})
    _assert_lain_and_left(events, core)
    faults = [e for e in events if isinstance(e, SensorFault)]
    assert [(e.zone, e.active, e.fault) for e in faults] == [("middle_left", True, reason)]


def test_a_loose_dout_wire_under_a_lying_person(tmp_path: Path) -> None:
    events, core, _ = _run(tmp_path, {ZONE: _loose})
    faults = [e for e in events if isinstance(e, SensorFault)]
    assert [(e.zone, e.active, e.fault) for e in faults] == [("middle_left", True, OUT_OF_RANGE)]
    _assert_lain_and_left(events, core)


def test_a_board_plugged_back_clears_its_fault_once_and_keeps_its_zero(tmp_path: Path) -> None:
    events, core, _ = _run(tmp_path, {ZONE: _unplugged}, mends_at_s=30.0)
    faults = [(e.active, e.fault) for e in events if isinstance(e, SensorFault)]
    assert faults == [(True, NOT_READY), (False, NOT_READY)]
    _assert_lain_and_left(events, core)  # one session, lain through the fault
    assert core.snapshot().zones_kg["middle_left"] == pytest.approx(0.0, abs=0.3)


def test_every_board_gone_pauses_the_session_and_their_return_resumes_it(
    tmp_path: Path,
) -> None:
    every: dict[int, Fault] = dict.fromkeys(range(len(DATA)), _unplugged)
    events, core, _ = _run(tmp_path, every, mends_at_s=35.0)
    kinds = [e.type for e in events if e.type.startswith("session_")]
    assert kinds == ["session_started", "session_paused", "session_resumed", "session_paused",
                     "session_ended"]  # fmt: skip
    [ended] = [e for e in events if isinstance(e, SessionEnded)]
    assert ended.summary.reason == "left_mat"
    assert core.snapshot().load_kg < 1.0


def test_a_dead_board_costs_the_live_ones_neither_frames_nor_polling(tmp_path: Path) -> None:
    """It used to be waited for ~1.5 ADC periods every frame: 6.7 frames/s for every zone and
    4.5 times the GPIO calls (2,002 a frame against 443)."""

    def rate_and_calls(dead: list[int]) -> tuple[list[float], float]:
        factory, clock = CountingMockFactory(), FakeClock()
        chips = emulated_array(factory, CLK, DATA, clock=clock, conversion_s=0.1,
                               noise_counts=30.0, power_down_s=1.0)  # fmt: skip
        array = HX711Array(CLK, DATA, pin_factory=factory, clock=clock, ready_timeout=0.5)
        base = Calibration({n: ZoneCalibration(OFFSET, SCALE) for n in DEFAULT_LAYOUT.names})
        store = CalibrationStore(tmp_path / FILENAME, base, clock)
        reader = ShortWaitAfterMiss(array, 0.5, 10.0)
        frames = SamplingSource(reader, DEFAULT_LAYOUT, store, clock).frames()
        for _ in range(5):
            next(frames)
        for i in dead:
            chips[i].dead = True
        for _ in range(3):  # the read that finds it gone waits the timeout once
            next(frames)
        factory.calls.clear()
        times = [next(frames).t for _ in range(50)]
        return [b - a for a, b in pairwise(times)], factory.total_calls / 50

    healthy_gaps, healthy_calls = rate_and_calls([])
    gaps, calls = rate_and_calls([ZONE])
    assert max(gaps) == pytest.approx(max(healthy_gaps), abs=0.002)
    assert sum(gaps) / len(gaps) == pytest.approx(0.1, abs=0.002)
    assert calls <= healthy_calls * 1.1
