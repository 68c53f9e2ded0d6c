"""The breathing analysis's fixed arrays (frequency axes, windows and the detrend's solver,
made once per length and shared read-only) and its two array helpers, a band of frequencies
as a slice and a lean median (pure).

They depend on a window's length alone, and a window keeps its length from one estimate to
the next, so each is built once instead of at every estimate. The axes and windows are
numpy's own to the last bit; the detrend's solver gives ``polyfit``'s solution to rounding.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

GRID_HZ = 4.0  # covers the band (≤ 0.7 Hz) and its second harmonic


@functools.lru_cache(maxsize=64)
def quadratic_solver(n: int) -> tuple[FloatArray, FloatArray]:
    """x on [-1, 1] and the 3 × n matrix that takes a signal to the coefficients
    ``np.polynomial.polynomial.polyfit(x, signal, 2)`` finds: the pseudo-inverse of the
    column-scaled Vandermonde matrix polyfit builds, rows divided by the column scales (the
    same least-squares solution as its ``lstsq``, to rounding, in one product; read-only)."""
    x = np.linspace(-1.0, 1.0, n)
    lhs = np.polynomial.polynomial.polyvander(x, 2).T
    scale = np.sqrt(np.square(lhs).sum(1))
    scale[scale == 0] = 1
    solver = np.linalg.pinv(lhs.T / scale) / scale[:, np.newaxis]
    return _frozen(x), _frozen(np.ascontiguousarray(solver))


def _frozen(array: FloatArray) -> FloatArray:
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=64)
def rfft_hz(n: int) -> FloatArray:
    """``np.fft.rfftfreq`` on the grid (read-only: shared)."""
    return _frozen(np.fft.rfftfreq(n, 1.0 / GRID_HZ).astype(np.float64))


@functools.lru_cache(maxsize=64)
def hanning(n: int) -> FloatArray:
    return _frozen(np.hanning(n))


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
