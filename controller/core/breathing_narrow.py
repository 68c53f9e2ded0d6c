"""The breathing analysis around a candidate rate: is the signal periodic like breathing, and
what is its mean rate over the window (pure, numpy).

Both looks start from one analytic signal: the window kept between 0.6 and 1.45 times the
candidate rate (one FFT, one inverse). Its real part is the band-passed signal, whose
autocorrelation one and two periods on says whether it repeats; its modulus is the envelope,
whose steadiness says whether breath after breath moves the same load; the slope of its
unwrapped phase is the rate.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from controller.core.breathing_grid import GRID_HZ, FloatArray, band_slice, rfft_hz

__all__ = ["ComplexArray", "analytic", "autocorrelations", "periodic", "phase_rate", "steady"]

ComplexArray = npt.NDArray[np.complex128]

LOW_SHARE = 0.6  # the band kept around the rate, as shares of it
HIGH_SHARE = 1.45
MIN_PERIODICITY = 0.5  # band-passed autocorrelation one period on ...
MIN_PERIODICITY_2 = 0.4  # ... and two periods on: breathing ~0.75, noise and wander ≲ 0.2
MAX_ENVELOPE_CV = 0.35


def analytic(signal: FloatArray, f0_hz: float) -> ComplexArray:
    """The analytic signal of ``signal`` kept between 0.6 and 1.45 times ``f0_hz`` (FFT mask:
    the kept positive frequencies doubled, everything else zero)."""
    n = len(signal)
    keep = band_slice(rfft_hz(n), LOW_SHARE * f0_hz, HIGH_SHARE * f0_hz)
    one_sided = np.zeros(n, dtype=np.complex128)
    one_sided[keep] = 2.0 * np.fft.rfft(signal)[keep]
    result: ComplexArray = np.fft.ifft(one_sided)
    return result


def _trimmed(n: int, f0_hz: float) -> slice:
    """The window less half a period at each end, where the band-pass rings."""
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    return slice(trim, n - trim)


def autocorrelations(signal: FloatArray, period_s: float) -> tuple[float, float]:
    """The signal's highest normalised autocorrelation within ±25 % of a lag of one and of two
    ``period_s`` (unbiased: each lag averaged over its own overlap); −1 where the window is
    too short. The lag products come from one ``np.correlate`` over the lags needed."""
    x = signal - float(signal.mean())
    n = len(x)
    var = float(x @ x) / n
    ranges = [_lags(n, period_s * GRID_HZ), _lags(n, 2.0 * period_s * GRID_HZ)]
    wanted = [(lo, hi) for lo, hi in ranges if hi >= lo]
    if var <= 0.0 or not wanted:
        return -1.0, -1.0
    first = min(lo for lo, _ in wanted)
    last = max(hi for _, hi in wanted)
    # products[m] = x[:-k] @ x[k:] for k = first + m (x padded with zeros past its end)
    products = np.correlate(np.concatenate((x[first:], np.zeros(last))), x, "valid")
    unbiased = products / (n - np.arange(first, last + 1)) / var
    one, two = (
        float(unbiased[lo - first : hi - first + 1].max()) if hi >= lo else -1.0
        for lo, hi in ranges
    )
    return one, two


def _lags(n: int, lag: float) -> tuple[int, int]:
    return max(1, int(0.75 * lag)), min(n - 8, int(1.25 * lag) + 1)


def periodic(narrow: ComplexArray, f0_hz: float) -> bool:
    """Breathing repeats itself: around its rate, the signal still correlates with itself two
    periods later (breath-to-breath variability of 8 % leaves ~0.75). Noise, or a slow artefact
    (a body's sway, a 4–8 /min wander), band-limited to the same band loses it within a period
    or two (for a band 0.85 × f0 wide: sinc(1.7) ≈ −0.15); a posture shift is one step.
    ``narrow`` is the ``analytic`` signal around ``f0_hz``."""
    one, two = autocorrelations(np.ascontiguousarray(narrow.real), 1.0 / f0_hz)
    return one >= MIN_PERIODICITY and two >= MIN_PERIODICITY_2 and steady(narrow, f0_hz)


def steady(narrow: ComplexArray, f0_hz: float) -> bool:
    """Breath after breath moves about the same load: the envelope of the band-passed signal
    varies little (coefficient of variation under ``MAX_ENVELOPE_CV``); band-limited noise has
    a Rayleigh envelope (≈ 0.52)."""
    core = np.abs(narrow[_trimmed(len(narrow), f0_hz)])
    mean = float(core.mean())
    return mean > 0.0 and float(core.std()) / mean <= MAX_ENVELOPE_CV


def phase_rate(narrow: ComplexArray, f0_hz: float) -> float:
    """Mean frequency over the window: the slope of the unwrapped phase of the ``analytic``
    signal around ``f0_hz``, weighted by its envelope (``np.polyfit(t, phase, 1, w=envelope)``
    in closed form)."""
    core = _trimmed(len(narrow), f0_hz)
    part = narrow[core]
    weights = np.abs(part)
    if float(weights.sum()) <= 0.0:
        return f0_hz
    phase = np.unwrap(np.angle(part))
    t = np.arange(core.start, core.stop) / GRID_HZ
    w2 = weights * weights  # polyfit weighs the residuals: squares in the normal equations
    total = float(w2.sum())
    t_dev = t - float(w2 @ t) / total
    slope = float((w2 * t_dev) @ phase) / float((w2 * t_dev) @ t_dev)
    refined = slope / (2 * np.pi)
    # A phase slip (noise) can pull the slope far off; then keep the spectral peak.
    return refined if abs(refined - f0_hz) < 0.15 * f0_hz else f0_hz
