"""The session recorder: one acumat-frames/1 file per session, named like history's uid."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from controller.core.events import SessionEnded, SessionStarted
from controller.core.factory import build_controller
from controller.core.state import MatState, SessionSnapshot
from controller.core.summary import SessionSummary
from controller.storage.history import History
from controller.storage.history_adapter import HistoryAdapter
from controller.storage.recorder import SessionRecorder, events_path, recordings
from firmware.clock import WallAt
from firmware.frame import ZoneFrame
from firmware.framefile import open_frames
from firmware.layout import DEFAULT_LAYOUT

WALL0 = 1_767_000_000.0


def run_file(path: Path, state_dir: Path, **kw: float) -> tuple[SessionRecorder, History]:
    """The real core over a frame file, with the recorder and the history side by side."""
    header, frames = open_frames(path)
    core = build_controller(header.layout)
    wall_at = WallAt()
    recorder = SessionRecorder(state_dir, "mat1", header.layout, wall_at, **kw)  # type: ignore[arg-type]
    stored = HistoryAdapter(state_dir / "history.sqlite", "mat1", wall_at)
    stored.start()
    recorder.start()
    for frame in frames:
        wall_at.anchor(frame.t, WALL0 + frame.t)
        events = core.feed(frame)
        state = core.snapshot()
        recorder.on_frame(frame, events, state)
        stored.on_frame(frame, events, state)
    # the end of the file closes the session, as the service loop does
    last, state = core.finish(), core.snapshot()
    recorder.on_frame(frame, last, state)
    stored.on_frame(frame, last, state)
    recorder.close()
    stored.close()
    return recorder, History(state_dir / "history.sqlite")


def read_events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in events_path(path).read_text().splitlines()]


def test_one_session_is_one_recording_named_like_its_history_row(
    shift_left_file: Path, tmp_path: Path
) -> None:
    _, history = run_file(shift_left_file, tmp_path)
    (row,) = history.sessions()
    (path,) = recordings(tmp_path)
    assert path.name == f"{row.uid}.jsonl"
    header, frames_iter = open_frames(path)  # a valid acumat-frames/1 file
    frames = list(frames_iter)
    assert header.layout.names == DEFAULT_LAYOUT.names
    assert header.extra["recording"]["uid"] == row.uid
    events = read_events(path)
    types = [e["type"] for e in events]
    assert types.count("session_started") == 1 and types[-1] == "session_ended"
    (started,) = [e for e in events if e["type"] == "session_started"]
    started_t, ended_t = float(started["t"]), float(events[-1]["t"])  # type: ignore[arg-type]
    assert all(float(e["t"]) >= started_t for e in events)  # type: ignore[arg-type]
    assert frames[0].t == started_t and frames[-1].t == ended_t
    # 10 Hz source, nothing dropped: one line per frame of the session
    assert abs(len(frames) - (ended_t - started_t) * 10) <= 2
    line = json.loads(path.read_text().splitlines()[100])
    assert {"imbalance", "cop_y_m", "posture", "bpm"} <= line.keys()


def test_frames_are_decimated_to_the_maximum_rate(shift_left_file: Path, tmp_path: Path) -> None:
    run_file(shift_left_file, tmp_path, max_rate_hz=5.0)
    (path,) = recordings(tmp_path)
    header, frames = open_frames(path)
    assert header.rate_hz == 5.0  # the hint says what was kept (it said 10.0 whatever the rate)
    times = [f.t for f in frames]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.2 - 1e-3
    assert abs(len(times) - (times[-1] - times[0]) * 5) <= 2


def state(t: float, session: int | None, running: bool) -> MatState:
    snap = SessionSnapshot(
        state="running" if running else "idle", program="relax", session=session, elapsed_s=0.0
    )
    names = DEFAULT_LAYOUT.names
    return MatState(
        t=t, posture="lying" if running else "empty", occupied=running, load_kg=60.0,
        zones_kg=dict.fromkeys(names, 10.0), imbalance=0.0, cop_x_m=0.25, cop_y_m=0.6,
        session=snap,
    )  # fmt: skip


def frame(t: float) -> ZoneFrame:
    return ZoneFrame(t=t, load_kg=(10.0,) * len(DEFAULT_LAYOUT.names))


def ended(t: float, number: int, started_t: float) -> SessionEnded:
    summary = SessionSummary(
        session=number, program="relax", duration_s=t - started_t, completed=False,
        reason="left_mat", target_s=None, uneven_s=0.0, mean_imbalance=0.0,
    )  # fmt: skip
    return SessionEnded(t=t, started_t=started_t, summary=summary)


def play_session(rec: SessionRecorder, number: int, t0: float, frames_n: int = 20) -> None:
    start = SessionStarted(t=t0, session=number, program="relax", trigger="lie_down", target_s=None)
    rec.on_frame(frame(t0), [start], state(t0, number, True))
    for i in range(1, frames_n):
        rec.on_frame(frame(t0 + i / 10), [], state(t0 + i / 10, number, True))
    t_end = t0 + frames_n / 10
    rec.on_frame(frame(t_end), [ended(t_end, number, t0)], state(t_end, number, False))


def test_only_the_newest_recordings_are_kept(tmp_path: Path) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    rec = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, wall_at, keep=3)
    rec.start()
    for n in range(1, 6):
        play_session(rec, n, t0=100.0 * n)
    kept = recordings(tmp_path)
    assert [p.name for p in kept] == [f"mat1_{WALL0 + 100.0 * n:.3f}.jsonl" for n in (3, 4, 5)]
    assert all(events_path(p).is_file() for p in kept)
    assert len(list(tmp_path.iterdir())) == 6  # 3 frame files + 3 sidecars


def test_a_session_restored_after_a_restart_continues_its_recording(tmp_path: Path) -> None:
    first = WallAt()
    first.anchor(0.0, WALL0)
    rec = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, first)
    start = SessionStarted(t=10.0, session=7, program="relax", trigger="lie_down", target_s=None)
    rec.on_frame(frame(10.0), [start], state(10.0, 7, True))
    rec.on_frame(frame(10.1), [], state(10.1, 7, True))
    rec.close()  # the service stops mid-session
    # The new process's monotonic clock starts near zero again; 60 s of wall time passed.
    second = WallAt()
    second.anchor(0.5, WALL0 + 70.0)
    rec2 = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, second)
    rec2.on_frame(frame(0.5), [], state(0.5, 7, True))
    end = ended(1.0, 7, started_t=10.0 - 69.5)  # the core moved the start onto the new clock
    rec2.on_frame(frame(1.0), [end], state(1.0, 7, False))
    (path,) = recordings(tmp_path)
    assert path.name == f"mat1_{WALL0 + 10.0:.3f}.jsonl" and ":" not in path.name
    _, frames = open_frames(path)  # times never go backwards across the restart
    assert [round(f.t, 3) for f in frames] == [10.0, 10.1, 70.0, 70.5]
    assert [e["type"] for e in read_events(path)] == ["session_started", "session_ended"]


def test_a_restored_session_that_would_go_back_in_time_is_recorded_afresh(
    tmp_path: Path,
) -> None:
    # A run at --speed saved wall times ahead of the clock: continuing its file would put the
    # new frames before the old ones ("t went backwards" in acumat report).
    first = WallAt()
    first.anchor(0.0, WALL0)
    rec = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, first)
    start = SessionStarted(t=10.0, session=7, program="relax", trigger="lie_down", target_s=None)
    rec.on_frame(frame(10.0), [start], state(10.0, 7, True))
    for i in range(1, 300):
        rec.on_frame(frame(10.0 + i), [], state(10.0 + i, 7, True))
    rec.close()
    second = WallAt()
    second.anchor(0.5, WALL0 + 60.0)  # only 60 s of wall time later, 300 s of frames recorded
    rec2 = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, second)
    for i in range(5):
        rec2.on_frame(frame(0.5 + i), [], state(0.5 + i, 7, True))
    rec2.close()
    for path in recordings(tmp_path):
        _, frames = open_frames(path)
        times = [f.t for f in frames]
        assert times == sorted(times) and len(set(times)) == len(times), path.name
    assert len(recordings(tmp_path)) == 2


def test_nothing_is_recorded_outside_a_session(tmp_path: Path) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    rec = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, wall_at)
    rec.start()
    for i in range(50):
        rec.on_frame(frame(i / 10), [], state(i / 10, None, False))
    rec.close()
    assert recordings(tmp_path) == []
