"""A failure that repeats is said once with its cause, then at most once per interval (I/O: logs).

The service loop calls an adapter ten times a second; an adapter that fails on every call
must not write ten tracebacks a second (a log line per frame is a second failure). The first
failure of a kind is logged with its traceback; while it lasts, one line per ``interval_s``
(on the injected clock) says how many more there were and the latest cause; when the call
succeeds again, one line says so and how many failures went unsaid. A call that flaps between
working and failing gets at most one failure line and one recovery line per interval.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from firmware.clock import Clock

INTERVAL_S = 60.0


@dataclass(slots=True)
class _Spell:
    failing: bool = False
    said_s: float | None = None  # when a line about it was last written (clock time)
    unsaid: int = 0  # failures since that line
    said_ok: bool = False  # that line said it works again


class FailureLog:
    """Rate-limited error lines per kind of failure: a ``subject`` ("adapter MqttAdapter")
    failing at an ``activity`` ("on a frame")."""

    def __init__(self, log: logging.Logger, clock: Clock, interval_s: float = INTERVAL_S) -> None:
        self._log = log
        self._clock = clock
        self._interval_s = interval_s
        self._spells: dict[tuple[str, str], _Spell] = {}

    def failed(self, subject: str, activity: str, exc: BaseException) -> None:
        spell = self._spells.setdefault((subject, activity), _Spell())
        now_s = self._clock.monotonic()
        new = not spell.failing
        spell.failing = True
        if spell.said_s is not None and now_s - spell.said_s < self._interval_s:
            spell.unsaid += 1
            return
        if new:
            self._log.error("%s failed %s: %s", subject, activity, _cause(exc), exc_info=exc)
        else:
            self._log.error(
                "%s still fails %s: %d more time(s) in %.0f s; latest: %s",
                subject, activity, spell.unsaid + 1, now_s - (spell.said_s or now_s), _cause(exc),
            )  # fmt: skip
        spell.said_s, spell.unsaid, spell.said_ok = now_s, 0, False

    def ok(self, subject: str, activity: str) -> None:
        spell = self._spells.get((subject, activity))
        if spell is None or not spell.failing:
            return
        spell.failing = False
        now_s = self._clock.monotonic()
        if spell.said_ok and spell.said_s is not None and now_s - spell.said_s < self._interval_s:
            return  # it flaps: the per-interval failure line says enough
        more = f" after {spell.unsaid} more failure(s)" if spell.unsaid else ""
        self._log.warning("%s works again %s%s", subject, activity, more)
        spell.said_s, spell.unsaid, spell.said_ok = now_s, 0, True


def _cause(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
