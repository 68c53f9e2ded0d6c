"""The service loop (controller/service/loop.py) with fake adapters, a list of frames and the
real core: every frame reaches every adapter, a broken adapter is isolated, commands are
answered between frames, ``stop()`` ends after the current frame, the supervisor hears ready
once and a watchdog per frame, and the end of the frames settles the session.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from controller.core.commands import CommandResult, SelectProgram, StartSession, StopSession, Tare
from controller.core.controller import MatController
from controller.core.events import Event, SessionEnded, Tared
from controller.core.session import SavedSession
from controller.service.loop import Service
from controller.service.ports import Adapter
from controller.storage.recorder import SessionRecorder
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.framefile import open_frames
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.scenarios import build
from tests.service.fakes import (
    BrokenAdapterError,
    FakeAdapter,
    ListSource,
    RecordingLifecycle,
    Timeline,
    empty_frames,
)


@cache
def scenario(name: str) -> tuple[ZoneFrame, ...]:
    return tuple(build(name).frames())


def service(
    frames: Sequence[ZoneFrame], *adapters: Adapter, lifecycle: RecordingLifecycle | None = None
) -> Service:
    return Service(
        core=MatController(DEFAULT_LAYOUT),
        source=ListSource(frames),
        adapters=adapters,
        lifecycle=lifecycle or RecordingLifecycle(),
    )


def source_of(svc: Service) -> ListSource:
    assert isinstance(svc.source, ListSource)
    return svc.source


def index(timeline: Timeline, entry: tuple[object, ...]) -> int:
    return timeline.index(entry)


# -- frames ---------------------------------------------------------------------------------
def test_every_adapter_gets_every_frame_with_the_cores_events_and_state() -> None:
    frames = scenario("standing")  # on and off the mat: postures change, no session
    a, b = FakeAdapter("a"), FakeAdapter("b")
    assert service(frames, a, b).run() == 0

    reference = MatController(DEFAULT_LAYOUT)
    expected = [(frame, tuple(reference.feed(frame))) for frame in frames]
    for adapter in (a, b):
        got = [(d.frame, d.events) for d in adapter.deliveries[: len(frames)]]
        assert got == expected
        assert all(d.state.t == d.frame.t for d in adapter.deliveries)
    assert any(events for _, events in expected)  # the comparison covered some events


def test_adapters_are_started_once_before_the_first_frame_and_closed_once() -> None:
    timeline: Timeline = []
    a, b = FakeAdapter("a", timeline), FakeAdapter("b", timeline)
    service(empty_frames(3), a, b).run()
    assert (a.started, b.started, a.closed, b.closed) == (1, 1, 1, 1)
    assert timeline[:2] == [("start", "a"), ("start", "b")]
    assert timeline[-2:] == [("close", "a"), ("close", "b")]


def test_the_first_frame_is_handed_over_once_before_anyone_sees_it() -> None:
    frames = empty_frames(5)
    adapter = FakeAdapter("a")
    seen: list[tuple[ZoneFrame, int]] = []
    svc = service(frames, adapter)
    svc.on_first_frame = lambda frame: seen.append((frame, len(adapter.deliveries)))
    svc.run()
    assert seen == [(frames[0], 0)]


# -- a broken adapter -----------------------------------------------------------------------
def test_an_adapter_that_fails_on_every_frame_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frames = empty_frames(50)
    broken, good = FakeAdapter("broken", fail_on_frame=True), FakeAdapter("good")
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert service(frames, broken, good).run() == 0
    assert [d.frame for d in good.deliveries[: len(frames)]] == frames
    assert broken.closed == good.closed == 1
    failures = [r for r in caplog.records if "failed on a frame" in r.getMessage()]
    assert failures, "the failure was not logged"
    assert "FakeAdapter" in failures[0].getMessage()
    assert failures[0].exc_info is not None
    assert isinstance(failures[0].exc_info[1], BrokenAdapterError)


def test_an_adapter_that_keeps_failing_is_logged_once_not_on_every_frame(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frames = empty_frames(100)  # 10 s of frames, well inside a minute
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        service(frames, FakeAdapter("broken", fail_on_frame=True)).run()
    assert len([r for r in caplog.records if "failed on a frame" in r.getMessage()]) == 1


def test_a_lasting_failure_is_said_at_most_once_a_minute_then_its_end_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = FakeClock()
    frames = empty_frames(2000)  # 200 s, paced on the clock
    broken, other = FakeAdapter("broken", fail_on_frame=True), FakeAdapter("other")

    def mend() -> None:
        broken.fail_on_frame = False

    other.actions_at[150.0] = mend
    svc = Service(
        core=MatController(DEFAULT_LAYOUT),
        source=ListSource(frames, clock=clock),
        adapters=[broken, other],
        clock=clock,
    )
    with caplog.at_level(logging.WARNING, logger="acumat.service"):
        svc.run()
    lines = [(r.getMessage(), r.exc_info is not None) for r in caplog.records]
    assert len(lines) == 4, lines
    first, again, third, mended = lines  # at 0, 60, 120 and 150.1 s
    assert first[0].startswith("adapter FakeAdapter 1 failed on a frame: BrokenAdapterError")
    assert first[1]  # the first one with its traceback
    assert again[0].startswith("adapter FakeAdapter 1 still fails on a frame: 600 more time(s)")
    assert not again[1] and not third[1]  # then one line each, with the latest cause
    assert "broken cannot take frame 120.0" in third[0]
    assert mended[0] == "adapter FakeAdapter 1 works again on a frame after 300 more failure(s)"
    assert broken.deliveries[0].frame.t == 150.1


def test_an_adapter_that_fails_to_close_does_not_keep_the_others_or_the_source_open(
    caplog: pytest.LogCaptureFixture,
) -> None:
    first, second = FakeAdapter("first", fail_on_close=True), FakeAdapter("second")
    svc = service(empty_frames(3), first, second)
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert svc.run() == 0
    assert (first.closed, second.closed, source_of(svc).closed) == (1, 1, 1)
    assert any("failed to close" in r.getMessage() for r in caplog.records)


def test_a_source_that_fails_still_closes_every_adapter_and_itself() -> None:
    a, b = FakeAdapter("a"), FakeAdapter("b")
    lifecycle = RecordingLifecycle()
    svc = Service(
        core=MatController(DEFAULT_LAYOUT),
        source=ListSource(empty_frames(5), fail_with=OSError("HX711 board unplugged")),
        adapters=[a, b],
        lifecycle=lifecycle,
    )
    with pytest.raises(OSError, match="unplugged"):
        svc.run()
    assert (a.closed, b.closed, source_of(svc).closed) == (1, 1, 1)
    assert lifecycle.calls[-1] == "stopping"


def test_an_adapter_whose_command_queue_fails_does_not_stop_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frames = empty_frames(20)
    good = FakeAdapter("good", commands_at={0.5: [SelectProgram("sleep")]})
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert service(frames, FakeAdapter("broken", fail_on_take=True), good).run() == 0
    assert sorted({d.frame.t for d in good.deliveries}) == [f.t for f in frames]
    assert [(cmd, result.ok) for cmd, result in good.replies] == [(SelectProgram("sleep"), True)]
    assert len([r for r in caplog.records if "failed taking commands" in r.getMessage()]) == 1


class FailingJournal:
    """A ``Journal`` on a disk that refuses every write."""

    def __init__(self) -> None:
        self.closed = 0

    def keep(self, t: float, events: Sequence[Event], saved: SavedSession | None) -> None:
        raise OSError(28, "No space left on device")

    def close(self, saved: SavedSession | None) -> None:
        self.closed += 1


def test_a_journal_that_cannot_write_does_not_stop_the_mat(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frames = empty_frames(50)
    a, journal = FakeAdapter("a"), FailingJournal()
    svc = service(frames, a)
    svc.journal = journal
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert svc.run() == 0
    assert len(a.deliveries) == len(frames) and journal.closed == 1
    [line] = caplog.records
    assert "the session journal failed keeping the session" in line.getMessage()
    assert "No space left on device" in line.getMessage()


def test_an_answer_that_cannot_be_sent_neither_stops_the_mat_nor_undoes_the_command(
    caplog: pytest.LogCaptureFixture,
) -> None:
    frames = empty_frames(20)
    sender = FakeAdapter("sender", fail_on_reply=True, commands_at={0.5: [SelectProgram("sleep")]})
    other = FakeAdapter("other")
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert service(frames, sender, other).run() == 0
    assert len([d for d in other.deliveries if d.frame in frames]) == len(frames) + 1
    assert [e.type for e in other.events()] == ["program_selected"]
    assert other.deliveries[-1].state.session.program == "sleep"
    [line] = [r for r in caplog.records if "answering a command" in r.getMessage()]
    assert "sender cannot send the answer" in line.getMessage()


def test_an_adapter_that_fails_to_start_still_lets_the_started_ones_close() -> None:
    started, broken = FakeAdapter("started"), FakeAdapter("broken", fail_on_start=True)
    never = FakeAdapter("never")
    lifecycle = RecordingLifecycle()
    svc = service(empty_frames(3), started, broken, never, lifecycle=lifecycle)
    with pytest.raises(BrokenAdapterError):
        svc.run()
    assert started.closed == 1
    assert broken.closed == 1  # its start may have opened something before it failed
    assert (never.started, never.closed) == (0, 0)
    assert source_of(svc).closed == 1
    assert lifecycle.calls == ["stopping"]


def test_a_supervisor_that_cannot_be_told_does_not_keep_anything_open(
    caplog: pytest.LogCaptureFixture,
) -> None:
    a = FakeAdapter("a")
    svc = service(empty_frames(3), a, lifecycle=RecordingLifecycle(fail_on_stopping=True))
    with caplog.at_level(logging.ERROR, logger="acumat.service"):
        assert svc.run() == 0
    assert (a.closed, source_of(svc).closed) == (1, 1)
    assert any("supervisor" in r.getMessage() for r in caplog.records)


# -- commands -------------------------------------------------------------------------------
def test_commands_are_applied_between_frames_and_answered_through_reply() -> None:
    timeline: Timeline = []
    sender = FakeAdapter("sender", timeline, commands_at={0.3: [Tare(), StopSession()]})
    other = FakeAdapter("other", timeline)
    service(empty_frames(10), sender, other).run()

    assert [(cmd, result.ok) for cmd, result in sender.replies] == [
        (Tare(), True),
        (StopSession(), False),  # no session is running
    ]
    assert all(isinstance(result, CommandResult) for _, result in sender.replies)
    assert sender.replies[1][1].error
    replied = [i for i, entry in enumerate(timeline) if entry[0] == "reply"]
    # after every adapter had the frame that brought the commands, before the next frame
    assert index(timeline, ("frame", "other", 0.3)) < min(replied)
    assert max(replied) < index(timeline, ("frame", "sender", 0.4))


def test_a_commands_events_reach_every_adapter_at_the_frame_it_was_applied() -> None:
    timeline: Timeline = []
    sender = FakeAdapter("sender", timeline, commands_at={0.3: [Tare()]})
    other = FakeAdapter("other", timeline)
    service(empty_frames(10), sender, other).run()
    for adapter in (sender, other):
        tared = [d for d in adapter.deliveries if any(isinstance(e, Tared) for e in d.events)]
        assert len(tared) == 1
        assert tared[0].frame.t == tared[0].events[0].t == 0.3
    assert index(timeline, ("reply", "sender", "tare", True)) < index(
        timeline, ("frame", "other", 0.4)
    )


def test_each_adapter_gets_the_answers_to_its_own_commands() -> None:
    a = FakeAdapter("a", commands_at={0.2: [SelectProgram("sleep")]})
    b = FakeAdapter("b", commands_at={0.2: [StartSession(program="no_such_program")]})
    service(empty_frames(5), a, b).run()
    assert [(cmd, result.ok) for cmd, result in a.replies] == [(SelectProgram("sleep"), True)]
    assert [(cmd, result.ok) for cmd, result in b.replies] == [
        (StartSession(program="no_such_program"), False)
    ]


# -- the same frame, again ------------------------------------------------------------------
def test_a_frame_comes_again_only_with_events_that_came_after_it() -> None:
    """The documented contract (ports.Adapter.on_frame): a command's events and the end of the
    frames' come with the latest frame again; every event reaches an adapter once."""
    frames = tuple(f for f in scenario("relax_session") if f.t <= 1305.0)  # left at 1300.4
    a = FakeAdapter("a", commands_at={600.0: [SelectProgram("sleep")]})
    service(frames, a).run()
    times = [d.frame.t for d in a.deliveries]
    again = [d for i, d in enumerate(a.deliveries) if i and d.frame is a.deliveries[i - 1].frame]
    assert [(d.frame.t, [e.type for e in d.events]) for d in again] == [
        (600.0, ["program_selected"]),
        (frames[-1].t, ["session_ended"]),
    ]
    assert len(times) == len(frames) + 2 and sorted(set(times)) == [f.t for f in frames]
    reference = MatController(DEFAULT_LAYOUT)
    firsts = [d for d in a.deliveries if d not in again]
    assert [d.events for d in firsts] == [tuple(reference.feed(f)) for f in frames]


