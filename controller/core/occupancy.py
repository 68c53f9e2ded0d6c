"""Is a person on the mat, and what does the empty mat read? (pure)

Auto-zero as scales do it: while the mat holds no person and the load is small and still, each
zone's zero follows its reading with time constant ``zero_tau_s``, so slow drift (temperature,
creep) and light objects left lying (a bag, a sleeping cat) fade into the zero. Never while a
person is on the mat, and never a fast change. Presence uses hysteresis (``person_kg`` to
arrive, ``leave_kg`` to leave) and a dwell on both edges; the moment of leaving is dated back to
when the load first fell below ``leave_kg``, so session time ends when the person left. A
frame that crosses neither threshold (the usual one) is one comparison.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import sub

from controller.core.events import Event, OccupancyChanged
from controller.core.settings import DetectionSettings


class ZeroTracker:
    """Per-zone zero offsets; ``corrected`` = reading − zero."""

    def __init__(self, zones: int, settings: DetectionSettings) -> None:
        self._s = settings
        self.offsets_kg = [0.0] * zones
        self._last_t: float | None = None
        self.primed = False  # zeros set (the first frame, a tare): until then every frame counts

    def correct(self, loads_kg: list[float]) -> list[float]:
        return list(map(sub, loads_kg, self.offsets_kg))

    def track(
        self, t: float, loads_kg: list[float], may_track: bool, dead: Sequence[bool] = ()
    ) -> None:
        """Moves the zeros towards the readings when the mat is empty and still; a dead zone
        (no reading) keeps the zero it had."""
        dt = 0.0 if self._last_t is None else max(0.0, t - self._last_t)
        self._last_t = t
        self.follow(dt, loads_kg, may_track, dead)

    def follow(
        self, dt_s: float, loads_kg: list[float], may_track: bool, dead: Sequence[bool] = ()
    ) -> None:
        """``track`` given the step from the frame before (0 on the first; none backwards): the
        controller calls it only on frames where the zeros may move or are not primed yet."""
        if not self.primed:
            self._prime(loads_kg)
            return
        if not may_track or dt_s <= 0.0:
            return
        alpha = 1.0 - math.exp(-dt_s / self._s.zero_tau_s)
        for i, kg in enumerate(loads_kg):
            if not (dead and dead[i]):
                self.offsets_kg[i] += alpha * (kg - self.offsets_kg[i])

    def _prime(self, loads_kg: list[float]) -> None:
        # A mat that starts with a small load is an empty mat with an offset: zero it at once.
        if abs(sum(loads_kg)) < self._s.zero_band_kg:
            self.offsets_kg = list(loads_kg)
        self.primed = True

    def rezero(self, zone: int, kg: float) -> None:
        """One zone's zero set where it reads (a drifted cell that has settled)."""
        self.offsets_kg[zone] = kg

    def tare(self, loads_kg: list[float], dead: Sequence[bool] = ()) -> None:
        self.offsets_kg = [
            off if dead and dead[i] else kg
            for i, (kg, off) in enumerate(zip(loads_kg, self.offsets_kg, strict=True))
        ]
        self.primed = True


@dataclass(slots=True)
class Presence:
    """Hysteresis and dwell on the total corrected load."""

    settings: DetectionSettings
    occupied: bool = False
    seen_t: float = 0.0  # the last judged frame with the person on the mat (``frame``)
    _edge_since: float | None = None

    def hold(self) -> None:
        """Nothing to judge on this frame (too few live zones): presence stays as it was and
        an edge under way starts again when judging does."""
        self._edge_since = None

    def frame(self, t: float, total_kg: float, judged: bool, events: list[Event]) -> float | None:
        """Presence on this frame (``judged``: enough zones are live to judge it); a change
        is appended to ``events``. Returns when the person left, on the frame presence fell."""
        if not judged:  # rare: too few live zones
            self.hold()
            return None
        s = self.settings
        if self.occupied:  # the usual frame crosses nothing: ``update``'s first step
            if not total_kg < s.leave_kg:
                self._edge_since, self.seen_t = None, t
                return None
        elif not total_kg >= s.person_kg:
            self._edge_since = None
            return None
        edge = self.update(t, total_kg)
        if self.occupied:
            self.seen_t = t
        if edge is None:
            return None
        occupied, when = edge
        events.append(OccupancyChanged(t=t, occupied=occupied, load_kg=round(total_kg, 2)))
        return None if occupied else when

    def update(self, t: float, total_kg: float) -> tuple[bool, float] | None:
        """Returns ``(occupied, when)`` when presence changes; ``when`` is the edge's start."""
        s = self.settings
        crossing = total_kg < s.leave_kg if self.occupied else total_kg >= s.person_kg
        if not crossing:
            self._edge_since = None
            return None
        if self._edge_since is None:
            self._edge_since = t
        dwell_s = s.leave_s if self.occupied else s.presence_s
        if t - self._edge_since < dwell_s:
            return None
        self.occupied = not self.occupied
        when, self._edge_since = self._edge_since, None
        return self.occupied, when
