"""The sampling loop: counts from any backend → calibrated, filtered zone frames (I/O shell).

A ``SamplingSource`` is a ``FrameSource``: each frame is one read of every board, so frames
come at the ADC's own rate (10 or 80 SPS); its ``t`` is the injected clock's. A board that
stops answering, saturates or sticks, or has no scale, becomes ``None`` with a reason from
the fault vocabulary (``firmware/faults.py``) in ``faults`` for its zone only (the
single-sample judgements of ``firmware/filters.py``); a backend that raises becomes
``io_error`` for every zone for that frame, and the loop goes on (the failure said once with
its cause, then at most once a minute: ``firmware/trouble.py``). Spikes pass through as
weights: the core's median rejects them. ``open_hardware_source`` builds it from the TOML's
``[source.hardware]`` for the ``hx711``, ``iio`` and ``adafruit`` kinds, over the backend that
``firmware/boards.py`` checks and opens.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from firmware.boards import CountsReader, check_zones, open_reader
from firmware.calibration import CalibrationStore
from firmware.clock import Clock
from firmware.errors import FirmwareError
from firmware.faults import IO_ERROR, NOT_READY
from firmware.filters import FilterSettings, FrameFilter
from firmware.frame import ZoneFrame
from firmware.hwconfig import HardwareConfig
from firmware.hx711.driver import Reading
from firmware.layout import MatLayout
from firmware.source import FrameSource
from firmware.trouble import Trouble

log = logging.getLogger(__name__)


class SamplingSource:
    """Frames from a ``CountsReader`` whose channels are the layout's zones, in order."""

    def __init__(
        self,
        reader: CountsReader,
        layout: MatLayout,
        calibration: CalibrationStore,
        clock: Clock,
        *,
        rate_sps: float = 10.0,
        invert: Sequence[bool] = (),
        filters: FilterSettings | None = None,
    ) -> None:
        self._reader, self._layout, self._clock = reader, layout, clock
        self._calibration = calibration
        self._n = len(layout.zones)
        self._sign = [-1 if flip else 1 for flip in (invert or [False] * self._n)]
        self._filter = FrameFilter(self._n, filters)
        # Never faster than half the ADC period: a backend failing fast must not spin.
        self._min_gap_s = 0.5 / rate_sps
        # The next conversion is due a period after the last frame: polling DOUT before ~80 %
        # of it only burns CPU (a GPIO call and a sleep every 0.5 ms, ~200 a frame at 10 SPS,
        # ~4 ms of a Pi 4's CPU). 20 % leaves room for a board whose oscillator runs fast.
        self._quiet_s = 0.8 / rate_sps
        self._missed = False  # the last read waited for a board that never came: no rhythm
        self._missing: set[int] = set()  # the boards not ready at the last read
        self._last_t: float | None = None
        self._closed = False
        # A backend that keeps failing (a board's I/O error at every read) is said once with
        # its cause, then once a minute: it was a line a frame, 752 a minute.
        self._trouble = Trouble(log, "reading the boards", clock)

    @property
    def layout(self) -> MatLayout:
        return self._layout

    def frames(self) -> Iterator[ZoneFrame]:
        while not self._closed:
            yield self.next_frame()

    def next_frame(self) -> ZoneFrame:
        if self._calibration.maybe_reload():
            log.info("calibration reloaded from %s", self._calibration.path)
        self._sleep_until_due()
        readings = self._read()
        missing = {i for i, r in enumerate(readings) if r.status == NOT_READY}
        # A board newly missing was waited for in vain (no rhythm); one that stays missing
        # is not waited for (``ShortWaitAfterMiss``): the live boards keep the rhythm.
        self._missed, self._missing = bool(missing - self._missing), missing
        t = self._paced_now()
        counts = [
            None if r.counts is None else r.counts * s
            for r, s in zip(readings, self._sign, strict=True)
        ]
        calib = self._calibration.current
        loads = [
            None if c is None else calib.zone(name).to_kg(c)
            for c, name in zip(counts, self._layout.names, strict=True)
        ]
        judged = self._filter.update(counts, [r.status for r in readings], loads)
        return ZoneFrame(
            t=t,
            load_kg=tuple(j.load_kg for j in judged),
            faults=tuple(j.fault for j in judged),
        )

    def close(self) -> None:
        self._closed = True
        self._reader.close()

    def _read(self) -> list[Reading]:
        try:
            readings = self._reader.read_detailed()
        except (FirmwareError, OSError) as exc:
            self._trouble.failed(exc, logging.WARNING)
            return [Reading(None, IO_ERROR)] * self._n
        if len(readings) != self._n:
            problem = f"the backend gave {len(readings)} readings for {self._n} zones"
            self._trouble.failed(problem, logging.WARNING)
            return [Reading(None, IO_ERROR)] * self._n
        self._trouble.ok()
        return readings

    def _sleep_until_due(self) -> None:
        if self._last_t is not None and not self._missed:
            wait_s = self._last_t + self._quiet_s - self._clock.monotonic()
            if wait_s > 0:
                self._clock.sleep(wait_s)

    def _paced_now(self) -> float:
        now = self._clock.monotonic()
        if self._last_t is not None and now - self._last_t < self._min_gap_s:
            self._clock.sleep(self._last_t + self._min_gap_s - now)
            now = self._clock.monotonic()
        self._last_t = now
        return now


def open_hardware_source(
    kind: str, hw: HardwareConfig, layout: MatLayout, clock: Clock, calibration_path: Path
) -> FrameSource:
    """The sampling loop over the ``hx711``, ``iio`` or ``adafruit`` backend."""
    check_zones(hw, layout, kind)
    reader = open_reader(kind, hw, layout, clock)
    store = CalibrationStore(calibration_path, hw.calibration(), clock)
    if store.last_error:
        log.warning("calibration: %s", store.last_error)
    uncalibrated = [n for n in layout.names if store.current.zone(n).scale_counts_per_kg is None]
    if uncalibrated:
        log.warning("no scale yet for %s: run `acumat calibrate`", ", ".join(uncalibrated))
    return SamplingSource(
        reader,
        layout,
        store,
        clock,
        rate_sps=hw.rate_sps,
        invert=[hw.zones[n].invert for n in layout.names],
        filters=hw.filters,
    )
