"""How much the load moves between zones: stillness and sway (pure).

Each zone's load runs through a fast (0.1 s) and a slow (0.5 s) exponential average; the sum
over zones of their difference is the load in motion, in kg. Breathing moves a few tens of
grams per zone; shifting, sitting up or stepping moves kilograms. Time constants are in
seconds of frame time, so any frame rate gives the same figure. A person is still while the
load in motion stays under ``still_ratio`` of their load; an empty mat under a small load that
hardly moves may have its zeros follow it (``occupancy.ZeroTracker``).

Per frame this is one call and one pass over the zones, the averages updated in place (no
list per frame), stillness judged in the same call.
Hot-path ``zip`` calls here and in the other per-frame modules take no ``strict=`` keyword
(``# noqa: B905``): a keyword argument costs ``zip`` ~0.15 µs a call on CPython 3.11, and the
lists all have one entry per zone of the layout.
"""

from __future__ import annotations

import math

from controller.core.settings import DetectionSettings

_FAST_TAU_S = 0.1
_SLOW_TAU_S = 0.5
_SWAY_TAU_S = 2.0
_KEEP_STEPS = 64


class MotionMeter:
    def __init__(self, zones: int, settings: DetectionSettings) -> None:
        self._fast = [0.0] * zones
        self._slow = [0.0] * zones
        self._last_t: float | None = None
        self.motion_kg = 0.0
        self.sway_kg = 0.0  # motion averaged over a few seconds (standing sways, sitting less)
        # the smoothing factors per frame step: steps take a handful of values (t's rounding)
        self._alphas: dict[float, tuple[float, float, float]] = {}
        self.still_since: float | None = None  # since when the person is still (None: moves)
        self._zero_band_kg, self._still_ratio = settings.zero_band_kg, settings.still_ratio
        self._still_empty_kg = settings.still_ratio * settings.person_kg  # an empty mat's

    def update(self, t: float, loads_kg: list[float], total_kg: float, occupied: bool) -> bool:
        """Follows the load in motion (``motion_kg``, ``sway_kg``) and the person's stillness
        (``still_since``: motion against the load); says whether the zeros may follow the
        readings (an empty mat, a small and still load). One call per frame for both."""
        last_t, self._last_t = self._last_t, t
        if last_t is None:
            self._fast = list(loads_kg)
            self._slow = list(loads_kg)
        elif not (dt := t - last_t) <= 0.0:  # no step (or back in time): motion as it was
            alphas = self._alphas.get(dt)
            a_fast, a_slow, a_sway = alphas if alphas is not None else self._smoothing(dt)
            fast, slow = self._fast, self._slow  # updated in place: no lists per frame
            total = 0.0
            for i, kg in enumerate(loads_kg):
                f0 = fast[i]
                s0 = slow[i]
                fast[i] = f = f0 + a_fast * (kg - f0)
                slow[i] = s = s0 + a_slow * (kg - s0)
                d = f - s
                total += d if d > 0.0 else -d  # abs(): no call
            self.motion_kg = total
            self.sway_kg += a_sway * (total - self.sway_kg)
        motion = self.motion_kg
        if not occupied:
            self.still_since = None
            return abs(total_kg) < self._zero_band_kg and motion < self._still_empty_kg
        if motion >= self._still_ratio * (total_kg if total_kg > 1.0 else 1.0):  # max(, 1.0)
            self.still_since = None
        elif self.still_since is None:
            self.still_since = t
        return False

    def restart(self) -> None:
        """Readings are back after a spell too blind to judge: the averages start again from
        the next frame, as at the first one (the jump from the blind spell's held or missing
        loads to the body's is not motion)."""
        self._last_t = None
        self.motion_kg = self.sway_kg = 0.0
        self.still_since = None

    def _smoothing(self, dt: float) -> tuple[float, float, float]:
        if len(self._alphas) >= _KEEP_STEPS:
            self._alphas.clear()
        alphas = self._alphas[dt] = _smoothing(dt)
        return alphas


def _smoothing(dt: float) -> tuple[float, float, float]:
    """The fast, slow and sway averages' factors for a step of ``dt`` seconds."""
    # At low frame rates the averages must span a few frames, or a slow transition sampled
    # once a second would look as still as a body at rest.
    a_fast = 1.0 - math.exp(-dt / max(_FAST_TAU_S, 0.3 * dt))
    a_slow = 1.0 - math.exp(-dt / max(_SLOW_TAU_S, 1.2 * dt))
    return a_fast, a_slow, 1.0 - math.exp(-dt / _SWAY_TAU_S)
