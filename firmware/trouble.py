"""A failure that repeats is said once with its cause, then at most once a minute: the one
rule, used by the sampling loop, storage, MQTT and the service loop (``Every`` is pure; the
rest logs). It lives at the bottom layer so the firmware's sampling loop can keep it too;
``controller.storage.trouble`` hands the same names to the controller's packages.

``Every.due(now_s)`` answers whether a line may be written now and how many were held back
since the last one, so the next line can say "(and 57 more)". Time comes from the caller's
injected clock (``Clock.monotonic()``), so tests step a ``FakeClock`` instead of waiting.

``Trouble``: one per thing that can fail (reading the boards, writing the history, a
recording, the journal). The first failure is logged at once with its real cause
(``database or disk is full``, ``[Errno 28] No space left on device``); later ones are counted
and summed up in one line a minute; the first success after a failure says it works again. A
full disk at 10 frames a second is thus a handful of lines, not one per frame.
"""

from __future__ import annotations

import logging
import math
import sqlite3
from dataclasses import dataclass

from firmware.clock import Clock

ONCE_A_MINUTE_S = 60.0


@dataclass
class Every:
    """The first ``due`` is at once; later ones at most once per ``period_s``."""

    period_s: float = ONCE_A_MINUTE_S
    _last_s: float = -math.inf
    _held: int = 0

    def due(self, now_s: float) -> int | None:
        """None: hold this line back (counted). Else the number held back since the last."""
        if not self.quiet(now_s):
            held = self._held
            self.said(now_s)
            return held
        self._held += 1
        return None

    def quiet(self, now_s: float) -> bool:
        """Within a period of the last line (a clock that went back is never quiet)."""
        return self._last_s <= now_s < self._last_s + self.period_s

    def said(self, now_s: float) -> None:
        """A line was written now, whether or not it was due: the next waits a period."""
        self._last_s, self._held = now_s, 0

    def since_s(self, now_s: float) -> float:
        """Seconds since the last line (0 when none was written)."""
        return now_s - self._last_s if math.isfinite(self._last_s) else 0.0

    @property
    def held(self) -> int:
        """Lines held back since the last one said."""
        return self._held

    def reset(self) -> None:
        """The failure is over: the next one is said at once."""
        self._last_s, self._held = -math.inf, 0


def and_more(held: int) -> str:
    """The tail of a line that stands for ``held`` others: ``""`` or ``" (and 3 more)"``."""
    return f" (and {held} more since the last line)" if held else ""


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
        self, log: logging.Logger, what: str, clock: Clock, every_s: float = ONCE_A_MINUTE_S
    ) -> None:
        self._log = log
        self._what = what
        self._clock = clock
        self._every = Every(every_s)
        self.failures = 0  # since it last worked

    @property
    def failing(self) -> bool:
        return self.failures > 0

    def failed(self, problem: BaseException | str, level: int = logging.ERROR) -> None:
        self.failures += 1
        held = self._every.due(self._clock.monotonic())
        if held is None:
            return
        text = problem if isinstance(problem, str) else cause(problem)
        more = f" (failed {held} more times since the last line)" if held else ""
        self._log.log(level, "%s: %s%s", self._what, text, more)

    def ok(self) -> None:
        if self.failures:
            times = "1 failure" if self.failures == 1 else f"{self.failures} failures"
            self._log.info("%s: works again after %s", self._what, times)
        self.failures = 0
        self._every.reset()
