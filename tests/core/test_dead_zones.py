"""Dead zones: a zone without a reading for ``hold_s`` is left out; with too few left, nothing is
judged (posture ``unknown``, the session paused) and none of that time is session time.

The field report: a zone stopped reading while someone lay; after they got up the mat stayed
``occupied``/``sitting`` at ~17 kg, and the session ran 4 h to ``max_duration`` and was stored as
a completed 14,400 s session with imbalance −0.92.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import TypeVar

import pytest

from controller.core.commands import ResumeSession
from controller.core.controller import MatController
from controller.core.coverage import build_coverage
from controller.core.events import (
    Event,
    OccupancyChanged,
    PostureChanged,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    SessionStarted,
    UnevenLoad,
)
from controller.core.faults import ZoneConditioner
from controller.core.occupancy import ZeroTracker
from controller.core.settings import (
    CoreSettings,
    DetectionSettings,
    FaultSettings,
    SessionSettings,
)
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sim.fault_stories import BOARD_LOST_S, DEAD_ZONE_FROM_S, DEAD_ZONE_TO_S
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

GRID_3X3 = MatLayout.grid(3, 3, 0.5, 1.3)
E = TypeVar("E", bound=Event)


@cache
def scenario(name: str) -> SimRun:
    return build(name)


def feed(core: MatController, frames: Iterable[ZoneFrame]) -> list[Event]:
    return [event for frame in frames for event in core.feed(frame)]


def of_type(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def lying_s(run: SimRun) -> float:
    """How long the person truly lay: from settling to the moment they had left."""
    return float(run.truth["left_t"][0] - run.truth["settled_t"][0])


# -- the field report -----------------------------------------------------------------------
def test_a_zone_that_dies_under_a_lying_person_never_keeps_them_on_the_mat() -> None:
    run = scenario("dead_zone")
    dead = run.layout.index(run.truth["faults"][0]["zone"])
    before = [f for f in run.frames() if f.t < DEAD_ZONE_TO_S - 100.0]  # it never comes back
    assert all(f.load_kg[dead] is None for f in before if f.t >= DEAD_ZONE_FROM_S)
    # ... then four hours more of an empty mat, that zone still silent (1 Hz is enough)
    last, empty = before[-1], tuple(0.0 if kg is not None else None for kg in before[-1].load_kg)
    after = [ZoneFrame(t=last.t + s, load_kg=empty) for s in range(1, 4 * 3600)]

    core = MatController(run.layout)
    events = feed(core, before) + feed(core, after) + core.finish()

    [ended] = of_type(events, SessionEnded)
    summary = ended.summary
    assert summary.reason == "left_mat"  # not max_duration
    assert summary.duration_s == pytest.approx(lying_s(run), abs=10.0)  # not 14,400 s
    assert not summary.completed  # 10 min of a 20 min target
    assert summary.mean_imbalance is not None and abs(summary.mean_imbalance) < 0.1  # not -0.92
    assert ended.t - run.truth["left_t"][0] <= core.settings.session.grace_s + 5.0
    state = core.snapshot()
    assert (state.occupied, state.posture, state.session.state) == (False, "empty", "idle")
    assert abs(state.load_kg) < 1.0  # not 17 kg
    assert state.zones_kg[run.layout.names[dead]] is None
    assert len(of_type(events, SessionStarted)) == 1
    assert not of_type(events, UnevenLoad)


def test_the_dead_zone_scenario_records_the_time_the_person_lay() -> None:
    run = scenario("dead_zone")
    core = MatController(run.layout)
    events = feed(core, run.frames()) + core.finish()
    [ended] = of_type(events, SessionEnded)
    assert ended.summary.duration_s == pytest.approx(lying_s(run), abs=10.0)
    [left] = [e for e in of_type(events, OccupancyChanged) if not e.occupied]
    assert abs(left.t - run.truth["left_t"][0]) < 3.0  # while the zone was still dead


# -- too few live zones ---------------------------------------------------------------------
def test_too_few_live_zones_make_posture_unknown_and_pause_the_session() -> None:
    run = scenario("board_lost")  # two of six zones silent for 30 s while lying
    core = MatController(run.layout)
    events = feed(core, run.frames()) + core.finish()
    hold_s = core.settings.faults.hold_s
    lost, back = BOARD_LOST_S

    unknown = [e for e in of_type(events, PostureChanged) if e.posture == "unknown"]
    assert [e.previous for e in unknown] == ["lying"]
    assert unknown[0].t == pytest.approx(lost + hold_s)
    paused, left = of_type(events, SessionPaused)
    assert left.reason == "away"
    [started] = of_type(events, SessionStarted)
    assert paused.reason == "too_few_zones"
    assert paused.t == pytest.approx(lost + hold_s)
    assert paused.elapsed_s == pytest.approx(lost - started.t, abs=0.2)  # dated to the loss
    [resumed] = of_type(events, SessionResumed)
    assert lost + hold_s < resumed.t <= back + core.settings.faults.recover_s + 0.2
    [ended] = of_type(events, SessionEnded)
    not_judged_s = resumed.t - lost
    assert ended.summary.duration_s == pytest.approx(lying_s(run) - not_judged_s, abs=10.0)
    assert core.snapshot().posture == "empty"


def test_posture_is_judged_afresh_after_an_unknown_spell() -> None:
    run = scenario("board_lost")
    core = MatController(run.layout)
    postures = [
        (e.t, e.previous, e.posture) for e in of_type(feed(core, run.frames()), PostureChanged)
    ]
    i = next(i for i, (_, _, p) in enumerate(postures) if p == "unknown")
    t, previous, posture = postures[i + 1]
    assert (previous, posture) == ("unknown", "lying")
    assert t >= BOARD_LOST_S[1] + core.settings.detection.posture_s


def _lie_then_lose_two_zones(
    lost_s: float, settings: CoreSettings | None = None
) -> tuple[MatController, list[Event]]:
    """Synthetic: a body lying still on the 2 × 3 mat from t = 0; the middle zones go silent at
    100 s and stay silent for ``lost_s``."""
    lying = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)
    core = MatController(DEFAULT_LAYOUT, settings)
    events: list[Event] = []
    for i in range(int((lost_s + 100.0) * 10)):
        t = i / 10
        loads: list[float | None] = list(lying)
        if t >= 100.0:
            loads[2] = loads[3] = None
        events += core.feed(ZoneFrame(t=t, load_kg=tuple(loads)))
    return core, events


def test_a_mat_that_cannot_judge_for_grace_s_ends_the_session_with_the_time_before() -> None:
    core, events = _lie_then_lose_two_zones(lost_s=600.0)  # never judged again
    [started] = of_type(events, SessionStarted)
    [ended] = of_type(events, SessionEnded)
    grace_s = core.settings.session.grace_s
    assert ended.summary.reason == "left_mat"
    assert ended.summary.duration_s == pytest.approx(100.0 - started.t, abs=0.2)
    assert ended.t == pytest.approx(100.0 + grace_s, abs=0.2)
    assert core.snapshot().posture == "unknown"
    assert core.snapshot().session.state == "idle"
    # nothing starts while nothing is judged, although the held presence says "occupied"
    assert len(of_type(events, SessionStarted)) == 1


def test_a_body_still_lying_when_readings_come_back_after_grace_s_starts_a_session() -> None:
    # Every board silent for 300 s under a lying person (a loose ribbon cable, the boards'
    # supply browning out): the session ends at grace_s, as nobody can say what happened. When
    # the readings come back the body is there, whole and still, with no way there seen: it
    # lay there through the spell, as under a restart, and is not taken for someone sitting.
    lying = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)
    back_s = 400.0
    core = MatController(DEFAULT_LAYOUT)
    events: list[Event] = []
    for i in range(5000):
        t = i / 10
        loads = (None,) * 6 if 100.0 <= t < back_s else lying
        events += core.feed(ZoneFrame(t=t, load_kg=loads))
    first, again = of_type(events, SessionStarted)
    [ended] = of_type(events, SessionEnded)
    assert ended.summary.duration_s == pytest.approx(100.0 - first.t, abs=0.2)
    assert ended.t < back_s
    assert again.trigger == "lie_down"
    assert back_s < again.t <= back_s + core.settings.faults.recover_s + 5.0
    # lying from the first report: the jump back from the blind spell is not motion
    assert [e.posture for e in of_type(events, PostureChanged) if e.t >= back_s] == ["lying"]
    assert core.snapshot().session.state == "running"


def test_a_fault_never_runs_a_session_to_its_limit() -> None:
    limit_s = 600.0  # the same for 4 h, in a tenth of the frames
    settings = CoreSettings(session=SessionSettings(max_session_s=limit_s))
    _, events = _lie_then_lose_two_zones(lost_s=limit_s + 100.0, settings=settings)
    assert [e.summary.reason for e in of_type(events, SessionEnded)] == ["left_mat"]


def test_a_session_waiting_for_zones_is_not_resumed_by_command() -> None:
    core, _ = _lie_then_lose_two_zones(lost_s=30.0)
    assert core.snapshot().session.state == "paused"
    result, events = core.command(ResumeSession(), core.t)
    assert not result.ok and events == []
    assert result.error is not None and "zones" in result.error


# -- the parts ------------------------------------------------------------------------------
def test_a_silent_zone_holds_its_last_value_for_hold_s_then_reads_nothing() -> None:
    settings = FaultSettings(hold_s=10.0)
    cond = ZoneConditioner(("a", "b"), settings)
    loads, dead = [], []
    rows: list[tuple[float | None, float]] = [(10.0, 5.0)] * 10 + [(None, 5.0)] * 200
    rows += [(0.5, 5.0)] * 50  # the board comes back with nobody on it
    for i, (a, b) in enumerate(rows):
        cond.update(ZoneFrame(t=i / 10, load_kg=(a, b)))
        loads.append(cond.loads_kg[0])
        dead.append(cond.dead_since[0])
    assert loads[100] == 10.0  # held at 10.0 s (silent since 1.0 s)
    assert loads[111] == 0.0 and dead[111] == pytest.approx(1.0)  # dead from 11.0 s, dated 1.0
    assert loads[210] == 0.0 and dead[210] is not None  # back, but not trusted yet
    back = 210 + int(settings.recover_s * 10)
    assert dead[back] is None
    assert loads[back] == 0.5  # its old 10 kg never comes back through the median


def test_a_dead_zone_keeps_its_zero_through_tracking_and_tare() -> None:
    zero = ZeroTracker(2, DetectionSettings())
    zero.tare([1.0, 2.0])
    for i in range(1, 6000):  # 10 min of an empty, still mat; zone b dead (reads 0)
        zero.track(i / 10, [1.2, 0.0], may_track=True, dead=[False, True])
    assert zero.offsets_kg[0] == pytest.approx(1.2, abs=0.01)
    assert zero.offsets_kg[1] == 2.0
    zero.tare([1.5, 0.0], dead=[False, True])
    assert zero.offsets_kg == [1.5, 2.0]


def test_mirror_partners_on_the_default_mat_and_across_a_centre_column() -> None:
    cov = build_coverage(DEFAULT_LAYOUT)  # 2 × 3: upper_left, upper_right, middle_left, ...
    loads = [5.0, 6.0, 16.0, 17.0, 12.0, 13.0]
    dead = [False, False, False, False, True, False]  # lower_left
    assert cov.posture_loads(loads, dead) == [5.0, 6.0, 16.0, 17.0, pytest.approx(13.0), 13.0]
    assert cov.balance_loads(loads, dead) == [5.0, 6.0, 16.0, 17.0, 0.0, 0.0]
    assert cov.live_share(dead) == pytest.approx(5 / 6)

    cov3 = build_coverage(GRID_3X3)  # the centre column straddles the line: its own mirror
    loads3 = [1.0, 4.0, 2.0, 3.0, 9.0, 3.5, 2.0, 6.0, 2.5]
    centre = [i == 4 for i in range(9)]
    assert cov3.posture_loads(loads3, centre)[4] == 0.0  # nothing across the line to ask
    assert cov3.balance_loads(loads3, centre) == [*loads3[:4], 0.0, *loads3[5:]]
    left = [i == 3 for i in range(9)]
    assert cov3.posture_loads(loads3, left)[3] == pytest.approx(3.5)
    assert cov3.balance_loads(loads3, left)[3:6] == [0.0, 9.0, 0.0]


def test_a_lying_body_with_a_dead_zone_is_still_lying_and_even() -> None:
    lying: list[float | None] = [5.5, 5.5, 16.5, 16.5, 12.5, 12.5]
    core = MatController(DEFAULT_LAYOUT)
    events: list[Event] = []
    for i in range(1200):
        loads = list(lying)
        if i >= 600:
            loads[4] = None  # lower_left dies at 60 s and stays dead
        events += core.feed(ZoneFrame(t=i / 10, load_kg=tuple(loads)))
    postures = [e.posture for e in of_type(events, PostureChanged)]
    assert postures[-1] == "lying" and "unknown" not in postures
    state = core.snapshot()
    assert state.load_kg == pytest.approx(69.0 - 12.5, abs=0.1)  # left out, not held
    assert state.imbalance == pytest.approx(0.0, abs=0.01)
    assert not of_type(events, UnevenLoad)
    assert state.session.state == "running"
