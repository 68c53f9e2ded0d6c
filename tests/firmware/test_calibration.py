"""Calibration: the maths, the refusals, the versioned file and its hot reload, the tare."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.calibration import (
    FORMAT,
    Calibration,
    CalibrationError,
    CalibrationStore,
    ZoneCalibration,
    checked_zone,
    load_calibration,
    save_calibration,
    scale_from_known_weight,
    tare,
)
from firmware.clock import FakeClock

NAMES = ["left", "right"]


def test_counts_become_kg_through_offset_and_scale() -> None:
    zone = ZoneCalibration(offset_counts=1000.0, scale_counts_per_kg=20_000.0)
    assert zone.to_kg(1000) == 0.0
    assert zone.to_kg(1000 + 20_000 * 12.5) == pytest.approx(12.5)
    assert ZoneCalibration(5.0, None).to_kg(123) is None


@pytest.mark.parametrize(
    ("offset", "scale", "reason"),
    [
        (0.0, -21_000.0, "wires .* are swapped"),
        (0.0, 0.5, "absurd"),
        (0.0, 5e9, "absurd"),
        (0.0, 0.0, "non-zero"),
        (0.0, float("nan"), "non-zero"),
        (9e6, 20_000.0, "outside"),
    ],
)
def test_impossible_values_are_refused_with_the_reason(
    offset: float, scale: float, reason: str
) -> None:
    with pytest.raises(CalibrationError, match=reason) as err:
        checked_zone("left", offset, scale)
    assert "zone left" in str(err.value)
    assert isinstance(err.value, ValueError)


@given(
    offset=st.floats(-1e6, 1e6),
    scale=st.floats(100, 1e6),
    kg=st.floats(0.5, 100),
    noise=st.lists(st.integers(-3, 3), min_size=5, max_size=20),
)
def test_a_known_weight_gives_back_the_scale(
    offset: float, scale: float, kg: float, noise: list[int]
) -> None:
    samples: list[int | None] = [round(offset + scale * kg) + n for n in noise]
    found = scale_from_known_weight("left", samples, offset, kg)
    assert found == pytest.approx(scale, abs=3.5 / kg)  # ±3 counts of noise, ±0.5 rounding


def test_a_weight_that_lowers_the_counts_is_refused() -> None:
    samples: list[int | None] = [-200_000] * 10
    with pytest.raises(CalibrationError, match="swapped"):
        scale_from_known_weight("left", samples, 0.0, 10.0)
    with pytest.raises(CalibrationError, match="> 0 kg"):
        scale_from_known_weight("left", samples, 0.0, 0.0)


def test_file_round_trip_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "state" / "calibration.json"
    assert load_calibration(path) == Calibration()
    cal = Calibration({"left": ZoneCalibration(12.0, 21_000.0), "right": ZoneCalibration(-4.0)})
    save_calibration(path, cal, wall_s=1_767_225_600.0)
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT
    assert load_calibration(path) == cal


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "not JSON"),
        (json.dumps({"format": "other/1", "zones": {}}), "not an acumat-calibration/1"),
        (json.dumps({"format": FORMAT, "zones": []}), "'zones' must be"),
        (json.dumps({"format": FORMAT, "zones": {"left": {"offset_counts": "x"}}}), "numbers"),
        (
            json.dumps({"format": FORMAT, "zones": {"left": {"scale_counts_per_kg": -3e4}}}),
            "swapped",
        ),
    ],
)
def test_bad_files_are_refused_naming_the_file(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "calibration.json"
    path.write_text(text)
    with pytest.raises(CalibrationError, match=reason) as err:
        load_calibration(path)
    assert str(path) in str(err.value)


def test_the_store_reloads_a_changed_file_and_keeps_the_last_good_one(tmp_path: Path) -> None:
    clock = FakeClock()
    path = tmp_path / "calibration.json"
    base = Calibration({"left": ZoneCalibration(0.0, 1000.0), "right": ZoneCalibration(0.0, 50.0)})
    store = CalibrationStore(path, base, clock, check_every_s=1.0)
    assert store.current.zone("left").scale_counts_per_kg == 1000.0

    save_calibration(path, Calibration({"left": ZoneCalibration(7.0, 2000.0)}), 0.0)
    assert not store.maybe_reload()  # not checked again before check_every_s
    clock.advance(1.0)
    assert store.maybe_reload()
    assert store.current.zone("left") == ZoneCalibration(7.0, 2000.0)
    assert store.current.zone("right").scale_counts_per_kg == 50.0  # the base shows through

    path.write_text(json.dumps({"format": FORMAT, "zones": {"left": {"scale_counts_per_kg": 1}}}))
    clock.advance(1.0)
    assert not store.maybe_reload()
    assert store.last_error is not None and "absurd" in store.last_error
    assert store.current.zone("left") == ZoneCalibration(7.0, 2000.0)


def _rows(left: list[int], right: list[int]) -> list[list[int | None]]:
    return [[a, b] for a, b in zip(left, right, strict=True)]


def test_tare_averages_a_still_empty_mat() -> None:
    current = Calibration({"left": ZoneCalibration(0.0, 10_000.0)})
    rows = _rows([5000, 5010, 4990, 5000, 5000, 5006], [-300, -310, -290, -300, -300, -306])
    result = tare(rows, NAMES, current)
    assert result.zone("left").offset_counts == pytest.approx(5001.0)
    assert result.zone("left").scale_counts_per_kg == 10_000.0  # the scale is kept
    assert result.zone("right").offset_counts == pytest.approx(-301.0)


def test_tare_refuses_a_moving_mat_and_a_loaded_one_and_a_silent_board() -> None:
    current = Calibration({"left": ZoneCalibration(0.0, 10_000.0)})
    moving = _rows([0, 5000, 0, 5000, 0], [0, 1, 2, 3, 4])
    with pytest.raises(CalibrationError, match=r"moved by 0\.50 kg"):
        tare(moving, NAMES, current)
    loaded = _rows([300_000] * 5, [0, 1, 2, 3, 4])
    with pytest.raises(CalibrationError, match=r"\+30.0 kg"):
        tare(loaded, NAMES, current)
    assert tare(loaded, NAMES, current, empty_kg=None).zone("left").offset_counts == 300_000
    silent: list[list[int | None]] = [[None, 1]] * 8
    with pytest.raises(CalibrationError, match="only 0 good readings"):
        tare(silent, NAMES, current)
