"""Relaxation insight of one session: how its breathing trend is measured (pure).

The session's ``Tally`` (controller/core/summary.py) keeps every real breathing estimate
(quality > 0) and the seconds spent still while the session runs; at the end its summary gives
the first and the last estimate, this trend and the still fraction. The trend is the
least-squares slope of the estimates against time, in breaths per minute per minute: negative
means breathing slowed, the evidence the issue asks for that the person relaxed. A single
estimate carries ~1 bpm of noise, so the slope over all of them says more than the difference
between the first and the last.
"""

from __future__ import annotations

from collections.abc import Sequence

# Fewer estimates than this, or spread over less time, give no trend: two points 30 s apart
# with ~1 bpm noise each would swing the slope by several bpm/min.
MIN_TREND_POINTS = 3
MIN_TREND_SPAN_S = 60.0


def trend_bpm_per_min(points: Sequence[tuple[float, float]]) -> float | None:
    """Least-squares slope of bpm against time, per minute; None when too few or too close."""
    if len(points) < MIN_TREND_POINTS:
        return None
    ts = [t for t, _ in points]
    if max(ts) - min(ts) < MIN_TREND_SPAN_S:
        return None
    n = len(points)
    mean_t = sum(ts) / n
    mean_b = sum(b for _, b in points) / n
    sxx = sum((t - mean_t) ** 2 for t in ts)
    sxy = sum((t - mean_t) * (b - mean_b) for t, b in points)
    return sxy / sxx * 60.0
