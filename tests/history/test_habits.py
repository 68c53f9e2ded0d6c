"""Habit figures: streaks, minutes today and this week across time zones, DST and ISO weeks;
the beginner schedule; hypothesis properties of the streak."""

from __future__ import annotations

from datetime import UTC, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.storage.habits import (
    BEGINNER_MAX_S,
    BEGINNER_START_S,
    beginner_target_s,
    habits,
    habits_payload,
    minutes_today,
    minutes_week,
    streak_days,
)
from tests.history.helpers import row, wall

TOKYO = timezone(timedelta(hours=9))
BERLIN = ZoneInfo("Europe/Berlin")
DAY_S = 86400.0


@pytest.mark.parametrize(
    ("starts", "now", "tz", "streak"),
    [
        ([], "2026-03-10 12:00", UTC, 0),
        (["2026-03-10 08:00"], "2026-03-10 12:00", UTC, 1),  # today, done
        (["2026-03-09 08:00"], "2026-03-10 12:00", UTC, 1),  # yesterday: still standing
        (["2026-03-08 08:00"], "2026-03-10 12:00", UTC, 0),  # a day missed
        (["2026-03-08 21:00", "2026-03-09 07:00", "2026-03-10 06:00"], "2026-03-10 23:59", UTC, 3),
        (["2026-03-08 21:00", "2026-03-09 07:00"], "2026-03-10 23:59", UTC, 2),
        # Two sessions on one day count once.
        (["2026-03-09 07:00", "2026-03-09 20:00"], "2026-03-09 21:00", UTC, 1),
        # 23:30 local in Tokyo is 14:30 UTC the same day: the local day decides.
        (["2026-03-09 23:30", "2026-03-10 00:30"], "2026-03-10 09:00", TOKYO, 2),
        # Across the spring DST change in Berlin (29 March 2026, 23 hours long).
        (["2026-03-28 22:30", "2026-03-29 22:30", "2026-03-30 00:10"], "2026-03-30 08:00",
         BERLIN, 3),
        # A session in the future (a clock set wrong) does not count.
        (["2026-03-12 08:00"], "2026-03-10 12:00", UTC, 0),
    ],
)  # fmt: skip
def test_streak(starts: list[str], now: str, tz: tzinfo, streak: int) -> None:
    rows = [row(wall(s, tz)) for s in starts]
    assert streak_days(rows, wall(now, tz), tz) == streak


def test_incomplete_sessions_do_not_keep_a_streak_but_count_minutes() -> None:
    rows = [
        row(wall("2026-03-09 08:00", UTC)),
        row(wall("2026-03-10 08:00", UTC), 4, completed=False),
    ]
    now = wall("2026-03-10 20:00", UTC)
    assert streak_days(rows, now, UTC) == 1  # yesterday's; today's was stopped early
    assert minutes_today(rows, now, UTC) == 4.0


@pytest.mark.parametrize(
    ("now", "tz", "today", "week"),
    [
        # Monday 9 March 2026 starts ISO week 11; Sunday 8 March closes week 10.
        ("2026-03-08 23:00", UTC, 20.0, 35.0),
        ("2026-03-09 10:00", UTC, 5.0, 5.0),
        ("2026-03-15 23:59", UTC, 0.0, 5.0),
        ("2026-03-16 00:00", UTC, 0.0, 0.0),
    ],
)
def test_minutes_today_and_this_iso_week(now: str, tz: tzinfo, today: float, week: float) -> None:
    rows = [
        row(wall("2026-03-06 09:00", UTC), 15),  # Friday, week 10
        row(wall("2026-03-08 07:00", UTC), 12.5),  # Sunday, week 10
        row(wall("2026-03-08 21:00", UTC), 7.5),
        row(wall("2026-03-09 06:00", UTC), 5),  # Monday, week 11
        row(wall("2026-03-01 09:00", UTC), 60),  # the week before
    ]
    assert minutes_today(rows, wall(now, tz), tz) == today
    assert minutes_week(rows, wall(now, tz), tz) == week


