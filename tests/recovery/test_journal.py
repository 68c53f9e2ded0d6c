"""The journal receives the saved session from the service loop, never the core: written while a
session is open, removed when it ends, saved on a clean stop. The saved session carries the
target the session started with and its tally, so a restored session's summary keeps what was
measured before the restart."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import Event, SessionEnded, SessionStarted
from controller.core.session import Inputs, SavedSession, SessionMachine
from controller.core.settings import ProgramSettings, SessionSettings, default_programs
from controller.core.summary import Tally
from controller.service.journal import SessionJournal, load
from controller.service.loop import Service
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from tests.recovery.test_restore import EMPTY, LYING, frames
from tests.recovery.tinyfs import TinyFs, tiny_fs

WALL0 = 1_800_000_000.0
__all__ = ["tiny_fs"]  # the fixture


class ListSource:
    def __init__(self, batch: list[ZoneFrame]) -> None:
        self._batch = batch

    @property
    def layout(self) -> MatLayout:
        return DEFAULT_LAYOUT

    def frames(self) -> Iterator[ZoneFrame]:
        yield from self._batch

    def close(self) -> None:
        return None


class RecordingJournal:
    """A fake ``Journal``: what the service handed it."""

    def __init__(self) -> None:
        self.kept: list[tuple[float, list[str], SavedSession | None]] = []
        self.closed_with: list[SavedSession | None] = []

    def keep(self, t: float, events: Sequence[Event], saved: SavedSession | None) -> None:
        self.kept.append((t, [e.type for e in events], saved))

    def close(self, saved: SavedSession | None) -> None:
        self.closed_with.append(saved)


def test_the_service_hands_the_journal_the_open_session_and_saves_it_on_a_clean_stop() -> None:
    journal = RecordingJournal()
    core = MatController(DEFAULT_LAYOUT)
    batch = frames(EMPTY, 5) + frames(LYING, 100, t0=5.0)
    Service(core=core, source=ListSource(batch), adapters=[], journal=journal).run()
    # once per frame; the end of the frames settled nothing, so nothing came again
    assert len(journal.kept) == len(batch)
    [start] = [i for i, (_, types, _) in enumerate(journal.kept) if "session_started" in types]
    assert all(saved is None for _, _, saved in journal.kept[:start])
    assert all(saved is not None and saved.number == 1 for _, _, saved in journal.kept[start:])
    [closing] = journal.closed_with  # the person still lies there: the session goes on later
    assert closing is not None and closing.elapsed_s > 80 and closing.target_s == 1200


def _saved(elapsed_s: float = 120.0) -> SavedSession:
    tally = Tally(uneven_s=12.5, still_s=100.0, imbalance_sum=3.0, imbalance_n=30,
                  breathing=((20.0, 15.0), (80.0, 14.0)))  # fmt: skip
    return SavedSession(number=3, program="beginner", trigger="lie_down", started_t=1000.0,
                        elapsed_s=elapsed_s, last_seen_t=1000.0 + elapsed_s, target_s=360.0,
                        target_reached=False, warned=False, tally=tally)  # fmt: skip


def _journal(tmp_path: Path) -> SessionJournal:
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    return SessionJournal(tmp_path / "session.json", wall_at, every_s=5.0)


def test_the_journal_file_gives_back_the_session_with_its_target_and_tally(tmp_path: Path) -> None:
    journal = _journal(tmp_path)
    started = SessionStarted(t=1120.0, session=3, program="beginner", trigger="lie_down",
                             target_s=360.0)  # fmt: skip
    journal.keep(1120.0, [started], _saved())
    # Back up 30 s after that save, on a new frame clock starting at 50 s.
    loaded = load(journal.path, first_t=50.0, now_wall_s=WALL0 + 1120.0 + 30.0)
    assert loaded is not None
    assert loaded.tally == _saved().tally and loaded.target_s == 360.0
    assert loaded.last_seen_t == pytest.approx(50.0 - 30.0)
    assert loaded.started_t == pytest.approx(50.0 - 30.0 - 120.0)
    assert replace(loaded, started_t=1000.0, last_seen_t=1120.0) == _saved()


def test_the_journal_writes_on_session_events_and_every_few_seconds_then_goes(
    tmp_path: Path,
) -> None:
    journal = _journal(tmp_path)

    def elapsed_on_disk() -> float:
        return float(json.loads(journal.path.read_text())["elapsed_s"])

    journal.keep(0.0, [], None)
    assert not journal.path.exists()  # no session, nothing to keep
    journal.keep(1120.0, [], _saved(120.0))
    journal.keep(1121.0, [], _saved(121.0))  # less than every_s later: not rewritten
    assert elapsed_on_disk() == 120.0
    journal.keep(1125.0, [], _saved(125.0))
    assert elapsed_on_disk() == 125.0
    summary = _saved().tally.summary(
        session=3, program="beginner", duration_s=126.0, target_s=360.0, reason="command"
    )
    ended = SessionEnded(t=1126.0, started_t=1000.0, summary=summary)
    journal.keep(1126.0, [ended], None)
    assert not journal.path.exists()
    journal.close(_saved(130.0))  # a clean stop with a session open saves it
    assert elapsed_on_disk() == 130.0


@pytest.mark.parametrize(
    "damage",
    [
        {"version": 1},  # written before the target and the tally were kept
        {"tally": {"uneven_s": 1.0}},
        {"tally": {"uneven_s": 0, "still_s": 0, "imbalance_sum": 0, "breathing": [["x", 1]]}},
        {"tally": [1, 2]},
        {"target_s": "20 min"},
        # Wrongly typed fields that reached the core before (a traceback, exit 1):
        {"number": "three"},
        {"number": 3.5},
        {"elapsed_s": "120"},
        {"elapsed_s": True},
        {"trigger": "sneeze"},
        {"program": 7},
        {"started_wall_s": "yesterday"},
        {"last_seen_wall_s": None},
        {
            "tally": {
                "uneven_s": 0,
                "still_s": 0,
                "imbalance_sum": 0,
                "imbalance_n": 0,
                "breathing": [[1.0, 2.0, 3.0]],
            }
        },
    ],
)
def test_a_journal_it_cannot_read_is_ignored_with_a_warning_and_moved_aside(
    tmp_path: Path, damage: dict[str, object], caplog: pytest.LogCaptureFixture
) -> None:
    journal = _journal(tmp_path)
    journal.close(_saved())
    data = json.loads(journal.path.read_text())
    journal.path.write_text(json.dumps({**data, **damage}))
    with caplog.at_level(logging.WARNING, logger="acumat.journal"):
        assert load(journal.path, first_t=0.0, now_wall_s=WALL0 + 2000.0) is None
    [warning] = [r.getMessage() for r in caplog.records]
    assert warning.startswith(f"ignoring a damaged {journal.path} (")
    [aside] = tmp_path.glob("session.json.damaged-*")
    assert f"moved aside to {aside}" in warning and not journal.path.exists()


@pytest.mark.parametrize(
    "text",
    [
        b"",
        b"{",
        b"[]",
        b"\xff\xfe not utf-8",
        b'{"version": 2, "elapsed_s": NaN}',
        b'{"version": 2, "started_wall_s": 1e400}',
        b"{" * 100_000,
    ],
)
def test_a_journal_that_is_not_one_is_ignored_with_a_warning(
    tmp_path: Path, text: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "session.json"
    path.write_bytes(text)
    with caplog.at_level(logging.WARNING, logger="acumat.journal"):
        assert load(path, first_t=0.0, now_wall_s=WALL0) is None
    assert len(caplog.records) == 1 and "ignoring a damaged" in caplog.text


def test_a_directory_where_the_journal_should_be_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "session.json").mkdir()
    with caplog.at_level(logging.WARNING, logger="acumat.journal"):
        assert load(tmp_path / "session.json", first_t=0.0, now_wall_s=WALL0) is None
    assert "Is a directory" in caplog.text


def test_on_a_full_disk_the_journal_keeps_its_last_file_and_says_so_once(
    tiny_fs: TinyFs, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock()
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    journal = SessionJournal(tiny_fs.root / "session.json", wall_at, every_s=5.0, clock=clock)
    journal.keep(1120.0, [], _saved(120.0))
    tiny_fs.fill(leave_bytes=0)
    with caplog.at_level(logging.INFO, logger="acumat.journal"):
        for i in range(1, 301):  # 30 s of frames
            journal.keep(1120.0 + i / 10, [], _saved(120.0 + i / 10))
            clock.advance(0.1)
        assert json.loads(journal.path.read_text())["elapsed_s"] == 120.0  # the last good one
        assert sorted(p.name for p in tiny_fs.root.iterdir()) == ["ballast", "session.json"]
        tiny_fs.empty()
        journal.keep(1155.0, [], _saved(155.0))
    assert json.loads(journal.path.read_text())["elapsed_s"] == 155.0
    assert [(r.levelname, r.getMessage().split(": ")[-1]) for r in caplog.records] == [
        ("ERROR", "[Errno 28] No space left on device"),
        ("INFO", "works again after 6 failures"),  # tried every 5 s, not every frame
    ]


def _inputs(t: float, uneven: bool = False, still: bool = False, imbalance: float = 0.3) -> Inputs:
    return Inputs(t=t, occupied=True, left_at=None, ready_lie=True, ready_stand=False,
                  uneven=uneven, imbalance=imbalance, still=still)  # fmt: skip


def _first_half(machine: SessionMachine) -> None:
    """Ten minutes: uneven for 100 s, still throughout, breathing slowing 0.5 bpm a minute."""
    for t in range(601):
        machine.on_frame(_inputs(float(t), uneven=t < 100, still=True, imbalance=0.1))
        if t and t % 60 == 0:
            machine.note_breathing(float(t), 16.0 - 0.5 * t / 60)


def _second_half(machine: SessionMachine) -> SessionEnded:
    """Ten more minutes, not still, breathing slowing on; then stopped."""
    for t in range(601, 1201):
        machine.on_frame(_inputs(float(t)))
        if t % 60 == 0:
            machine.note_breathing(float(t), 16.0 - 0.5 * t / 60)
    _, [ended] = machine.stop(1200.0)
    assert isinstance(ended, SessionEnded)
    return ended


def test_a_restored_session_keeps_its_target_and_the_figures_measured_before() -> None:
    settings = SessionSettings(grace_s=1000.0)
    before = SessionMachine(settings)
    _first_half(before)
    saved = before.save(600.0, last_seen_t=600.0)
    assert saved is not None
    # The restarted process has another relax target (a changed config): the session keeps its.
    programs: dict[str, ProgramSettings] = {
        **default_programs(),
        "relax": replace(default_programs()["relax"], target_s=900.0),
    }
    after = SessionMachine(replace(settings, programs=programs))
    after.restore(saved, 600.0)
    restored = _second_half(after).summary
    whole = SessionMachine(settings)  # the same session with no restart
    _first_half(whole)
    uninterrupted = _second_half(whole).summary
    # The restart loses only the frame that resumed it: one second of the session.
    assert (uninterrupted.duration_s, restored.duration_s) == (1200.0, 1199.0)
    assert restored.target_s == 1200.0 and not restored.completed  # 1199 s of 1200
    assert restored.breathing_start_bpm == uninterrupted.breathing_start_bpm == 15.5
    assert restored.breathing_end_bpm == uninterrupted.breathing_end_bpm == 6.0
    assert restored.breathing_trend_bpm_per_min == uninterrupted.breathing_trend_bpm_per_min
    assert uninterrupted.breathing_trend_bpm_per_min == pytest.approx(-0.5)
    assert restored.uneven_s == uninterrupted.uneven_s == 99.0  # t = 1 … 99
    assert restored.still_fraction == round(600 / 1199, 3)  # still for the first 600 s
    assert restored.mean_imbalance == pytest.approx(uninterrupted.mean_imbalance, abs=1e-3)
    assert uninterrupted.mean_imbalance == pytest.approx(0.2, abs=1e-3)


def test_a_saved_target_the_program_no_longer_allows_gives_way_to_the_programs() -> None:
    machine = SessionMachine(SessionSettings(program="cellulite"))  # max_s 30 min
    saved = replace(_saved(), program="cellulite", target_s=45 * 60.0)  # saved under other rules
    machine.restore(saved, 1120.0)
    assert machine.snapshot(1120.0).target_s == 30 * 60.0
    assert machine.snapshot(1120.0).session == saved.number
