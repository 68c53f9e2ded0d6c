"""Per-zone signal conditioning over time, and sensor faults (pure).

The judgements that need more than one sample, for every source alike (hardware, simulator,
frame files). Every zone passes a median of three good values, so a single-sample spike
changes nothing (for one frame of delay); the three are kept across a bad sample, so a spike
right after a missed read is caught too. A zone with no reading, or a reading outside
``[min_zone_kg, max_zone_kg]``, is bad; bad for ``missing_s`` (the debounce) it becomes a
``sensor_fault`` event with the reason it first went bad: the source's (``frame.faults``),
``out_of_range``, or ``no_reading`` when the source gave none. For up to ``hold_s`` the zone's
last good value stands in, so a dropout of a few seconds changes nothing. Bad for longer, the
zone is dead: nothing stands in (a held value outlives the person it weighed: a zone that died
under a lying body kept ~17 kg on an empty mat and a phantom session ran to its 4 h limit), it
reads 0 and the controller leaves it out (``controller/core/coverage.py``). Good readings for
``recover_s`` clear the fault (the hysteresis) and bring a dead zone back. Reasons are the
vocabulary of ``firmware/faults.py``.

Stuck boards are not judged here. A stuck board repeats one 24-bit word, and only the
firmware sees words: its check (``stuck_samples`` identical words, 2 s at 10 SPS) covers every
hardware backend and hands the core ``None`` with ``stuck``. A source that reports kg without
words (a frame file) hands the core the frozen kg: ``zone_frozen.py`` judges those, once a
second, where a loaded reading repeated exactly for 30 s while other zones moved, and more than
the rest of the mat carries, is ``stuck``
(a frozen kg value alone is ambiguous: a rounded or clipped source may rightly repeat it).
"""

from __future__ import annotations

from collections.abc import Sequence
from math import nan

from controller.core.events import Event, SensorFault
from controller.core.settings import FaultSettings
from firmware.faults import NO_READING, OUT_OF_RANGE, FaultReason
from firmware.frame import ZoneFrame


def median_of_three(a: float, b: float, c: float) -> float:
    """``sorted((a, b, c))[1]``, ties taken in the same (stable) order, without a list."""
    if a <= b:
        if b <= c:
            return b
        return c if a <= c else a
    if a <= c:
        return a
    return c if b <= c else b


