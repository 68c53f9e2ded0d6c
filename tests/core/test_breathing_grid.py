"""The breathing analysis's shared arrays and its median give the numbers numpy's own calls
give: to the last bit for the frequency axes, the windows and ``np.median``; to rounding for
the detrend (``polyfit`` / ``polyval``, solved by a pseudo-inverse made once per length)."""

from __future__ import annotations

import numpy as np
import pytest

from controller.core import breathing_grid as grid
from controller.core.breathing_dsp import detrend, median


@pytest.mark.parametrize("n", [8, 9, 80, 241, 240, 1200])
def test_the_detrend_is_polyfits(n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(20):
        signal = rng.standard_normal(n) * 0.01 + np.linspace(0.0, rng.normal(), n) ** 2
        x = np.linspace(-1.0, 1.0, n)
        coeffs = np.polynomial.polynomial.polyfit(x, signal, 2)
        want = signal - np.polynomial.polynomial.polyval(x, coeffs)
        got = detrend(signal)
        # rounding only: far below the 1e-4 kg·m the analysis tells from nothing
        assert np.max(np.abs(got - want)) <= 1e-12 * np.max(np.abs(signal))
        assert not np.array_equal(got, signal)


@pytest.mark.parametrize("n", [8, 9, 240, 8192])
def test_the_axes_and_windows_are_numpys(n: int) -> None:
    assert np.array_equal(grid.rfft_hz(n), np.fft.rfftfreq(n, 1.0 / grid.GRID_HZ))
    assert np.array_equal(grid.hanning(n), np.hanning(n))
    with pytest.raises(ValueError, match="read-only"):
        grid.hanning(n)[0] = 1.0


@pytest.mark.parametrize("n", [1, 2, 3, 8, 241, 4097])
def test_the_median_is_numpys(n: int) -> None:
    rng = np.random.default_rng(n)
    for values in (rng.standard_normal(n), rng.integers(0, 3, n).astype(np.float64)):
        assert median(values) == float(np.median(values))
