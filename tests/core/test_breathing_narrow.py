"""The narrow-band looks at a candidate rate, made from one analytic signal (the DFT's rows
for the kept bins), give what the textbook steps give to rounding: the band-passed signal
(``irfft`` of the masked spectrum), its autocorrelation lag by lag, its envelope (``fft`` times
the analytic gain), the periodicity verdict and the rate as ``np.polyfit`` of the unwrapped
phase; and the padded spectrum's power read on the harmonic's
ring only is the whole power's, to the bit."""

from __future__ import annotations

import numpy as np
import pytest

from controller.core import breathing_narrow as narrow
from controller.core.breathing_dsp import PAD_POINTS, harmonic_ratio, median
from controller.core.breathing_grid import GRID_HZ, FloatArray, band_slice, hanning, rfft_hz

TOLERANCE = 1e-9


def breath(n: int, f0_hz: float, seed: int) -> FloatArray:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / GRID_HZ
    phase = 2 * np.pi * np.cumsum(f0_hz * (1 + 0.08 * rng.standard_normal(n) / 4)) / GRID_HZ
    signal: FloatArray = np.sin(phase) + 0.3 * np.sin(2 * phase + 1.0)
    return signal + 0.2 * rng.standard_normal(n) + 0.01 * t


def band_passed(signal: FloatArray, f0_hz: float) -> FloatArray:
    freqs = np.fft.rfftfreq(len(signal), 1.0 / GRID_HZ)
    keep = (freqs >= 0.6 * f0_hz) & (freqs <= 1.45 * f0_hz)
    out: FloatArray = np.fft.irfft(np.where(keep, np.fft.rfft(signal), 0.0), len(signal))
    return out


def autocorrelation(x: FloatArray, period_s: float) -> float:
    x = x - x.mean()
    n, var, lag = len(x), float(x @ x) / len(x), period_s * GRID_HZ
    lo, hi = max(1, int(0.75 * lag)), min(n - 8, int(1.25 * lag) + 1)
    if hi < lo:
        return -1.0
    return max(float(x[:-k] @ x[k:]) / (n - k) / var for k in range(lo, hi + 1))


def envelope(x: FloatArray) -> FloatArray:
    n = len(x)
    gain = np.zeros(n)
    gain[0] = 1.0
    gain[1 : (n + 1) // 2] = 2.0
    if n % 2 == 0:
        gain[n // 2] = 1.0
    out: FloatArray = np.abs(np.fft.ifft(np.fft.fft(x) * gain))
    return out


def textbook_rate(signal: FloatArray, f0_hz: float) -> float | None:
    """The rate as the steps were first written: band-pass, autocorrelations, envelope and
    ``np.polyfit`` of the unwrapped phase, each from its own FFTs."""
    x = band_passed(signal, f0_hz)
    one, two = autocorrelation(x, 1 / f0_hz), autocorrelation(x, 2 / f0_hz)
    n = len(x)
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    core = envelope(x)[trim : n - trim]
    steady = core.mean() > 0.0 and core.std() / core.mean() <= narrow.MAX_ENVELOPE_CV
    if one < 0.5 or two < 0.4 or not steady:
        return None
    return polyfit_rate(signal, f0_hz)


def polyfit_rate(signal: FloatArray, f0_hz: float) -> float:
    n = len(signal)
    freqs = np.fft.fftfreq(n, 1.0 / GRID_HZ)
    keep = (freqs >= 0.6 * f0_hz) & (freqs <= 1.45 * f0_hz)
    analytic = np.fft.ifft(np.where(keep, 2.0 * np.fft.fft(signal), 0.0))
    phase = np.unwrap(np.angle(analytic))
    trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
    core = slice(trim, n - trim)
    t = np.arange(n) / GRID_HZ
    slope = float(np.polyfit(t[core], phase[core], 1, w=np.abs(analytic[core]))[0])
    refined = slope / (2 * np.pi)
    return refined if abs(refined - f0_hz) < 0.15 * f0_hz else f0_hz


@pytest.mark.parametrize("n", [57, 80, 240, 241, 2400])
@pytest.mark.parametrize("f0_hz", [0.07, 0.2, 0.55])
def test_one_analytic_signal_gives_the_textbook_figures(n: int, f0_hz: float) -> None:
    for seed in range(5):
        signal = breath(n, f0_hz, seed)
        z = narrow.analytic(signal, f0_hz)
        want = band_passed(signal, f0_hz)
        assert np.max(np.abs(z.real - want)) <= TOLERANCE * np.max(np.abs(want))
        assert np.max(np.abs(np.abs(z) - envelope(want))) <= TOLERANCE * np.max(np.abs(want))
        period_s = 1.0 / f0_hz
        one, two = narrow.autocorrelations(want, period_s)
        assert one == pytest.approx(autocorrelation(want, period_s), abs=TOLERANCE)
        assert two == pytest.approx(autocorrelation(want, 2 * period_s), abs=TOLERANCE)
        rate = narrow.breathing_rate(signal, f0_hz)
        want_rate = textbook_rate(signal, f0_hz)
        assert (rate is None) == (want_rate is None)
        if rate is not None:
            assert rate == pytest.approx(want_rate, rel=TOLERANCE)
        trim = min(int(GRID_HZ / f0_hz / 2), n // 4)
        part = z[trim : n - trim]
        got = narrow.phase_rate(part, np.abs(part), f0_hz)
        assert got == pytest.approx(polyfit_rate(signal, f0_hz), rel=TOLERANCE)


def test_a_flat_signal_has_no_autocorrelation_and_keeps_the_peak() -> None:
    flat = np.zeros(240)
    assert narrow.autocorrelations(flat, 4.0) == (-1.0, -1.0)
    z = narrow.analytic(flat, 0.25)
    assert narrow.phase_rate(z, np.abs(z), 0.25) == 0.25
    assert narrow.breathing_rate(flat, 0.25) is None


@pytest.mark.parametrize("f0_hz", [0.07, 0.25, 0.72, 1.2])
def test_the_harmonic_read_on_its_ring_is_the_whole_spectrums(f0_hz: float) -> None:
    signal = breath(240, f0_hz, 3)
    spectrum = np.fft.rfft(signal * hanning(240), PAD_POINTS)
    freqs, power = rfft_hz(PAD_POINTS), np.abs(spectrum) ** 2
    near = band_slice(freqs, 1.9 * f0_hz, 2.1 * f0_hz)
    ring = band_slice(freqs, 1.5 * f0_hz, 2.5 * f0_hz)
    hole = band_slice(freqs, 1.8 * f0_hz, 2.2 * f0_hz)
    around = np.concatenate((power[ring.start : hole.start], power[hole.stop : ring.stop]))
    want = float(power[near].max()) / median(around) if near.start < near.stop else 0.0
    assert harmonic_ratio(freqs, spectrum, f0_hz) == want
