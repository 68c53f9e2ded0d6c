"""A load cell drifting fast with nobody on it is a ``drifting`` fault, not a phantom person.

Made-up loads at 10 frames/s with 20 g of noise: a zone ramped by kg per minute on the empty
mat (up, down, fast, to out of range), and real loads that must stay loads (a body faded in
over 3 s, a bag put down over 2 s, a cat settling, breathing and a body relaxing, slow
thermal drift). Then the simulator's failing cell (``firmware.sim.sensor.CellDrift``) under a
lying person: before the rule, a cell drifting 6 kg/min from 80 s into a 300-s lie-down left the
empty mat occupied (110 kg at the end) and the session open, on its way to ``max_session_s``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

import pytest

from controller.core.controller import MatController
from controller.core.events import Event, OccupancyChanged, SensorFault, SessionEnded
from controller.core.state import MatState
from controller.core.zone_drift import drifting
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.fault_stories import _visit
from firmware.sim.scenarios import build_spec
from firmware.sim.sensor import CellDrift, SensorSpec
from firmware.sim.timeline import ScenarioSpec

ZONE = 2  # middle_left
NAME = DEFAULT_LAYOUT.names[ZONE]
EMPTY = (0.0,) * 6
LYING = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)  # 69 kg on the mat, the trunk on the middle
RATE_HZ = 10.0
E = TypeVar("E", bound=Event)
Loads = Callable[[float], Sequence[float]]


def frames(loads_at: Loads, seconds: float, seed: int = 1) -> list[ZoneFrame]:
    rng = random.Random(seed)
    out = []
    for i in range(int(seconds * RATE_HZ)):
        t = i / RATE_HZ
        out.append(ZoneFrame(t, tuple(kg + rng.gauss(0.0, 0.02) for kg in loads_at(t))))
    return out


def play(loads_at: Loads, seconds: float) -> tuple[MatController, list[Event]]:
    core = MatController(DEFAULT_LAYOUT)
    core.begin_without_session()
    return core, [e for f in frames(loads_at, seconds) for e in core.feed(f)]


def of_type(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def ramp(t: float, start_s: float, end_s: float, kg_per_min: float) -> float:
    return min(max(t - start_s, 0.0), end_s - start_s) * kg_per_min / 60.0


def one_zone(kg: float, zone: int = ZONE) -> tuple[float, ...]:
    return tuple(kg if i == zone else 0.0 for i in range(6))


def added(a: Sequence[float], b: Sequence[float]) -> tuple[float, ...]:
    return tuple(x + y for x, y in zip(a, b, strict=True))


# -- the rule on 1-s samples -------------------------------------------------------------------


def _samples(step: Callable[[int], float]) -> list[float]:
    return [step(k) for k in range(16)]


@pytest.mark.parametrize(
    ("samples", "drifts"),
    [
        (_samples(lambda k: 0.1 * k), True),  # 6 kg/min up
        (_samples(lambda k: -0.06 * k), True),  # 3.6 kg/min down
        (_samples(lambda k: 2.5 * k), True),  # 150 kg/min: still small steps
        (_samples(lambda k: 0.04 * k), False),  # 2.4 kg/min: the zero's to follow
        (_samples(lambda k: 0.0), False),  # still
        (_samples(lambda k: 2.0 if k >= 7 else (1.0 if k == 6 else 0.0)), False),  # a bag, 2 s
        (_samples(lambda k: 0.1 * k - (0.3 if k == 8 else 0.0)), False),  # a step back
        (_samples(lambda k: 0.1 * k + (4.0 if k >= 8 else 0.0)), False),  # a landing
        (_samples(lambda k: 0.3 * math.sin(k * 1.6)), False),  # breathing-like
        (_samples(lambda k: 0.2 * min(k, 10)), False),  # stopped: the last span is flat
    ],
)
def test_the_rule_wants_a_steady_one_way_change_in_small_steps(
    samples: list[float], drifts: bool
) -> None:
    assert drifting(samples) is drifts


# -- a failing cell on the empty mat ---------------------------------------------------------


@pytest.mark.parametrize("kg_per_min", [10.0, 60.0, -10.0])
def test_a_cell_drifting_on_the_empty_mat_is_a_fault_then_zeroed_where_it_settled(
    kg_per_min: float,
) -> None:
    # 30 s empty, then zone 2 drifts for 90 s (to +15, +90 or -15 kg) and stays there.
    def loads(t: float) -> tuple[float, ...]:
        return one_zone(ramp(t, 30.0, 120.0, kg_per_min))

    core, events = play(loads, 200.0)
    faults = of_type(events, SensorFault)
    assert [(f.zone, f.active, f.fault) for f in faults] == [
        (NAME, True, "drifting"),
        (NAME, False, "drifting"),
    ]
    raised, cleared = faults
    assert 30.0 + 10.0 <= raised.t <= 30.0 + 20.0  # 15 s, the first span partly flat
    assert 120.0 < cleared.t <= 120.0 + 15.0  # held within 0.3 kg for 10 s
    assert of_type(events, OccupancyChanged) == []  # never a phantom person
    state = core.snapshot()
    assert state.faults == {} and not state.occupied
    zone_kg = state.zones_kg[NAME]
    assert abs(state.load_kg) < 0.3 and zone_kg is not None and abs(zone_kg) < 0.3


def test_while_it_drifts_the_zone_is_left_out_and_a_person_is_weighed_without_it() -> None:
    # Zone 2 falls 10 kg/min from 20 s (-15 kg at 110 s); a person lies on at 60 s, up at 150 s.
    def loads(t: float) -> tuple[float, ...]:
        body = LYING if 60.0 <= t < 150.0 else EMPTY
        return added(body, one_zone(ramp(t, 20.0, 110.0, -10.0)))

    core = MatController(DEFAULT_LAYOUT)
    seen: dict[float, MatState] = {}
    events: list[Event] = []
    for frame in frames(loads, 220.0):
        events += core.feed(frame)
        if frame.t in (50.0, 100.0, 140.0, 219.9):
            seen[frame.t] = core.snapshot()
    before, lying, later, after = (seen[t] for t in (50.0, 100.0, 140.0, 219.9))
    assert not before.occupied and before.load_kg == pytest.approx(0.0, abs=0.3)
    # The other five zones' 52.5 kg, not 69 kg pulled down by a cell reading -15 kg.
    assert lying.occupied and lying.load_kg == pytest.approx(69.0 - 16.5, abs=0.5)
    assert later.occupied and later.load_kg == pytest.approx(69.0 - 16.5, abs=0.5)
    for state in (before, lying, later):  # never cleared under a body
        assert state.faults == {NAME: "drifting"} and state.zones_kg[NAME] is None
    assert not after.occupied and after.load_kg == pytest.approx(0.0, abs=0.3)
    assert after.faults == {}
    assert [f.active for f in of_type(events, SensorFault)] == [True, False]


def test_a_cell_drifting_out_of_range_is_not_cleared_on_its_held_value() -> None:
    # 60 kg/min for 4 min: past max_zone_kg (200) at ~230 s and there for good.
    core, events = play(lambda t: one_zone(ramp(t, 30.0, 270.0, 60.0)), 320.0)
    faults = [(f.active, f.fault) for f in of_type(events, SensorFault)]
    assert faults == [(True, "drifting"), (True, "out_of_range")]
    assert of_type(events, OccupancyChanged) == []
    assert core.snapshot().faults == {NAME: "out_of_range"}


# -- real loads stay loads -------------------------------------------------------------------


def _fade_in(t: float) -> Sequence[float]:  # a body faded in over 3 s (~23 kg/s), lying 2 min
    share = min(max((t - 20.0) / 3.0, 0.0), 1.0)
    return tuple(kg * share for kg in LYING)


def _bag_slowly(t: float) -> Sequence[float]:  # 10 kg put down over 2 s, left 5 min
    return one_zone(10.0 * min(max((t - 20.0) / 2.0, 0.0), 1.0))


def _cat(t: float) -> Sequence[float]:
    # 4 kg landing on zone 2, kneading back and forth with zone 3 for 40 s, then curled up,
    # breathing, for 5 min.
    if t < 20.0:
        return EMPTY
    knead = 1.0 * math.sin(2.0 * math.pi * t / 3.0) if t < 60.0 else 0.0
    breath = 0.05 * math.sin(2.0 * math.pi * t / 1.5)
    return added(one_zone(3.0 + knead + breath), one_zone(1.0 - knead, zone=3))


def _relaxing(t: float) -> Sequence[float]:
    # Lying, breathing (4 s), and sinking in: 2 kg pass from zone 3 to zone 2 over 60 s.
    if t < 10.0:
        return EMPTY
    breath = 0.15 * math.sin(2.0 * math.pi * t / 4.0)
    shift = ramp(t, 60.0, 120.0, 2.0)
    return added(LYING, (0.0, 0.0, breath + shift, breath - shift, 0.0, 0.0))


def _thermal(t: float) -> Sequence[float]:  # every zone 2.5 kg/h, half of them downwards
    return tuple(2.5 / 3600.0 * t * (1.0 if i % 2 else -1.0) for i in range(6))


@pytest.mark.parametrize(
    ("loads", "seconds", "person"),
    [
        (_fade_in, 150.0, True),
        (_bag_slowly, 340.0, False),
        (_cat, 380.0, False),
        (_relaxing, 200.0, True),
        (_thermal, 3600.0, False),
    ],
    ids=["body_faded_in_3s", "bag_put_down_over_2s", "cat_settling", "relaxing", "thermal"],
)
def test_real_loads_and_slow_drift_are_not_a_drifting_cell(
    loads: Loads, seconds: float, person: bool
) -> None:
    core, events = play(loads, seconds)
    assert of_type(events, SensorFault) == []
    assert core.snapshot().occupied is person


# -- a failing cell under a lying person -------------------------------------------------------


def _lie_and_leave(kg_per_min: float) -> tuple[list[Event], MatController]:
    """A 70 kg person lies 300 s (from ~20 s); zone 2's cell drifts from 100 s on."""
    sensor = SensorSpec(cell_drifts=(CellDrift(ZONE, 100.0, 1200.0, kg_per_min),))
    spec = ScenarioSpec("drift_under_a_body", "", _visit(300.0, 1200.0), 1, sensor=sensor)
    run = build_spec(spec, seed=7)
    core = MatController(run.layout)
    events = [e for f in run.frames() for e in core.feed(f)]
    return events + core.finish(), core


def test_a_cell_that_drifts_under_a_body_and_on_does_not_keep_the_session_open() -> None:
    [fault_free] = of_type(_lie_and_leave(0.0)[0], SessionEnded)
    events, core = _lie_and_leave(6.0)  # +22 kg by the time they got up; 110 kg at the end
    [ended] = of_type(events, SessionEnded)
    assert ended.summary.reason == "left_mat"  # was: still running at the run's end
    # The time lain, and at most the 15 s of steady drift the rule needs once the mat is
    # empty, plus the getting up (measured: +16 s).
    assert 0.0 <= ended.summary.duration_s - fault_free.summary.duration_s <= 45.0
    [raised] = of_type(events, SensorFault)
    assert (raised.zone, raised.fault, raised.active) == (NAME, "drifting", True)
    state = core.snapshot()
    assert not state.occupied and state.faults == {NAME: "drifting"}  # still drifting
