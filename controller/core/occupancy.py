"""Is a person on the mat, and what does the empty mat read? (pure)

Auto-zero as scales do it: while the mat holds no person and the load is small and still, each
zone's zero follows its reading with time constant ``zero_tau_s``, so slow drift (temperature,
creep) and light objects left lying (a bag, a sleeping cat) fade into the zero. Never while a
person is on the mat, and never a fast change. Presence uses hysteresis (``person_kg`` to
arrive, ``leave_kg`` to leave) and a dwell on both edges; the moment of leaving is dated back to
when the load first fell below ``leave_kg``, so session time ends when the person left. A
person who leaves something lighter behind (a bag, a dog, a drifted cell) has left too: the
load stays under a share of theirs (``_LEFT_SHARE``) for ``_LIGHT_S``. A frame that crosses
nothing (the usual one) is one comparison.
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


# A person who leaves something lighter behind (a bag, a dog, a cell that drifted under them):
# the load falls from theirs to a remainder that may sit above ``leave_kg`` for ever. Below
# this share of the visit's largest still load, held for ``_LIGHT_S``, the person has left.
# A body on the mat never carries so little of itself: lying with the head and feet beyond
# the ends leaves ~0.69 of it on a back-sized mat, and one zone that dies under a side-lying
# body takes at most ~0.5 of the total with it; a person kneeling beside the mat with the
# hands on it, 0.2-0.3, is off it.
_LEFT_SHARE = 0.35
_LIGHT_S = 10.0  # longer than any landing, bounce or shift: 1-3 s


@dataclass(slots=True)
class Presence:
    """Hysteresis and dwell on the total corrected load, and a lighter load left behind."""

    settings: DetectionSettings
    occupied: bool = False
    seen_t: float = 0.0  # the last judged frame with the person on the mat (``frame``)
    visit_kg: float = 0.0  # the visit's largest load while the person was still
    base_kg: float = 0.0  # what the last visit left on the mat: the next arrives on top of it
    _stay_kg: float = 0.0  # leave_kg, or the visit's share if more: below it the person may go
    _edge_since: float | None = None
    _light_since: float | None = None

    def hold(self) -> None:
        """Nothing to judge on this frame (too few live zones): presence stays as it was and
        an edge under way starts again when judging does."""
        self._edge_since = self._light_since = None

    def rest(self, total_kg: float) -> None:
        """The person is still under ``total_kg``: the visit's load, if the largest yet."""
        if total_kg > self.visit_kg:
            self.visit_kg = total_kg
            self._stay_kg = max(self.settings.leave_kg, _LEFT_SHARE * total_kg)

    def frame(
        self, t: float, total_kg: float, judged: bool, events: list[Event], still: bool = False
    ) -> float | None:
        """Presence on this frame (``judged``: enough zones are live to judge it; ``still``:
        the person was still on the frame before); a change is appended to ``events``.
        Returns when the person left, on the frame presence fell."""
        if not judged:  # rare: too few live zones
            self.hold()
            return None
        s = self.settings
        if self.occupied:  # the usual frame crosses nothing: ``update``'s first step
            if not total_kg < self._stay_kg:
                if still and total_kg > self.visit_kg:
                    self.rest(total_kg)
                self._edge_since = self._light_since = None
                self.seen_t = t
                return None
        elif not total_kg >= self.base_kg + s.person_kg:
            self._nobody(total_kg)
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
        if self.occupied:
            return self._leaving(t, total_kg)
        s = self.settings
        if not total_kg >= self.base_kg + s.person_kg:
            self._nobody(total_kg)
            return None
        if self._edge_since is None:
            self._edge_since = t
        if t - self._edge_since < s.presence_s:
            return None
        when, self._edge_since = self._edge_since, None
        self.occupied, self.visit_kg, self._stay_kg = True, 0.0, s.leave_kg
        return True, when

    def _nobody(self, total_kg: float) -> None:
        """No one arrives on this frame; what the last visit left shrinks as it goes (or is
        zeroed away)."""
        self._edge_since = None
        if total_kg < self.base_kg:
            self.base_kg = max(total_kg, 0.0)

    def _leaving(self, t: float, total_kg: float) -> tuple[bool, float] | None:
        """Gone below ``leave_kg`` for ``leave_s``, or below the visit's share for
        ``_LIGHT_S`` (a lighter load left behind, which the next arrival must add to)."""
        s = self.settings
        if not total_kg < self._stay_kg:
            self._edge_since = self._light_since = None
            return None
        if total_kg < s.leave_kg:
            if self._edge_since is None:
                self._edge_since = t
            if t - self._edge_since >= s.leave_s:
                return self._left(self._edge_since, 0.0)
        else:
            self._edge_since = None
        if self._light_since is None:
            self._light_since = t
        elif t - self._light_since >= _LIGHT_S:
            return self._left(self._light_since, total_kg)
        return None

    def _left(self, when: float, remainder_kg: float) -> tuple[bool, float]:
        self.occupied, self.base_kg = False, remainder_kg
        self._edge_since = self._light_since = None
        return False, when
