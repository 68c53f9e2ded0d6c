"""What the calibration wizard knows and how it judges reads: noise, load, stillness, kg.

``controller.calibration.wizard`` walks the steps and says what to do; a ``Judge`` holds what
the steps found (the calibration so far, each zone's tare noise, the rise the weight made in
each weighed zone) and does the arithmetic on rows of counts over each zone's zero (one value
per zone, in the order of the wizard's names). A rise or a wobble is judged against the 95 %
upper bound of the tare's noise (``noise_upper_factor``): a zone is loaded when it moves well
above that noise, a window is still when no zone spreads beyond a few times it (or 1 % of its
load), and a weight is off when its zone is back within half the rise it made. Pure: no I/O,
no clock, no logging.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean, pstdev

from controller.calibration.steps import Tared, Verified, WizardSettings, spread
from firmware.calibration import Calibration, checked_zone

Row = Sequence[int | None]
Window = Sequence[tuple[float, ...]]
# Over a settled window, a mean this share of the rise limit (~3 x the judged single-read noise,
# ~10 x the noise of the mean) is surely a load, only too light for the cell to calibrate on.
_VISIBLE = 0.3


class Judge:
    """The calibration so far over the zones ``names``, their noise, and each weight's rise."""

    def __init__(
        self, names: tuple[str, ...], calibration: Calibration, settings: WizardSettings
    ) -> None:
        self.names, self.settings, self.calibration = names, settings, calibration
        self.noise_counts = {n: settings.noise_counts for n in names}
        self.judged_noise_counts = dict(self.noise_counts)  # what rise and stillness use
        self.rise_counts: dict[str, float] = {}  # what the weight made each weighed zone rise

    # -- what the steps found -------------------------------------------------------------
    def learn_tare(self, rows: Sequence[Row], tared: Calibration) -> tuple[str, float] | None:
        """Each zone's noise over the tare's ``rows``, then ``tared`` is the calibration; or
        (zone, counts moved) for a zone without a scale that was not empty and still."""
        for i, name in enumerate(self.names):
            values = [float(v) for r in rows if (v := r[i]) is not None]
            if tared.zone(name).scale_counts_per_kg is None and spread(values) > (
                self.settings.still_counts
            ):
                return name, spread(values)
            self.noise_counts[name] = pstdev(values)
            self.judged_noise_counts[name] = pstdev(values) * noise_upper_factor(len(values))
        self.calibration = tared
        return None

    def tared(self) -> Tared:
        offsets = {n: self.calibration.zone(n).offset_counts for n in self.names}
        noise_kg = {n: self.kg(n, self.noise_counts[n]) for n in self.names}
        return Tared(offsets, dict(self.noise_counts), noise_kg)

    def weighed(self, zone: str, scale_counts_per_kg: float, rise_counts: float) -> None:
        """The known weight's scale for ``zone`` (CalibrationError: refused), and its rise."""
        offset = self.calibration.zone(zone).offset_counts
        checked = checked_zone(zone, offset, scale_counts_per_kg)
        self.calibration = self.calibration.with_zone(zone, checked)
        self.rise_counts[zone] = rise_counts

    def verified(self, rows: Window) -> Verified:
        """The known weight anywhere on the mat: kg per zone, the total and its error."""
        means = column_means(rows)
        loads = {n: self.kg(n, m) for n, m in zip(self.names, means, strict=True)}
        total_kg = sum(kg for kg in loads.values() if kg is not None)
        known = self.settings.weight_kg
        error_pct = 100.0 * (total_kg - known) / known
        ok = abs(error_pct) <= self.settings.verify_tolerance_pct
        return Verified(loads, total_kg, known, error_pct, ok)

    # -- counts and kg --------------------------------------------------------------------
    def deltas(self, row: Row) -> tuple[float, ...]:
        """A row over each zone's zero (the row's ``None`` reads left out)."""
        return tuple(
            float(v) - self.calibration.zone(n).offset_counts
            for v, n in zip(row, self.names, strict=True)
            if v is not None
        )

    def kg(self, name: str, counts: float) -> float | None:
        """Counts over a zone's zero in kg (None: the zone has no scale yet)."""
        scale = self.calibration.zone(name).scale_counts_per_kg
        return None if scale is None else counts / scale

    def total_kg(self, deltas: Sequence[float]) -> float:
        kgs = (self.kg(n, d) for n, d in zip(self.names, deltas, strict=True))
        return sum(kg for kg in kgs if kg is not None)

    def scaled(self) -> bool:
        return any(self.calibration.zone(n).scale_counts_per_kg for n in self.names)

    # -- judging a window -----------------------------------------------------------------
    def rise(self, name: str) -> float:
        """Counts a zone must move to count as loaded: well above its tare noise."""
        return max(10.0 * self.judged_noise_counts[name], self.settings.min_rise_counts)

    def loaded(self, deltas: Sequence[float]) -> bool:
        """Some zone of this row moved more than its rise limit."""
        return any(abs(d) > self.rise(n) for d, n in zip(deltas, self.names, strict=True))

    def still(self, rows: Window) -> bool:
        """No zone spreads more than 6 x its noise or its creep allowance over ``rows``."""
        for col, name in zip(zip(*rows, strict=True), self.names, strict=True):
            limit = max(
                6.0 * self.judged_noise_counts[name],
                self.settings.settle_fraction * abs(col[-1]),
            )
            if spread(col) > max(limit, self.settings.min_still_counts):
                return False
        return True

    def off(self, window: Window, zone: str) -> bool:
        """Over a full settle window, the weight is off ``zone`` and nothing else is loaded."""
        # Off means nearer empty than loaded: at most half the weight's own rise, however
        # noisy the cell (a light weight on a noisy cell was otherwise "off" while still on).
        loaded = abs(self.rise_counts[zone])
        limit = [
            min(max(self.rise(n), 0.1 * loaded), 0.5 * loaded) if n == zone else self.rise(n)
            for n in self.names
        ]
        return len(window) >= self.settings.settle_samples and not any(
            abs(fmean(col)) > lim for col, lim in zip(zip(*window, strict=True), limit, strict=True)
        )

    def too_light(self, window: Window, zone: str) -> tuple[float, float] | None:
        """(seen, needed) counts when a settled load on ``zone`` shows but stays in its noise."""
        column = [row[self.names.index(zone)] for row in window]
        seen, need = abs(fmean(column)), self.rise(zone)
        if len(column) >= self.settings.settle_samples and seen > _VISIBLE * need:
            return seen, need
        return None


def column_means(rows: Window) -> list[float]:
    """Each zone's mean over ``rows``."""
    return [fmean(col) for col in zip(*rows, strict=True)]


def noise_upper_factor(samples: int) -> float:
    """How far the true noise may lie above a standard deviation measured over ``samples``.

    Ten tare reads can show 0.6 x the true noise, and a stillness limit of 6 x that then
    refuses a still weight for most windows. So rise and stillness are judged against the
    95 % upper bound (chi-square with samples - 1 degrees of freedom, Wilson-Hilferty).
    """
    dof = samples - 1
    if dof < 3:
        return 3.0
    z_5pct = 1.6449
    chi2_low = dof * (1 - 2 / (9 * dof) - z_5pct * math.sqrt(2 / (9 * dof))) ** 3
    return math.sqrt(samples / chi2_low)
