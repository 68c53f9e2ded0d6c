"""Filters: single-sample judgements. Rails, failed reads and stuck words become per-zone
faults, never weight; spikes pass as weight (the core's median judges them over time)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.faults import NOT_READY, READ_FAULTS, SATURATED, STUCK, UNCALIBRATED, ReadFault
from firmware.filters import FilterSettings, FrameFilter, ZoneFilter

SETTINGS = FilterSettings(stuck_samples=6)


@pytest.mark.parametrize("status", READ_FAULTS)
def test_a_bad_status_is_a_fault_not_a_weight(status: ReadFault) -> None:
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


def test_a_failed_read_restarts_the_count_of_identical_words() -> None:
    zf = ZoneFilter(SETTINGS)
    faults = [zf.update(0, "ok", 0.0).fault for _ in range(5)]
    faults.append(zf.update(None, NOT_READY, None).fault)
    faults += [zf.update(0, "ok", 0.0).fault for _ in range(6)]
    assert faults == [None] * 5 + [NOT_READY] + [None] * 5 + [STUCK]


@given(st.lists(st.integers(-1000, 1000), min_size=2, max_size=40))
def test_words_that_change_every_sample_are_never_stuck(steps: list[int]) -> None:
    zf = ZoneFilter(SETTINGS)
    counts = 0
    for step in steps:
        counts += step if step else 1
        assert zf.update(counts, "ok", 0.0).fault != STUCK


@given(base=st.floats(0, 100), jump=st.floats(10.5, 300), sign=st.sampled_from([1, -1]))
def test_a_single_glitch_passes_as_weight(base: float, jump: float, sign: int) -> None:
    # Despiking is a judgement over time: the core's median rejects it, not the firmware.
    zf = ZoneFilter(SETTINGS)
    loads = [base] * 5 + [base + sign * jump] + [base] * 3
    judged = [zf.update(1000 + i, "ok", kg) for i, kg in enumerate(loads)]
    assert [j.load_kg for j in judged] == loads
    assert all(j.fault is None for j in judged)


def test_frame_filter_keeps_zones_apart() -> None:
    ff = FrameFilter(2, SETTINGS)
    out = ff.update([10, 20], ["ok", SATURATED], [1.0, 2.0])
    assert [(j.load_kg, j.fault) for j in out] == [(1.0, None), (None, SATURATED)]


@pytest.mark.parametrize("stuck_samples", [1, 0, -3])
def test_impossible_settings_are_refused(stuck_samples: int) -> None:
    with pytest.raises(ValueError, match="stuck_samples must be >= 2"):
        FilterSettings(stuck_samples=stuck_samples)


def test_the_defaults_call_a_board_stuck_after_two_seconds_at_10_sps() -> None:
    assert FilterSettings().stuck_samples == 20
