"""Building history rows for the tests: a session at a given local time (pure)."""

from __future__ import annotations

from datetime import datetime, tzinfo

from controller.core.summary import SessionSummary
from controller.storage.history import SessionRow


def wall(local: str, tz: tzinfo) -> float:
    """Unix seconds of a local time written ``YYYY-MM-DD HH:MM`` in ``tz``."""
    return datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=tz).timestamp()


def row(
    start_wall_s: float,
    minutes: float = 10.0,
    *,
    completed: bool = True,
    program: str = "relax",
    bpm: tuple[float, float] | None = None,
) -> SessionRow:
    duration_s = minutes * 60.0
    return SessionRow(
        uid=f"mat1:{start_wall_s:.3f}",
        mat_id="mat1",
        started_wall_s=start_wall_s,
        ended_wall_s=start_wall_s + duration_s,
        summary=SessionSummary(
            session=1,
            program=program,
            duration_s=duration_s,
            completed=completed,
            reason="left_mat" if completed else "command",
            target_s=600.0,
            uneven_s=12.0,
            mean_imbalance=0.05,
            breathing_start_bpm=None if bpm is None else bpm[0],
            breathing_end_bpm=None if bpm is None else bpm[1],
            breathing_trend_bpm_per_min=None if bpm is None else (bpm[1] - bpm[0]) / minutes,
            still_fraction=None if bpm is None else 0.9,
        ),
    )
