"""A finished session, defined once: ``SessionSummary``, and the ``Tally`` it is computed from
(pure).

``session_ended`` carries the summary; the history row, the history table's columns and
their migrations (controller/storage/history.py) and the MQTT history payload derive from its
fields. A running session keeps a ``Tally`` (raw sums, not rounded figures), which the saved
session (the journal) carries across a restart: a mean and a trend can be continued from
their sums, not from their rounded values.

Adding a figure: a field here and its computation in ``Tally.summary``. A field added after
the first release needs a default: the value that sessions stored before it read as.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from controller.core.relaxation import trend_bpm_per_min

EndReason = Literal["left_mat", "command", "max_duration"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionSummary:
    """A finished session's figures (field order = the order of ``session_ended``'s keys)."""

    # 0 in sessions stored before the number was kept (it counts sessions within one run).
    session: int = 0
    program: str
    duration_s: float  # running time, pauses excluded
    completed: bool  # the target was reached, or there was none
    reason: EndReason
    target_s: float | None  # the target the session started with
    uneven_s: float  # seconds with an uneven-load alert
    mean_imbalance: float | None  # mean (R - L) / total while running
    # Relaxation insight (controller/core/relaxation.py): None when there was nothing to measure.
    breathing_start_bpm: float | None = None
    breathing_end_bpm: float | None = None
    breathing_trend_bpm_per_min: float | None = None
    still_fraction: float | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    """What a session measured while it ran. Breathing estimates are dated from the session's
    start, so a restart (a new frame clock) does not move them."""

    uneven_s: float = 0.0
    still_s: float = 0.0
    imbalance_sum: float = 0.0
    imbalance_n: int = 0
    breathing: tuple[tuple[float, float], ...] = ()  # (seconds since the start, bpm)

    def add_frame(self, dt_s: float, uneven: bool, still: bool, imbalance: float | None) -> Tally:
        """One running frame that lasted ``dt_s``."""
        measured = imbalance is not None
        return Tally(
            uneven_s=self.uneven_s + dt_s if uneven else self.uneven_s,
            still_s=self.still_s + dt_s if still else self.still_s,
            imbalance_sum=self.imbalance_sum + (imbalance or 0.0),
            imbalance_n=self.imbalance_n + 1 if measured else self.imbalance_n,
            breathing=self.breathing,
        )

    def running(self) -> RunningTally:
        """A copy to add to frame by frame (a running session's)."""
        return RunningTally(
            self.uneven_s, self.still_s, self.imbalance_sum, self.imbalance_n, list(self.breathing)
        )

    def add_breath(self, since_start_s: float, bpm: float) -> Tally:
        """A real breathing estimate (quality > 0)."""
        return Tally(
            uneven_s=self.uneven_s,
            still_s=self.still_s,
            imbalance_sum=self.imbalance_sum,
            imbalance_n=self.imbalance_n,
            breathing=(*self.breathing, (since_start_s, bpm)),
        )

    def summary(
        self, *, session: int, program: str, duration_s: float, target_s: float | None,
        reason: EndReason,
    ) -> SessionSummary:  # fmt: skip
        """The figures of a session that ran ``duration_s`` (unrounded) and ended for ``reason``."""
        points = self.breathing
        mean = self.imbalance_sum / self.imbalance_n if self.imbalance_n else None
        still = min(1.0, self.still_s / duration_s) if duration_s > 0 else None
        return SessionSummary(
            session=session,
            program=program,
            duration_s=round(duration_s, 3),
            completed=target_s is None or duration_s >= target_s,
            reason=reason,
            target_s=target_s,
            uneven_s=round(self.uneven_s, 3),
            mean_imbalance=_round(mean, 4),
            breathing_start_bpm=_round(points[0][1], 2) if points else None,
            breathing_end_bpm=_round(points[-1][1], 2) if points else None,
            breathing_trend_bpm_per_min=_round(trend_bpm_per_min(points), 3),
            still_fraction=_round(still, 3),
        )


@dataclass(slots=True)
class RunningTally:
    """A running session's ``Tally``, added to in place (no object per frame); the same sums,
    added in the same order, as ``Tally.add_frame`` and ``Tally.add_breath``."""

    uneven_s: float = 0.0
    still_s: float = 0.0
    imbalance_sum: float = 0.0
    imbalance_n: int = 0
    breathing: list[tuple[float, float]] = field(default_factory=list)

    def add_frame(self, dt_s: float, uneven: bool, still: bool, imbalance: float | None) -> None:
        if uneven:
            self.uneven_s += dt_s
        if still:
            self.still_s += dt_s
        self.imbalance_sum += imbalance or 0.0
        if imbalance is not None:
            self.imbalance_n += 1

    def add_breath(self, since_start_s: float, bpm: float) -> None:
        self.breathing.append((since_start_s, bpm))

    def tally(self) -> Tally:
        return Tally(
            self.uneven_s, self.still_s, self.imbalance_sum, self.imbalance_n,
            tuple(self.breathing),
        )  # fmt: skip


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)
