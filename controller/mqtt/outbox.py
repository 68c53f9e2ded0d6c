"""The durable event outbox: SQLite in WAL mode, one row per event until the broker acked it.

I/O (one file per mat, ``StatePaths.outbox``: two mats never share ``seq``), thread-safe
behind one lock. ``seq`` is SQLite's AUTOINCREMENT rowid, so it is monotonic per mat and never
reused, across restarts and after the outbox emptied. ``synchronous=FULL``: a committed event
survives a SIGKILL and a power cut.

Bound: at most ``max_events`` rows. Beyond it the oldest events that are *not* session
records are deleted, each deletion counted in ``dropped`` (persisted in the file) and
logged. Session records (``payloads.SESSION_TYPES``) are never dropped: if only they are
left, the outbox grows past the bound (a session record every few minutes is years of
outage) and a warning is logged.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from controller.wire.payloads import SESSION_TYPES

log = logging.getLogger("acumat.mqtt.outbox")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    session_record INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Outbox:
    def __init__(self, path: Path, max_events: int = 100_000) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.max_events = max_events
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)
        self._count = self._scalar("SELECT COUNT(*) FROM outbox")

    def _scalar(self, sql: str, args: tuple[object, ...] = ()) -> int:
        row = self._db.execute(sql, args).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def add(self, items: Iterable[tuple[str, str]]) -> list[int]:
        """Stores ``(type, body)`` pairs in one transaction; returns their ``seq``."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seqs = [self._insert(kind, body) for kind, body in items]
                self._count += len(seqs)
                if self._count > self.max_events:
                    self._enforce_bound()
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._count = self._scalar("SELECT COUNT(*) FROM outbox")
                raise
        return seqs

    def _insert(self, kind: str, body: str) -> int:
        cur = self._db.execute(
            "INSERT INTO outbox (type, session_record, body) VALUES (?, ?, ?)",
            (kind, int(kind in SESSION_TYPES), body),
        )
        return int(cur.lastrowid or 0)

    def _enforce_bound(self) -> None:
        excess = self._count - self.max_events
        cur = self._db.execute(
            "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox WHERE session_record = 0 "
            "ORDER BY seq LIMIT ?)",
            (excess,),
        )
        removed = cur.rowcount
        self._count -= removed
        if removed:
            self._db.execute(
                "INSERT INTO meta VALUES ('dropped', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                (removed,),
            )
            log.warning("outbox full (%d events): dropped the %d oldest", self.max_events, removed)
        if self._count > self.max_events:
            log.warning("outbox holds %d session records, over its bound", self._count)

    def pending(self, after_seq: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` ``(seq, body)`` with ``seq > after_seq``, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                (after_seq, limit),
            ).fetchall()
        return [(int(seq), str(body)) for seq, body in rows]

    def ack(self, seqs: Iterable[int]) -> None:
        """Deletes delivered events (in one transaction: the drain rate depends on it)."""
        keys = [(s,) for s in seqs]
        if not keys:
            return
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            before = self._db.total_changes
            self._db.executemany("DELETE FROM outbox WHERE seq = ?", keys)
            self._count -= self._db.total_changes - before
            self._db.execute("COMMIT")

    def __len__(self) -> int:
        with self._lock:
            return self._count

    @property
    def dropped(self) -> int:
        with self._lock:
            return self._scalar("SELECT value FROM meta WHERE key = 'dropped'")

    @property
    def last_seq(self) -> int:
        """The highest ``seq`` ever given out (0 before the first event)."""
        with self._lock:
            return self._scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")

    def close(self) -> None:
        with self._lock:
            self._db.close()
