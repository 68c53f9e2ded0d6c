"""Properties of the breathing estimator on arbitrary input: never NaN, negative or out of band."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core.breathing import BreathingEstimator
from controller.core.events import Breathing
from controller.core.settings import BreathingSettings
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

QUICK = BreathingSettings(window_s=20.0, min_span_s=5.0, emit_every_s=2.0)
LAYOUTS = [
    MatLayout.grid(2, 3, 0.5, 1.3),
    MatLayout.grid(3, 3, 0.5, 1.3),
    MatLayout.grid(1, 2, 0.4, 1.0),
]


def check(event: Breathing | None, s: BreathingSettings) -> None:
    if event is None:
        return
    assert math.isfinite(event.bpm) and math.isfinite(event.quality)
    if event.quality == 0.0:
        assert event.bpm == 0.0
    else:
        assert s.band_bpm[0] <= event.bpm <= s.band_bpm[1]
        assert s.min_quality <= event.quality <= 1.0


reading = st.one_of(st.none(), st.floats(-50.0, 200.0, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    layout=st.sampled_from(LAYOUTS),
    steps=st.lists(st.floats(0.005, 3.0), min_size=10, max_size=300),
    data=st.data(),
)
def test_arbitrary_frames(layout: MatLayout, steps: list[float], data: st.DataObject) -> None:
    estimator = BreathingEstimator(layout, QUICK)
    zones = len(layout.zones)
    t = 0.0
    for step in steps:
        t += step
        loads = tuple(data.draw(reading) for _ in range(zones))
        check(estimator.feed(ZoneFrame(t, loads), data.draw(st.booleans())), QUICK)


@settings(max_examples=60, deadline=None)
@given(
    layout=st.sampled_from(LAYOUTS),
    freq_hz=st.floats(0.0, 5.0),
    amp_kg=st.floats(0.0, 2.0),
    noise_kg=st.floats(0.0, 0.1),
    rate_hz=st.floats(0.5, 100.0),
    seed=st.integers(0, 2**16),
)
def test_oscillations_of_any_frequency(
    *, layout: MatLayout, freq_hz: float, amp_kg: float, noise_kg: float, rate_hz: float, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    estimator = BreathingEstimator(layout, QUICK)
    t = np.cumsum(rng.uniform(0.5, 1.5, int(40 * rate_hz)) / rate_hz)
    sign = np.where(np.array([z.y_m for z in layout.zones]) < layout.length_m / 2, -1.0, 1.0)
    wave = np.sin(2 * np.pi * freq_hz * t)[:, None] * sign[None, :] * amp_kg
    loads = 10.0 + wave + rng.normal(0, noise_kg + 1e-9, wave.shape)
    for ti, row in zip(t.tolist(), loads.tolist(), strict=True):
        check(estimator.feed(ZoneFrame(ti, tuple(row)), True), QUICK)
    latest = estimator.latest
    assert latest is not None
    in_band = QUICK.band_bpm[0] + 1 <= freq_hz * 60 <= QUICK.band_bpm[1] - 1
    if latest.quality > 0 and in_band and rate_hz >= 2.0 and amp_kg > 0.05 and noise_kg < 0.05:
        assert abs(latest.bpm - freq_hz * 60) <= 1.0
