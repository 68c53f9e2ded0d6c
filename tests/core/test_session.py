"""The session machine, table-driven: frames of (occupied, ready) in, events out."""

from __future__ import annotations

import pytest

from controller.core.events import (
    Event,
    ProgramTargetChanged,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    SessionStarted,
    SessionTargetReached,
    SessionWarning,
)
from controller.core.session import Inputs, SessionMachine
from controller.core.settings import SessionSettings


def feed(  # noqa: PLR0917 - table rows read best positionally
    machine: SessionMachine,
    t0: float,
    t1: float,
    occupied: bool = True,
    ready_lie: bool = True,
    ready_stand: bool = False,
    left_at: float | None = None,
    dt: float = 0.5,
) -> list[Event]:
    events: list[Event] = []
    t = t0
    first = True
    while t < t1 - 1e-9:
        events += machine.on_frame(
            Inputs(
                t=t,
                occupied=occupied,
                left_at=left_at if first else None,
                ready_lie=ready_lie,
                ready_stand=ready_stand,
                uneven=False,
                imbalance=0.0,
            )
        )
        first = False
        t += dt
    return events


def types(events: list[Event]) -> list[str]:
    return [e.type for e in events]


def test_lying_settled_starts_one_session_and_target_is_announced_once() -> None:
    m = SessionMachine(SessionSettings())
    events = feed(m, 0, 1300)
    assert types(events) == ["session_started", "session_target_reached"]
    started, reached = events
    assert isinstance(started, SessionStarted) and started.trigger == "lie_down"
    assert started.program == "relax" and started.target_s == 1200
    assert isinstance(reached, SessionTargetReached) and reached.elapsed_s == pytest.approx(1200)


def test_short_absence_pauses_and_resumes_the_same_session() -> None:
    m = SessionMachine(SessionSettings())
    events = feed(m, 0, 100)
    events += feed(m, 100, 130, occupied=False, ready_lie=False, left_at=99.0)
    events += feed(m, 130, 200)
    events += feed(m, 200, 300, occupied=False, ready_lie=False, left_at=199.0)
    assert types(events) == [
        "session_started",
        "session_paused",
        "session_resumed",
        "session_paused",
        "session_ended",
    ]
    paused, resumed, ended = events[1], events[2], events[4]
    assert isinstance(paused, SessionPaused) and paused.elapsed_s == pytest.approx(99)
    assert isinstance(resumed, SessionResumed) and resumed.away_s == pytest.approx(31)
    assert isinstance(ended, SessionEnded)
    assert ended.summary.reason == "left_mat" and not ended.summary.completed
    # 99 s before the absence + 69 s after it (130 → 199): pauses excluded.
    assert ended.summary.duration_s == pytest.approx(99 + 69)
    assert ended.t == pytest.approx(199 + 60)


def test_long_absence_makes_two_sessions() -> None:
    m = SessionMachine(SessionSettings())
    events = feed(m, 0, 100)
    events += feed(m, 100, 200, occupied=False, ready_lie=False, left_at=100.0)
    events += feed(m, 200, 300)
    assert types(events) == [
        "session_started",
        "session_paused",
        "session_ended",
        "session_started",
    ]
    assert [e.session for e in events if isinstance(e, SessionStarted)] == [1, 2]


@pytest.mark.parametrize(
    ("program", "ready_lie", "ready_stand", "starts"),
    [
        ("relax", True, False, True),
        ("relax", False, True, False),  # standing never starts a lying program
        ("feet", False, True, True),
        ("feet", True, False, False),
    ],
)
def test_the_program_decides_which_posture_starts(
    program: str, ready_lie: bool, ready_stand: bool, starts: bool
) -> None:
    m = SessionMachine(SessionSettings(program=program))
    events = feed(m, 0, 10, ready_lie=ready_lie, ready_stand=ready_stand)
    assert (types(events)[:1] == ["session_started"]) is starts


