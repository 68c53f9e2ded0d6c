"""Relaxation insight of one session: breathing at the start and end, its trend, stillness (pure).

The session machine keeps one ``BreathingTrack`` per session and feeds it every real breathing
estimate (quality > 0) while the session runs; at the end ``summary`` gives the figures that go
into ``session_ended`` and the history. The trend is the least-squares slope of the estimates
against time, in breaths per minute per minute: negative means breathing slowed, the evidence
the issue asks for that the person relaxed. A single estimate carries ~1 bpm of noise, so the
slope over all of them says more than the difference between the first and the last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Fewer estimates than this, or spread over less time, give no trend: two points 30 s apart
# with ~1 bpm noise each would swing the slope by several bpm/min.
MIN_TREND_POINTS = 3
MIN_TREND_SPAN_S = 60.0


@dataclass(frozen=True, slots=True)
class RelaxationSummary:
    breathing_start_bpm: float | None
    breathing_end_bpm: float | None
    breathing_trend_bpm_per_min: float | None
    still_fraction: float | None


@dataclass(slots=True)
class BreathingTrack:
    """Real breathing estimates (time, bpm) and seconds spent still, for one session."""

    points: list[tuple[float, float]] = field(default_factory=list)
    still_s: float = 0.0

    def note(self, t: float, bpm: float) -> None:
        self.points.append((t, bpm))

    def summary(self, duration_s: float) -> RelaxationSummary:
        first = self.points[0][1] if self.points else None
        last = self.points[-1][1] if self.points else None
        trend = trend_bpm_per_min(self.points)
        still = min(1.0, self.still_s / duration_s) if duration_s > 0 else None
        return RelaxationSummary(
            breathing_start_bpm=_round(first, 2),
            breathing_end_bpm=_round(last, 2),
            breathing_trend_bpm_per_min=_round(trend, 3),
            still_fraction=_round(still, 3),
        )


def trend_bpm_per_min(points: list[tuple[float, float]]) -> float | None:
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


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
