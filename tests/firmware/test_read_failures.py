"""A backend that fails at every read (a board's I/O error, a GPIO chip gone) is said once with
its cause, then at most once a minute, and once when it reads again: it was a line a frame
(752 in a minute)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from firmware.calibration import FILENAME, Calibration, CalibrationStore, ZoneCalibration
from firmware.clock import FakeClock
from firmware.faults import IO_ERROR
from firmware.hx711.driver import Reading
from firmware.layout import DEFAULT_LAYOUT
from firmware.sampling import SamplingSource


class _Failing:
    """Raises EIO until ``fail_until_s`` on the clock; then reads, or gives too few readings."""

    def __init__(self, clock: FakeClock, fail_until_s: float, short: bool = False) -> None:
        self._clock, self._until_s, self._short = clock, fail_until_s, short

    def read_detailed(self) -> list[Reading]:
        if self._clock.monotonic() < self._until_s:
            if self._short:
                return [Reading(1, "ok")]
            raise OSError(5, "Input/output error")
        return [Reading(1000, "ok")] * len(DEFAULT_LAYOUT.names)

    def close(self) -> None:
        return None


def _said(tmp_path: Path, caplog: pytest.LogCaptureFixture, short: bool) -> list[str]:
    clock = FakeClock()
    base = Calibration({n: ZoneCalibration(0.0, 1000.0) for n in DEFAULT_LAYOUT.names})
    store = CalibrationStore(tmp_path / FILENAME, base, clock)
    source = SamplingSource(_Failing(clock, 150.0, short), DEFAULT_LAYOUT, store, clock)
    frames = source.frames()
    with caplog.at_level(logging.INFO, logger="firmware.sampling"):
        while clock.monotonic() < 160.0:
            frame = next(frames)
            if frame.t < 150.0:
                assert frame.faults == (IO_ERROR,) * len(DEFAULT_LAYOUT.names)
    return [r.getMessage() for r in caplog.records if r.name == "firmware.sampling"]


def test_a_backend_failing_at_every_read_is_said_once_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    said = _said(tmp_path, caplog, short=False)
    assert len(said) == 4, said  # at once, at 60 s, at 120 s, and when it reads again
    assert said[0] == "reading the boards: [Errno 5] Input/output error"
    assert said[1].startswith("reading the boards: [Errno 5] Input/output error (failed ")
    assert said[3].startswith("reading the boards: works again after ")


def test_a_backend_giving_the_wrong_number_of_readings_is_said_once_a_minute(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    said = _said(tmp_path, caplog, short=True)
    assert len(said) == 4, said
    assert said[0] == "reading the boards: the backend gave 1 readings for 6 zones"
