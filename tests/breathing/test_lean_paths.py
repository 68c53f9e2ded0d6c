"""The breathing analysis's lean paths give what the plain steps give: to the bit, a missing
reading found by the buffer's own error, the steps' statistics from one partition, the
despike and finiteness tests from one pass and medians partitioned in place; to rounding
(BLAS's sums may differ in the last bit with the arrays' alignment), the zones' sums with a
zone left out and the autocorrelations divided as Python floats."""

from __future__ import annotations

import math

import numpy as np
import pytest

from controller.core import breathing_dsp as dsp
from controller.core import breathing_narrow as narrow
from controller.core.breathing import BreathingEstimator
from controller.core.breathing_grid import GRID_HZ, FloatArray, median, median_step
from controller.core.settings import BreathingSettings
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from tests.breathing.helpers import run
from tests.breathing.synth import Subject, synthesise
from tests.core.test_breathing_narrow import autocorrelation  # the lag-by-lag reference


def test_a_missing_reading_is_nan_wherever_it_stands() -> None:
    """Frames with None give the events the same frames with NaN give (the None path undoes
    what the buffer's extend took before the error; a misaligned row would move them)."""
    frames = synthesise(DEFAULT_LAYOUT, Subject(bpm=12, duration_s=120.0, seed=4))
    holes, nans = [], []
    for i, (frame, still) in enumerate(frames):
        zone = i % 9  # zones 0-5 in turn, then three whole frames
        if zone < 6 and i % 7 == 0:
            loads = list(frame.load_kg)
            holes.append((ZoneFrame(frame.t, (*loads[:zone], None, *loads[zone + 1 :])), still))
            nans.append((ZoneFrame(frame.t, (*loads[:zone], math.nan, *loads[zone + 1 :])), still))
        else:
            holes.append((frame, still))
            nans.append((frame, still))
    got = run(DEFAULT_LAYOUT, holes)
    assert got == run(DEFAULT_LAYOUT, nans)
    assert sum(e.quality > 0 for e in got) >= 4


def test_a_reading_that_is_no_number_still_raises() -> None:
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    with pytest.raises(TypeError):
        estimator.feed(ZoneFrame(0.0, (1.0, None, "x", 1.0, 1.0, 1.0)), True)  # type: ignore[arg-type]


def test_after_movement_or_reset_the_window_starts_again() -> None:
    settings = BreathingSettings(min_span_s=20.0, emit_every_s=15.0)
    estimator = BreathingEstimator(DEFAULT_LAYOUT, settings)
    loads = (8.0, 8.0, 12.0, 12.0, 4.0, 4.0)
    times = []
    for i in range(1000):  # 10 Hz
        t = i / 10
        if i == 300:
            estimator.reset()
        still = not 600 <= i < 605
        if estimator.feed(ZoneFrame(t, loads), still) is not None:
            times.append(round(t, 1))
    # 20 s after the start, 20 s after the reset at 30 s, then every 15 s until the movement
    # at 60 s, then 20 s after it ends (60.5 s) and 15 s on
    assert times == [20.0, 50.0, 80.5, 95.5]


def plain_median_step(t: FloatArray) -> float | None:
    steps = np.diff(t)
    if not (t[-1] - t[0] > 0 and steps.min() > 0 and np.isfinite(steps).all()):
        return None
    return float(np.median(steps))


