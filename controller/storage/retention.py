"""Which session recordings give way: only the newest ``keep``, and room kept free (I/O).

Recordings are what gives way when space runs short, so the history row and the journal always
fit. ``rotate`` deletes all but the newest ``keep``; ``room`` (asked before each flush of the
recorder, controller.storage.recorder) deletes the oldest finished recordings until
``min_free_bytes`` are free on the file system, and says false (once a minute, a warning) when
none is left to delete; ``shed_oldest`` deletes one for a history row that does not fit. The
recording being written (``current``) is never among the finished ones. Deletions are logged
on the recorder's logger, ``acumat.recorder``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from controller.storage.files import free_bytes
from controller.storage.recordings import delete, recordings
from controller.storage.trouble import Trouble
from firmware.clock import Clock

log = logging.getLogger("acumat.recorder")


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 1e6:.1f} MB" if n_bytes >= 1e6 else f"{n_bytes / 1e3:.1f} kB"


class Retention:
    """The recordings kept in ``folder``: the newest ``keep``, and ``min_free_bytes`` free."""

    def __init__(self, folder: Path, keep: int, min_free_bytes: int, clock: Clock) -> None:
        self.folder = folder
        self._keep = max(1, keep)
        self._min_free_bytes = min_free_bytes
        self._space = Trouble(log, f"recording sessions in {folder}", clock)

    def room(self, current: Path | None) -> bool:
        """Deletes the oldest finished recordings until ``min_free_bytes`` are free; false
        (said once a minute) when even that is not enough."""
        if self._min_free_bytes <= 0:
            return True
        free = free_bytes(self.folder)  # one statvfs a second; the folder is read only if short
        if free >= self._min_free_bytes and not self._space.failing:
            return True
        finished = self._finished(current)
        while free < self._min_free_bytes and finished:
            gone = finished.pop(0)
            delete(gone)
            log.info("deleted the recording %s: %s free, less than the %s to keep free",
                     gone.name, _size(free), _size(self._min_free_bytes))  # fmt: skip
            free = free_bytes(self.folder)
        if free >= self._min_free_bytes:
            self._space.ok()
            return True
        self._space.failed(
            f"stopped: {_size(free)} free on the file system, less than the "
            f"{_size(self._min_free_bytes)} kept free ([storage] min_free_mb)",
            logging.WARNING,
        )
        return False

    def rotate(self, current: Path | None) -> list[Path]:
        """Deletes all but the newest ``keep`` recordings; returns the deleted frame files."""
        old = self._finished(current)
        gone = old[: max(0, len(old) - self._keep + (current is not None))]
        for path in gone:
            delete(path)
        return gone

    def shed_oldest(self, current: Path | None) -> int | None:
        """Deletes the oldest finished recording: the bytes freed (None: there is none)."""
        finished = self._finished(current)
        return delete(finished[0]) if finished else None

    def _finished(self, current: Path | None) -> list[Path]:
        """The recordings, oldest first, but the one being written."""
        return [p for p in recordings(self.folder) if p != current]
