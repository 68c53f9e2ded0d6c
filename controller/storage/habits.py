"""Habit figures from the session history: streak, minutes today and this week, totals, and the
``beginner`` program's growing target (pure: rows, a wall time and a time zone in, numbers out).

A session belongs to the local day (and ISO week) it started on. The streak counts consecutive
local days with at least one *completed* session: today counts once done; until then the streak
still stands on yesterday's (the day is not over). Minutes count every session, completed or
not: time on the mat is practice. ``tz=None`` means the system's local time rules (with their
daylight-saving changes); tests pass a fixed ``tzinfo`` or a ``ZoneInfo``.

Beginner schedule (the source documents: start at 5 min, work up to the typical 10-20): 5 min
until the first completed beginner session, then one minute more per completed beginner session,
up to 20 min (reached after 15).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # history imports this module: the beginner target grows as it stores
    from controller.storage.history import SessionRow

BEGINNER = "beginner"
BEGINNER_START_S = 5 * 60.0
BEGINNER_STEP_S = 60.0
BEGINNER_MAX_S = 20 * 60.0


def local_day(wall_s: float, tz: tzinfo | None) -> date:
    """The calendar day of a wall time (Unix seconds) in ``tz`` (None: the system's rules)."""
    return datetime.fromtimestamp(wall_s, tz).date()


def streak_days(rows: Iterable[SessionRow], now_wall_s: float, tz: tzinfo | None) -> int:
    today = local_day(now_wall_s, tz)
    done = {local_day(r.started_wall_s, tz) for r in rows if r.summary.completed}
    day = today if today in done else today - timedelta(days=1)
    count = 0
    while day in done:
        count += 1
        day -= timedelta(days=1)
    return count


def minutes_today(rows: Iterable[SessionRow], now_wall_s: float, tz: tzinfo | None) -> float:
    today = local_day(now_wall_s, tz)
    return _minutes(r for r in rows if local_day(r.started_wall_s, tz) == today)


def minutes_week(rows: Iterable[SessionRow], now_wall_s: float, tz: tzinfo | None) -> float:
    """Minutes in the ISO week (Monday to Sunday, local time) that ``now`` falls in."""
    week = local_day(now_wall_s, tz).isocalendar()[:2]
    return _minutes(r for r in rows if local_day(r.started_wall_s, tz).isocalendar()[:2] == week)


def _minutes(rows: Iterable[SessionRow]) -> float:
    return round(sum(r.summary.duration_s for r in rows) / 60.0, 1)


def beginner_target_s(rows: Iterable[SessionRow]) -> float:
    """The next ``beginner`` session's target from the completed beginner sessions so far."""
    done = sum(1 for r in rows if r.summary.program == BEGINNER and r.summary.completed)
    return min(BEGINNER_MAX_S, BEGINNER_START_S + BEGINNER_STEP_S * done)


@dataclass(frozen=True, slots=True)
class Habits:
    streak_days: int
    minutes_today: float
    minutes_week: float
    sessions_total: int
    beginner_target_s: float
    last_session: SessionRow | None


def habits(rows: Sequence[SessionRow], now_wall_s: float, tz: tzinfo | None) -> Habits:
    return Habits(
        streak_days=streak_days(rows, now_wall_s, tz),
        minutes_today=minutes_today(rows, now_wall_s, tz),
        minutes_week=minutes_week(rows, now_wall_s, tz),
        sessions_total=len(rows),
        beginner_target_s=beginner_target_s(rows),
        last_session=max(rows, key=lambda r: r.ended_wall_s) if rows else None,
    )


def habits_payload(h: Habits) -> dict[str, Any]:
    """The JSON object of the retained ``acumat/<mat_id>/history`` topic (without the header)."""
    last = h.last_session
    return {
        "streak_days": h.streak_days,
        "minutes_today": h.minutes_today,
        "minutes_week": h.minutes_week,
        "sessions_total": h.sessions_total,
        "beginner_target_min": round(h.beginner_target_s / 60.0, 1),
        "last_session": None if last is None else _last(last),
    }


def _last(r: SessionRow) -> dict[str, Any]:
    """The newest session: its summary's fields, its start and its minutes."""
    return {
        **asdict(r.summary),
        "started_wall_s": round(r.started_wall_s, 3),
        "minutes": round(r.summary.duration_s / 60.0, 1),
    }
