"""The lie-back at frame rates other than the boards' 10 a second: 80 (boards at 80 SPS) and 2
(a slow relay, or a frame file from another tool), on bodies of the detection sweep simulated at
that rate (``evaluation.sweep_report.run_case``) and on the library's ``heavy_tall`` fed every 5th
frame (the same body as at 10).

Each failed before the lie-back measured its pauses in seconds: at 80 frames/s a seat's 0.49 s
pause fell short of the 0.5 s a 10 Hz stretch of five frames stands for (no anchor: lie-down
missed); at 2, a stance's single frame whose shares changed under 3 % was a 0.5 s pause unjudged
by sway (an anchor the sit-down was read as lying back from: false session), and the stand, the
sit-down and the seat ran into one still stretch that bobbed like a stance (no anchor: missed).
"""

from __future__ import annotations

from functools import cache

import pytest

from controller.core.factory import build_controller
from controller.core.settings import CoreSettings
from evaluation.scoring import Score, score
from evaluation.sweep import Case, all_cases
from evaluation.sweep_report import run_case
from firmware.sim.scenarios import build


@cache
def _cases(layout: str) -> dict[str, Case]:
    return {case.name: case for case in all_cases((layout,), (1,))}


def sweep_run(name: str, rate_hz: float) -> Score:
    return run_case(_cases(name.split("/")[3])[name], rate_hz).score


@pytest.mark.parametrize(
    ("name", "rate_hz"),
    [
        # a knees-up seat held ~1 s in the foot-end row, its stillness 0.49 s at 80 frames/s
        ("prone/heavy_upper/head+15cm,axis+12cm/2x3/s1", 80.0),
        # a landed seat whose first pause (0.40 s) was judged on its own at 0.35 s, then too short
        ("supine/p95_man/head+15cm,axis+0cm/3x3/s1", 80.0),
    ],
)
def test_a_lie_down_at_80_frames_a_second_starts_its_session(name: str, rate_hz: float) -> None:
    result = sweep_run(name, rate_hz)
    assert result.sessions == 1 and not result.missed_sessions, result.problems


@pytest.mark.parametrize(
    ("name", "rate_hz"),
    [
        # the stance's frames 0.5 s apart, shares changed 0.05-0.07 yet the motion averages said
        # still at every other one
        ("long_sitting/mid_man/seat0.43,dir+1/2x3/s1", 2.0),
        # a single still stance frame made a 0.5 s anchor, unjudged by sway
        ("long_sitting/p95_man/seat0.48,dir+1/3x3/s1", 2.0),
    ],
)
def test_a_long_sitter_at_2_frames_a_second_starts_no_session(name: str, rate_hz: float) -> None:
    result = sweep_run(name, rate_hz)
    assert result.false_sessions == 0 and not result.lying_reported, result.problems


def test_a_long_sitter_at_80_frames_a_second_starts_no_session() -> None:
    # at 80 frames/s as at 10: the stance's short pauses judged by sway over 0.25 s of samples
    # (four at 10 frames/s), not four samples (0.05 s at 80)
    result = sweep_run("long_sitting/mid_man/seat0.43,dir+1/2x3/s1", 80.0)
    assert result.false_sessions == 0 and not result.lying_reported, result.problems


def test_a_tall_lie_down_fed_2_frames_a_second_starts_its_session() -> None:
    # heavy_tall's stand, sit-down (the feet on the floor beyond the foot end: the total falls
    # 7-9 % a half second) and seat were one still stretch at every 5th frame: no anchor
    run = build("heavy_tall")
    settings = CoreSettings()
    core = build_controller(run.layout, settings)
    events = [e for frame in list(run.frames())[::5] for e in core.feed(frame)] + core.finish()
    result = score(run.truth, events, settings.breathing.window_s)
    assert result.sessions == 1 and not result.missed_sessions, result.problems
