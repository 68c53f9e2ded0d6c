"""Gaps in the frames: longer than ``stall_s`` nothing was judged in them, so a running session
pauses at the last frame before the gap, resumes if the person is there after a short one, and
ends (its time counted up to the gap) after one of ``grace_s`` or more.

The field report: a 5-hour gap in the frames mid-session gave ``duration_s`` 18,168 for a
21-minute lie-down.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TypeVar

import pytest

from controller.cli import main
from controller.core.controller import MatController
from controller.core.events import (
    Event,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    SessionStarted,
)
from firmware.frame import ZoneFrame
from firmware.framefile import write_frames
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

E = TypeVar("E", bound=Event)
GAP_AT_S = 600.0  # mid-lie in relax_session (settled ~35 s, left ~1300 s)


@cache
def relax() -> SimRun:
    return build("relax_session")


def with_gap(gap_s: float, at_s: float = GAP_AT_S) -> list[ZoneFrame]:
    """relax_session with no frames for ``gap_s`` from ``at_s`` on (the later frames shifted)."""
    return [
        f if f.t < at_s else ZoneFrame(round(f.t + gap_s, 6), f.load_kg, f.faults)
        for f in relax().frames()
    ]


def run(frames: list[ZoneFrame]) -> tuple[MatController, list[Event]]:
    core = MatController(relax().layout)
    events = [e for f in frames for e in core.feed(f)]
    return core, events + core.finish()


def of_type(events: list[Event], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]


def lying_s() -> float:
    truth = relax().truth
    return float(truth["left_t"][0] - truth["settled_t"][0])


def last_before_gap() -> float:
    return max(f.t for f in relax().frames() if f.t < GAP_AT_S)


def test_a_five_hour_gap_mid_session_is_an_absence_not_session_time() -> None:
    gap_s = 5 * 3600.0
    _, events = run(with_gap(gap_s))
    first, second = of_type(events, SessionEnded)  # the person still lay there after it
    start_1, start_2 = of_type(events, SessionStarted)

    assert first.summary.reason == "left_mat"
    assert first.summary.duration_s == pytest.approx(last_before_gap() - start_1.t, abs=0.01)
    assert first.t == pytest.approx(GAP_AT_S + gap_s)  # said at the first frame after it
    [paused] = [p for p in of_type(events, SessionPaused) if p.reason == "no_frames"]
    assert paused.elapsed_s == first.summary.duration_s
    assert start_2.t >= GAP_AT_S + gap_s
    total = first.summary.duration_s + second.summary.duration_s
    assert total == pytest.approx(lying_s(), abs=15.0)  # not 18,168 s
    assert max(e.summary.duration_s for e in (first, second)) < 1300.0


def test_a_short_gap_pauses_at_the_last_frame_and_resumes_the_same_session() -> None:
    gap_s = 30.0  # shorter than grace_s (60 s)
    _, events = run(with_gap(gap_s))
    [paused] = [p for p in of_type(events, SessionPaused) if p.reason == "no_frames"]
    [resumed] = of_type(events, SessionResumed)
    [started] = of_type(events, SessionStarted)
    [ended] = of_type(events, SessionEnded)
    assert paused.t == resumed.t == pytest.approx(GAP_AT_S + gap_s)
    assert paused.elapsed_s == pytest.approx(last_before_gap() - started.t, abs=0.01)
    assert resumed.away_s == pytest.approx(gap_s + 0.1, abs=0.01)
    assert ended.summary.duration_s == pytest.approx(lying_s(), abs=15.0)  # the gap not in it


@pytest.mark.parametrize("gap_s", [1.0, 4.9])
def test_a_gap_no_longer_than_stall_s_is_session_time(gap_s: float) -> None:
    _, plain = run(list(relax().frames()))
    _, events = run(with_gap(gap_s))
    assert [e.type for e in events] == [e.type for e in plain]
    [ended], [ended_plain] = of_type(events, SessionEnded), of_type(plain, SessionEnded)
    assert ended.summary.duration_s == pytest.approx(ended_plain.summary.duration_s + gap_s)


def test_a_gap_after_the_person_left_ends_the_paused_session_from_when_they_left() -> None:
    left_t = float(relax().truth["left_t"][0])
    _, plain = run(list(relax().frames()))
    _, events = run(with_gap(120.0, at_s=left_t + 10.0))  # grace_s was running when it came
    [ended], [ended_plain] = of_type(events, SessionEnded), of_type(plain, SessionEnded)
    assert ended.summary.duration_s == ended_plain.summary.duration_s
    assert ended.t == pytest.approx(left_t + 10.0 + 120.0, abs=0.2)
    assert [p.reason for p in of_type(events, SessionPaused)] == ["away"]


def test_replay_of_a_file_with_a_gap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gap.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, relax().header(), with_gap(5 * 3600.0))
    assert main(["replay", str(path), "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    durations = [e["duration_s"] for e in events if e["type"] == "session_ended"]
    assert len(durations) == 2 and sum(durations) == pytest.approx(lying_s(), abs=15.0)
    paused = [e for e in events if e["type"] == "session_paused"]
    assert [p["reason"] for p in paused] == ["no_frames", "away"]
