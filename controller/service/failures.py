"""A failure that repeats is said once with its cause, then at most once per interval (I/O: logs;
the timing rule is ``controller.storage.trouble.Every``).

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

from controller.storage.trouble import ONCE_A_MINUTE_S, Every
from firmware.clock import Clock


@dataclass(slots=True)
class _Spell:
    every: Every
    failing: bool = False
    said_ok: bool = False  # the last line said it works again


class FailureLog:
    """Rate-limited error lines per kind of failure: a ``subject`` ("adapter MqttAdapter")
    failing at an ``activity`` ("on a frame")."""

    def __init__(
        self, log: logging.Logger, clock: Clock, interval_s: float = ONCE_A_MINUTE_S
    ) -> None:
        self._log = log
        self._clock = clock
        self._interval_s = interval_s
        self._spells: dict[tuple[str, str], _Spell] = {}

    def failed(self, subject: str, activity: str, exc: BaseException) -> None:
        spell = self._spells.setdefault((subject, activity), _Spell(Every(self._interval_s)))
        now_s = self._clock.monotonic()
        new = not spell.failing
        spell.failing = True
        since_s = spell.every.since_s(now_s)
        held = spell.every.due(now_s)
        if held is None:
            return
        if new:
            self._log.error("%s failed %s: %s", subject, activity, _cause(exc), exc_info=exc)
        else:
            self._log.error(
                "%s still fails %s: %d more time(s) in %.0f s; latest: %s",
                subject, activity, held + 1, since_s, _cause(exc),
            )  # fmt: skip
        spell.said_ok = False

    def ok(self, subject: str, activity: str) -> None:
        spell = self._spells.get((subject, activity))
        if spell is None or not spell.failing:
            return
        spell.failing = False
        now_s = self._clock.monotonic()
        if spell.said_ok and spell.every.quiet(now_s):
            return  # it flaps: the per-interval failure line says enough
        held = spell.every.held
        more = f" after {held} more failure(s)" if held else ""
        self._log.warning("%s works again %s%s", subject, activity, more)
        spell.every.said(now_s)
        spell.said_ok = True


def _cause(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
