"""The sweep report names every run with a false or missed session, beyond the worst few."""

from __future__ import annotations

from evaluation.scoring import Score
from evaluation.sweep_report import Outcome, figures


def _outcome(case: str, group: str, *, false: int = 0, missed: int = 0) -> Outcome:
    score = Score(case, sessions=false, expected_sessions=missed)
    score.false_sessions, score.missed_sessions = false, missed
    if false or missed:
        score.problems.append("wrong")
    return Outcome(case=case, group=group, kind="k", layout="2x3", score=score)


def test_every_false_and_missed_run_is_named() -> None:
    outcomes = [_outcome(f"lie{i}", "lying", missed=1) for i in range(20)]
    outcomes += [_outcome("sit", "upright", false=1), _outcome("fine", "upright")]
    lines = figures(outcomes, worst=3)
    start = lines.index("runs with false sessions: 1")
    assert lines[start + 1] == "  sit"
    missed = lines.index("runs with missed sessions: 20")
    assert lines[missed + 1 :] == [f"  lie{i}" for i in range(20)]
    assert "  fine" not in lines