def test_energy_warns_past_twenty_minutes_and_cellulite_stops_at_thirty() -> None:
    energy = SessionMachine(SessionSettings(program="energy"))
    events = feed(energy, 0, 1300, dt=1.0)
    assert types(events) == ["session_started", "session_target_reached", "session_warning"]
    assert isinstance(events[2], SessionWarning) and events[2].elapsed_s == pytest.approx(1200)
    cellulite = SessionMachine(SessionSettings(program="cellulite"))
    events = feed(cellulite, 0, 2000, dt=1.0)
    assert types(events)[-1] == "session_ended"
    end = events[-1]
    assert isinstance(end, SessionEnded) and end.summary.reason == "max_duration"
    assert end.summary.completed
    assert types(events).count("session_started") == 1  # no restart under the person


def test_commands_change_state_or_say_why_not() -> None:
    m = SessionMachine(SessionSettings())
    assert m.stop(0)[0].error == "no session is running"
    result, _ = m.start(0, "nonsense", occupied=True)
    assert not result.ok and "unknown program" in (result.error or "")
    result, events = m.start(0, "neck", occupied=True)
    assert result.ok and types(events) == ["session_started"]
    assert not m.start(1, None, occupied=True)[0].ok
    assert types(m.pause(5)[1]) == ["session_paused"]
    assert not m.pause(6)[0].ok
    assert types(feed(m, 6, 20)) == []  # a manual pause is not resumed by lying there
    assert types(m.resume(20, occupied=True)[1]) == ["session_resumed"]
    result, events = m.stop(30)
    end = events[0]
    assert isinstance(end, SessionEnded) and end.summary.reason == "command"
    assert end.summary.duration_s == pytest.approx(5 + 10)
    assert types(feed(m, 30, 60)) == []  # still lying after stop: no new session


def test_start_on_an_empty_mat_waits_for_the_person_then_gives_up() -> None:
    m = SessionMachine(SessionSettings())
    _, events = m.start(0, None, occupied=False)
    assert types(events) == ["session_started", "session_paused"]
    events = feed(m, 0, 70, occupied=False, ready_lie=False)
    assert types(events) == ["session_ended"]
    assert isinstance(events[0], SessionEnded) and events[0].summary.duration_s == 0


def test_select_program_reports_a_change_only() -> None:
    m = SessionMachine(SessionSettings())
    assert types(m.programs.select(0, "sleep")[1]) == ["program_selected"]
    assert m.programs.select(0, "sleep")[1] == []
    started = feed(m, 0, 5)[0]
    assert isinstance(started, SessionStarted) and started.target_s is None
    assert m.snapshot(100).remaining_s is None and m.snapshot(100).state == "running"


def test_a_program_target_changes_for_the_next_session_only() -> None:
    m = SessionMachine(SessionSettings(program="beginner"))
    started = feed(m, 0, 5)[0]
    assert isinstance(started, SessionStarted) and started.target_s == 300
    result, events = m.programs.change_target(5, "beginner", 360.0)
    assert result.ok and events == [ProgramTargetChanged(t=5, program="beginner", target_s=360.0)]
    assert m.programs.change_target(6, "beginner", 360.0) == (result, [])  # unchanged: no event
    assert m.snapshot(10).target_s == 300  # the running session keeps its target
    _, [ended] = m.stop(400)
    assert isinstance(ended, SessionEnded) and ended.summary.target_s == 300
    assert ended.summary.completed
    feed(m, 400, 420, occupied=False, ready_lie=False, left_at=400.0)
    started = feed(m, 420, 425)[0]
    assert isinstance(started, SessionStarted) and started.target_s == 360


@pytest.mark.parametrize(
    ("program", "target_s", "error"),
    [("nap", 60.0, "unknown program"), ("relax", 0.0, "positive"),
     ("relax", float("nan"), "positive"), ("relax", -5.0, "positive"),
     ("cellulite", 3600.0, "max_s")],  # cellulite ends at 30 min: no 60-min target
)  # fmt: skip
def test_a_bad_program_target_changes_nothing(program: str, target_s: float, error: str) -> None:
    selected = program if program in ("relax", "cellulite") else "relax"
    m = SessionMachine(SessionSettings(program=selected))
    result, events = m.programs.change_target(0, program, target_s)
    assert not result.ok and error in (result.error or "") and events == []
    started = feed(m, 0, 5)[0]
    assert isinstance(started, SessionStarted)
    assert started.target_s == {"relax": 1200, "cellulite": 1800}[selected]


