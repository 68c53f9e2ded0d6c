"""A zone whose kg stop changing while the others move is ``stuck`` and left out.

Found by injecting faults into frame files of the posture library (``acumat simulate
lie_side_left --out F``, one zone's value repeated from a minute into the lie-down): the
firmware's stuck check sees words, a frame file hands the core kg, so nothing caught it. A
95 kg body lying on its left side, its middle-left zone frozen at 30.6 kg: after they got up
the mat stayed occupied on the frozen zone (over 0.35 of the body's still load, so not a load
left behind) and the session was still open an hour later, on its way to ``max_session_s``;
the same with a 50 kg body rolled 60 degrees (17 kg frozen). Now: ``sensor_fault`` (``stuck``)
once it is what holds the mat occupied (the person got up), the zone left out, the session
ends ``left_mat`` with the time lain. A zone held constant under a body that carries more
elsewhere (a rig's noise-free legs' load from segment masses) is not flagged: on a real mat
no cell is that exact, and leaving it out paused the session.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import cache

import pytest

from controller.core.controller import MatController
from controller.core.events import (
    Event,
    SensorFault,
    SessionEnded,
    SessionPaused,
    SessionStarted,
)
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

FREEZE_AFTER_LIE_S = 60.0
TAIL_S = 600.0  # an empty mat for 10 minutes after the run: the session must be over by then


@cache
def scenario(name: str) -> SimRun:
    return build(name)


def lying(run: SimRun) -> tuple[float, float]:
    segments = [s for s in run.truth["segments"] if s["posture"] == "lying"]
    return segments[0]["to_t"], segments[-1]["to_t"]


def frozen_from(frames: Iterable[ZoneFrame], zone: int, from_t: float) -> Iterator[ZoneFrame]:
    """The frames with ``zone`` repeating its reading at ``from_t``, then an empty tail."""
    kept: float | None = None
    last: ZoneFrame | None = None
    for frame in frames:
        out = frame
        if frame.t >= from_t:
            kept = frame.load_kg[zone] if kept is None else kept
            loads = list(frame.load_kg)
            loads[zone] = kept
            out = replace(frame, load_kg=tuple(loads))
        last = out
        yield out
    assert last is not None
    yield from scenario_tail(last, zone)


def scenario_tail(last: ZoneFrame, zone: int) -> list[ZoneFrame]:
    """``TAIL_S`` more of an empty mat but for the frozen ``zone``: 20 g of noise elsewhere."""
    rng = random.Random(3)
    out = []
    for k in range(1, int(TAIL_S * 10) + 1):
        loads = tuple(
            kg if i == zone else rng.gauss(0.0, 0.02) for i, kg in enumerate(last.load_kg)
        )
        out.append(ZoneFrame(round(last.t + k / 10, 3), loads))
    return out


def feed(frames: Iterable[ZoneFrame]) -> list[Event]:
    core = MatController(DEFAULT_LAYOUT)
    return [e for f in frames for e in core.feed(f)] + core.finish()


def loaded_zone(run: SimRun, at_t: float) -> int:
    frame = next(f for f in run.frames() if f.t >= at_t)
    return max(range(len(frame.load_kg)), key=lambda i: frame.load_kg[i] or 0.0)


@pytest.mark.parametrize("name", ["lie_side_left", "lie_roll_60"])
def test_a_zone_frozen_under_a_lying_body_never_keeps_the_session_open(name: str) -> None:
    run = scenario(name)
    lay_t, up_t = lying(run)
    zone = loaded_zone(run, lay_t + 30.0)
    freeze_t = lay_t + FREEZE_AFTER_LIE_S
    events = feed(frozen_from(run.frames(), zone, freeze_t))
    faults = [e for e in events if isinstance(e, SensorFault)]
    assert [(e.zone, e.fault, e.active) for e in faults] == [
        (DEFAULT_LAYOUT.names[zone], "stuck", True)
    ]
    # said once the rest of the mat carries less than it: when the person got up
    assert up_t <= faults[0].t <= up_t + 10.0
    started = [e for e in events if isinstance(e, SessionStarted)]
    ended = [e for e in events if isinstance(e, SessionEnded)]
    assert len(started) == 1 and len(ended) == 1
    assert ended[0].summary.reason == "left_mat"
    assert ended[0].t < up_t + 90.0  # grace_s after they left; was open after the 10-min tail
    # the time lain, as without the fault (the body lay from lay_t to up_t)
    assert abs(ended[0].summary.duration_s - (up_t - started[0].t)) < 15.0


def _noisy(base: tuple[float, ...], rng: random.Random) -> tuple[float, ...]:
    return tuple(kg + rng.gauss(0.0, 0.02) for kg in base)


def test_a_frozen_zone_clears_once_when_it_reads_again() -> None:
    rng = random.Random(1)
    base = (4.0, 0.5, 0.4, 0.4, 0.2, 0.2)  # a small load, mostly on upper_left: a cell's fault
    frames = []
    for k in range(900):
        loads = list(_noisy(base, rng))
        if 100 <= k < 700:  # upper_left repeats one value for 60 s
            loads[0] = 4.25
        frames.append(ZoneFrame(k / 10, tuple(loads)))
    faults = [e for e in feed(frames) if isinstance(e, SensorFault)]
    assert [(e.zone, e.active) for e in faults] == [("upper_left", True), ("upper_left", False)]
    assert 39.0 <= faults[0].t <= 42.0
    assert 70.0 <= faults[1].t <= 72.0


def test_constant_loads_everywhere_and_a_zone_at_zero_are_not_stuck() -> None:
    """A source that repeats whole frames (or a test's constant loads) freezes every zone
    alike, and an empty zone a source rounds to 0.0 may rightly repeat it: neither is a fault."""
    constant = [ZoneFrame(k / 10, (5.0, 5.0, 16.0, 16.0, 12.0, 12.0)) for k in range(900)]
    assert not [e for e in feed(constant) if isinstance(e, SensorFault)]
    rng = random.Random(2)
    rounded = [
        ZoneFrame(k / 10, (0.0, *_noisy((5.0, 16.0, 16.0, 12.0, 12.0), rng))) for k in range(900)
    ]
    assert not [e for e in feed(rounded) if isinstance(e, SensorFault)]


def test_a_rigs_constant_legs_under_a_moving_body_are_not_stuck() -> None:
    """A test rig that adds the legs' load from segment masses as constants, under a recorded
    body that moves: the foot row repeats to the gram while it lies. With the row left out the
    session paused (too few zones) 17 s into it."""
    run = scenario("lie_supine")
    feet = [DEFAULT_LAYOUT.names.index(n) for n in ("lower_left", "lower_right")]

    def rigged(frame: ZoneFrame) -> ZoneFrame:
        loads = list(frame.load_kg)
        if sum(kg or 0.0 for kg in loads) > 10.0:  # the body is on: the legs' constant load
            for i in feet:
                loads[i] = 6.2
        return replace(frame, load_kg=tuple(loads))

    events = feed(rigged(f) for f in run.frames())
    assert not [e for e in events if isinstance(e, SensorFault)]
    started = [e for e in events if isinstance(e, SessionStarted)]
    ended = [e for e in events if isinstance(e, SessionEnded)]
    assert len(started) == 1 and len(ended) == 1
    paused = [e.reason for e in events if isinstance(e, SessionPaused)]
    assert paused == ["away"]  # only when the person got up
    _lay_t, up_t = lying(run)
    assert abs(ended[0].summary.duration_s - (up_t - started[0].t)) < 15.0