def test_the_session_recorder_writes_a_frame_that_comes_again_once(tmp_path: Path) -> None:
    frames = scenario("relax_session")
    wall_at = WallAt()
    wall_at.anchor(0.0, 1_800_000_000.0)
    recorder = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, wall_at)
    commander = FakeAdapter("commander", commands_at={300.0: [Tare()], 600.0: [StopSession()]})
    service(frames, commander, recorder).run()
    [recording] = [p for p in tmp_path.glob("*.jsonl") if not p.name.endswith(".events.jsonl")]
    _, recorded = open_frames(recording)
    times = [f.t for f in recorded]
    assert times == sorted(set(times))  # 300.0 and 600.0 came twice, and were written once
    assert 300.0 in times and times[-1] == 600.0 and len(times) > 5000


# -- stopping and the end of the frames -----------------------------------------------------
def test_stop_ends_the_loop_after_the_current_frame() -> None:
    frames = empty_frames(100)
    a, b = FakeAdapter("a"), FakeAdapter("b")
    lifecycle = RecordingLifecycle()
    svc = service(frames, a, b, lifecycle=lifecycle)
    a.actions_at[2.0] = svc.stop  # as the SIGTERM handler does, in the middle of a frame

    assert svc.run() == 0
    for adapter in (a, b):  # b still gets the frame during which stop() came
        assert adapter.deliveries[-1].frame.t == 2.0
        assert len(adapter.deliveries) == 21
        assert adapter.closed == 1
    assert source_of(svc).taken == 21
    assert source_of(svc).closed == 1
    assert lifecycle.calls[-1] == "stopping"


