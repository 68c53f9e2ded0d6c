"""Scoring the controller's events against a scenario's ground truth (pure).

Used by the scenario tests and by the detection report (``benchmarks/detection.py``). The
truth is the simulator's header key ``"truth"`` (docs/simulator.md): when the person settled,
left, was truly uneven, which zones dropped out, how many sessions a correct controller
records and whether lying must never be reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from controller.core.events import Event, PostureChanged, SensorFault, SessionStarted, UnevenLoad

MATCH_WINDOW_S = 10.0  # a start more than this from any settling is a false session
ALERT_GRACE_S = 12.0  # smoothing + dwell: an alert may come this long after the truth


@dataclass
class Score:
    scenario: str
    sessions: int
    expected_sessions: int
    latencies_s: list[float] = field(default_factory=list)  # start − settled, per session
    false_sessions: int = 0
    lying_reported: bool = False
    lying_expected: bool = True
    alerts_true: int = 0
    alerts_false: int = 0
    alerts_missed: int = 0
    faults_detected: int = 0
    faults_missed: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def score(truth: dict[str, Any], events: list[Event]) -> Score:
    result = Score(
        scenario=str(truth.get("scenario", "?")),
        sessions=sum(isinstance(e, SessionStarted) for e in events),
        expected_sessions=int(truth.get("expected_sessions", 0)),
        lying_expected=bool(truth.get("lying_expected", True)),
    )
    _score_sessions(result, truth, events)
    _score_posture(result, events)
    _score_alerts(result, truth, events)
    _score_faults(result, truth, events)
    return result


def _score_sessions(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    settled = [float(t) for t in truth.get("settled_t", [])]
    for start in (e for e in events if isinstance(e, SessionStarted)):
        if not settled:
            result.false_sessions += 1
            continue
        nearest = min(settled, key=lambda s: abs(start.t - s))
        delta = start.t - nearest
        if abs(delta) > MATCH_WINDOW_S:
            result.false_sessions += 1
        else:
            result.latencies_s.append(delta)
    if result.sessions != result.expected_sessions:
        result.problems.append(f"{result.sessions} sessions, expected {result.expected_sessions}")
    if result.false_sessions:
        result.problems.append(f"{result.false_sessions} false session(s)")
    for latency in result.latencies_s:
        if latency < 0:
            result.problems.append(f"session started {-latency:.1f} s before settling")
        elif latency > 5.0:
            result.problems.append(f"session started {latency:.1f} s after settling")


def _score_posture(result: Score, events: list[Event]) -> None:
    result.lying_reported = any(
        isinstance(e, PostureChanged) and e.posture == "lying" for e in events
    )
    if result.lying_reported and not result.lying_expected:
        result.problems.append("reported lying where nobody lay")


def _score_alerts(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    raised = [e for e in events if isinstance(e, UnevenLoad) and e.active]
    intervals = truth.get("uneven", [])
    matched: set[int] = set()
    for spell in intervals:
        lo, hi = float(spell["from_t"]), float(spell["to_t"]) + ALERT_GRACE_S
        hits = [i for i, e in enumerate(raised) if lo <= e.t <= hi and e.side == spell["side"]]
        if hits:
            result.alerts_true += 1
            matched.update(hits)
        else:
            result.alerts_missed += 1
            result.problems.append(f"missed the {spell['side']} uneven load at {lo:.0f} s")
    result.alerts_false = len(raised) - len(matched)
    if result.alerts_false:
        result.problems.append(f"{result.alerts_false} uneven-load alert(s) with no cause")


def _score_faults(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    faults = [e for e in events if isinstance(e, SensorFault)]
    for spell in truth.get("faults", []):
        lo, hi = float(spell["from_t"]), float(spell["to_t"])
        raised = any(f.active and f.zone == spell["zone"] and lo <= f.t <= hi for f in faults)
        cleared = any(not f.active and f.zone == spell["zone"] and f.t >= hi for f in faults)
        if raised and cleared:
            result.faults_detected += 1
        else:
            result.faults_missed += 1
            result.problems.append(f"fault on {spell['zone']} at {lo:.0f} s not raised and cleared")
