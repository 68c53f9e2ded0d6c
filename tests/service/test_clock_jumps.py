"""The system clock set back or forward while acumat runs, or across a restart mid-session.

A Pi has no clock chip: it boots with the time it saved at shutdown (``fake-hwclock``), and NTP
moves it later, by minutes or days: under a live source the service follows the clock once it
is set (``WallAt.follow``); across a restart the journal keeps the session's own span. Frame
time is monotonic, so a session's own figures never see the jump; what must stay sane is the
wall time history stores: a session that started before it ended, lasting no longer than its
span on the wall, stored once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import SessionEnded, SessionResumed
from controller.service.journal import SessionJournal, load
from controller.service.loop import Service
from controller.storage.history import History, SessionRow
from controller.storage.history_adapter import HistoryAdapter
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from tests.service.fakes import FakeAdapter

LYING = (5.5, 5.5, 16.5, 16.5, 12.5, 12.5)
EMPTY = (0.0,) * 6
WALL0 = 1_800_000_000.0
HOUR_S = 3600.0


def _frames(loads: tuple[float, ...], seconds: float, t0: float) -> list[ZoneFrame]:
    return [
        ZoneFrame(round(t0 + i * 0.1, 3), tuple(kg + 0.01 * ((i * 7) % 5) for kg in loads))
        for i in range(int(seconds * 10))
    ]


class _Frames:
    """A live source on a FakeClock: each frame moves the clock to the frame's time; the wall
    clock is set by ``set_wall[t]`` seconds when the frame at ``t`` is read."""

    def __init__(
        self, batch: list[ZoneFrame], clock: FakeClock, set_wall: dict[float, float] | None = None
    ) -> None:
        self._batch, self._clock, self._set_wall = batch, clock, set_wall or {}

    @property
    def layout(self) -> MatLayout:
        return DEFAULT_LAYOUT

    def frames(self) -> Iterator[ZoneFrame]:
        for frame in self._batch:
            self._clock.advance(frame.t - self._clock.monotonic())
            self._clock.set_wall(self._set_wall.get(frame.t, 0.0))
            yield frame

    def close(self) -> None:
        return None


def _run(
    tmp_path: Path,
    clock: FakeClock,
    batch: list[ZoneFrame],
    set_wall: dict[float, float] | None = None,
    follow: bool = True,
) -> FakeAdapter:
    """One run of the service, as ``acumat run`` wires it: history, journal, one WallAt."""
    wall_at = WallAt()
    core = MatController(DEFAULT_LAYOUT)
    journal = SessionJournal(tmp_path / "session.json", wall_at, clock=clock)

    def first_frame(frame: ZoneFrame) -> None:  # run.py's, but for begin_without_session:
        # these frames put the body on whole at once, which that (rightly) does not call lying
        wall_at.anchor(frame.t, clock.wall())
        saved = load(journal.path, frame.t, clock.wall())
        if saved is not None:
            core.restore_session(saved, frame.t)

    seen = FakeAdapter("seen")
    history = HistoryAdapter(tmp_path / "history.sqlite", "mat", wall_at, clock=clock)
    Service(core=core, source=_Frames(batch, clock, set_wall), adapters=[history, seen],
            journal=journal, on_first_frame=first_frame, clock=clock,
            wall_at=wall_at if follow else None).run()  # fmt: skip
    return seen


@pytest.mark.parametrize("jump_s", [-HOUR_S, HOUR_S])
def test_a_restart_after_the_clock_moved_keeps_one_sane_history_row(
    tmp_path: Path, jump_s: float
) -> None:
    # Lain 300 s, then stopped (SIGTERM: the journal keeps the open session).
    clock = FakeClock(start_s=0.0, wall_start_s=WALL0)
    _run(tmp_path, clock, _frames(EMPTY, 5, 0.0) + _frames(LYING, 300, 5.0))
    assert (tmp_path / "session.json").exists()
    # Back 20 s later on the wall, which the time service then moves by ``jump_s``; the
    # person still lies there for 200 s, then gets up.
    down_s = 20.0
    clock = FakeClock(start_s=0.0, wall_start_s=WALL0 + 305.0 + down_s + jump_s)
    seen = _run(tmp_path, clock, _frames(LYING, 200, 0.0) + _frames(EMPTY, 120, 200.0))
    events = [e for d in seen.deliveries for e in d.events]
    [ended] = [e for e in events if isinstance(e, SessionEnded)]
    history = History(tmp_path / "history.sqlite")
    [row] = history.sessions()
    history.close()
    span_s = row.ended_wall_s - row.started_wall_s
    assert row.started_wall_s < row.ended_wall_s
    # The time lain in both runs, and never more than the wall says passed.
    assert ended.summary.duration_s == pytest.approx(300.0 + 200.0, abs=15.0)
    assert ended.summary.duration_s <= span_s + 1.0
    if jump_s < 0:  # no time away was invented: the session simply went on
        assert [e for e in events if isinstance(e, SessionResumed)]
        assert span_s <= 300.0 + 200.0 + 120.0  # from the first lying frame to the last frame


def _row(tmp_path: Path) -> SessionRow:
    history = History(tmp_path / "history.sqlite")
    [row] = history.sessions()
    history.close()
    return row


DAYS_S = 3 * 24 * HOUR_S


def test_the_clock_set_mid_session_under_a_live_source_is_followed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Booted with the time saved three days ago; NTP sets the clock 100 s into the session.
    clock = FakeClock(start_s=1000.0, wall_start_s=WALL0)
    batch = _frames(LYING, 300, 1000.0) + _frames(EMPTY, 120, 1300.0)
    with caplog.at_level("WARNING", logger="acumat.service"):
        _run(tmp_path, clock, batch, set_wall={1100.0: DAYS_S})
    row = _row(tmp_path)
    # Lying from the first frame (the session starts ~1.6 s in), up at 300 s, ended grace_s on.
    assert row.started_wall_s == pytest.approx(WALL0 + DAYS_S + 1.6, abs=3.0)
    assert row.ended_wall_s == pytest.approx(WALL0 + DAYS_S + 300.0 + 61.6, abs=3.0)
    said = [r.getMessage() for r in caplog.records if "system clock" in r.getMessage()]
    assert said == [
        "the system clock was set +259200.0 s: wall times follow it from frame t=1100.0 on"
    ]


def test_a_replayed_source_keeps_its_own_time_line(tmp_path: Path) -> None:
    clock = FakeClock(start_s=1000.0, wall_start_s=WALL0)
    batch = _frames(LYING, 300, 1000.0) + _frames(EMPTY, 120, 1300.0)
    replayed = [ZoneFrame(f.t - 1000.0, f.load_kg) for f in batch]  # its own t, from 0
    _run(tmp_path, clock, replayed, set_wall={100.0: DAYS_S})
    assert _row(tmp_path).started_wall_s == pytest.approx(WALL0 + 1.6, abs=3.0)
