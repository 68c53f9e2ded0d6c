"""The breathing analysis's fixed arrays (frequency axes, windows and the detrend's solver,
made once per length and shared read-only) and its array helpers: a band of frequencies as
a slice, a lean median and the frames' median step (pure).

They depend on a window's length alone, and a window keeps its length from one estimate to
the next, so each is built once instead of at every estimate. The axes and windows are
numpy's own to the last bit; the detrend's solver gives ``polyfit``'s solution to rounding.
"""

from __future__ import annotations

import functools
import math
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

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
    lhs = np.stack((np.ones_like(x), x, x * x))  # polyvander(x, 2).T, without numpy.polynomial
    scale = np.sqrt(np.square(lhs).sum(1))
    scale[scale == 0] = 1
    solver = np.linalg.pinv(lhs.T / scale) / scale[:, np.newaxis]
    return _frozen(x), _frozen(np.ascontiguousarray(solver))


def _frozen(array: FloatArray) -> FloatArray:
    array.flags.writeable = False
    return array


@functools.lru_cache(maxsize=64)
def rfft_hz(n: int) -> tuple[float, ...]:
    """``np.fft.rfftfreq`` on the grid, as Python floats (a tuple: shared; read bin by bin and
    bisected, where numpy's calls would cost more than the work)."""
    return tuple(np.fft.rfftfreq(n, 1.0 / GRID_HZ).tolist())


@functools.lru_cache(maxsize=8)
def _roots(n: int) -> npt.NDArray[np.complex128]:
    roots: npt.NDArray[np.complex128] = np.exp(-2j * np.pi * np.arange(n) / n)  # ~4 KB
    roots.flags.writeable = False
    return roots


def dft_rows(n: int, bins: slice) -> npt.NDArray[np.complex128]:
    """The DFT's rows for the frequencies ``rfft_hz(n)[bins]``: ``exp(-2πi k j / n)``, read
    from the n roots of unity at ``k j mod n`` (exact angles). A few rows of it are a band's
    spectrum in one product, where an FFT of the whole window would cost more. Only the rows
    asked for are made (the whole matrix would hold ~0.5 MB per window length), and the last
    four bands asked for are kept (read-only; ~40 KB each at 12 /min, 130 KB at 40 /min): a
    steady breath asks for the same band again, on a window of 240 or 241 points."""
    return _band_rows(n, bins.start, bins.stop)


@functools.lru_cache(maxsize=4)
def _band_rows(n: int, start: int, stop: int) -> npt.NDArray[np.complex128]:
    k = np.arange(n // 2 + 1)[start:stop, np.newaxis]
    rows: npt.NDArray[np.complex128] = _roots(n)[(k * np.arange(n)) % n]
    rows.flags.writeable = False
    return rows


@functools.lru_cache(maxsize=64)
def hanning(n: int) -> FloatArray:
    return _frozen(np.hanning(n))


@functools.lru_cache(maxsize=4)
def ones(n: int) -> FloatArray:
    """``np.ones(n)``, read-only: a row of it sums a window's columns in one product."""
    return _frozen(np.ones(n))


@functools.lru_cache(maxsize=8)
def samples(n: int) -> FloatArray:
    """``np.arange(n)`` as floats, read-only."""
    return _frozen(np.arange(n, dtype=np.float64))


def band_slice(freqs: Sequence[float], low: float, high: float) -> slice:
    """The rising ``freqs`` from ``low`` to ``high``, both included (``(freqs >= low) & (freqs
    <= high)`` as a slice; ``np.searchsorted``'s left and right sides are bisect's)."""
    start = bisect_left(freqs, low)
    return slice(start, max(start, bisect_right(freqs, high)))


def median(values: FloatArray, in_place: bool = False) -> float:
    """``np.median`` of a 1-D array with no NaN, without its generality's overhead: the middle
    value, or the mean of the two middle ones (``(a + b) / 2``, as ``np.mean`` takes it).
    ``in_place``: the values are reordered (a caller's own array, not read again)."""
    n = len(values)
    half = n // 2
    part = values if in_place else values.copy()  # np.partition's copy, without its wrapper
    if n % 2:
        part.partition(half)
        return float(part[half])
    part.partition((half - 1, half))
    return float((part[half - 1] + part[half]) / 2)


def median_step(t_s: FloatArray) -> float | None:
    """The median step between frames (``median(np.diff(t_s))``), or ``None`` unless every
    step is finite and above 0. One partition finds the least, the middle and the most."""
    steps = t_s[1:] - t_s[:-1]
    n = len(steps)
    half = n // 2
    middle = (half,) if n % 2 else (half - 1, half)
    steps.partition((0, *middle, n - 1))  # in place: the steps are this call's own
    if not (steps[0] > 0 and steps[-1] < math.inf):
        return None
    if n % 2:
        return float(steps[half])
    return float((steps[half - 1] + steps[half]) / 2)
