"""The outbox's file: created owner-only, and moved aside when SQLite says it is damaged (I/O).

A stand-in until storage's shared helper (``controller/storage/sqlitefile.py``, same names and
behaviour) is on main; then the outbox imports that one and this module goes. "Damaged" means
SQLite refuses the content: not a database (``SQLITE_NOTADB``), malformed (``SQLITE_CORRUPT``),
or ``PRAGMA quick_check`` finds a problem. A file that cannot be opened for another reason
(permissions, a full disk) is left alone: moving it would not help. The damaged file keeps its
content under a timestamped name (``mqtt-outbox-mat1.sqlite.damaged-20261130T080352Z``, with
its ``-wal`` and ``-shm``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

FILE_MODE = 0o600
COMPANIONS = ("-wal", "-shm", "-journal")
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def private_file(path: Path) -> Path:
    """Creates ``path`` empty if missing and leaves it (and its companions) 0600, whatever the
    umask; SQLite gives the ``-wal`` and ``-shm`` it makes later the database's own mode."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    for suffix in COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            companion = path.with_name(path.name + suffix)
            if stat.S_IMODE(companion.stat().st_mode) != FILE_MODE:
                companion.chmod(FILE_MODE)
    return path


def is_damage(exc: BaseException) -> bool:
    """True when SQLite refused a file because of its content (not its place or the disk)."""
    return getattr(exc, "sqlite_errorcode", None) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def damage(path: Path) -> str | None:
    """What is wrong with the database at ``path``, or None (sound, empty or absent)."""
    if not path.exists():
        return None
    db = sqlite3.connect(path)
    try:
        found = [str(r[0]) for r in db.execute("PRAGMA quick_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        return str(exc)
    finally:
        db.close()
    if found == ["ok"]:
        return None
    return found[0].splitlines()[-1] if found else "quick_check said nothing"


def set_aside(path: Path, wall_s: float) -> Path:
    """Renames ``path`` and its companions to ``<name>.damaged-<UTC time>``; returns the new
    name of ``path``."""
    stamp = datetime.fromtimestamp(wall_s, tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while moved.exists():
        n += 1
        moved = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    path.rename(moved)
    for suffix in COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).rename(moved.with_name(moved.name + suffix))
    return moved


def set_aside_if_damaged(path: Path, wall_s: float, log: logging.Logger) -> Path | None:
    """Moves a damaged database at ``path`` aside (one warning); returns where it went."""
    problem = damage(path)
    if problem is None:
        return None
    moved = set_aside(path, wall_s)
    log.warning("%s is damaged (%s): moved aside to %s; a fresh one is made", path, problem, moved)
    return moved
