"""The system clock set back or forward while acumat runs, or across a restart mid-session.

A Pi has no clock chip: it boots with the time it saved at shutdown (``fake-hwclock``), and NTP
moves it later, by minutes or hours. Frame time is monotonic, so a session's own figures never
see the jump; what must stay sane is the wall time history stores: a session that started
before it ended, lasting no longer than its span on the wall, stored once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import SessionEnded, SessionResumed
from controller.service.journal import SessionJournal, load
from controller.service.loop import Service
from controller.storage.history import History
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
    """A live source on a FakeClock: each frame moves the clock to the frame's time."""

    def __init__(self, batch: list[ZoneFrame], clock: FakeClock) -> None:
        self._batch, self._clock = batch, clock

    @property
    def layout(self) -> MatLayout:
        return DEFAULT_LAYOUT

    def frames(self) -> Iterator[ZoneFrame]:
        for frame in self._batch:
            self._clock.advance(frame.t - self._clock.monotonic())
            yield frame

    def close(self) -> None:
        return None


def _run(tmp_path: Path, clock: FakeClock, batch: list[ZoneFrame]) -> FakeAdapter:
    """One run of the service, as ``acumat run`` wires it: history, journal, one WallAt."""
    wall_at = WallAt()
    core = MatController(DEFAULT_LAYOUT)
    journal = SessionJournal(tmp_path / "session.json", wall_at, clock=clock)

    def first_frame(frame: ZoneFrame) -> None:
        wall_at.anchor(frame.t, clock.wall())
        saved = load(journal.path, frame.t, clock.wall())
        if saved is not None:
            core.restore_session(saved, frame.t)

    seen = FakeAdapter("seen")
    history = HistoryAdapter(tmp_path / "history.sqlite", "mat", wall_at, clock=clock)
    Service(core=core, source=_Frames(batch, clock), adapters=[history, seen], journal=journal,
            on_first_frame=first_frame, clock=clock).run()  # fmt: skip
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
