"""When the breathing estimator speaks: cadence, movement, weak or flat signals, dropouts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from controller.core.breathing import BreathingEstimator
from controller.core.events import Breathing
from controller.core.settings import BreathingSettings
from controller.service.config import ConfigError, parse_config
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from tests.breathing.helpers import estimates, run
from tests.breathing.synth import Subject, synthesise


def test_estimates_at_least_every_30_s_while_lying_still() -> None:
    frames = synthesise(DEFAULT_LAYOUT, Subject(bpm=12, duration_s=300.0))
    events = run(DEFAULT_LAYOUT, frames)
    start = frames[0][0].t
    assert events[0].t - start <= 20.0 + 0.11
    assert max(np.diff([e.t for e in events])) <= 15.0 + 0.11
    assert all(e.quality >= 0.5 for e in events[3:])


def test_no_estimate_while_moving_and_a_fresh_window_after() -> None:
    subject = Subject(bpm=12, duration_s=240.0, movement=(90.0, 110.0))
    frames = synthesise(DEFAULT_LAYOUT, subject)
    start = frames[0][0].t
    events = run(DEFAULT_LAYOUT, frames)
    during = [e for e in events if start + 90.0 <= e.t < start + 110.0]
    # One "no estimate" says the last rate no longer holds; nothing else while moving.
    assert [(e.bpm, e.quality) for e in during] == [(0.0, 0.0)]
    after = [e for e in events if e.t >= start + 110.0]
    assert after[0].t >= start + 110.0 + 20.0 - 0.11
    assert all(abs(b - 12) <= 1.5 for b in estimates(after))
    assert len(estimates(after)) >= 6


def test_a_flat_signal_gives_no_estimate() -> None:
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    loads = (8.0, 8.0, 12.0, 12.0, 4.0, 4.0)
    events = [estimator.feed(ZoneFrame(t=i / 10, load_kg=loads), True) for i in range(1200)]
    found = [e for e in events if e is not None]
    assert len(found) >= 7
    assert all(e.bpm == 0.0 and e.quality == 0.0 for e in found)
    assert estimator.latest == found[-1]


def test_noise_alone_is_rarely_taken_for_breathing() -> None:
    found: list[Breathing] = []
    for seed in range(6):
        subject = Subject(bpm=12, pp_kg=0.0, noise_kg=0.03, duration_s=150.0, seed=seed)
        found += run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, subject))
    assert len(found) >= 50
    assert sum(e.quality > 0 for e in found) <= 0.05 * len(found)


def test_an_empty_mat_gives_no_estimate() -> None:
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    rng = np.random.default_rng(1)
    for i in range(900):
        event = estimator.feed(ZoneFrame(t=i / 10, load_kg=tuple(rng.normal(0, 0.02, 6))), True)
        assert event is None or event.quality == 0.0


def test_a_dropped_zone_keeps_the_rate() -> None:
    subject = Subject(bpm=14, duration_s=200.0, dropout=(60.0, 90.0, 2))
    events = run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, subject))
    found = estimates(events)
    assert len(found) >= 10
    assert float(np.median(np.abs(np.array(found) - 14))) <= 1.0


def test_zones_that_never_read_are_left_out() -> None:
    frames = [
        (ZoneFrame(f.t, (None, None, *f.load_kg[2:])), still)
        for f, still in synthesise(DEFAULT_LAYOUT, Subject(bpm=20, duration_s=130.0))
    ]
    found = estimates(run(DEFAULT_LAYOUT, frames))
    assert found
    assert float(np.median(np.abs(np.array(found) - 20))) <= 1.0


def test_all_zones_missing_is_no_estimate_not_an_error() -> None:
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    events = [estimator.feed(ZoneFrame(i / 10, (None,) * 6), True) for i in range(400)]
    assert all(e is None or (e.bpm, e.quality) == (0.0, 0.0) for e in events)


def test_reset_forgets_everything() -> None:
    frames = synthesise(DEFAULT_LAYOUT, Subject(bpm=10, duration_s=120.0))
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    for frame, still in frames[:900]:
        estimator.feed(frame, still)
    assert estimator.latest is not None
    estimator.reset()
    assert estimator.latest is None
    restart = frames[900][0].t
    later = [estimator.feed(f, s) for f, s in frames[900:]]
    first = next(e for e in later if e is not None)
    assert first.t >= restart + 20.0 - 1e-9


def test_a_pause_in_frames_starts_the_window_again() -> None:
    frames = synthesise(DEFAULT_LAYOUT, Subject(bpm=10, duration_s=120.0))
    estimator = BreathingEstimator(DEFAULT_LAYOUT)
    for frame, still in frames[:300]:
        estimator.feed(frame, still)
    shifted = [(ZoneFrame(f.t + 60.0, f.load_kg), s) for f, s in frames[300:]]
    events = [(f.t, estimator.feed(f, s)) for f, s in shifted]
    first = next(t for t, e in events if e is not None)
    assert first >= shifted[0][0].t + 20.0 - 1e-9


def test_settings_refuse_nonsense() -> None:
    with pytest.raises(ValueError, match="emit_every_s"):
        BreathingSettings(emit_every_s=45.0)
    with pytest.raises(ValueError, match="band_bpm"):
        BreathingSettings(band_bpm=(30.0, 10.0))
    with pytest.raises(ValueError, match="min_span_s"):
        BreathingSettings(window_s=30.0, min_span_s=40.0)
    with pytest.raises(ConfigError, match=r"breathing\.window: unknown field"):
        parse_config({"breathing": {"window": 30.0}})
    with pytest.raises(ConfigError, match=r"breathing\.emit_every_s: must be <= 30\.0, got 45\.0"):
        parse_config({"breathing": {"emit_every_s": 45.0}})
    assert all(f.metadata["description"] for f in dataclasses.fields(BreathingSettings))
