"""Left/right balance and the centre of pressure; the uneven-load alert (pure).

Imbalance is ``(R − L) / (R + L)`` of the load, with each zone's load split between the user's
left and right by how much of its tile lies on each side of the centre line (a tile across the
line is split like its neighbours in the same rows: a body is one mass); negative loads
(noise on an unloaded tile) count as zero, so it stays in [−1, 1]. It is smoothed over
``smooth_s`` so breathing and fidgets do not count. The alert starts when the smoothed value
stays above ``alert_imbalance`` for ``dwell_s`` and clears when it stays below
``clear_imbalance`` for ``dwell_s``: two thresholds and a dwell, so it never flaps. When the
load crosses to the other side (a roll) and stays above ``alert_imbalance`` there for
``dwell_s``, the alert is cleared and raised for the new side in the same frame. Each event
says how far the centre of pressure lies from the centre line (``offset_cm``, + to the right):
on a two-column mat, lying off-centre and leaning look the same, and this is the way to move.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from controller.core.events import Side, UnevenLoad
from controller.core.geometry import Geometry
from controller.core.settings import BalanceSettings

_KEEP_STEPS = 64  # frame steps take a handful of values (the rounding of t)


class BalanceReading(NamedTuple):
    """One frame's balance (a tuple: made every frame, it costs half a frozen dataclass)."""

    imbalance: float | None
    cop_x_m: float | None
    cop_y_m: float | None
    offset_m: float | None = None  # centre of pressure from the mat's centre line (+: right)


_NO_READING = BalanceReading(None, None, None)
# A NamedTuple's own constructor is a Python function: the tuple's is half the cost per frame.
_reading = tuple.__new__


def measure(geometry: Geometry, loads_kg: list[float]) -> BalanceReading:
    positive = [kg if kg > 0.0 else 0.0 for kg in loads_kg]
    return measure_positive(geometry, positive, sum(positive))


def measure_positive(
    geometry: Geometry, positive_kg: list[float], total_kg: float
) -> BalanceReading:
    """``measure`` on loads already clamped at 0 and their total (the controller makes both
    once per frame; a zone at 0 adds nothing, as ``measure`` skips it)."""
    if total_kg <= 0.0:
        return _NO_READING
    side = x_sum = y_sum = 0.0
    for kg, (weight, x, y) in zip(positive_kg, geometry.zone_terms):  # noqa: B905  # (motion.py)
        side += kg * weight
        x_sum += kg * x
        y_sum += kg * y
    if geometry.straddlers:
        side += _straddling_shift(geometry, positive_kg)
    cop_x = x_sum / total_kg
    offset = cop_x - geometry.centre_x_m
    ratio = side / total_kg  # max(-1.0, min(1.0, ratio)) without the calls
    imbalance = ratio if -1.0 < ratio < 1.0 else (-1.0 if ratio <= -1.0 else 1.0)
    return _reading(BalanceReading, (imbalance, cop_x, y_sum / total_kg, offset))


def _straddling_shift(geometry: Geometry, positive_kg: list[float]) -> float:
    """A tile across the centre line is split like its neighbours: one body is one mass, so
    the half of the tile next to the heavier side carries more of it (loads clamped at 0).
    Only as far as the neighbours carry as much as the tile itself, though: where nearly all
    of a row lies on the middle tile (a body on its side, ~25 cm wide, on a 17 cm middle
    column of three), what spills past its edges is the body's own shape (the back reaches
    further than the front), not where it lies. Split in full there, a centred side-lying
    body read −0.20, an alert, for its own split of −0.04; scaled by what the neighbours
    carry, it reads −0.08, and an off-centre body, whose neighbour carries more than the
    middle, is split in full as before (docs/controller.md, "Uneven load")."""
    shift = 0.0
    for i, left, right in geometry.straddlers:
        kg = positive_kg[i]
        left_kg = sum(positive_kg[j] for j in left)
        right_kg = sum(positive_kg[j] for j in right)
        if kg > 0.0 and left_kg + right_kg > 0.0:
            reach = left_kg + right_kg
            lean = (right_kg - left_kg) / reach * (1.0 if reach >= kg else reach / kg)
            shift += (
                0.5 * kg * (lean - geometry.side_weight[i]) * (1.0 - abs(geometry.side_weight[i]))
            )
    return shift


class BalanceMonitor:
    def __init__(self, settings: BalanceSettings) -> None:
        self._s = settings
        self.smoothed: float | None = None
        self.offset_m = 0.0  # smoothed like the imbalance
        self.active = False
        self.side: Side = "right"
        self._since: float | None = None
        self._last_t: float | None = None
        self._alphas: dict[float, float] = {}  # the smoothing factor per frame step
        self._alert, self._smooth_s = settings.alert_imbalance, settings.smooth_s

    def update(
        self, t: float, imbalance: float | None, evaluate: bool, offset_m: float | None = None
    ) -> list[UnevenLoad]:
        """Feeds one reading; ``evaluate`` is false when nobody is lying (or in a session).
        A change of side while the alert is on clears it and raises it for the new side in
        the same frame, once the new side has held for ``dwell_s``."""
        if not evaluate or imbalance is None:
            self.smoothed, self._since, self._last_t = None, None, None
            return [self._clear(t, 0.0)] if self.active else []
        smoothed, last_t = self.smoothed, self._last_t
        self._last_t = t
        if smoothed is None or last_t is None or self._smooth_s == 0:
            value = self.smoothed = imbalance
            self.offset_m = offset_m or 0.0
        else:  # smoothed over ``smooth_s``: the factor of a frame step is kept per step
            dt = t - last_t
            alpha = self._alphas.get(dt)
            if alpha is None:
                alpha = self._alpha(dt)
            value = self.smoothed = smoothed + alpha * (imbalance - smoothed)
            if offset_m is not None:
                self.offset_m += alpha * (offset_m - self.offset_m)
        if not self.active and -self._alert < value < self._alert:  # the usual frame
            self._since = None
            return []
        return self._judge(t, value)

    def _judge(self, t: float, value: float) -> list[UnevenLoad]:
        side: Side = "right" if value > 0 else "left"
        beyond = abs(value) > self._s.alert_imbalance
        if self.active:
            turned = beyond and side != self.side
            waiting = turned or abs(value) < self._s.clear_imbalance
        else:
            waiting = beyond
        if not waiting:
            self._since = None
            return []
        if self._since is None:
            self._since = t
        if t - self._since < self._s.dwell_s:
            return []
        self._since = None
        out = [self._clear(t, value)] if self.active else []
        if beyond:
            self.active, self.side = True, side
            out.append(self._event(t, True, value))
        return out

    def _alpha(self, dt: float) -> float:
        if len(self._alphas) >= _KEEP_STEPS:
            self._alphas.clear()
        alpha = self._alphas[dt] = 1.0 - math.exp(-max(0.0, dt) / self._s.smooth_s)
        return alpha

    def _event(self, t: float, active: bool, value: float) -> UnevenLoad:
        offset_cm = round(100.0 * self.offset_m, 1)
        return UnevenLoad(
            t=t, active=active, side=self.side, imbalance=round(value, 4), offset_cm=offset_cm
        )

    def _clear(self, t: float, value: float) -> UnevenLoad:
        self.active = False
        return self._event(t, False, value)
