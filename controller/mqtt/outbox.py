"""The durable event outbox: SQLite in WAL mode, one row per event until the broker acked it.

I/O (one file per mat, ``StatePaths.outbox``), thread-safe behind one lock. ``synchronous=FULL``:
a committed event survives a SIGKILL and a power cut. The file is created 0600 whatever the
umask; one that SQLite says is damaged is moved aside at start (one warning) and a fresh one made.

``seq`` is SQLite's AUTOINCREMENT rowid, so it is monotonic and never reused within the file,
across restarts and after the outbox emptied. A new file starts its ``seq`` at a random block
of 2**32 numbers (``seq_block``; 2**21 blocks keep every ``seq`` below 2**53, exact in
JavaScript): two processes publishing as the same mat, a reinstalled mat or an outbox moved
aside never reuse a ``seq`` their consumers already saw for another event (odds of two
outboxes sharing a block: 1 in 2 million). A file made before this rule keeps its numbering.

The same ``seq`` numbers every event for the web page too (``wire.stamp.EventStamper``): with
MQTT off the service opens the outbox with ``keep=False``, which gives out ``seq`` exactly as
above but keeps no row (each event is inserted and deleted in one transaction), so the page's
numbering goes on across restarts and MQTT, switched on later, goes on from it.

Bound: at most ``max_events`` rows. Beyond it the oldest events that are *not* session records
(``payloads.SESSION_TYPES``) and were not yet handed to the client (``to_send``: those may
still arrive, so dropping them would count an event as lost that was not) are deleted. Each
one is counted in ``dropped`` (persisted in the file), so ``dropped`` is exactly the number of
``seq`` numbers no consumer will ever see. The first overflow is logged at once, then at most
one line a minute with the count. Session records are never dropped: if only they are left,
the outbox grows past the bound (a session record every few minutes is years of outage).
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from controller.storage.files import private_file
from controller.storage.sqlitefile import set_aside_if_damaged
from controller.storage.trouble import Every, and_more
from controller.wire.payloads import SESSION_TYPES
from controller.wire.stamp import EventStamper
from firmware.clock import Clock, WallAt

log = logging.getLogger("acumat.mqtt.outbox")

BLOCK_BITS = 32
BLOCKS = 2**21  # BLOCKS << BLOCK_BITS == 2**53

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    session_record INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


def random_block() -> int:
    """A block other than 0 (block 0 is where outboxes made before blocks count)."""
    return 1 + secrets.randbelow(BLOCKS - 1)


class Outbox:
    def __init__(
        self,
        path: Path,
        max_events: int = 100_000,
        *,
        clock: Clock,
        seq_block: int | None = None,
        keep: bool = True,
    ) -> None:
        """``seq_block``: where a new file starts counting (None: ``random_block()``);
        ``keep=False``: number events only, store none (MQTT is off)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.max_events, self._clock = path, max_events, clock
        self._keep = keep
        self._lock = threading.Lock()
        self._overflow_log = Every()
        self._over_bound_log = Every()
        self._dropped_since_line = 0
        self._sent_upto = 0
        self._db = self._open(path)
        self._start_block(random_block() if seq_block is None else seq_block)
        self._count = self._scalar("SELECT COUNT(*) FROM outbox")
        self._dropped = self._scalar("SELECT value FROM meta WHERE key = 'dropped'")

    def _open(self, path: Path) -> sqlite3.Connection:
        set_aside_if_damaged(path, self._clock.wall(), log)
        private_file(path)
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.executescript(_SCHEMA)
        return db

    def _start_block(self, block: int) -> None:
        if self._scalar("SELECT COUNT(*) FROM sqlite_sequence WHERE name = 'outbox'"):
            return  # the file has counted before: go on from where it is
        if not 0 <= block < BLOCKS:
            raise ValueError(f"seq_block must be in 0..{BLOCKS - 1}")
        if block:
            self._db.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)",
                (block << BLOCK_BITS,),
            )

    def _scalar(self, sql: str, args: tuple[object, ...] = ()) -> int:
        row = self._db.execute(sql, args).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    def add(self, items: Iterable[tuple[str, str]]) -> list[int]:
        """Stores ``(type, body)`` pairs in one transaction; returns their ``seq``."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                seqs = [self._insert(kind, body) for kind, body in items]
                if self._keep:
                    self._count += len(seqs)
                else:  # AUTOINCREMENT remembers the seq; the row goes
                    self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])
                removed = self._enforce_bound() if self._count > self.max_events else 0
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                self._count = self._scalar("SELECT COUNT(*) FROM outbox")
                raise
            self._dropped += removed
            self._say_overflow(removed)
        return seqs

    def _insert(self, kind: str, body: str) -> int:
        cur = self._db.execute(
            "INSERT INTO outbox (type, session_record, body) VALUES (?, ?, ?)",
            (kind, int(kind in SESSION_TYPES), body),
        )
        return int(cur.lastrowid or 0)

    def _enforce_bound(self) -> int:
        cur = self._db.execute(
            "DELETE FROM outbox WHERE seq IN (SELECT seq FROM outbox "
            "WHERE session_record = 0 AND seq > ? ORDER BY seq LIMIT ?)",
            (self._sent_upto, self._count - self.max_events),
        )
        removed = max(cur.rowcount, 0)
        self._count -= removed
        if removed:
            self._db.execute(
                "INSERT INTO meta VALUES ('dropped', ?) "
                "ON CONFLICT(key) DO UPDATE SET value = value + excluded.value",
                (removed,),
            )
        return removed

    def _say_overflow(self, removed: int) -> None:
        """At once, then at most once a minute (the lock is held)."""
        now_s = self._clock.monotonic()
        self._dropped_since_line += removed
        if removed and self._overflow_log.due(now_s) is not None:
            log.warning(
                "outbox full (%d events, the broker is not taking them): dropped the %d oldest "
                "non-session events since the last line, %d in all; session records are kept",
                self.max_events,
                self._dropped_since_line,
                self._dropped,
            )
            self._dropped_since_line = 0
        if self._count > self.max_events:
            held = self._over_bound_log.due(now_s)
            if held is not None:
                log.warning(
                    "outbox holds %d events, over its bound of %d: only session records and "
                    "events already sent are left%s",
                    self._count,
                    self.max_events,
                    and_more(held),
                )

    def pending(self, after_seq: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` ``(seq, body)`` with ``seq > after_seq``, oldest first."""
        with self._lock:
            return self._pending(after_seq, limit)

    def to_send(self, after_seq: int, limit: int) -> list[tuple[int, str]]:
        """``pending``, marked as handed to the client in the same breath: from now on they
        may arrive, so the bound never drops them (read and mark under one lock, or an event
        read here could be dropped before it is marked, and still be published)."""
        with self._lock:
            rows = self._pending(after_seq, limit)
            if rows:
                self._sent_upto = max(self._sent_upto, rows[-1][0])
        return rows

    def _pending(self, after_seq: int, limit: int) -> list[tuple[int, str]]:
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
        """Events the bound deleted before they were sent, ever, in this file."""
        with self._lock:
            return self._dropped

    @property
    def last_seq(self) -> int:
        """The highest ``seq`` given out (0, or the block's start, before the first event)."""
        with self._lock:
            return self._scalar("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'")

    def close(self) -> None:
        with self._lock:
            self._db.close()


def stamper_without_mqtt(path: Path, mat_id: str, wall_at: WallAt, *, clock: Clock) -> EventStamper:
    """The events' numbering when MQTT is off: the outbox at ``path`` keeping no event, closed
    with the stamper (``StatePaths.outbox``: MQTT, switched on later, goes on from its ``seq``)."""
    return EventStamper(Outbox(path, keep=False, clock=clock), mat_id, wall_at, owned=True)
