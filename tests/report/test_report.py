"""acumat report: traces from recordings and plain frame files, and the pictures drawn."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from pathlib import Path

import pytest
from matplotlib.image import imread
from matplotlib.text import Text

from controller.cli import main
from controller.service.paths import StatePaths
from controller.storage.recorder import SessionRecorder, recordings
from controller.views.report import SessionNotFoundError, SessionTrace, find_session, load_trace
from controller.views.report_plot import PANEL_TITLES, ReportError, figure, render, style
from firmware.clock import WallAt
from firmware.framefile import parse_header
from firmware.layout import DEFAULT_LAYOUT
from tests.report.test_recorder import play_session, run_file


def test_a_plain_frame_file_is_replayed_into_a_trace(shift_left_file: Path) -> None:
    trace = load_trace(shift_left_file)
    labels = [label for _, label in trace.marks]
    assert labels[0] == "started (relax)" and labels[-1] == "ended (left the mat)"
    assert len(trace.zones_kg) == 6 and all(len(z) == len(trace.t_s) for z in trace.zones_kg)
    # the scenario leans left for 4 minutes: one uneven spell, inside the session, >= 3 min
    (spell,) = trace.uneven
    assert trace.marks[0][0] < spell[0] < spell[1] < trace.marks[-1][0]
    assert spell[1] - spell[0] > 180
    inside = [i for i, t in zip(trace.imbalance, trace.t_s, strict=True) if spell[0] < t < spell[1]]
    assert all(i is not None and i < -0.2 for i in inside[100:-100])
    assert len(trace.breathing) > 10
    assert all(5 < bpm < 20 for _, bpm in trace.breathing)


def test_svg_has_the_panels_thresholds_and_event_labels(
    shift_left_file: Path, tmp_path: Path
) -> None:
    out = render(load_trace(shift_left_file), tmp_path / "s.svg")
    svg = out.read_text()
    texts = (*PANEL_TITLES, "started (relax)", "ended (left the mat)", "+0.20 right heavier")
    for text in (*texts, "Relax session · 9 min 13 s of 20 min, ended early: left the mat"):
        assert text.replace("&", "&amp;") in svg, text
    assert 50_000 < out.stat().st_size < 800_000
    assert len(re.findall(r"<path ", svg)) > 20


def test_png_is_a_real_picture(shift_left_file: Path, tmp_path: Path) -> None:
    out = render(load_trace(shift_left_file), tmp_path / "s.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = imread(out)
    assert pixels.shape[0] > 800 and pixels.shape[1] > 1000
    assert 30_000 < out.stat().st_size < 1_000_000
    assert pixels.std() > 0.05  # not a blank page


def test_a_recording_reports_its_own_frames_and_events(
    shift_left_file: Path, tmp_path: Path
) -> None:
    run_file(shift_left_file, tmp_path)
    path = find_session("last", tmp_path)
    trace = load_trace(path)
    assert trace.source == f"recording {path.stem}"
    started = parse_header(path.read_text().splitlines()[0]).extra["recording"]["started_wall_s"]
    when = datetime.fromtimestamp(started).astimezone()
    assert trace.title == (
        f"Relax session · {when:%a %d %b %Y, %H:%M} {when.tzname()}"
        " · 9 min 13 s of 20 min, ended early: left the mat"
    )
    assert trace.t_s[0] == 0.0  # the recording starts at the session's start
    assert trace.marks[0] == (0.0, "started (relax)")
    assert trace.marks[-1][1] == "ended (left the mat)"
    assert trace.uneven and trace.breathing


def test_sessions_are_found_by_last_uid_or_path(tmp_path: Path) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, 1000.0)
    rec = SessionRecorder(tmp_path, "mat1", DEFAULT_LAYOUT, wall_at)
    for n in (1, 2):
        play_session(rec, n, t0=100.0 * n)
    first, second = recordings(tmp_path)
    assert find_session("last", tmp_path) == second
    assert find_session("mat1_1100.000", tmp_path) == first
    old = tmp_path / "mat1:900.000.jsonl"  # named before uids lost their ':'
    old.write_text(first.read_text())
    assert find_session("mat1:900.000", tmp_path) == old
    assert find_session(str(first), tmp_path / "elsewhere") == first
    with pytest.raises(SessionNotFoundError):
        find_session("mat1_5.000", tmp_path)
    with pytest.raises(SessionNotFoundError):
        find_session("last", tmp_path / "empty")


def test_cli_writes_the_picture_and_refuses_bad_input(
    shift_left_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.svg"
    assert main(["report", str(shift_left_file), "--out", str(out)]) == 0
    assert out.stat().st_size > 50_000
    assert "-> " in capsys.readouterr().out
    assert main(["report", str(shift_left_file), "--out", str(tmp_path / "r.pdf")]) == 2
    assert ".png or .svg" in capsys.readouterr().err
    assert main(["report", "last", "--state-dir", str(tmp_path / "none")]) == 2
    assert "no recordings" in capsys.readouterr().err
    # A simulated run's recordings are kept apart: --simulated reads them.
    wall_at = WallAt()
    wall_at.anchor(0.0, 1000.0)
    state = tmp_path / "state"
    folder = StatePaths.for_source(state, simulated=True).recordings
    play_session(SessionRecorder(folder, "mat1", DEFAULT_LAYOUT, wall_at), 1, t0=100.0)
    assert main(["report", "last", "--state-dir", str(state)]) == 2
    capsys.readouterr()
    sim_out = tmp_path / "sim.svg"
    argv = ["report", "last", "--simulated", "--state-dir", str(state), "--out", str(sim_out)]
    assert main(argv) == 0 and sim_out.is_file()


def test_bad_suffix_is_refused_before_drawing(shift_left_file: Path, tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        render(load_trace(shift_left_file), tmp_path / "x.jpg")


def _trace(*events: dict[str, object]) -> SessionTrace:
    trace = SessionTrace(source="replay of x.jsonl", layout=DEFAULT_LAYOUT)
    for t, event in enumerate(events):
        trace.add_event(float(t), event)
    return trace


STARTED = {"type": "session_started", "program": "energy", "target_s": 600}


def _ended(duration_s: float, completed: bool, reason: str) -> dict[str, object]:
    return {"type": "session_ended", "program": "energy", "duration_s": duration_s,
            "completed": completed, "reason": reason, "target_s": 600}  # fmt: skip


def test_the_title_says_what_the_session_was() -> None:
    assert _trace(STARTED, _ended(605.2, True, "left_mat")).title == (
        "Energy session · 10 min of 10 min, completed"
    )
    assert _trace(STARTED, _ended(59.6, False, "command")).title == (
        "Energy session · 1 min of 10 min, ended early: stopped by a command"
    )
    assert _trace(STARTED, _ended(1500.0, True, "max_duration")).title == (
        "Energy session · 25 min of 10 min, completed"
    )
    assert _trace(STARTED).title == (
        "Energy session · unfinished: the recording stops before the session ended"
    )
    assert _trace().title == "No session"
    two = _trace(STARTED, _ended(125, False, "left_mat"), STARTED, _ended(30, False, "left_mat"))
    assert two.title == (
        "2 sessions · energy 2 min 5 s of 10 min, ended early: left the mat"
        " · energy 30 s of 10 min, ended early: left the mat"
    )


def test_no_two_labels_of_the_picture_overlap(shift_left_file: Path, tmp_path: Path) -> None:
    run_file(shift_left_file, tmp_path)
    trace = load_trace(find_session("last", tmp_path))
    # crowd the end: a pause, a resume, a target and a warning within seconds of the end
    end_t = trace.marks[-1][0]
    for dt, label in ((-20, "paused"), (-15, "resumed"), (-10, "target 20 min"), (-5, "warning")):
        trace.marks.append((end_t + dt, label))
    with style():
        fig = figure(trace)
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    labels = [label for _, label in trace.marks]
    named = [(text, box) for text, box in boxes if text.strip() in labels or text in PANEL_TITLES
             or "heavier" in text or text.startswith("Relax session")]  # fmt: skip
    assert len(named) >= len(labels) + len(PANEL_TITLES) + 3
    for (a, box_a), (b, box_b) in itertools.combinations(named, 2):
        assert not box_a.overlaps(box_b), (a, b)
