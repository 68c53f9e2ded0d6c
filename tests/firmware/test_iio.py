"""The IIO backend against a fake sysfs tree: offset binary, rails, a failing or hung board."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.backends.iio import OFFSET_BINARY_ZERO, IioReader, IioSetupError, counts_from_raw
from firmware.faults import NOT_READY, SATURATED
from firmware.hx711.driver import OK, Reading


def _device(root: Path, n: int, raw: int | None = None, attribute: str = "in_voltage0_raw") -> Path:
    folder = root / f"iio:device{n}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "name").write_text("hx711\n")
    path = folder / attribute
    if raw is not None:
        path.write_text(f"{raw}\n")
    return path


@given(st.integers(-0x7FFFFF, 0x7FFFFE))
def test_offset_binary_becomes_signed_counts(counts: int) -> None:
    assert counts_from_raw(counts + OFFSET_BINARY_ZERO) == Reading(counts, OK)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (0x800000, Reading(0, OK)),
        (0x7FFFFF, Reading(-1, OK)),
        (0x800001, Reading(1, OK)),
        (0, Reading(-0x800000, SATURATED)),
        (0xFFFFFF, Reading(0x7FFFFF, SATURATED)),
        (0x1000000, Reading(None, "io_error")),
    ],
)
def test_rails_and_nonsense(raw: int, expected: Reading) -> None:
    assert counts_from_raw(raw) == expected


def test_reads_every_board_in_device_order(tmp_path: Path) -> None:
    for n, raw in [(0, 0x800000 + 1500), (1, 0x800000 - 42), (2, 0xFFFFFF)]:
        _device(tmp_path, n, raw)
    reader = IioReader(tmp_path, [2, 0, 1], ready_timeout_s=1.0)
    try:
        assert reader.read_detailed() == [
            Reading(0x7FFFFF, SATURATED),
            Reading(1500, OK),
            Reading(-42, OK),
        ]
    finally:
        reader.close()


def test_gain_32_reads_channel_b_and_64_is_refused(tmp_path: Path) -> None:
    _device(tmp_path, 0, 0x800000 + 7, attribute="in_voltage1_raw")
    reader = IioReader(tmp_path, [0], gain=32)
    try:
        assert reader.read_detailed() == [Reading(7, OK)]
    finally:
        reader.close()
    with pytest.raises(IioSetupError, match="gain 64"):
        IioReader(tmp_path, [0], gain=64)


def test_a_missing_device_is_refused_with_the_fix(tmp_path: Path) -> None:
    with pytest.raises(IioSetupError, match="overlay"):
        IioReader(tmp_path, [3])


def test_a_board_that_fails_is_not_ready_while_the_others_read(tmp_path: Path) -> None:
    _device(tmp_path, 0, 0x800000 + 10)
    _device(tmp_path, 1).mkdir()  # reading it fails with an OSError, as EIO does
    reader = IioReader(tmp_path, [0, 1], ready_timeout_s=1.0)
    try:
        for _ in range(3):
            assert reader.read_detailed() == [Reading(10, OK), Reading(None, NOT_READY)]
    finally:
        reader.close()


def test_a_hung_board_costs_one_timeout_and_is_not_read_twice(tmp_path: Path) -> None:
    _device(tmp_path, 0, 0x800000 + 10)
    fifo = _device(tmp_path, 1)
    os.mkfifo(fifo)  # open() blocks until a writer comes: a board that never answers
    reader = IioReader(tmp_path, [0, 1], ready_timeout_s=0.01)
    try:
        assert reader.read_detailed() == [Reading(10, OK), Reading(None, NOT_READY)]
        assert reader.read_detailed() == [Reading(10, OK), Reading(None, NOT_READY)]
        hung = [t for t in threading.enumerate() if t.name.startswith("iio")]
        assert len(hung) <= 2  # the blocked read was not started again
        with fifo.open("w") as writer:  # the board answers at last
            writer.write(f"{0x800000 + 99}\n")
        reader._timeout_s = 1.0
        assert reader.read_detailed() == [Reading(10, OK), Reading(99, OK)]
    finally:
        reader.close()
