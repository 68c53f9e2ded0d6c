"""Breathing, sway, landings and the sensor model: amplitudes, rates and shapes in range."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.layout import DEFAULT_LAYOUT
from firmware.sim import breathing as breath
from firmware.sim import sensor
from firmware.sim.body import Body, zone_loads
from firmware.sim.motion import Still, Swaying, landing, sway_path
from firmware.sim.posture import Placement, place

RATE_HZ = 10.0


def _t(seconds: float) -> np.ndarray:
    return np.arange(round(seconds * RATE_HZ)) / RATE_HZ


@settings(max_examples=30, deadline=None)
@given(st.floats(4.0, 40.0), st.integers(0, 2**32 - 1))
def test_breathing_rate_matches_the_asked_rate(bpm: float, seed: int) -> None:
    spec = breath.Breathing(bpm, bpm, pp_kg=0.08)
    onsets = breath.breath_onsets(600.0, spec, np.random.default_rng(seed))
    inside = onsets[(onsets >= 0) & (onsets <= 600.0)]
    measured = 60.0 / float(np.diff(inside).mean())
    assert measured == pytest.approx(bpm, rel=0.06)
    # breath-to-breath variability exists but stays moderate
    assert 0.02 < float(np.diff(inside).std() / np.diff(inside).mean()) < 0.15


def test_breathing_rate_slows_when_asked() -> None:
    spec = breath.Breathing(14.0, 9.0, pp_kg=0.08)
    onsets = breath.breath_onsets(1200.0, spec, np.random.default_rng(3))
    first = 60.0 / np.diff(onsets[onsets < 200]).mean()
    last = 60.0 / np.diff(onsets[onsets > 1000]).mean()
    assert first == pytest.approx(14.0, rel=0.1)
    assert last == pytest.approx(9.0, rel=0.1)


@pytest.mark.parametrize("bpm", [3.0, 41.0])
def test_breathing_outside_4_to_40_is_refused(bpm: float) -> None:
    with pytest.raises(ValueError, match="outside"):
        breath.Breathing(bpm, 12.0, 0.08)


def test_inspiration_is_faster_than_expiration() -> None:
    t = np.linspace(0.0, 4.999, 5000)
    wave = breath.waveform(t, np.array([0.0, 5.0]))
    assert wave.min() >= 0.0 and wave.max() <= 1.0
    peak = float(t[np.argmax(wave)])
    assert peak < 0.45 * 5.0  # rise in well under half the cycle
    assert wave[-1] < 0.05  # and the exhale has come back down by the next breath


def _lying(mass: float, height: float) -> tuple[Still, np.ndarray]:
    pose = place(Body(mass, height), "supine", Placement(0.25, 0.1))
    base = zone_loads(DEFAULT_LAYOUT, pose)
    spec = breath.Breathing(12.0, 12.0, pp_kg=0.075 * mass / 70)
    return Still(DEFAULT_LAYOUT, base, "lying", "lying", breathing=spec), base


def test_breathing_moves_tens_of_grams_head_to_foot_without_changing_the_total() -> None:
    state, base = _lying(70.0, 1.75)
    swing = state.render(_t(60.0), np.random.default_rng(1)) - base
    pp = swing.max(axis=0) - swing.min(axis=0)
    assert 0.03 <= pp.max() <= 0.12
    assert np.abs(swing.sum(axis=1)).max() < 1e-9
    y = np.array([z.y_m for z in DEFAULT_LAYOUT.zones])
    head, foot = swing[:, y == y.min()].sum(1), swing[:, y == y.max()].sum(1)
    assert np.corrcoef(head, foot)[0, 1] < -0.9  # anti-phase


def test_sway_path_speed_and_spread_are_those_of_standing_on_foam() -> None:
    path = sway_path(3000, RATE_HZ, 0.008, 0.03, np.random.default_rng(2))
    speed = float(np.hypot(*np.diff(path, axis=0).T).mean() * RATE_HZ)
    assert 0.022 <= speed <= 0.042
    area_cm2 = 18.8 * float(path.std(axis=0).prod()) * 1e4  # 95 % ellipse ≈ π·5.99·σx·σy
    assert 5.0 <= area_cm2 <= 30.0


def test_standing_keeps_the_body_weight_on_the_feet() -> None:
    body = Body(70.0, 1.75)
    state = Swaying(DEFAULT_LAYOUT, place(body, "standing", Placement(0.25, 0.65)), 0.03)
    loads = state.render(_t(120.0), np.random.default_rng(4))
    totals = loads.sum(axis=1)
    assert totals.mean() == pytest.approx(70.0, rel=0.01)
    assert 0.002 < totals.std() / 70.0 < 0.03  # small vertical force fluctuations
    left = loads[:, [0, 2, 4]].sum(1) / totals
    assert left.min() > 0.3 and left.max() < 0.7  # both feet carry, the split wanders


def test_landing_overshoots_by_5_to_15_percent_and_rings_down() -> None:
    t = np.arange(0.0, 3.0, 0.01)
    factor = landing(t, 0.12)
    assert 1.05 <= factor.max() <= 1.15
    assert abs(factor[t > 2.0] - 1).max() < 0.005


def test_sensor_noise_spikes_and_dropouts() -> None:
    t = _t(3600.0)
    true = np.zeros((len(t), 6))
    spec = sensor.SensorSpec(noise_kg=0.02, spikes_per_hour=30, drift_kg_per_h=0.0)
    drops = [sensor.Dropout(100.0, 120.0, 2)]
    out = sensor.apply(true, t, spec, drops, np.random.default_rng(5))
    missing = np.isnan(out)
    assert missing[:, 2].sum() == 200 and missing.sum() == 200
    assert not missing[(t < 100.0) | (t >= 120.0)].any()
    big = np.abs(np.nan_to_num(out)) > 1.0
    assert 10 <= big.sum() <= 60
    rows = np.flatnonzero(big.any(axis=1))
    assert (np.diff(rows) > 1).all() or len(rows) < 2  # each spike lasts one sample
    quiet = np.nan_to_num(out)[~big.any(axis=1)]
    assert 0.015 < quiet.std() < 0.025


def test_zero_drift_stays_within_a_few_kg_an_hour() -> None:
    t = _t(3600.0)
    for seed in range(5):
        d = sensor.drift(t, 6, 2.5, np.random.default_rng(seed))
        assert d[0] == pytest.approx(np.zeros(6))
        assert np.abs(d).max() < 3 * 2.5
        assert np.abs(np.diff(d, axis=0)).max() < 0.01  # slow: no steps
        assert np.abs(d[-1]).max() > 0.05  # but it does drift
