"""The numeric half of the breathing estimator: one window of frames in, a rate out (pure).

Steps, all numpy: fill short zone dropouts and remove single-sample spikes per zone; project
the zone loads onto their head-to-foot position about the centre of pressure (a load moment,
kg·m, geometry only); average onto a fixed 4 Hz grid (frames need not be evenly spaced);
remove the slow drift; find the spectral peak in the band; refine it to the mean rate over the
window from the phase of the band-passed signal; grade it by how far the peak stands above
the spectrum's floor. Rates the frame rate cannot tell from an alias get no estimate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from controller.core.breathing_grid import (
    GRID_HZ,
    FloatArray,
    analytic_gain,
    band_slice,
    fft_hz_and_t,
    hanning,
    median,
    quadratic_design,
    rfft_hz,
)

__all__ = ["GRID_HZ", "Estimate", "Window", "estimate", "median"]

MIN_CYCLES = 2.5  # fewer breaths than this in the data is not a rate
BAND_MARGIN = 0.08  # search a little past the band so its edges are not peaks by default
MIN_ZONE_VALID = 0.6  # a zone missing more of the window than this is left out
# Breathing moves ≥ ~10 g·m; below 0.1 g·m the "signal" is rounding error, not a person.
MIN_MOMENT_KG_M = 1e-4
PAD_POINTS = 8192  # zero-padded FFT: 4 Hz / 8192 ≈ 0.03 breaths/min per bin
NOISE_RATIO = 10.0  # the tallest peak of noise alone is ~5–15 times the median bin
SNR_SCALE = 15.0  # how fast quality rises above that
MIN_PERIODICITY = 0.5  # band-passed autocorrelation one period on ...
MIN_PERIODICITY_2 = 0.4  # ... and two periods on: breathing ~0.75, noise and wander ≲ 0.2
MAX_ENVELOPE_CV = 0.35
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
    span_s = float(t[-1] - t[0])
    steps = np.diff(t)
    if span_s <= 0 or not np.all(steps > 0):
        return None
    moment = load_moment(clean_loads(window.load_kg, spike_kg), window.y_m)
    if moment is None:
        return None
    frame_hz = 1.0 / median(steps)
    band = search_band(band_bpm, frame_hz, span_s)
    if band is None:
        return Estimate(bpm=0.0, quality=0.0)
    signal = detrend(to_grid(t, moment))
    if float(np.std(signal)) < MIN_MOMENT_KG_M:
        return Estimate(bpm=0.0, quality=0.0)
    return rate(signal, band, harmonic_visible=frame_hz / 2 > 2.2 * band[1])


def clean_loads(load_kg: FloatArray, spike_kg: float) -> FloatArray:
    """Gaps filled by interpolation, spikes replaced by the local median; zones mostly
    missing become all-NaN columns."""
    out = load_kg.copy()
    if np.isfinite(out).all():  # nothing to fill (the usual window)
        return _despike(out, spike_kg)
    index = np.arange(len(out), dtype=np.float64)
    for z in range(out.shape[1]):
        column = out[:, z]
        valid = np.isfinite(column)
        if valid.mean() < MIN_ZONE_VALID:
            column[:] = np.nan
        elif not valid.all():
            column[~valid] = np.interp(index[~valid], index[valid], column[valid])
    return _despike(out, spike_kg)


def _despike(load_kg: FloatArray, spike_kg: float) -> FloatArray:
    """Replaces a reading that jumps away from both neighbours, the same way, by their mean."""
    if len(load_kg) < 3:
        return load_kg
    middle = load_kg[1:-1]
    before = middle - load_kg[:-2]
    after = middle - load_kg[2:]
    spikes = (np.abs(before) > spike_kg) & (np.abs(after) > spike_kg) & (before * after > 0)
    out = load_kg.copy()
    out[1:-1] = np.where(spikes, (load_kg[:-2] + load_kg[2:]) / 2, middle)
    return out


def load_moment(load_kg: FloatArray, y_m: FloatArray) -> FloatArray | None:
    """Σ (y − cop_y) · load over the loaded zones, per frame (kg·m); ``None`` if none."""
    present = np.isfinite(load_kg[0])
    mean_kg = np.clip(load_kg[:, present].mean(axis=0), 0.0, None)
    total = float(mean_kg.sum())
    if total <= 0:
        return None
    y = y_m[present]
    cop = float((y * mean_kg).sum() / total)
    # An unloaded zone carries no breathing, only noise.
    lever = np.where(mean_kg > 0.02 * total, y - cop, 0.0)
    result: FloatArray = load_kg[:, present] @ lever
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
    bins = np.floor((t_s - t_s[0]) * GRID_HZ).astype(np.int64)
    count = np.bincount(bins).astype(np.float64)
    sums = np.bincount(bins, weights=values)
    filled = count > 0
    centres = (np.arange(len(count)) + 0.5) / GRID_HZ
    means = sums[filled] / count[filled]
    result: FloatArray = np.interp(centres, centres[filled], means)
    return result


def detrend(signal: FloatArray) -> FloatArray:
    """Removes a quadratic trend (zero drift, a slow settling) from the window: the least-squares
    fit of ``np.polynomial.polynomial.polyfit(x, signal, 2)``, its design matrix made once per
    window length (the same matrices and the same ``lstsq`` call, so the same result)."""
    x, design, scale, rcond = quadratic_design(len(signal))
    coeffs = np.linalg.lstsq(design, signal + 0.0, rcond)[0] / scale
    result: FloatArray = signal - np.polynomial.polynomial.polyval(x, coeffs)
    return result


def rate(
    signal: FloatArray, band: tuple[float, float, float], harmonic_visible: bool = True
) -> Estimate:
    """Spectral peak in the band, refined by phase; quality from its height over the floor.
    No estimate when the signal is not periodic like breathing (``periodic``, and a second
    harmonic where the frame rate can show one)."""
    low, top, safe = band
    freqs = rfft_hz(PAD_POINTS)
    power = np.abs(np.fft.rfft(signal * hanning(len(signal)), PAD_POINTS)) ** 2
    inside = band_slice(freqs, low, top)  # freqs rise: a band is a slice
    if inside.start >= inside.stop or float(power[inside].max()) <= 0.0:
        return Estimate(bpm=0.0, quality=0.0)
    peak = _fundamental(freqs, power, inside, inside.start + int(np.argmax(power[inside])))
    f0 = float(freqs[peak])
    # A maximum only because the band ends there is a slope (drift, an alias), not a breath.
    is_peak = power[peak] >= power[peak - 1] and power[peak] >= power[peak + 1]
    if f0 > safe or not is_peak:
        return Estimate(bpm=0.0, quality=0.0)
    floor = median(power[inside])
    ratio = float(power[peak]) / floor if floor > 0 else np.inf
    shaped = not harmonic_visible or harmonic_ratio(freqs, power, f0) >= MIN_HARMONIC
    if not (shaped and periodic(signal, f0)):
        return Estimate(bpm=0.0, quality=0.0)
    refined = phase_rate(signal, f0)
    return Estimate(bpm=60.0 * refined, quality=quality(ratio))


def autocorrelation(signal: FloatArray, period_s: float) -> float:
    """The signal's highest normalised autocorrelation within ±25 % of a lag of ``period_s``
    (unbiased: each lag averaged over its own overlap); −1 when the window is too short."""
    x = signal - float(signal.mean())
    n = len(x)
    var = float(x @ x) / n
    lag = period_s * GRID_HZ
    lo, hi = max(1, int(0.75 * lag)), min(n - 8, int(1.25 * lag) + 1)
    if var <= 0.0 or hi < lo:
        return -1.0
    return max(float(x[:-k] @ x[k:]) / (n - k) / var for k in range(lo, hi + 1))


def harmonic_ratio(freqs: FloatArray, power: FloatArray, f0_hz: float) -> float:
    """Power at twice the rate over the spectrum's floor around it. Inspiration is fast and
    expiration slow, so breathing carries a second harmonic; band-limited noise (a slow
    wander) carries none."""
    near = band_slice(freqs, 1.9 * f0_hz, 2.1 * f0_hz)
    ring = band_slice(freqs, 1.5 * f0_hz, 2.5 * f0_hz)
    hole = band_slice(freqs, 1.8 * f0_hz, 2.2 * f0_hz)  # inside the ring
    around = np.concatenate((power[ring.start : hole.start], power[hole.stop : ring.stop]))
    if near.start >= near.stop or not around.size:
        return 0.0
    floor = median(around)
    return float(power[near].max()) / floor if floor > 0.0 else float("inf")


def band_passed(signal: FloatArray, f0_hz: float) -> FloatArray:
    """The signal kept between 0.6 and 1.45 times ``f0_hz`` (FFT mask)."""
    spectrum = np.fft.rfft(signal)
    freqs = rfft_hz(len(signal))
    keep = (freqs >= 0.6 * f0_hz) & (freqs <= 1.45 * f0_hz)
    result: FloatArray = np.fft.irfft(np.where(keep, spectrum, 0.0), len(signal))
    return result


def periodic(signal: FloatArray, f0_hz: float) -> bool:
    """Breathing repeats itself: around its rate, the signal still correlates with itself two
    periods later (breath-to-breath variability of 8 % leaves ~0.75). Noise, or a slow artefact
    (a body's sway, a 4–8 /min wander), band-limited to the same band loses it within a period
    or two (for a band 0.85 × f0 wide: sinc(1.7) ≈ −0.15); a posture shift is one step."""
    narrow = band_passed(signal, f0_hz)
    period_s = 1.0 / f0_hz
    one = autocorrelation(narrow, period_s)
    two = autocorrelation(narrow, 2.0 * period_s)
    return one >= MIN_PERIODICITY and two >= MIN_PERIODICITY_2 and steady(narrow, f0_hz)


def steady(narrow: FloatArray, f0_hz: float) -> bool:
    """Breath after breath moves about the same load: the envelope of the band-passed signal
    varies little (coefficient of variation under ``MAX_ENVELOPE_CV``); band-limited noise has
    a Rayleigh envelope (≈ 0.52)."""
    n = len(narrow)
    spectrum = np.fft.fft(narrow)
    envelope = np.abs(np.fft.ifft(spectrum * analytic_gain(n)))
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    core = envelope[trim : n - trim]
    mean = float(core.mean())
    return mean > 0.0 and float(core.std()) / mean <= MAX_ENVELOPE_CV


def _fundamental(freqs: FloatArray, power: FloatArray, band: slice, peak: int) -> int:
    """The peak's half when that is strong too: the fast inspiration makes a second harmonic.
    Only the band's power counts."""
    half = freqs[peak] / 2
    near = band_slice(freqs, half * 0.9, half * 1.1)
    start, stop = max(near.start, band.start), min(near.stop, band.stop)
    if start >= stop or float(power[start:stop].max()) <= 0.0:
        return peak
    candidate = start + int(np.argmax(power[start:stop]))
    return candidate if power[candidate] >= 0.3 * power[peak] else peak


def phase_rate(signal: FloatArray, f0_hz: float) -> float:
    """Mean frequency over the window: the slope of the unwrapped phase around ``f0_hz``."""
    n = len(signal)
    spectrum = np.fft.fft(signal)
    freqs, t = fft_hz_and_t(n)
    keep = (freqs >= 0.6 * f0_hz) & (freqs <= 1.45 * f0_hz)
    analytic = np.fft.ifft(np.where(keep, 2.0 * spectrum, 0.0))
    phase = np.unwrap(np.angle(analytic))
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    core = slice(trim, n - trim)
    weights = np.abs(analytic[core])
    if float(weights.sum()) <= 0.0:
        return f0_hz
    slope = float(np.polyfit(t[core], phase[core], 1, w=weights)[0])
    refined = slope / (2 * np.pi)
    # A phase slip (noise) can pull the slope far off; then keep the spectral peak.
    return refined if abs(refined - f0_hz) < 0.15 * f0_hz else f0_hz


def quality(ratio: float) -> float:
    """Maps the peak-to-floor power ratio to 0–1 (noise alone peaks at ~5–10 times)."""
    return float(np.clip(1.0 - np.exp(-(ratio - NOISE_RATIO) / SNR_SCALE), 0.0, 1.0))
