"""The breathing analysis around a candidate rate: is the signal periodic like breathing, and
what is its mean rate over the window (pure, numpy).

Both looks start from one analytic signal: the window kept between 0.6 and 1.45 times the
candidate rate (one FFT, one inverse). Its real part is the band-passed signal, whose
autocorrelation one and two periods on says whether it repeats; its modulus is the envelope,
whose steadiness says whether breath after breath moves the same load; the slope of its
unwrapped phase, weighted by the envelope, is the rate. The arrays are short (a minute on a
4 Hz grid), so each step is written in as few numpy calls as it takes.
"""

from __future__ import annotations

from operator import truediv

import numpy as np
import numpy.typing as npt

from controller.core.breathing_grid import (
    GRID_HZ,
    FloatArray,
    band_slice,
    dft_rows,
    rfft_hz,
    samples,
)

__all__ = ["ComplexArray", "analytic", "autocorrelations", "breathing_rate", "phase_rate"]

ComplexArray = npt.NDArray[np.complex128]

LOW_SHARE = 0.6  # the band kept around the rate, as shares of it
HIGH_SHARE = 1.45
MIN_PERIODICITY = 0.5  # band-passed autocorrelation one period on ...
MIN_PERIODICITY_2 = 0.4  # ... and two periods on: breathing ~0.75, noise and wander ≲ 0.2
MAX_ENVELOPE_CV = 0.35
MAX_SLIP = 0.15  # a phase rate this far (as a share) from the peak is a phase slip


def breathing_rate(signal: FloatArray, f0_hz: float) -> float | None:
    """The mean rate (Hz) around a spectral peak at ``f0_hz``, or ``None`` when the signal is
    not periodic like breathing.

    Breathing repeats itself: around its rate, the signal still correlates with itself two
    periods later (breath-to-breath variability of 8 % leaves ~0.75), and breath after breath
    moves about the same load (the envelope's coefficient of variation under
    ``MAX_ENVELOPE_CV``). Noise, or a slow artefact (a body's sway, a 4–8 /min wander),
    band-limited to the same band loses the correlation within a period or two (for a band
    0.85 × f0 wide: sinc(1.7) ≈ −0.15) and has a Rayleigh envelope (≈ 0.52); a posture shift
    is one step."""
    narrow = analytic(signal, f0_hz)
    one, two = autocorrelations(narrow.real, 1.0 / f0_hz)
    if one < MIN_PERIODICITY or two < MIN_PERIODICITY_2:
        return None
    part = narrow[_trimmed(len(narrow), f0_hz)]
    envelope = np.abs(part)
    w2 = envelope * envelope
    total = float(w2.sum())
    m = len(envelope)
    mean = float(envelope.sum()) / m
    # the spread (np.std) from the sums: the verdict moves only at a ratio within rounding
    # of MAX_ENVELOPE_CV
    if not (mean > 0.0 and total / m - mean * mean <= (MAX_ENVELOPE_CV * mean) ** 2):
        return None
    return _phase_rate(part, w2, total, f0_hz)


def analytic(signal: FloatArray, f0_hz: float) -> ComplexArray:
    """The analytic signal of ``signal`` kept between 0.6 and 1.45 times ``f0_hz`` (an FFT
    mask: the kept positive frequencies doubled, everything else zero). Its real part is the
    band-passed signal, its modulus the envelope. The kept bins are a few (~0.85 × f0 × the
    window's length), so their spectrum and its inverse are two products with the DFT's rows
    for them, not an FFT and an inverse FFT of the whole window."""
    n = len(signal)
    rows = dft_rows(n, band_slice(rfft_hz(n), LOW_SHARE * f0_hz, HIGH_SHARE * f0_hz))
    kept: ComplexArray = rows @ signal  # the spectrum on the kept bins
    # inverse: Σ_k 2 X_k e^{+2πi k t / n} / n, the conjugate of conj(X) · rows
    result: ComplexArray = (kept.conj() @ rows).conj()
    result *= 2.0 / n
    return result


def _trimmed(n: int, f0_hz: float) -> slice:
    """The window less half a period at each end, where the band-pass rings."""
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    return slice(trim, n - trim)


def autocorrelations(signal: FloatArray, period_s: float) -> tuple[float, float]:
    """The signal's highest normalised autocorrelation within ±25 % of a lag of one and of two
    ``period_s`` (unbiased: each lag averaged over its own overlap); −1 where the window is
    too short. The lag products come from one ``np.correlate`` over the lags needed; the
    few lags are divided and compared as Python floats."""
    n = len(signal)
    first, one_to = _lags(n, period_s * GRID_HZ)
    two_from, last = _lags(n, 2.0 * period_s * GRID_HZ)
    x = signal - float(signal.sum()) / n  # np.mean
    var = float(x @ x) / n
    # The second range starts and ends no earlier than the first, and is empty when it is.
    if var <= 0.0 or one_to < first:
        return -1.0, -1.0
    two = last >= two_from
    if not two:
        last = one_to
    # products[k - first] = x[:-k] @ x[k:] (x padded with zeros past its end)
    products = np.correlate(np.concatenate((x[first:], np.zeros(last))), x, "valid").tolist()
    # each lag over its overlap; then over var, which keeps their order (var > 0)
    unbiased = list(map(truediv, products, range(n - first, n - last - 1, -1)))
    one_max = max(unbiased[: one_to - first + 1]) / var
    return one_max, max(unbiased[two_from - first :]) / var if two else -1.0


def _lags(n: int, lag: float) -> tuple[int, int]:
    return max(1, int(0.75 * lag)), min(n - 8, int(1.25 * lag) + 1)


def phase_rate(part: ComplexArray, envelope: FloatArray, f0_hz: float) -> float:
    """Mean frequency (Hz) of the analytic signal ``part`` (the window less its ends): the
    slope of its unwrapped phase weighted by its ``envelope``, as ``np.polyfit(t, phase, 1,
    w=envelope)`` finds it, in closed form. The phase steps are the angles between neighbours
    (what ``np.unwrap`` makes of the angles' differences); ``f0_hz`` when the slope is far
    off (a phase slip) or there is no envelope."""
    w2 = envelope * envelope  # polyfit weighs the residuals: squares in the normal equations
    return _phase_rate(part, w2, float(w2.sum()), f0_hz)


def _phase_rate(part: ComplexArray, w2: FloatArray, total: float, f0_hz: float) -> float:
    """``phase_rate`` from the squared envelope ``w2`` and its sum ``total``."""
    if total <= 0.0:
        return f0_hz
    m = len(part)
    phase = np.empty(m)
    phase[0] = 0.0
    steps = part[1:] * part[:-1].conj()
    np.cumsum(np.arctan2(steps.imag, steps.real), out=phase[1:])  # np.angle
    at = samples(m)
    lever = at - float(w2 @ at) / total
    lever *= w2
    refined = float(lever @ phase) / float(lever @ at) * GRID_HZ / (2 * np.pi)
    return refined if abs(refined - f0_hz) < MAX_SLIP * f0_hz else f0_hz