@pytest.mark.parametrize("n", [2, 3, 4, 9, 600, 601])
def test_the_median_step_is_one_partitions(n: int) -> None:
    rng = np.random.default_rng(n)
    for _ in range(20):
        t = np.cumsum(rng.uniform(0.05, 0.15, n))
        assert median_step(t) == plain_median_step(t)
    t = np.cumsum(np.full(n, 0.1))
    for bad in (np.nan, np.inf, t[n // 2 - 1] if n > 2 else t[0]):
        broken = t.copy()
        broken[n // 2] = bad  # not rising, not a number, no end
        assert median_step(broken) is None


def plain_clean(load_kg: FloatArray, spike_kg: float) -> FloatArray:
    """clean_loads as it was first written: fill every zone, then despike every window."""
    out = load_kg.copy()
    index = np.arange(len(out), dtype=np.float64)
    for z in range(out.shape[1]):
        column = out[:, z]
        valid = np.isfinite(column)
        if valid.mean() < dsp.MIN_ZONE_VALID:
            column[:] = np.nan
        elif not valid.all():
            column[~valid] = np.interp(index[~valid], index[valid], column[valid])
    if len(out) < 3:
        return out
    middle = out[1:-1]
    before, after = middle - out[:-2], middle - out[2:]
    spikes = (np.minimum(before, after) > spike_kg) | (np.maximum(before, after) < -spike_kg)
    out[1:-1] = np.where(spikes, (out[:-2] + out[2:]) / 2, middle)
    return out


def windows(seed: int) -> list[FloatArray]:
    rng = np.random.default_rng(seed)
    out = []
    for frames in (1, 2, 3, 4, 50):
        base = 10.0 + 0.05 * rng.standard_normal((frames, 6))
        out.append(base)
        spiked = base.copy()
        spiked[frames // 2, 1] += 2.0
        out.append(spiked)
        holed = base.copy()
        holed[frames // 2, 2] = np.nan
        holed[:, 4] = np.nan if frames > 1 else holed[:, 4]
        out.append(holed)
        infinite = base.copy()
        infinite[-1, 0] = np.inf
        out.append(infinite)
    return out


@pytest.mark.parametrize("seed", range(4))
def test_the_clean_loads_are_the_plain_steps(seed: int) -> None:
    for load_kg in windows(seed):
        got = dsp.clean_loads(load_kg, 0.5)
        assert np.array_equal(got, plain_clean(load_kg, 0.5), equal_nan=True)


def plain_moment(load_kg: FloatArray, y_m: FloatArray) -> FloatArray | None:
    present = np.isfinite(load_kg[0])
    load_kg, y_m = load_kg[:, present], y_m[present]
    sum_kg = np.maximum(np.ones(len(load_kg)) @ load_kg, 0.0)
    total = float(sum(sum_kg.tolist()))
    if total <= 0:
        return None
    cop = float(sum((y_m * sum_kg).tolist())) / total
    lever = np.where(sum_kg > 0.02 * total, y_m - cop, 0.0)
    moment: FloatArray = load_kg @ lever
    return moment


def test_the_moment_leaves_a_missing_zone_out() -> None:
    rng = np.random.default_rng(5)
    y_m = np.array([0.2, 0.2, 0.6, 0.6, 1.0, 1.0])
    for gone in ((), (0,), (3, 4), (0, 1, 2, 3, 4, 5)):
        load_kg = 10.0 + rng.standard_normal((40, 6))
        load_kg[:, list(gone)] = np.nan
        got, want = dsp.load_moment(load_kg, y_m), plain_moment(load_kg, y_m)
        assert (got is None) == (want is None)
        if got is not None and want is not None:
            assert np.allclose(got, want, rtol=0.0, atol=1e-12)


@pytest.mark.parametrize("n", [1, 2, 5, 240, 241])
def test_a_median_in_place_is_numpys(n: int) -> None:
    values = np.random.default_rng(n).standard_normal(n)
    want = float(np.median(values))
    assert median(values) == want
    assert median(values.copy(), in_place=True) == want


@pytest.mark.parametrize("n", [12, 20, 30, 45, 241])
def test_the_autocorrelations_are_lag_by_lags(n: int) -> None:
    """Short windows too, where the second period (or both) do not fit."""
    rng = np.random.default_rng(n)
    for period_s in (1.0, 2.5, 5.0, 12.0):
        x = np.sin(np.arange(n) * 2 * np.pi / (period_s * GRID_HZ)) + rng.normal(0, 0.3, n)
        one, two = narrow.autocorrelations(x, period_s)
        assert one == pytest.approx(autocorrelation(x, period_s), abs=1e-12)
        assert two == pytest.approx(autocorrelation(x, 2 * period_s), abs=1e-12)
