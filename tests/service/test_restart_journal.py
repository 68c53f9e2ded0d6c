"""The service restarted under a body, with the session journal on disk deciding what lies there.

Two runs of the real service loop share a state directory: the first lies down (the simulator's
``relax_session``) and stops cleanly with the session open, so its journal file stays; the
second starts 20 s later, finds the body already there, restores the session from the file as
``acumat run`` does, and must carry it on: resumed once, lying, no pause or end while the person
lies. With no journal file (no session was open), a long-sitter across a row border found there
starts nothing. Time is a ``FakeClock`` paced by the frames; nothing sleeps.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import (
    Event,
    PostureChanged,
    SessionEnded,
    SessionResumed,
    SessionStarted,
)
from controller.service.journal import SessionJournal
from controller.service.loop import Service
from controller.service.paths import StatePaths
from controller.service.resume import settle_first_frame
from controller.storage.history import History
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from tests.core.test_restart import cut
from tests.history.helpers import row
from tests.service.fakes import FakeAdapter, ListSource

DOWN_S = 20.0  # the service is away this long between the runs (RestartSec and a start)
MAT_ID = "mat1"


@dataclass
class Run:
    events: list[Event]
    restored: bool


def run_service(frames: list[ZoneFrame], paths: StatePaths, clock: FakeClock) -> Run:
    """One run of the service over ``frames`` (a new process: new core, new frame clock), its
    state in ``paths``; the first frame settles the last run's session as ``acumat run`` does
    (``controller.service.resume``)."""
    source = ListSource(frames, clock=clock)
    source.clock_offset_s = clock.monotonic() - frames[0].t  # the clock runs on from here
    core = MatController(source.layout)
    wall_at = WallAt()
    restored: list[bool] = []

    def first_frame(frame: ZoneFrame) -> None:
        wall_at.anchor(frame.t, clock.wall())
        restored.append(settle_first_frame(core, paths, MAT_ID, frame.t, clock.wall()))

    adapter = FakeAdapter("console")
    journal = SessionJournal(paths.journal, wall_at, clock=clock)
    service = Service(core=core, source=source, adapters=[adapter], journal=journal,
                      on_first_frame=first_frame, clock=clock, wait_s=0.01)  # fmt: skip
    assert service.run() == 0
    return Run(adapter.events(), restored == [True])


def of_session(events: list[Event]) -> list[str]:
    return [e.type for e in events if e.type.startswith("session_")]


def postures(events: list[Event]) -> list[str]:
    return [e.posture for e in events if isinstance(e, PostureChanged)]


def test_a_restart_under_the_lying_body_resumes_its_session_from_the_journal_file(
    tmp_path: Path,
) -> None:
    paths, clock = StatePaths(tmp_path), FakeClock(wall_start_s=1_767_225_600.0)
    path = paths.journal
    first = run_service(cut("relax_session", 0.0, 600.0, t0=0.0), paths, clock)
    assert of_session(first.events) == ["session_started"] and not first.restored
    [started] = [e for e in first.events if isinstance(e, SessionStarted)]
    assert path.exists()  # a clean stop saved the open session

    clock.advance(DOWN_S)  # systemd starts it again; frame time starts afresh
    second = run_service(cut("relax_session", 600.0 + DOWN_S, t0=3.0), paths, clock)
    assert second.restored
    said = of_session(second.events)
    # resumed once at once, then only the end: paused when they got up, ended at the file's end
    assert said == ["session_resumed", "session_target_reached", "session_paused", "session_ended"]
    assert postures(second.events)[0] == "lying"  # no sitting first: the body lay there
    [resumed] = [e for e in second.events if isinstance(e, SessionResumed)]
    assert resumed.t - 3.0 < 1.0 and resumed.session == started.session
    [ended] = [e for e in second.events if isinstance(e, SessionEnded)]
    assert ended.summary.session == started.session and ended.summary.reason == "left_mat"
    # lain from 31.5 s to ~1,299 s of the story, less the 20 s the service was away
    lain_s = 1299.1 - started.t - DOWN_S
    assert ended.summary.duration_s == pytest.approx(lain_s, abs=2.0)
    assert not path.exists()  # the session ended: its journal file went with it


def test_a_restart_under_a_long_sitter_with_no_journal_file_starts_no_session(
    tmp_path: Path,
) -> None:
    paths, clock = StatePaths(tmp_path), FakeClock()
    path = paths.journal
    for at in (35.0, 140.0):  # sitting with the legs stretched across the first row border
        run = run_service(cut("long_sitting_border", at, t0=0.0), paths, clock)
        assert not run.restored
        assert of_session(run.events) == []
        assert postures(run.events)[0] == "sitting" and "lying" not in postures(run.events)
        assert not path.exists()


def test_a_session_stored_before_a_kill_is_not_resumed_from_the_journal_left_behind(
    tmp_path: Path,
) -> None:
    # Killed after the history stored the ended session and before its journal was removed:
    # the next run must not resume it (it would end it again, and tell MQTT twice).
    paths, clock = StatePaths(tmp_path), FakeClock(wall_start_s=1_767_225_600.0)
    first = run_service(cut("relax_session", 0.0, 600.0, t0=0.0), paths, clock)
    [started] = [e for e in first.events if isinstance(e, SessionStarted)]
    assert paths.journal.exists()
    stored = row(1_767_225_600.0 + started.t)
    history = History(paths.history)
    history.add(replace(stored, summary=replace(stored.summary, session=started.session)))
    history.close()

    clock.advance(DOWN_S)  # the person had left before the kill: the mat is empty
    second = run_service(cut("relax_session", 1_301.0, t0=3.0), paths, clock)
    assert not second.restored
    assert of_session(second.events) == []  # no session_resumed, no second session_ended
    assert not paths.journal.exists()


def test_a_journal_ahead_of_the_history_is_resumed(tmp_path: Path) -> None:
    # The history holds an earlier session only: the journal's is still open, and resumed.
    paths, clock = StatePaths(tmp_path), FakeClock(wall_start_s=1_767_225_600.0)
    first = run_service(cut("relax_session", 0.0, 600.0, t0=0.0), paths, clock)
    [started] = [e for e in first.events if isinstance(e, SessionStarted)]
    earlier = row(1_767_225_600.0 - 86_400.0)
    history = History(paths.history)
    history.add(replace(earlier, summary=replace(earlier.summary, session=started.session - 1)))
    history.close()

    clock.advance(DOWN_S)
    second = run_service(cut("relax_session", 600.0 + DOWN_S, t0=3.0), paths, clock)
    assert second.restored
    assert of_session(second.events)[0] == "session_resumed"
