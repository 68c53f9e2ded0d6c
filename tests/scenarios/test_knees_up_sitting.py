"""Sitting knees up after standing still where the feet go, as a lie-down begins, and staying
minutes with weight shifts (hugging the knees, leaning on the hands): it starts no session.

On coarse tiles a knees-up seat across a row border, with its feet two rows on, fits lying
better than sitting by shape alone; before the posture rule that asks a body seen sitting for
the way there, each of these started a session on 2 × 3, 2 × 4 or 3 × 3.
"""

from __future__ import annotations

import pytest

from evaluation.sweep import LAYOUTS, all_cases
from evaluation.sweep_report import run_case

NAMES = (
    "knees_up_sitting/mid_man/seat0.43,dir+1/2x3/s1",
    "knees_up_sitting/p95_man/seat0.43,dir+1/2x3/s1",
    "knees_up_sitting/light_short/seat0.87,dir-1/2x3/s1",
    "knees_up_sitting/mid_man/seat0.90,dir+1/2x4/s1",
    "knees_up_sitting/mid_woman/seat0.90,dir-1/2x4/s1",
    "knees_up_sitting/light_short/seat0.43,dir+1/3x3/s1",
    "knees_up_sitting/p5_woman/seat0.87,dir-1/3x3/s1",
)


@pytest.mark.parametrize("name", NAMES)
def test_sitting_knees_up_for_minutes_starts_nothing(name: str) -> None:
    layout = name.split("/")[3]
    assert layout in LAYOUTS
    case = next(c for c in all_cases((layout,), (1,)) if c.name == name)
    result = run_case(case).score
    assert result.sessions == 0, f"{name}: {'; '.join(result.problems)}"
    assert not result.lying_reported
    assert (result.reported_share("sitting") or 0.0) >= 0.9