def test_no_target_is_a_target_too() -> None:
    m = SessionMachine(SessionSettings())
    _, events = m.programs.change_target(0, "relax", None)
    assert events == [ProgramTargetChanged(t=0, program="relax", target_s=None)]
    started = feed(m, 0, 5)[0]
    assert isinstance(started, SessionStarted) and started.target_s is None


# -- time that cannot be judged -------------------------------------------------------------
def frame(
    t: float, *, judged: bool = True, since: float | None = None, gap_from: float | None = None
) -> Inputs:
    """A lying, settled person's frame; ``judged``/``since``/``gap_from`` as the core says."""
    return Inputs(t=t, occupied=True, left_at=None, ready_lie=True, ready_stand=False,
                  uneven=False, imbalance=0.0, judged=judged, unjudged_since=since,
                  gap_from=gap_from)  # fmt: skip


def run(m: SessionMachine, frames: list[Inputs]) -> list[Event]:
    return [e for x in frames for e in m.on_frame(x)]


@pytest.mark.parametrize(
    ("back_at", "kinds", "duration_s"),
    [
        (130.0, ["session_started", "session_paused", "session_resumed", "session_ended"],
         95.0 + 70.0),  # judged again within grace_s: resumed, the 35 s not counted
        (None, ["session_started", "session_paused", "session_ended"], 95.0),
    ],
)  # fmt: skip
def test_a_mat_that_cannot_judge_pauses_and_counts_none_of_it(
    back_at: float | None, kinds: list[str], duration_s: float
) -> None:
    m = SessionMachine(SessionSettings())
    frames = [frame(t) for t in range(0, 100)]
    # the zones stopped reading at 95 s; too few were live from 105 s
    last = 200 if back_at is None else back_at
    frames += [frame(t, judged=False, since=95.0) for t in range(100, int(last))]
    if back_at is not None:
        frames += [frame(t) for t in range(int(back_at), 200)]
    events = run(m, frames)
    if back_at is not None:
        _, [ended] = m.stop(200.0)
        events.append(ended)
    assert types(events) == kinds
    paused = events[1]
    assert isinstance(paused, SessionPaused) and paused.reason == "too_few_zones"
    assert (paused.t, paused.elapsed_s) == (100.0, 95.0)
    end = events[-1]
    assert isinstance(end, SessionEnded)
    assert end.summary.duration_s == pytest.approx(duration_s)
    if back_at is None:
        assert end.t == 95.0 + 60.0 and end.summary.reason == "left_mat"


def test_nothing_starts_while_the_mat_cannot_judge() -> None:
    m = SessionMachine(SessionSettings())
    assert run(m, [frame(t, judged=False, since=0.0) for t in range(0, 30)]) == []
    assert types(run(m, [frame(30.0)])) == ["session_started"]


@pytest.mark.parametrize(
    ("gap_s", "kinds"),
    [
        (30.0, ["session_started", "session_paused", "session_resumed"]),
        (60.0, ["session_started", "session_paused", "session_ended", "session_started"]),
    ],
)
def test_a_gap_pauses_at_the_last_frame_and_a_long_one_ends(gap_s: float, kinds: list[str]) -> None:
    m = SessionMachine(SessionSettings())
    events = run(m, [frame(t) for t in range(0, 100)])
    after = 99.0 + gap_s
    events += run(m, [frame(after, gap_from=99.0), frame(after + 1.0)])
    assert types(events) == kinds
    paused = events[1]
    assert isinstance(paused, SessionPaused) and paused.reason == "no_frames"
    assert (paused.t, paused.elapsed_s) == (after, 99.0)
    if isinstance(events[2], SessionEnded):
        assert events[2].summary.duration_s == 99.0