class ZoneConditioner:
    """Turns raw frames into conditioned loads (kg, one per zone) and fault events.

    The zones' state lives in parallel lists (one slot per zone), so a frame in which every
    zone reads well runs one loop of comparisons and allocates nothing."""

    def __init__(self, names: tuple[str, ...], settings: FaultSettings) -> None:
        n = len(names)
        self._names = names
        self._s = settings
        self._lo_kg, self._hi_kg = settings.min_zone_kg, settings.max_zone_kg
        self.loads_kg: list[float] = [0.0] * n
        # The last two good raw values (newest first) and how many are kept (0-2, then 3+); the
        # steady path keeps the frame's own tuple, the zone-by-zone path makes lists of them.
        self._last1: Sequence[float] = [0.0] * n
        self._last2: Sequence[float] = [0.0] * n
        self._kept = [0] * n
        self._held_kg = [0.0] * n
        self._bad_since: list[float | None] = [None] * n
        self._bad_reason: list[FaultReason] = [NO_READING] * n
        self._good_since: list[float | None] = [None] * n
        self._fault: list[FaultReason | None] = [None] * n
        self._dead_since: list[float | None] = [None] * n  # when its readings stopped
        self._calm = [True] * n  # good last frame, no fault
        self._steady = False  # all calm, none dead, two good values kept: the short path
        self.dead_version = 0  # counts the changes of which zones are dead

    @property
    def dead_since(self) -> list[float | None]:
        """Per zone: None while live, else when its readings stopped (it is left out)."""
        return list(self._dead_since)

    @property
    def last_stopped(self) -> float | None:
        """When the dead zone that stopped reading last stopped (None: none is dead)."""
        stopped = [since for since in self._dead_since if since is not None]
        return max(stopped) if stopped else None

    @property
    def bad_since(self) -> list[float | None]:
        """Per zone: None while its reading is its own, else since when it is bad (held or
        none). The conditioner's own list: read, never written."""
        return self._bad_since

    def unsure(self, i: int) -> bool:
        """Zone ``i`` has a bad reading not yet cleared (a value held, or none): not its own."""
        return self._bad_since[i] is not None

    @property
    def dead(self) -> list[bool]:
        return [since is not None for since in self._dead_since]

    @property
    def faults(self) -> dict[str, FaultReason]:
        return {n: f for n, f in zip(self._names, self._fault, strict=True) if f is not None}

    def update(self, frame: ZoneFrame) -> list[SensorFault]:
        events: list[Event] = []
        self.feed(frame, events)
        return [e for e in events if isinstance(e, SensorFault)]

    def feed(self, frame: ZoneFrame, events: list[Event]) -> None:
        """Conditions one frame; fault events are appended to ``events``.

        The steady path: every zone calm with two good values kept (``_steady``), and every
        reading there and in range: the medians are all there is to do, over whole lists (no
        per-zone writes). Else (a reading missing or out of range, nothing changed yet) zone
        by zone."""
        if self._steady:
            values: tuple[float, ...] = frame.load_kg  # type: ignore[assignment]  # None raises
            try:  # a missing reading (None) fails the sum: cheaper than looking for it first
                total = sum(values)
            except TypeError:
                total = nan
            # a NaN would slip past min() and max(): the sum shows it
            nan_kg = total != total  # noqa: PLR0124  # isnan() without the call
            if not (nan_kg or min(values) < self._lo_kg or max(values) > self._hi_kg):
                # the median of three of ``median_of_three``, written out for the list's sake
                held = [
                    (b if b <= c else (c if a <= c else a))
                    if a <= b
                    else (a if a <= c else (c if b <= c else b))
                    for a, b, c in zip(self._last2, self._last1, values)  # noqa: B905  # hot
                ]
                self._last2, self._last1 = self._last1, values
                self._held_kg = self.loads_kg = held  # apart again in ``_any_frame``
                return
        self._any_frame(frame, events)
        self._steady = (
            not any(since is not None for since in self._dead_since)
            and all(self._calm)
            and min(self._kept) >= 2
        )

    def _any_frame(self, frame: ZoneFrame, events: list[Event]) -> None:
        """Zone by zone: bad readings, faults, deaths and recoveries."""
        lo, hi = self._s.min_zone_kg, self._s.max_zone_kg
        last1, last2 = self._last1, self._last2 = list(self._last1), list(self._last2)
        kept, held, calm = self._kept, self._held_kg, self._calm
        out = self.loads_kg
        if out is held:  # a dead zone reads 0 while its held value is kept
            out = self.loads_kg = held[:]
        for i, raw in enumerate(frame.load_kg):
            if raw is None or not lo <= raw <= hi:
                self._bad(i, frame, raw is None, events)
                out[i] = 0.0 if self._dead_since[i] is not None else held[i]
                continue
            k = kept[i]
            if k >= 2:
                held[i] = median_of_three(last2[i], last1[i], raw)
                kept[i] = 3
            else:
                held[i] = raw
                kept[i] = k + 1
            last2[i], last1[i] = last1[i], raw
            if not calm[i]:
                self._good(i, frame.t, events)
            out[i] = held[i] if self._dead_since[i] is None else 0.0

    def _good(self, i: int, t: float, events: list[Event]) -> None:
        fault = self._fault[i]
        if fault is None:
            self._bad_since[i] = None
            self._calm[i] = True
            return
        # A zone at fault keeps its bad time through a good reading: a loose wire's random
        # words land in range now and then, and each used to restart it, so the zone was
        # never left out and its random kg kept the mat occupied. Only ``recover_s`` of good
        # readings in a row (below) clears it.
        good_since = self._good_since[i]
        if good_since is None:
            good_since = self._good_since[i] = t
        if t - good_since >= self._s.recover_s:
            events.append(SensorFault(t=t, zone=self._names[i], active=False, fault=fault))
            self._fault[i] = self._good_since[i] = self._bad_since[i] = None
            if self._dead_since[i] is not None:
                self._dead_since[i] = None
                self.dead_version += 1
            self._calm[i] = True

    def _bad(self, i: int, frame: ZoneFrame, missing: bool, events: list[Event]) -> None:
        t = frame.t
        self._calm[i] = False
        self._good_since[i] = None
        bad_since = self._bad_since[i]
        if bad_since is None:
            reason = (frame.fault(i) or NO_READING) if missing else OUT_OF_RANGE
            bad_since, self._bad_since[i], self._bad_reason[i] = t, t, reason
        if self._fault[i] is None and t - bad_since >= self._s.missing_s:
            fault = self._fault[i] = self._bad_reason[i]
            events.append(SensorFault(t=t, zone=self._names[i], active=True, fault=fault))
        if self._dead_since[i] is None and t - bad_since >= self._s.hold_s:
            # Its old values must not come back through the median when it recovers.
            self._dead_since[i], self._held_kg[i], self._kept[i] = bad_since, 0.0, 0
            self.dead_version += 1
