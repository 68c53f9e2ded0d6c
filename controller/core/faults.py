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
hardware backend and hands the core ``None`` with ``stuck``, so the core's former
stuck-by-time check (a loaded kg value frozen for 30 s while other zones moved) never fired on
hardware. In kg a frozen value is ambiguous (a thresholded or rounded source may rightly
repeat it), which is why that check needed its load and movement heuristics. The simulator
puts noise on every sample and models a failed board as a dropout (``not_ready``); frame
files written by acumat come from the simulator or from the sampling loop, where a stuck
board was already a ``null`` (replayed as ``no_reading``). A source that reports kg without
counts (a foreign frame file) gets no stuck check: it must judge its own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controller.core.events import SensorFault
from controller.core.settings import FaultSettings
from firmware.faults import NO_READING, OUT_OF_RANGE, FaultReason
from firmware.frame import ZoneFrame

_MEDIAN_OF = 3


@dataclass(slots=True)
class _ZoneHealth:
    name: str
    history: list[float] = field(default_factory=list)  # the last three good raw values
    held_kg: float = 0.0
    bad_since: float | None = None
    bad_reason: FaultReason = NO_READING
    good_since: float | None = None
    fault: FaultReason | None = None
    dead_since: float | None = None  # when its readings stopped, once it is dead


class ZoneConditioner:
    """Turns raw frames into conditioned loads (kg, one per zone) and fault events."""

    def __init__(self, names: tuple[str, ...], settings: FaultSettings) -> None:
        self._zones = [_ZoneHealth(name) for name in names]
        self._s = settings
        self.loads_kg: list[float] = [0.0] * len(names)
        self.ever_valid = False

    @property
    def dead_since(self) -> list[float | None]:
        """Per zone: None while live, else when its readings stopped (it is left out)."""
        return [z.dead_since for z in self._zones]

    @property
    def faults(self) -> dict[str, FaultReason]:
        return {z.name: z.fault for z in self._zones if z.fault is not None}

    def update(self, frame: ZoneFrame) -> list[SensorFault]:
        events: list[SensorFault] = []
        t = frame.t
        for i, zone in enumerate(self._zones):
            raw = frame.load_kg[i]
            if raw is None:
                self._bad(zone, frame.fault(i) or NO_READING, t, events)
            elif not self._s.min_zone_kg <= raw <= self._s.max_zone_kg:
                self._bad(zone, OUT_OF_RANGE, t, events)
            else:
                self._good(zone, raw, t, events)
            self.loads_kg[i] = 0.0 if zone.dead_since is not None else zone.held_kg
        return events

    def _good(self, zone: _ZoneHealth, raw: float, t: float, events: list[SensorFault]) -> None:
        zone.bad_since = None
        hist = zone.history
        hist.append(raw)
        if len(hist) > _MEDIAN_OF:
            del hist[0]
        zone.held_kg = sorted(hist)[len(hist) // 2] if len(hist) == _MEDIAN_OF else raw
        self.ever_valid = True
        if zone.fault is None:
            return
        if zone.good_since is None:
            zone.good_since = t
        if t - zone.good_since >= self._s.recover_s:
            events.append(SensorFault(t=t, zone=zone.name, active=False, fault=zone.fault))
            zone.fault = zone.good_since = zone.dead_since = None

    def _bad(
        self, zone: _ZoneHealth, reason: FaultReason, t: float, events: list[SensorFault]
    ) -> None:
        zone.good_since = None
        if zone.bad_since is None:
            zone.bad_since, zone.bad_reason = t, reason
        if zone.fault is None and t - zone.bad_since >= self._s.missing_s:
            zone.fault = zone.bad_reason
            events.append(SensorFault(t=t, zone=zone.name, active=True, fault=zone.fault))
        if zone.dead_since is None and t - zone.bad_since >= self._s.hold_s:
            # Its old values must not come back through the median when it recovers.
            zone.dead_since, zone.held_kg = zone.bad_since, 0.0
            zone.history.clear()
