"""The console: what the status line says after stepping off, a line per change into a pipe,
and no line for a breathing non-estimate."""

from __future__ import annotations

import io
from dataclasses import replace

from controller.core.events import Breathing, PostureChanged
from controller.core.state import MatState, SessionSnapshot
from controller.service.console import ConsoleAdapter, format_status
from tests.mqtt.conftest import frame, mat_state


def _stepped_off() -> MatState:
    # What the core reported just after stepping off: posture not yet updated, a residue
    # on the cells, a balance computed from it.
    state = mat_state(5.0, posture="standing", load_kg=0.1)
    return replace(state, occupied=False, imbalance=0.39)


def test_an_empty_mat_reads_empty_with_no_balance() -> None:
    line = format_status(_stepped_off())
    assert "empty" in line and "standing" not in line
    assert "+0.39" not in line and "balance    -" in line


def test_a_load_below_zero_is_shown_as_zero() -> None:
    line = format_status(mat_state(1.0, load_kg=-0.2))
    assert "-0.2" not in line and "0.0 kg" in line


def _running(t: float, elapsed_s: float, state: str = "running") -> MatState:
    base = mat_state(t, posture="lying", load_kg=60.0)
    session = SessionSnapshot(state=state, program="relax", session=3, elapsed_s=elapsed_s)  # type: ignore[arg-type]
    return replace(base, session=session)


def test_into_a_pipe_one_line_per_change_not_per_frame() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out, live=False)
    for n in range(100):  # 10 s of a running session: clocks move, nothing else
        console.on_frame(frame(n / 10), [], _running(n / 10, n / 10))
    console.on_frame(frame(10.0), [], _running(10.0, 9.0, state="paused"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert "running" in lines[0] and "paused" in lines[1]


def test_a_breathing_non_estimate_is_not_printed() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out, live=False)
    events = [Breathing(t=1.0, bpm=0.0, quality=0.0), PostureChanged(t=1.0, posture="lying",
              previous="sitting"), Breathing(t=1.0, bpm=12.5, quality=0.8)]  # fmt: skip
    console.on_frame(frame(1.0), events, mat_state(1.0))
    text = out.getvalue()
    assert "bpm=0 " not in text and "bpm=12.5" in text and "posture" in text


def test_on_a_terminal_the_line_is_redrawn_in_place() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out, live=True)
    for n in range(3):
        console.on_frame(frame(float(n)), [], mat_state(float(n)))
    assert out.getvalue().count("\r\x1b[2K") == 3 and "\n" not in out.getvalue()
