"""A storage failure is said once with its cause, then at most once a minute while it lasts
(I/O: it logs).

One ``Trouble`` per thing that can fail (writing the history, a recording, the journal). The
first failure is logged at once with its real cause (``database or disk is full``, ``[Errno
28] No space left on device``); later ones are counted and summed up in one line a minute;
the first success after a failure says it works again. A full disk at 10 frames a second is
thus a handful of lines, not one per frame. Time comes from the injected clock, so the minute
is a real one (tests pass a ``FakeClock``).
"""

from __future__ import annotations

import logging
import sqlite3

from firmware.clock import Clock

EVERY_S = 60.0


def cause(exc: BaseException) -> str:
    """The failure in a few words: SQLite's message and code, or the OS error and its file."""
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", None)
        return f"{exc} ({name})" if name else str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"[Errno {exc.errno}] {exc.strerror}{where}"
    return f"{type(exc).__name__}: {exc}"


class Trouble:
    def __init__(
        self, log: logging.Logger, what: str, clock: Clock, every_s: float = EVERY_S
    ) -> None:
        self._log = log
        self._what = what
        self._clock = clock
        self._every_s = every_s
        self._said_s: float | None = None
        self._unsaid = 0  # failures since the last line
        self.failures = 0  # since it last worked

    @property
    def failing(self) -> bool:
        return self.failures > 0

    def failed(self, problem: BaseException | str, level: int = logging.ERROR) -> None:
        self.failures += 1
        now_s = self._clock.monotonic()
        if self._said_s is not None and now_s - self._said_s < self._every_s:
            self._unsaid += 1
            return
        text = problem if isinstance(problem, str) else cause(problem)
        more = f" (failed {self._unsaid} more times since the last line)" if self._unsaid else ""
        self._log.log(level, "%s: %s%s", self._what, text, more)
        self._said_s, self._unsaid = now_s, 0

    def ok(self) -> None:
        if self.failures:
            times = "1 failure" if self.failures == 1 else f"{self.failures} failures"
            self._log.info("%s: works again after %s", self._what, times)
        self.failures, self._said_s, self._unsaid = 0, None, 0
