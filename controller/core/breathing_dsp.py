"""The numeric half of the breathing estimator: one window of frames in, a rate out (pure).

Steps, all numpy: fill short zone dropouts and remove single-sample spikes per zone; project
the zone loads onto their head-to-foot position about the centre of pressure (a load moment,
kg·m, geometry only); average onto a fixed 4 Hz grid (frames need not be evenly spaced);
remove the slow drift; find the spectral peak in the band; refine it to the mean rate over the
window from the phase of the band-passed signal; grade it by how far the peak stands above
the spectrum's floor. Rates the frame rate cannot tell from an alias get no estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul
from typing import cast

import numpy as np

from controller.core.breathing_grid import (
    GRID_HZ,
    FloatArray,
    band_slice,
    hanning,
    median,
    median_step,
    ones,
    quadratic_solver,
    rfft_hz,
)
from controller.core.breathing_narrow import ComplexArray, breathing_rate

__all__ = ["GRID_HZ", "Estimate", "Window", "estimate", "median"]

MIN_CYCLES = 2.5  # fewer breaths than this in the data is not a rate
BAND_MARGIN = 0.08  # search a little past the band so its edges are not peaks by default
MIN_ZONE_VALID = 0.6  # a zone missing more of the window than this is left out
# Breathing moves ≥ ~10 g·m; below 0.1 g·m the "signal" is rounding error, not a person.
MIN_MOMENT_KG_M = 1e-4
PAD_POINTS = 8192  # zero-padded FFT: 4 Hz / 8192 ≈ 0.03 breaths/min per bin
NOISE_RATIO = 10.0  # the tallest peak of noise alone is ~5–15 times the median bin
SNR_SCALE = 15.0  # how fast quality rises above that
# The second harmonic stands this far above its floor (synthetic breathing: ≥ 2.5 in 96 % of
# windows at 4 /min, all above 6 /min; 4-8 /min band noise: 5 % of windows).
MIN_HARMONIC = 2.5


@dataclass(frozen=True, slots=True)
class Estimate:
    """A rate (breaths/min) and how sure it is (0–1)."""

    bpm: float
    quality: float


@dataclass(frozen=True, slots=True)
class Window:
    """Frame times (s), loads (frames × zones, NaN = no reading) and zone positions (m)."""

    t_s: FloatArray
    load_kg: FloatArray
    y_m: FloatArray

    @classmethod
    def from_frames(
        cls, frames: Sequence[tuple[float, tuple[float | None, ...]]], y_m: Sequence[float]
    ) -> Window:
        t = np.fromiter((f[0] for f in frames), dtype=np.float64, count=len(frames))
        # None becomes NaN in a float array.
        loads = np.array([f[1] for f in frames], dtype=np.float64)
        return cls(t_s=t, load_kg=loads, y_m=np.asarray(y_m, dtype=np.float64))


def estimate(window: Window, band_bpm: tuple[float, float], spike_kg: float) -> Estimate | None:
    """The mean breathing rate over the window, or ``None`` when there is nothing to go on."""
    t = window.t_s
    if len(t) < 2:
        return None
    span_s = float(t[-1] - t[0])
    step_s = median_step(t) if span_s > 0 else None
    if step_s is None:
        return None
    moment = load_moment(clean_loads(window.load_kg, spike_kg), window.y_m)
    if moment is None:
        return None
    frame_hz = 1.0 / step_s
    band = search_band(band_bpm, frame_hz, span_s)
    if band is None:
        return Estimate(bpm=0.0, quality=0.0)
    signal = detrend(to_grid(t, moment))
    n = len(signal)
    mean = float(signal.sum()) / n
    # the spread (np.std) from the sums: a threshold far above the rounding it adds
    if float(signal @ signal) / n - mean * mean < MIN_MOMENT_KG_M * MIN_MOMENT_KG_M:
        return Estimate(bpm=0.0, quality=0.0)
    return rate(signal, band, harmonic_visible=frame_hz / 2 > 2.2 * band[1])


def clean_loads(load_kg: FloatArray, spike_kg: float) -> FloatArray:
    """Gaps filled by interpolation, spikes replaced by the local median; zones mostly
    missing become all-NaN columns."""
    if len(load_kg) >= 3:
        # One pass over the steps tells both: a NaN or an infinity makes a step that is not
        # finite, and with every step within spike_kg there is no spike (the usual window).
        jumps = load_kg[1:] - load_kg[:-1]
        most = float(np.abs(jumps, out=jumps).max())
        if most <= spike_kg:
            return load_kg
        if math.isfinite(most):
            return _despike(load_kg, spike_kg)
    elif math.isfinite(load_kg.sum()):
        return load_kg  # too short for a spike
    out = load_kg.copy()
    index = np.arange(len(out), dtype=np.float64)
    for z in range(out.shape[1]):
        column = out[:, z]
        valid = np.isfinite(column)
        if valid.mean() < MIN_ZONE_VALID:
            column[:] = np.nan
        elif not valid.all():
            column[~valid] = np.interp(index[~valid], index[valid], column[valid])
    if len(out) < 3 or float(np.abs(out[1:] - out[:-1]).max()) <= spike_kg:
        return out  # no step beyond spike_kg, so no spike (a NaN column steps by NaN)
    return _despike(out, spike_kg)


def _despike(load_kg: FloatArray, spike_kg: float) -> FloatArray:
    """Replaces a reading that jumps away from both neighbours, the same way, by their mean
    (a copy when there is one; the loads themselves when there is none)."""
    middle = load_kg[1:-1]
    before = middle - load_kg[:-2]
    after = middle - load_kg[2:]
    # both jumps beyond spike_kg (> 0), the same way
    spikes = (np.minimum(before, after) > spike_kg) | (np.maximum(before, after) < -spike_kg)
    if not spikes.any():
        return load_kg
    out = load_kg.copy()
    out[1:-1] = np.where(spikes, (load_kg[:-2] + load_kg[2:]) / 2, middle)
    return out


def load_moment(load_kg: FloatArray, y_m: FloatArray) -> FloatArray | None:
    """Σ (y − cop_y) · load over the loaded zones, per frame (kg·m); ``None`` if none. The
    zones' means are few: their sums are Python's."""
    # The zones' sums over the window stand for their means: only shares of them are read.
    sums = (ones(len(load_kg)) @ load_kg).tolist()
    if not math.isfinite(sum(sums)):  # a zone left out (an all-NaN column)
        present = np.isfinite(load_kg[0])
        load_kg, y_m = load_kg[:, present], y_m[present]
        sums = (ones(len(load_kg)) @ load_kg).tolist()
    sum_kg = [kg if kg > 0.0 else 0.0 for kg in sums]  # max(kg, 0.0); no NaN here
    total = sum(sum_kg)
    if total <= 0:
        return None
    y = y_m.tolist()
    cop = sum(map(mul, y, sum_kg)) / total
    # An unloaded zone carries no breathing, only noise.
    lever = [yi - cop if kg > 0.02 * total else 0.0 for yi, kg in zip(y, sum_kg, strict=True)]
    result: FloatArray = load_kg @ np.array(lever)
    return result


def search_band(
    band_bpm: tuple[float, float], frame_hz: float, span_s: float
) -> tuple[float, float, float] | None:
    """(low, high, alias-safe high) in Hz, or ``None`` when no rate can be told apart.

    A rate f above half the frame rate shows up at ``frame_hz − f``; so with the band reaching
    ``high``, only peaks below ``frame_hz − high`` are surely not aliases.
    """
    low = max(band_bpm[0] / 60 * (1 - BAND_MARGIN), MIN_CYCLES / span_s)
    high = band_bpm[1] / 60 * (1 + BAND_MARGIN)
    nyquist = min(frame_hz, GRID_HZ) / 2
    safe = high if nyquist >= high else frame_hz - high
    top = min(high, 0.95 * nyquist)
    if min(safe, top) <= low:
        return None
    return low, top, min(safe, top)


def to_grid(t_s: FloatArray, values: FloatArray) -> FloatArray:
    """Bin means on a ``GRID_HZ`` grid (white noise averages down); empty bins interpolated."""
    since = t_s - t_s[0]
    since *= GRID_HZ
    bins = since.astype(np.int64)  # ≥ 0: truncation is the floor
    count = np.bincount(bins)
    sums = cast(FloatArray, np.bincount(bins, weights=values))  # weights: float sums
    if count.all():  # no bin to fill (interpolation at the bins' own centres is their means)
        np.divide(sums, count, out=sums)
        return sums
    filled = count > 0
    centres = (np.arange(len(count)) + 0.5) / GRID_HZ
    result: FloatArray = np.interp(centres, centres[filled], sums[filled] / count[filled])
    return result


def detrend(signal: FloatArray) -> FloatArray:
    """Removes a quadratic trend (zero drift, a slow settling) from the window: the least-squares
    fit of ``np.polynomial.polynomial.polyfit(x, signal, 2)`` (its solution, to rounding, by
    a matrix made once per window length) taken away as ``polyval`` evaluates it."""
    x, solver = quadratic_solver(len(signal))
    c0, c1, c2 = (solver @ signal).tolist()
    trend: FloatArray = x * c2  # Horner's steps, in place
    trend += c1
    trend *= x
    trend += c0
    np.subtract(signal, trend, out=trend)
    return trend


def rate(
    signal: FloatArray, band: tuple[float, float, float], harmonic_visible: bool = True
) -> Estimate:
    """Spectral peak in the band, refined by phase; quality from its height over the floor.
    No estimate when the signal is not periodic like breathing (``periodic``, and a second
    harmonic where the frame rate can show one)."""
    low, top, safe = band
    freqs = rfft_hz(PAD_POINTS)
    inside = band_slice(freqs, low, top)  # freqs rise: a band is a slice
    if inside.start >= inside.stop:
        return Estimate(bpm=0.0, quality=0.0)
    spectrum = np.fft.rfft(signal * hanning(len(signal)), PAD_POINTS)
    # The power where it is read: the band and the bin past it (a peak's right neighbour).
    power = np.abs(spectrum[: inside.stop + 1])
    np.square(power, out=power)
    highest = inside.start + int(power[inside].argmax())
    if power[highest] <= 0.0:
        return Estimate(bpm=0.0, quality=0.0)
    peak = _fundamental(freqs, power, inside, highest)
    f0 = freqs[peak]
    # A maximum only because the band ends there is a slope (drift, an alias), not a breath.
    if f0 > safe or not power[peak - 1] <= power[peak] >= power[peak + 1]:
        return Estimate(bpm=0.0, quality=0.0)
    if harmonic_visible and harmonic_ratio(freqs, spectrum, f0, power) < MIN_HARMONIC:
        return Estimate(bpm=0.0, quality=0.0)
    refined = breathing_rate(signal, f0)
    if refined is None:
        return Estimate(bpm=0.0, quality=0.0)
    top_power = float(power[peak])
    floor = median(power[inside], in_place=True)  # power's last read: reordered in place
    ratio = top_power / floor if floor > 0 else np.inf
    return Estimate(bpm=60.0 * refined, quality=quality(ratio))


def harmonic_ratio(
    freqs: Sequence[float], spectrum: ComplexArray, f0_hz: float, power: FloatArray | None = None
) -> float:
    """Power at twice the rate over the spectrum's floor around it. Inspiration is fast and
    expiration slow, so breathing carries a second harmonic; band-limited noise (a slow
    wander) carries none. ``spectrum`` is the padded one; its power is taken on the ring, or
    read from ``power`` (``|spectrum|²`` from bin 0) where that reaches past the ring."""
    ring = band_slice(freqs, 1.5 * f0_hz, 2.5 * f0_hz)
    near = _within(band_slice(freqs, 1.9 * f0_hz, 2.1 * f0_hz), ring.start)
    hole = _within(band_slice(freqs, 1.8 * f0_hz, 2.2 * f0_hz), ring.start)
    if power is not None and ring.stop <= len(power):
        on_ring = power[ring]
    else:
        on_ring = np.abs(spectrum[ring])
        np.square(on_ring, out=on_ring)
    around = np.concatenate((on_ring[: hole.start], on_ring[hole.stop :]))
    if near.start >= near.stop or not around.size:
        return 0.0
    floor = median(around, in_place=True)  # around is a copy: its own
    return float(on_ring[near].max()) / floor if floor > 0.0 else float("inf")


def _within(inner: slice, start: int) -> slice:
    """A slice of ``freqs`` as a slice of its part from ``start`` on."""
    return slice(inner.start - start, inner.stop - start)


def _fundamental(freqs: Sequence[float], power: FloatArray, band: slice, peak: int) -> int:
    """The peak's half when that is strong too: the fast inspiration makes a second harmonic.
    Only the band's power counts."""
    half = freqs[peak] / 2
    near = band_slice(freqs, half * 0.9, half * 1.1)
    start, stop = max(near.start, band.start), min(near.stop, band.stop)
    if start >= stop:
        return peak
    candidate = start + int(power[start:stop].argmax())
    if power[candidate] <= 0.0:
        return peak
    return candidate if power[candidate] >= 0.3 * power[peak] else peak


def quality(ratio: float) -> float:
    """Maps the peak-to-floor power ratio to 0–1 (noise alone peaks at ~5–10 times)."""
    return min(max(1.0 - math.exp(-(ratio - NOISE_RATIO) / SNR_SCALE), 0.0), 1.0)
