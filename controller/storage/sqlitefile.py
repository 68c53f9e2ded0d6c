"""A SQLite file found damaged is moved aside and replaced by a fresh one (I/O).

Used before a database is opened for writing: the history (controller.storage.history) and the
MQTT outbox. "Damaged" means SQLite says so: not a database (garbage, a header cut short:
``SQLITE_NOTADB``), malformed (``SQLITE_CORRUPT``), or ``PRAGMA quick_check`` finds a problem.
A file that cannot be opened for another reason (permissions, a missing directory, a full
disk) is not damaged and is left alone: moving it would not help. The damaged file keeps its
content under a timestamped name (``history.sqlite.damaged-20261130T080352Z``, with its
``-wal`` and ``-shm``), and one warning says where it went and why.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from controller.storage.files import set_aside

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


def is_damage(exc: BaseException) -> bool:
    """True when SQLite refused a file because of its content (not its place or the disk)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def damage(path: Path) -> str | None:
    """What is wrong with the database at ``path``, or None (sound, empty or absent).

    ``sqlite3.Error`` other than damage (the file cannot be opened at all) is raised."""
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


def set_aside_if_damaged(path: Path, wall_s: float, log: logging.Logger) -> Path | None:
    """Moves a damaged database at ``path`` aside (one warning); returns where it went.

    ``wall_s`` dates the new name. Raises ``sqlite3.Error`` / ``OSError`` when the file cannot
    be opened or moved (the caller reports that as a storage failure)."""
    problem = damage(path)
    if problem is None:
        return None
    moved = set_aside(path, wall_s)
    log.warning("%s is damaged (%s): moved aside to %s; a fresh one is made", path, problem, moved)
    return moved


__all__ = ["damage", "is_damage", "set_aside_if_damaged"]
