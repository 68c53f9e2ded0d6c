"""The breathing analysis's fixed arrays (frequency axes, windows and the detrend's design
matrix, made once per length and shared read-only) and its two array helpers, a band of
frequencies as a slice and a lean median (pure).

They depend on a window's length alone, and a window keeps its length from one estimate to
the next, so each is built once instead of at every estimate; built by the same numpy calls
as before, they hold the same values, and the estimates are unchanged to the last bit.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

GRID_HZ = 4.0  # covers the band (≤ 0.7 Hz) and its second harmonic


@functools.lru_cache(maxsize=64)
def quadratic_design(n: int) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """x on [-1, 1], the column-scaled Vandermonde matrix, the column scales and ``rcond``, as
    ``polyfit`` makes them (read-only: they are shared)."""
    x = np.linspace(-1.0, 1.0, n)
    lhs = np.polynomial.polynomial.polyvander(x, 2).T
    scale = np.sqrt(np.square(lhs).sum(1))
    scale[scale == 0] = 1
    design = lhs.T / scale
    return _frozen(x), _frozen(design), _frozen(scale), n * float(np.finfo(np.float64).eps)


def _frozen(array: FloatArray) -> FloatArray:
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=64)
def rfft_hz(n: int) -> FloatArray:
    """``np.fft.rfftfreq`` on the grid (read-only: shared)."""
    return _frozen(np.fft.rfftfreq(n, 1.0 / GRID_HZ).astype(np.float64))


@functools.lru_cache(maxsize=64)
def fft_hz_and_t(n: int) -> tuple[FloatArray, FloatArray]:
    """``np.fft.fftfreq`` on the grid and the grid's times (read-only: shared)."""
    freqs = np.asarray(np.fft.fftfreq(n, 1.0 / GRID_HZ), dtype=np.float64)
    return _frozen(freqs), _frozen(np.arange(n) / GRID_HZ)


@functools.lru_cache(maxsize=64)
def hanning(n: int) -> FloatArray:
    return _frozen(np.hanning(n))


@functools.lru_cache(maxsize=64)
def analytic_gain(n: int) -> FloatArray:
    """The FFT gain that turns a real signal into its analytic signal."""
    gain = np.zeros(n)
    gain[0] = 1.0
    gain[1 : (n + 1) // 2] = 2.0
    if n % 2 == 0:
        gain[n // 2] = 1.0
    return _frozen(gain)


def band_slice(freqs: FloatArray, low: float, high: float) -> slice:
    """The rising ``freqs`` from ``low`` to ``high``, both included (``(freqs >= low) & (freqs
    <= high)`` as a slice)."""
    start = int(np.searchsorted(freqs, low, side="left"))
    return slice(start, max(start, int(np.searchsorted(freqs, high, side="right"))))


def median(values: FloatArray) -> float:
    """``np.median`` of a 1-D array with no NaN, without its generality's overhead: the middle
    value, or the mean of the two middle ones (``(a + b) / 2``, as ``np.mean`` takes it)."""
    n = len(values)
    half = n // 2
    if n % 2:
        return float(np.partition(values, half)[half])
    part = np.partition(values, (half - 1, half))
    return float((part[half - 1] + part[half]) / 2)