def test_a_stopped_service_leaves_the_running_session_open_for_the_next_start() -> None:
    frames = scenario("relax_session")
    a = FakeAdapter("a")
    svc = service(frames, a)
    a.actions_at[600.0] = svc.stop
    svc.run()
    assert a.deliveries[-1].frame.t == 600.0
    assert not any(isinstance(e, SessionEnded) for e in a.events())
    assert svc.core.snapshot().session.state == "running"


def test_the_end_of_the_frames_settles_the_session_of_someone_who_left() -> None:
    frames = tuple(f for f in scenario("relax_session") if f.t <= 1305.0)  # left at 1300.4
    a = FakeAdapter("a")
    service(frames, a).run()
    ended = [(d.frame.t, e) for d in a.deliveries for e in d.events if isinstance(e, SessionEnded)]
    assert len(ended) == 1
    t, event = ended[0]
    assert t == event.t == frames[-1].t
    assert event.summary.reason == "left_mat"
    assert a.deliveries[-1].state.session.state == "idle"


# -- the supervisor -------------------------------------------------------------------------
def test_the_supervisor_hears_ready_once_after_the_first_frame_then_a_watchdog_per_frame() -> None:
    timeline: Timeline = []
    a = FakeAdapter("a", timeline)
    lifecycle = RecordingLifecycle(timeline)
    service(empty_frames(30), a, lifecycle=lifecycle).run()
    assert lifecycle.calls == ["ready"] + ["watchdog"] * 30 + ["stopping"]
    assert index(timeline, ("frame", "a", 0.0)) < index(timeline, ("ready",))
    assert index(timeline, ("stopping",)) < index(timeline, ("close", "a"))


def test_a_source_without_frames_never_says_ready() -> None:
    a = FakeAdapter("a")
    lifecycle = RecordingLifecycle()
    svc = service([], a, lifecycle=lifecycle)
    assert svc.run() == 0
    assert lifecycle.calls == ["stopping"]
    assert (a.started, a.closed, source_of(svc).closed) == (1, 1, 1)
    assert a.deliveries == []
