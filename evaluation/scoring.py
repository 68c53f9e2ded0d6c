"""Scoring the controller's events against a scenario's ground truth (pure).

Used by the scenario tests and by the detection report (``benchmarks/detection.py``). The
truth is the simulator's header key ``"truth"`` (docs/simulator.md): when the person settled,
left, was truly uneven, which zones dropped out, how many sessions a correct controller
records, whether lying must never be reported, what the breathing was.

Sessions: each settling is matched with the first start from 5 s before it until the person
left; its latency is start − settling. A start matched to no settling is a false session.
Alerts: a raise inside an uneven span (or up to ``ALERT_GRACE_S`` after it) with the span's
side is true; with the other side it is on the wrong side; outside every span it has no cause.
A required span is found when an alert for its side is active in it (a raise, or one that
carried on from the span before), and its side is wrong when an alert for the other side is
still active ``ALERT_GRACE_S`` into it. Breathing is scored in ``evaluation.breathing_scoring``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from controller.core.events import Event, PostureChanged, SensorFault, SessionStarted, UnevenLoad
from evaluation.breathing_scoring import BreathingScore, score_breathing

EARLY_START_S = 5.0  # a start this long before settling still belongs to it (then it is early)
ALERT_GRACE_S = 12.0  # smoothing + dwell: an alert may come this long after the truth
LIBRARY_LATENCY_S = 5.0  # a library scenario fails when a start comes later than this
POSTURE_LAG_S = 3.0  # reporting a posture takes a debounce: time judged from here on


@dataclass
class Score:
    scenario: str
    sessions: int
    expected_sessions: int
    latencies_s: list[float] = field(default_factory=list)  # start − settled, per session
    false_sessions: int = 0
    missed_sessions: int = 0
    lying_reported: bool = False
    lying_expected: bool = True
    alerts_true: int = 0
    alerts_false: int = 0
    alerts_missed: int = 0
    alerts_wrong_side: int = 0
    faults_detected: int = 0
    faults_missed: int = 0
    # seconds each true posture was held (after POSTURE_LAG_S) and reported as itself
    posture_s: dict[str, float] = field(default_factory=dict)
    posture_right_s: dict[str, float] = field(default_factory=dict)
    breathing: BreathingScore = field(default_factory=BreathingScore)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def reported_share(self, posture: str) -> float | None:
        held = self.posture_s.get(posture, 0.0)
        return self.posture_right_s.get(posture, 0.0) / held if held > 0 else None


def score(truth: dict[str, Any], events: list[Event], window_s: float = 60.0) -> Score:
    result = Score(
        scenario=str(truth.get("scenario", "?")),
        sessions=sum(isinstance(e, SessionStarted) for e in events),
        expected_sessions=int(truth.get("expected_sessions", 0)),
        lying_expected=bool(truth.get("lying_expected", True)),
    )
    _score_sessions(result, truth, events)
    _score_posture(result, truth, events)
    _score_alerts(result, truth, events)
    _score_faults(result, truth, events)
    result.breathing = score_breathing(truth, events, window_s)
    if result.breathing.false_rates:
        result.problems.append(f"{result.breathing.false_rates} breathing rate(s) with no breath")
    return result


def _score_sessions(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    settled = [float(t) for t in truth.get("settled_t", [])]
    left = sorted(float(t) for t in truth.get("left_t", []))
    starts = [e.t for e in events if isinstance(e, SessionStarted)]
    used: set[int] = set()
    for s in settled:
        until = next((x for x in left if x > s), float("inf"))
        match = next(
            (i for i, t in enumerate(starts) if i not in used and s - EARLY_START_S <= t < until),
            None,
        )
        if match is not None:
            used.add(match)
            result.latencies_s.append(starts[match] - s)
    result.false_sessions = len(starts) - len(used)
    result.missed_sessions = max(0, result.expected_sessions - len(used))
    if result.sessions != result.expected_sessions:
        result.problems.append(f"{result.sessions} sessions, expected {result.expected_sessions}")
    if result.false_sessions:
        result.problems.append(f"{result.false_sessions} false session(s)")
    for latency in result.latencies_s:
        if latency < 0:
            result.problems.append(f"session started {-latency:.1f} s before settling")
        elif latency > LIBRARY_LATENCY_S:
            result.problems.append(f"session started {latency:.1f} s after settling")


def reported_postures(events: list[Event]) -> list[tuple[float, str]]:
    """(t, posture) at each change, starting empty at t = −∞."""
    out = [(float("-inf"), "empty")]
    out += [(e.t, e.posture) for e in events if isinstance(e, PostureChanged)]
    return out


def _overlap_right(changes: list[tuple[float, str]], lo: float, hi: float, want: str) -> float:
    right = 0.0
    for (t0, posture), (t1, _) in zip(changes, [*changes[1:], (float("inf"), "")], strict=True):
        if posture == want:
            right += max(0.0, min(hi, t1) - max(lo, t0))
    return right


def _score_posture(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    result.lying_reported = any(
        isinstance(e, PostureChanged) and e.posture == "lying" for e in events
    )
    if result.lying_reported and not result.lying_expected:
        result.problems.append("reported lying where nobody lay")
    changes = reported_postures(events)
    for seg in truth.get("segments", []):
        posture = str(seg["posture"])
        if seg["detail"] == "transition" or posture == "empty":
            continue
        lo, hi = float(seg["from_t"]) + POSTURE_LAG_S, float(seg["to_t"])
        if hi <= lo:
            continue
        result.posture_s[posture] = result.posture_s.get(posture, 0.0) + hi - lo
        right = _overlap_right(changes, lo, hi, posture)
        result.posture_right_s[posture] = result.posture_right_s.get(posture, 0.0) + right


def alert_state(events: list[Event]) -> list[tuple[float, str | None]]:
    """(t, side or None) at each change of the uneven-load alert."""
    out: list[tuple[float, str | None]] = [(float("-inf"), None)]
    for e in events:
        if isinstance(e, UnevenLoad):
            out.append((e.t, e.side if e.active else None))
    return out


def _active_side(state: list[tuple[float, str | None]], t: float) -> str | None:
    side: str | None = None
    for when, now in state:
        if when > t:
            break
        side = now
    return side


def _score_alerts(result: Score, truth: dict[str, Any], events: list[Event]) -> None:
    required = list(truth.get("uneven", []))
    spans = required + list(truth.get("uneven_optional", []))
    state = alert_state(events)
    for e in (e for e in events if isinstance(e, UnevenLoad) and e.active):
        inside = [s for s in spans if float(s["from_t"]) <= e.t <= float(s["to_t"]) + ALERT_GRACE_S]
        if any(s["side"] == e.side for s in inside):
            result.alerts_true += 1
        elif inside:
            result.alerts_wrong_side += 1
            result.problems.append(f"uneven-load alert for {e.side} at {e.t:.0f} s: wrong side")
        else:
            result.alerts_false += 1
            result.problems.append(f"uneven-load alert for {e.side} at {e.t:.0f} s with no cause")
    for spell in required:
        lo, hi = float(spell["from_t"]), float(spell["to_t"]) + ALERT_GRACE_S
        sides = {side for t, side in state if lo <= t <= hi} | {_active_side(state, lo)}
        if spell["side"] not in sides:
            result.alerts_missed += 1
            result.problems.append(f"missed the {spell['side']} uneven load at {lo:.0f} s")
        stale = _active_side(state, min(lo + ALERT_GRACE_S, float(spell["to_t"])))
        if stale is not None and stale != spell["side"]:
            result.alerts_wrong_side += 1
            result.problems.append(f"alert still {stale} in the {spell['side']} load at {lo:.0f} s")


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
