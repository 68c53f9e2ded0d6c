"""The history as ``acumat history --json`` and the web page's ``/api/history`` give it (I/O:
reads the history database read-only, never creating or migrating it).

One place for the JSON shape, so the command line and the page cannot drift apart: the
sessions (each with its local start time and a key per column) and the habit figures.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from controller.storage.habits import habits, habits_payload
from controller.storage.history import History, SessionRow

SCHEMA_VERSION = 1


def read_rows(path: Path, limit: int | None) -> tuple[list[SessionRow], list[SessionRow]]:
    """(the newest ``limit`` rows, every row); both empty when there is no database yet."""
    if not path.exists():
        return [], []
    history = History(path, read_only=True)
    try:
        every = history.sessions()
    finally:
        history.close()
    if limit is None:
        return every, every
    return (every[-limit:] if limit > 0 else []), every


def local_time(wall_s: float, tz: tzinfo | None) -> datetime:
    """``wall_s`` in ``tz`` (None: the machine's zone), always with its UTC offset, so an
    exported time says which zone it was read in."""
    return datetime.fromtimestamp(wall_s, tz).astimezone(tz)


def session_record(r: SessionRow, tz: tzinfo | None) -> dict[str, Any]:
    """One session: its local start, then a key per column."""
    return {
        "started_local": local_time(r.started_wall_s, tz).isoformat(timespec="seconds"),
        **r.to_dict(),
    }


def history_json(
    rows: list[SessionRow], every: list[SessionRow], now_wall_s: float, tz: tzinfo | None
) -> dict[str, Any]:
    """``rows`` as records; the habit figures from ``every`` row."""
    return {
        "schema_version": SCHEMA_VERSION,
        "sessions": [session_record(r, tz) for r in rows],
        "habits": habits_payload(habits(every, now_wall_s, tz)),
    }
