"""The retained ``acumat/<mat_id>/history`` payload: habit figures from the history database
(I/O: reads the SQLite file read-only; called from the MQTT worker thread, never the service
thread, so a slow disk never delays a frame).

Republished after each ``session_ended``, on every connect and HA birth, and at local midnight
(when "today" and maybe the streak change without a session). The figures are those of
controller.storage.habits; ``last_session`` is the newest row's ``SessionSummary`` (every field,
none listed here) with its start and minutes.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from controller.storage.habits import habits, habits_payload
from controller.storage.history import History
from controller.wire.payloads import SCHEMA_VERSION, dumps
from firmware.clock import iso_utc

log = logging.getLogger("acumat.mqtt")


def history_payload(path: Path, mat_id: str, now_wall_s: float, tz: tzinfo | None) -> str:
    """The JSON text; no database yet (or an unreadable one) gives zero figures."""
    rows = []
    if path.exists():
        try:
            history = History(path, read_only=True)
            try:
                rows = history.sessions()
            finally:
                history.close()
        except sqlite3.DatabaseError as exc:
            log.warning("cannot read the history %s: %s", path, exc)
    head = {"schema_version": SCHEMA_VERSION, "mat": mat_id, "ts": iso_utc(now_wall_s)}
    return dumps({**head, **habits_payload(habits(rows, now_wall_s, tz))})


def next_midnight_wall_s(now_wall_s: float, tz: tzinfo | None) -> float:
    """The wall time of the next local midnight after ``now`` (None: the system's rules)."""
    local = datetime.fromtimestamp(now_wall_s, tz)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), local.tzinfo)
    # A naive local midnight (tz None) is converted by the C library, DST included.
    return midnight.timestamp()
