"""Per-zone signal conditioning and sensor faults (pure).

Every zone passes a median of three (a single-sample spike changes nothing, for one frame of
delay). A zone with no reading, a reading out of range, a source-reported fault (saturated,
not ready) or a stuck value (real cells always show some noise) becomes a ``sensor_fault``
event after ``missing_s``; while it lasts the zone's last good value stands in, so the rest
of the mat keeps working and a running session is not ended by one bad board. Good readings
for ``recover_s`` clear the fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controller.core.events import SensorFault
from controller.core.settings import FaultSettings
from firmware.frame import ZoneFrame

_STUCK_EPS_KG = 1e-9
_STUCK_MIN_KG = 0.05  # an unloaded zone reading exactly 0 is not stuck (thresholded sources)


@dataclass(slots=True)
class _ZoneHealth:
    name: str
    history: list[float] = field(default_factory=list)  # last three good raw values
    held_kg: float = 0.0
    bad_since: float | None = None
    bad_reason: str = "no_reading"
    good_since: float | None = None
    fault: str | None = None
    same_since: float | None = None
    last_raw: float | None = None


class ZoneConditioner:
    """Turns raw frames into conditioned loads (kg, one per zone) and fault events."""

    def __init__(self, names: tuple[str, ...], settings: FaultSettings) -> None:
        self._zones = [_ZoneHealth(name) for name in names]
        self._s = settings
        self.loads_kg: list[float] = [0.0] * len(names)
        self.ever_valid = False

    @property
    def faults(self) -> dict[str, str]:
        return {z.name: z.fault for z in self._zones if z.fault is not None}

    def update(self, frame: ZoneFrame, others_moving: bool) -> list[SensorFault]:
        events: list[SensorFault] = []
        t = frame.t
        for i, zone in enumerate(self._zones):
            raw = frame.load_kg[i]
            reason = self._bad_reason(zone, raw, frame.fault(i), t, others_moving)
            if reason is None and raw is not None:
                self._good(zone, raw, t, events)
            else:
                self._bad(zone, reason or "no_reading", t, events)
            self.loads_kg[i] = zone.held_kg
        return events

    def _bad_reason(
        self,
        zone: _ZoneHealth,
        raw: float | None,
        source_fault: str | None,
        t: float,
        others_moving: bool,
    ) -> str | None:
        if raw is None:
            return source_fault or "no_reading"
        if not self._s.min_zone_kg <= raw <= self._s.max_zone_kg:
            return "out_of_range"
        return self._stuck(zone, raw, t, others_moving)

    def _stuck(self, zone: _ZoneHealth, raw: float, t: float, others_moving: bool) -> str | None:
        last, zone.last_raw = zone.last_raw, raw
        if last is None or abs(raw - last) > _STUCK_EPS_KG or abs(raw) < _STUCK_MIN_KG:
            zone.same_since = None
            return None
        if zone.same_since is None:
            zone.same_since = t
        # Frozen while the rest of the mat moves: a board that keeps repeating one word.
        if others_moving and t - zone.same_since >= self._s.stuck_s:
            return "stuck"
        return "stuck" if zone.fault == "stuck" else None

    def _good(self, zone: _ZoneHealth, raw: float, t: float, events: list[SensorFault]) -> None:
        zone.bad_since = None
        hist = zone.history
        hist.append(raw)
        if len(hist) > 3:
            del hist[0]
        zone.held_kg = sorted(hist)[len(hist) // 2] if len(hist) == 3 else raw
        self.ever_valid = True
        if zone.fault is None:
            return
        if zone.good_since is None:
            zone.good_since = t
        if t - zone.good_since >= self._s.recover_s:
            events.append(SensorFault(t=t, zone=zone.name, active=False, fault=zone.fault))
            zone.fault = None
            zone.good_since = None

    def _bad(self, zone: _ZoneHealth, reason: str, t: float, events: list[SensorFault]) -> None:
        zone.good_since = None
        zone.history.clear()
        if zone.bad_since is None:
            zone.bad_since, zone.bad_reason = t, reason
        if zone.fault is None and t - zone.bad_since >= self._s.missing_s:
            zone.fault = zone.bad_reason
            events.append(SensorFault(t=t, zone=zone.name, active=True, fault=zone.fault))
