"""A load cell knocked under a lying person is an ``offset_jump`` fault, its zero moved by the step.

The simulator's 70 kg person lies 300 s on the default 2 × 3 mat; from 100 s a zone's reading
is stepped by kilograms between two frames and stays there (a cell knocked or shifted). Before
the rule, +15 kg on a middle zone tipped the balance: an ``uneven_load`` for the rest of the
session that was only the fault, and no fault event. Then real loads that must stay loads
under the same body: a cat landing, a bag landing or put down over 2 s, a child on the foot
row, the body rolling; and the rule itself on made-up frames.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from typing import TypeVar

import pytest

from controller.core.controller import MatController
from controller.core.events import Event, OccupancyChanged, SensorFault, SessionEnded, UnevenLoad
from controller.core.state import MatState
from controller.core.zone_step import clean_step
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sim.fault_stories import _visit
from firmware.sim.scenarios import build_spec
from firmware.sim.timeline import ScenarioSpec

E = TypeVar("E", bound=Event)
Extra = Callable[[float], Sequence[float]]  # kg added to each zone at t
MIDDLE_LEFT, MIDDLE_RIGHT, LOWER_LEFT = 2, 3, 4
KNOCK_T = 100.0  # the person lies from ~20 s to ~320 s


@cache
def _run() -> tuple[MatLayout, tuple[ZoneFrame, ...]]:
    run = build_spec(ScenarioSpec("knocked", "", _visit(300.0, 400.0), 1), seed=7)
    return run.layout, tuple(run.frames())


def _frames(extra: Extra) -> Iterator[ZoneFrame]:
    for f in _run()[1]:
        added = extra(f.t)
        loads = tuple(
            None if kg is None else kg + d for kg, d in zip(f.load_kg, added, strict=True)
        )
        yield replace(f, load_kg=loads)


def _play(extra: Extra, at: Iterable[float] = ()) -> tuple[list[Event], dict[float, MatState]]:
    core = MatController(_run()[0])
    seen: dict[float, MatState] = {}
    wanted = set(at)
    events: list[Event] = []
    for f in _frames(extra):
        events += core.feed(f)
        if round(f.t, 1) in wanted:
            seen[round(f.t, 1)] = core.snapshot()
    return events + core.finish(), seen


def of_type(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def _zone(zone: int, kg: Callable[[float], float]) -> Extra:
    return lambda t: tuple(kg(t) if i == zone else 0.0 for i in range(6))


def _step(zone: int, kg: float) -> Extra:
    return _zone(zone, lambda t: kg if t >= KNOCK_T else 0.0)


NOTHING: Extra = lambda t: (0.0,) * 6  # noqa: E731


# -- a knocked cell under a lying person -------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "kg"), [(MIDDLE_RIGHT, 15.0), (MIDDLE_LEFT, -15.0), (MIDDLE_LEFT, 5.0)]
)
def test_a_knocked_cell_under_a_lying_body_is_a_fault_and_the_body_reads_as_before(
    zone: int, kg: float
) -> None:
    name = DEFAULT_LAYOUT.names[zone]
    clean, clean_seen = _play(NOTHING, at=(150.0,))
    events, seen = _play(_step(zone, kg), at=(150.0, 395.0))
    faults = of_type(events, SensorFault)
    assert [(f.zone, f.active, f.fault) for f in faults] == [
        (name, True, "offset_jump"),
        (name, False, "offset_jump"),  # once re-zeroed on the empty mat
    ]
    raised, cleared = faults
    assert KNOCK_T < raised.t <= KNOCK_T + 2.0
    # was (+15 kg right, -15 kg left): uneven_load (right) from 108 s to the session's end
    assert of_type(events, UnevenLoad) == of_type(clean, UnevenLoad) == []
    [ended] = of_type(events, SessionEnded)
    [clean_ended] = of_type(clean, SessionEnded)
    got, want = ended.summary, clean_ended.summary
    assert (got.reason, got.duration_s, got.uneven_s) == (want.reason, want.duration_s, 0.0)
    assert got.mean_imbalance == pytest.approx(want.mean_imbalance, abs=0.005)
    lying, after = seen[150.0], seen[395.0]
    assert lying.faults == {name: "offset_jump"}
    assert lying.load_kg == pytest.approx(clean_seen[150.0].load_kg, abs=0.5)
    zone_kg, clean_kg = lying.zones_kg[name], clean_seen[150.0].zones_kg[name]
    assert zone_kg is not None and clean_kg is not None  # still weighed: its zero moved
    assert zone_kg == pytest.approx(clean_kg, abs=0.5)
    [left] = [e for e in of_type(events, OccupancyChanged) if not e.occupied]
    assert cleared.t > left.t and after.faults == {} and not after.occupied
    assert after.load_kg == pytest.approx(0.0, abs=0.3)


def test_a_small_step_is_left_to_the_zero() -> None:
    # 2 kg: under the rule's 3 kg (a drifting cell's bound); no fault, the session as it was
    events, _ = _play(_step(MIDDLE_LEFT, 2.0))
    assert of_type(events, SensorFault) == []


def test_a_knock_on_the_empty_mat_is_not_judged() -> None:
    # 15 s into the run, before the person: the zero's to follow (a bag put down is too)
    events, _ = _play(_zone(MIDDLE_LEFT, lambda t: 15.0 if t >= 8.0 else 0.0))
    assert of_type(events, SensorFault) == []


def test_a_reading_out_of_range_is_the_conditioners_fault_not_a_knock() -> None:
    # 800 kg for 60 s under the body: a clean, flat step in one zone, but not a load at all
    saturated = _zone(MIDDLE_LEFT, lambda t: 800.0 if KNOCK_T <= t < KNOCK_T + 60.0 else 0.0)
    events, _ = _play(saturated)
    assert {f.fault for f in of_type(events, SensorFault)} == {"out_of_range"}


# -- real loads under the same body stay loads -------------------------------------------------


def _ring(dt: float, kg: float) -> float:
    """The landing of ``kg``: a damped 3 Hz ring starting upwards (the simulator's shape)."""
    return 0.15 * kg * math.exp(-dt / 0.25) * math.sin(2.0 * math.pi * 3.0 * dt) if dt > 0 else 0.0


def _landing(kg: float, over_s: float) -> Callable[[float], float]:
    def load(t: float) -> float:
        dt = t - KNOCK_T
        return 0.0 if dt < 0 else kg * min(1.0, dt / over_s) + _ring(dt - over_s, kg)

    return load


def _roll(t: float) -> Sequence[float]:
    """8 kg moved from the left column to the right over 3 s, the total kept."""
    x = min(max((t - KNOCK_T) / 3.0, 0.0), 1.0)
    s = 8.0 * x * x * (3.0 - 2.0 * x) / 3.0
    return (-s, s, -s, s, -s, s)


@pytest.mark.parametrize(
    "extra",
    [
        _zone(LOWER_LEFT, _landing(4.5, 0.3)),
        _zone(LOWER_LEFT, _landing(10.0, 0.6)),
        _zone(LOWER_LEFT, lambda t: 10.0 * min(max((t - KNOCK_T) / 2.0, 0.0), 1.0)),
        lambda t: (0, 0, 0, 0, 10.0, 10.0) if KNOCK_T <= t < KNOCK_T + 60.0 else (0.0,) * 6,
        _roll,
    ],
    ids=["cat_landing", "bag_landing", "bag_over_2s", "child_on_the_foot_row", "body_rolling"],
)
def test_real_loads_under_a_lying_body_are_not_a_knocked_cell(extra: Extra) -> None:
    events, _ = _play(extra)
    assert of_type(events, SensorFault) == []


# -- the rule on frames --------------------------------------------------------------------------


def _series(
    kg_at: Callable[[int], Sequence[float]], n: int = 40, dt: float = 0.1
) -> list[ZoneFrame]:
    return [ZoneFrame(k * dt, tuple(kg_at(k))) for k in range(n)]


def _breathing(k: int) -> list[float]:
    return [10.0 + 0.15 * math.sin(k * 0.16 + j) for j in range(6)]


def _stepped(kg: float, at: int = 20, zone: int = 2) -> Callable[[int], list[float]]:
    def kg_at(k: int) -> list[float]:
        loads = _breathing(k)
        if k >= at:
            loads[zone] += kg
        return loads

    return kg_at


def test_the_rule_measures_a_clean_step_in_one_zone() -> None:
    step = clean_step(_series(_stepped(15.0)), 2)
    assert step == pytest.approx(15.0, abs=0.3)
    down = clean_step(_series(_stepped(-6.0)), 2)
    assert down == pytest.approx(-6.0, abs=0.3)


def _spread(k: int) -> list[float]:  # 6 kg over 3 frames
    loads = _breathing(k)
    loads[2] += 6.0 * min(max(k - 19, 0), 3) / 3
    return loads


def _with_others(k: int) -> list[float]:  # the step and 1 kg off a neighbour
    loads = _stepped(6.0)(k)
    loads[3] -= 1.0 if k >= 20 else 0.0
    return loads


def _frozen(k: int) -> list[float]:  # stepped to one value repeated exactly: a stuck word
    loads = _breathing(k)
    if k >= 20:
        loads[2] = 31.25
    return loads


def _missing(k: int) -> list[float | None]:
    loads: list[float | None] = list(_stepped(15.0)(k))
    if k == 30:
        loads[4] = None
    return loads


@pytest.mark.parametrize(
    "frames",
    [
        _series(_stepped(2.5)),  # under 3 kg
        _series(_stepped(15.0, at=35)),  # too little after it
        _series(_stepped(15.0, at=5)),  # too little before it
        _series(_spread),  # over 3 frames: a landing
        _series(_with_others),  # another zone moved
        _series(_stepped(15.0), dt=1.0),  # frames a second apart
        _series(_frozen),
        [ZoneFrame(k * 0.1, tuple(_missing(k))) for k in range(40)],  # a reading missing
        _series(lambda k: [*_stepped(15.0)(k)[:5], math.nan]),
    ],
    ids=["small", "late", "early", "spread", "others", "sparse", "frozen", "missing", "nan"],
)
def test_the_rule_wants_one_zone_one_frame_flat_both_sides(frames: list[ZoneFrame]) -> None:
    assert clean_step(frames, 2) is None
