"""Scoring breathing events against the simulator's breathing spans (pure).

Each lying hold in the truth is a span with the rate going linearly from ``bpm_start`` to
``bpm_end``, or ``null`` where no rate is right (breathing too shallow to see, or swamped by a
slow artefact). An event at ``t`` looked at a window ending at ``t``:

* **clean**: its last ``MIN_SPAN_S`` lie in spans with a rate and its whole window
  (``window_s``) touches no span without one and no movement between lying holds. Its error is
  |estimate − the true mean rate over the lying part of the window|; "no estimate" there is an
  abstention (the cost of caution).
* **not breathing**: at least half the window lies in spans without a rate. A rate is false.
* **shift**: the window holds a movement between two lying holds (a posture shift, a roll). A
  rate more than ``SHIFT_TOLERANCE_BPM`` outside the true rates of the window is false (each
  hold of the simulator restarts its breathing at its starting rate).
* anything else (the window reaches into lying down or another posture) is not judged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from controller.core.events import Breathing, Event

MIN_SPAN_S = 20.0  # the estimator's first window after stillness
SHIFT_TOLERANCE_BPM = 1.0


@dataclass
class BreathingScore:
    errors_bpm: list[float] = field(default_factory=list)
    clean_events: int = 0
    clean_abstained: int = 0
    silent_events: int = 0  # windows with no breathing to see
    silent_abstained: int = 0
    shift_events: int = 0
    false_rates: int = 0


def _overlap(lo: float, hi: float, a: float, b: float) -> float:
    return max(0.0, min(hi, b) - max(lo, a))


def _true_rate(spans: list[dict[str, Any]], lo: float, hi: float) -> float | None:
    weighted = total = 0.0
    for s in spans:
        a, b = float(s["from_t"]), float(s["to_t"])
        part = _overlap(lo, hi, a, b)
        if part <= 0 or s["bpm_start"] is None:
            continue
        mid = (max(lo, a) + min(hi, b)) / 2
        progress = (mid - a) / max(b - a, 1e-9)
        rate = s["bpm_start"] + (s["bpm_end"] - s["bpm_start"]) * progress
        weighted += rate * part
        total += part
    return weighted / total if total > 0 else None


def _rate_range(spans: list[dict[str, Any]], lo: float, hi: float) -> tuple[float, float] | None:
    """The lowest and highest true rate within [lo, hi] (holds restart their breathing)."""
    rates = []
    for s in spans:
        a, b = float(s["from_t"]), float(s["to_t"])
        if _overlap(lo, hi, a, b) <= 0 or s["bpm_start"] is None:
            continue
        for t in (max(lo, a), min(hi, b)):
            progress = (t - a) / max(b - a, 1e-9)
            rates.append(s["bpm_start"] + (s["bpm_end"] - s["bpm_start"]) * progress)
    return (min(rates), max(rates)) if rates else None


def _moves(truth: dict[str, Any]) -> list[tuple[float, float]]:
    """Movements between two lying holds (rolls, posture shifts)."""
    segs = truth.get("segments", [])
    out = []
    for before, seg, after in zip(segs, segs[1:], segs[2:], strict=False):
        lying = before["posture"] == seg["posture"] == after["posture"] == "lying"
        if lying and seg["detail"] == "transition":
            out.append((float(seg["from_t"]), float(seg["to_t"])))
    return out


def score_breathing(truth: dict[str, Any], events: list[Event], window_s: float) -> BreathingScore:
    spans = list(truth.get("breathing_spans", []))
    silent = [(float(s["from_t"]), float(s["to_t"])) for s in spans if s["bpm_start"] is None]
    rated = [(float(s["from_t"]), float(s["to_t"])) for s in spans if s["bpm_start"] is not None]
    moves = _moves(truth)
    result = BreathingScore()
    for e in (e for e in events if isinstance(e, Breathing)):
        lo, hi = e.t - window_s, e.t
        has_rate = e.quality > 0
        silent_s = sum(_overlap(lo, hi, a, b) for a, b in silent)
        if silent_s >= window_s / 2:
            result.silent_events += 1
            result.silent_abstained += not has_rate
            result.false_rates += has_rate
            continue
        truth_bpm = _true_rate(spans, lo, hi)
        if any(_overlap(lo, hi, a, b) > 0 for a, b in moves) and silent_s == 0:
            result.shift_events += 1
            span = _rate_range(spans, lo, hi)
            tol = SHIFT_TOLERANCE_BPM
            if has_rate and (span is None or not span[0] - tol <= e.bpm <= span[1] + tol):
                result.false_rates += 1
            continue
        recent = sum(_overlap(e.t - MIN_SPAN_S, hi, a, b) for a, b in rated)
        if silent_s > 0 or recent < MIN_SPAN_S - 0.5 or truth_bpm is None:
            continue
        result.clean_events += 1
        if has_rate:
            result.errors_bpm.append(abs(e.bpm - truth_bpm))
        else:
            result.clean_abstained += 1
    return result
