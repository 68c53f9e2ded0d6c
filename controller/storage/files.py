"""Files that hold personal data, and the state directory they live in (I/O, no logging).

History, recordings and the session journal say when and how someone used the mat: they are
created owner-only (files 0600, folders 0700) whatever the process's umask, and an older file
found with wider modes is narrowed. ``free_bytes`` is what the shedding of recordings compares
with ``[storage] min_free_mb``. ``set_aside`` moves a damaged file (with SQLite's companions,
``-wal``, ``-shm``, ``-journal``) to a timestamped name beside it, so it can be looked at
later and a fresh one takes its place. ``unusable`` says, in a few words, why a state
directory cannot be used.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from datetime import UTC, datetime
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
# SQLite's files beside a database; a WAL replayed onto a fresh database would corrupt it.
COMPANIONS = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Makes ``path`` (and missing parents) and leaves it 0700, however it was made before."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def private_fd(path: Path, flags: int) -> int:
    """``os.open`` of a file created 0600 (an existing one is narrowed to 0600).

    ``os.open``'s mode passes through the umask, so the mode is set again on the descriptor:
    a umask of 0277 would otherwise leave a file its own writer cannot reopen."""
    fd = os.open(path, flags | os.O_CREAT | os.O_CLOEXEC, FILE_MODE)
    try:
        if stat.S_IMODE(os.fstat(fd).st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except OSError:
        os.close(fd)
        raise
    return fd


def private_file(path: Path) -> Path:
    """Creates ``path`` empty if missing and leaves it 0600 (SQLite then gives its ``-wal``
    and ``-shm`` files the database's own mode)."""
    os.close(private_fd(path, os.O_RDWR))
    for suffix in COMPANIONS:
        companion = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            if stat.S_IMODE(companion.stat().st_mode) != FILE_MODE:
                companion.chmod(FILE_MODE)
    return path


def free_bytes(path: Path) -> int:
    """Bytes an unprivileged writer may still use on the file system holding ``path``."""
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def aside_name(path: Path, wall_s: float) -> Path:
    """``history.sqlite`` → ``history.sqlite.damaged-20261130T080352Z`` (UTC; a number is
    added when that name is taken)."""
    stamp = datetime.fromtimestamp(wall_s, tz=UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    return candidate


def set_aside(path: Path, wall_s: float) -> Path:
    """Renames ``path`` and its SQLite companions to the timestamped name; returns it."""
    target = aside_name(path, wall_s)
    path.rename(target)
    with contextlib.suppress(OSError):
        target.chmod(FILE_MODE)  # damaged, but still someone's sessions
    for suffix in COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).rename(target.with_name(target.name + suffix))
    return target


def unusable(state_dir: Path) -> str | None:
    """Why ``state_dir`` cannot hold the mat's files (None when it can). It is made (0700)
    when missing; a file is created and removed in it to prove it writable."""
    try:
        if not state_dir.exists():
            state_dir.mkdir(mode=DIR_MODE, parents=True)
    except OSError as exc:
        return f"cannot be made ({_reason(exc)})"
    if not state_dir.is_dir():
        return "is not a directory"
    try:
        fd, probe = tempfile.mkstemp(prefix=".acumat-probe-", dir=state_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        return f"is not writable ({_reason(exc)})"
    return None


def is_full(exc: BaseException) -> bool:
    """True for "no space left" (an ``OSError`` or SQLite's ``SQLITE_FULL``)."""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return getattr(exc, "sqlite_errorcode", None) == _SQLITE_FULL


_SQLITE_FULL = 13


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
