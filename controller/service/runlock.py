"""One service per state directory: an advisory lock held for the life of ``acumat run`` (not
pure: opens a file and locks it).

Two services on one state directory would both rewrite the session journal, drain one MQTT
outbox twice and, on a Pi, fight over the same GPIO pins. The usual way to get there is a
person who starts ``acumat run --config /etc/acumat/config.toml`` by hand while
``acumat.service`` runs, so the second run is refused with one line that names the first
one's pid. ``flock(2)`` is released by the kernel when the holder exits, however it exits
(SIGKILL, a power cut): a lock file left behind never blocks the next start.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class StateDirBusyError(Exception):
    """Another process holds the state directory's lock."""

    def __init__(self, path: Path, holder_pid: int | None) -> None:
        self.path, self.holder_pid = path, holder_pid
        who = "another acumat" if holder_pid is None else f"another acumat (pid {holder_pid})"
        super().__init__(f"{who} is running on this state directory ({path})")


class RunLock:
    """``acquire`` once at start; the lock lasts until ``release`` or the process ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Takes the lock and writes this process's pid into the file; ``StateDirBusyError`` when
        another process holds it, ``OSError`` when the file cannot be opened."""
        handle = self.path.open("a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _pid_in(handle)
            handle.close()
            raise StateDirBusyError(self.path, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the descriptor drops the flock
            self._file = None


def _pid_in(handle: IO[str]) -> int | None:
    """The holder's pid as it wrote it (None if it has not yet, or the file is not ours)."""
    handle.seek(0)
    text = handle.read(32).strip()
    return int(text) if text.isdigit() else None
