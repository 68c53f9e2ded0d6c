"""Breathing rate accuracy on synthetic lying people: rates, layouts, frame rates, timing."""

from __future__ import annotations

import pytest

from firmware.layout import DEFAULT_LAYOUT, MatLayout, Zone
from tests.breathing.helpers import estimates, median_error, run
from tests.breathing.synth import Subject, synthesise

RATES_BPM = (4, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40)

STRIP = MatLayout(
    width_m=0.4,
    length_m=1.2,
    zones=(
        Zone("head", 0.2, 0.15, 0.4, 0.3),
        Zone("chest", 0.2, 0.5, 0.4, 0.4),
        Zone("hips", 0.2, 0.95, 0.4, 0.5),
    ),
)


@pytest.mark.parametrize("bpm", RATES_BPM)
def test_each_rate_within_one_per_minute(bpm: float) -> None:
    subject = Subject(bpm=bpm, duration_s=130.0, noise_kg=0.025)
    assert median_error(DEFAULT_LAYOUT, subject) <= 1.0


@pytest.mark.parametrize(
    "layout",
    [
        MatLayout.grid(2, 3, 0.5, 1.3),
        MatLayout.grid(2, 4, 0.6, 1.8),
        MatLayout.grid(3, 3, 0.5, 1.3),
        STRIP,
    ],
    ids=["2x3", "2x4", "3x3", "strip"],
)
@pytest.mark.parametrize("bpm", [5, 14, 32])
def test_any_layout(layout: MatLayout, bpm: float) -> None:
    assert median_error(layout, Subject(bpm=bpm, duration_s=110.0)) <= 1.0


@pytest.mark.parametrize(("rate_hz", "bpm"), [(1.0, 6), (1.0, 15), (25.0, 18), (80.0, 36)])
def test_frame_rates(rate_hz: float, bpm: float) -> None:
    subject = Subject(bpm=bpm, rate_hz=rate_hz, duration_s=110.0)
    assert median_error(DEFAULT_LAYOUT, subject) <= 1.0


@pytest.mark.parametrize("bpm", [8, 24, 38])
def test_irregular_frame_timing(bpm: float) -> None:
    subject = Subject(bpm=bpm, duration_s=110.0, timing_jitter=0.9, frame_loss=0.2)
    assert median_error(DEFAULT_LAYOUT, subject) <= 1.0


@pytest.mark.parametrize("bpm", [30, 40])
def test_rates_beyond_what_1_hz_frames_can_tell_are_not_aliased(bpm: float) -> None:
    """At 1 Hz, 40/min would look like 20/min: no estimate rather than that."""
    subject = Subject(bpm=bpm, rate_hz=1.0, duration_s=150.0)
    events = run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, subject))
    assert len(events) >= 6
    assert all(e.quality == 0.0 and e.bpm == 0.0 for e in events)


def test_quiet_breathing_in_loud_sensors_still_counts() -> None:
    subject = Subject(bpm=12, pp_kg=0.035, noise_kg=0.03, duration_s=130.0)
    assert median_error(DEFAULT_LAYOUT, subject) <= 1.0


def test_light_person_on_a_large_mat() -> None:
    layout = MatLayout.grid(2, 4, 0.6, 1.8)
    subject = Subject(bpm=16, mass_on_mat_kg=28.0, pp_kg=0.04, duration_s=130.0)
    assert median_error(layout, subject) <= 1.0


def test_spikes_do_not_make_a_rate() -> None:
    subject = Subject(bpm=9, spikes=12, duration_s=130.0)
    assert median_error(DEFAULT_LAYOUT, subject) <= 1.0


def test_estimates_come_from_the_breathing_not_the_seed() -> None:
    slow = estimates(run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, Subject(bpm=7, seed=3))))
    fast = estimates(run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, Subject(bpm=28, seed=3))))
    assert slow and fast
    assert max(slow) < 9
    assert min(fast) > 26
