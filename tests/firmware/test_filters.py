"""Filters: saturated, stuck and spiky readings become per-zone faults, never weight."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.filters import (
    NOT_READY,
    SATURATED,
    SPIKE,
    STUCK,
    UNCALIBRATED,
    FilterSettings,
    FrameFilter,
    ZoneFilter,
)

SETTINGS = FilterSettings(median_window=5, max_step_kg=10.0, stuck_samples=6)


def _feed(zf: ZoneFilter, loads_kg: list[float]) -> list[str | None]:
    # Counts differ every sample (as a live ADC's do) so only the spike rule can fire.
    return [zf.update(1000 + i, "ok", kg).fault for i, kg in enumerate(loads_kg)]


@pytest.mark.parametrize("status", [NOT_READY, SATURATED, "io_error"])
def test_a_bad_status_is_a_fault_not_a_weight(status: str) -> None:
    judged = ZoneFilter(SETTINGS).update(0x7FFFFF, status, 420.0)
    assert judged.load_kg is None
    assert judged.fault == status


def test_missing_counts_with_ok_status_is_not_ready() -> None:
    assert ZoneFilter(SETTINGS).update(None, "ok", None).fault == NOT_READY


def test_a_zone_without_scale_is_uncalibrated() -> None:
    judged = ZoneFilter(SETTINGS).update(123, "ok", None)
    assert (judged.load_kg, judged.fault) == (None, UNCALIBRATED)


def test_the_same_word_repeated_is_stuck_from_the_nth_sample() -> None:
    zf = ZoneFilter(SETTINGS)
    faults = [zf.update(0, "ok", 0.0).fault for _ in range(8)]
    assert faults == [None] * 5 + [STUCK] * 3
    assert zf.update(17, "ok", 0.0).fault is None  # a new word clears it


@given(st.lists(st.integers(-1000, 1000), min_size=2, max_size=40))
def test_words_that_change_every_sample_are_never_stuck(steps: list[int]) -> None:
    zf = ZoneFilter(SETTINGS)
    counts = 0
    for step in steps:
        counts += step if step else 1
        assert zf.update(counts, "ok", 0.0).fault != STUCK


@given(
    base=st.floats(-50, 150),
    noise=st.lists(st.floats(-4.9, 4.9), min_size=5, max_size=30),
)
def test_readings_near_a_steady_level_are_never_spikes(base: float, noise: list[float]) -> None:
    faults = _feed(ZoneFilter(SETTINGS), [base + n for n in noise])
    assert SPIKE not in faults


@given(base=st.floats(0, 100), jump=st.floats(10.5, 300), sign=st.sampled_from([1, -1]))
def test_one_glitch_is_a_spike_and_the_level_returns(base: float, jump: float, sign: int) -> None:
    faults = _feed(ZoneFilter(SETTINGS), [base] * 5 + [base + sign * jump] + [base] * 3)
    assert faults == [None] * 5 + [SPIKE] + [None] * 3


@given(base=st.floats(0, 100), step=st.floats(10.5, 200))
def test_a_lasting_step_is_accepted_after_half_a_window(base: float, step: float) -> None:
    faults = _feed(ZoneFilter(SETTINGS), [base] * 5 + [base + step] * 5)
    half = SETTINGS.median_window // 2
    assert faults == [None] * 5 + [SPIKE] * half + [None] * (5 - half)


def test_frame_filter_keeps_zones_apart() -> None:
    ff = FrameFilter(2, SETTINGS)
    out = ff.update([10, 20], ["ok", SATURATED], [1.0, 2.0])
    assert [(j.load_kg, j.fault) for j in out] == [(1.0, None), (None, SATURATED)]


@pytest.mark.parametrize(
    "kwargs", [{"median_window": 4}, {"max_step_kg": 0.0}, {"stuck_samples": 1}]
)
def test_impossible_settings_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        FilterSettings(**kwargs)  # type: ignore[arg-type]