def test_the_week_and_the_day_follow_the_local_zone() -> None:
    # Sunday 23:30 in Tokyo is Sunday 14:30 UTC; Monday 00:30 Tokyo is Sunday 15:30 UTC.
    rows = [row(wall("2026-03-08 23:30", TOKYO), 10), row(wall("2026-03-09 00:30", TOKYO), 20)]
    monday_tokyo = wall("2026-03-09 08:00", TOKYO)
    assert minutes_week(rows, monday_tokyo, TOKYO) == 20.0
    assert minutes_today(rows, monday_tokyo, TOKYO) == 20.0
    assert minutes_week(rows, monday_tokyo, UTC) == 30.0  # still Sunday in UTC


def test_iso_week_one_can_start_in_december() -> None:
    # 29 December 2025 (Monday) is in ISO week 1 of 2026, with 2 January 2026.
    rows = [row(wall("2025-12-29 09:00", UTC), 10), row(wall("2025-12-28 09:00", UTC), 30)]
    assert minutes_week(rows, wall("2026-01-02 09:00", UTC), UTC) == 10.0


@pytest.mark.parametrize(
    ("done", "target_min"),
    [(0, 5), (1, 6), (2, 7), (10, 15), (15, 20), (16, 20), (40, 20)],
)
def test_beginner_target_grows_a_minute_per_completed_session(done: int, target_min: int) -> None:
    rows = [row(i * DAY_S, 5, program="beginner") for i in range(done)]
    # Other programs and unfinished beginner sessions do not move it.
    rows += [row(1e6, 20, program="relax"), row(2e6, 2, program="beginner", completed=False)]
    assert beginner_target_s(rows) == target_min * 60.0


def test_payload_has_the_figures_and_the_last_session() -> None:
    rows = [
        row(wall("2026-03-09 07:00", UTC), 10, bpm=(14.0, 11.0)),
        row(wall("2026-03-08 07:00", UTC)),
    ]
    payload = habits_payload(habits(rows, wall("2026-03-09 20:00", UTC), UTC))
    assert payload["streak_days"] == 2 and payload["sessions_total"] == 2
    assert payload["minutes_today"] == 10.0 and payload["beginner_target_min"] == 5.0
    assert payload["last_session"]["breathing_end_bpm"] == 11.0  # the newest, not the last row
    assert habits_payload(habits([], 0.0, UTC))["last_session"] is None


days = st.lists(st.integers(min_value=0, max_value=60), max_size=40)


@given(days=days, today=st.integers(min_value=0, max_value=60))
def test_streak_is_the_run_of_days_ending_today_or_yesterday(days: list[int], today: int) -> None:
    base = wall("2026-01-01 12:00", UTC)
    rows = [row(base + d * DAY_S) for d in days]
    streak = streak_days(rows, base + today * DAY_S, UTC)
    done = {d for d in days if d <= today}
    end = today if today in done else today - 1
    assert all(end - i in done for i in range(streak))
    assert end - streak not in done
    assert streak <= len(done)


@given(days=days, extra=st.integers(min_value=0, max_value=60))
def test_adding_a_session_never_shortens_a_streak(days: list[int], extra: int) -> None:
    base = wall("2026-01-01 12:00", UTC)
    rows = [row(base + d * DAY_S) for d in days]
    now = base + 60 * DAY_S
    more = [*rows, row(base + extra * DAY_S)]
    assert streak_days(more, now, UTC) >= streak_days(rows, now, UTC)


@given(st.lists(st.booleans(), max_size=30))
def test_beginner_target_is_monotone_and_bounded(completed: list[bool]) -> None:
    rows = [row(i * DAY_S, program="beginner", completed=c) for i, c in enumerate(completed)]
    targets = [beginner_target_s(rows[:n]) for n in range(len(rows) + 1)]
    assert targets == sorted(targets)
    assert all(BEGINNER_START_S <= t <= BEGINNER_MAX_S for t in targets)
