"""The sampling loop: counts from any backend → calibrated, filtered zone frames (I/O shell).

A ``SamplingSource`` is a ``FrameSource``: each frame is one read of every board, so frames
come at the ADC's own rate (10 or 80 SPS); its ``t`` is the injected clock's. A board that
stops answering, saturates or sticks, or has no scale, becomes ``None`` with a reason from
the fault vocabulary (``firmware/faults.py``) in ``faults`` for its zone only (the
single-sample judgements of ``firmware/filters.py``); a backend that raises becomes
``io_error`` for every zone for that frame, and the loop goes on (the failure said once with
its cause, then at most once a minute: ``firmware/trouble.py``). Spikes pass through as
weights: the core's median rejects them. ``open_hardware_source`` builds it from the TOML's
``[source.hardware]`` for the ``hx711``, ``iio`` and ``adafruit`` kinds.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from firmware.calibration import CalibrationStore
from firmware.clock import Clock
from firmware.errors import FirmwareError
from firmware.faults import IO_ERROR, NOT_READY
from firmware.filters import FilterSettings, FrameFilter
from firmware.frame import ZoneFrame
from firmware.hwconfig import HARDWARE_KINDS, HardwareConfig
from firmware.hx711.driver import Reading
from firmware.layout import MatLayout
from firmware.source import FrameSource
from firmware.trouble import Trouble

log = logging.getLogger(__name__)


class HardwareSetupError(FirmwareError, ValueError):
    """The hardware table does not fit the layout or the backend (one line per reason)."""


class CountsReader(Protocol):
    """One read of every board, in zone order: what each backend offers the loop."""

    def read_detailed(self) -> list[Reading]: ...

    def close(self) -> None: ...


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


class ShortWaitAfterMiss:
    """Wraps an ``HX711Array``: a board that missed is not waited for again.

    Without this one unplugged board would hold every frame for ``ready_timeout``; waiting
    ~1.5 ADC periods for it instead still cut every live zone from 10 to 6.7 frames/s and
    polled DOUT 4.5 times as often. So after a miss a read waits only for the boards that
    answered and takes the others if they are ready by then. A board plugged back in is
    caught by that: its conversions run on its own clock, and the one it finished after the
    others were read keeps DOUT low until the next read. With no board answering, a read
    waits ~1.5 periods for all of them.
    """

    def __init__(self, array: Any, ready_timeout_s: float, rate_sps: float) -> None:
        self._array = array
        self._full_s = ready_timeout_s
        self._short_s = min(ready_timeout_s, 1.5 / rate_sps)
        self._answered: list[bool] | None = None  # per board, at the last read

    def read_detailed(self) -> list[Reading]:
        answered = self._answered
        readings: list[Reading]
        if answered is None or all(answered):
            readings = self._array.read_detailed(self._full_s)
        elif any(answered):
            readings = self._array.read_detailed(self._full_s, wanted=answered)
        else:
            readings = self._array.read_detailed(self._short_s)
        self._answered = [r.status != NOT_READY for r in readings]
        return readings

    def close(self) -> None:
        self._array.close()


def zone_problems(zones: Collection[str], layout: MatLayout) -> list[str]:
    """Every layout zone has a board and every board a layout zone: one line per problem,
    each starting with its field path (``acumat check-config`` prints the same lines)."""
    problems = [
        f"source.hardware.zones.{n}: not a zone of the mat{_did_you_mean(n, layout.names)}"
        f" (zones: {', '.join(layout.names)})"
        for n in zones
        if n not in layout.names
    ]
    problems += [
        f"source.hardware.zones: zone {n} has no board (add [source.hardware.zones.{n}])"
        for n in layout.names
        if n not in zones
    ]
    return problems


def _did_you_mean(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, names, n=1)
    return f"; did you mean {close[0]}?" if close else ""


def check_zones(hw: HardwareConfig, layout: MatLayout, kind: str) -> None:
    """``zone_problems``, and the fields the backend needs, as one ``HardwareSetupError``."""
    problems = zone_problems(hw.zones, layout) + hw.problems_for(kind)
    if kind not in HARDWARE_KINDS:
        problems.append(f"source kind {kind!r} is not one of {', '.join(HARDWARE_KINDS)}")
    if problems:
        raise HardwareSetupError("; ".join(problems))


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


def open_reader(kind: str, hw: HardwareConfig, layout: MatLayout, clock: Clock) -> CountsReader:
    """The backend alone (also used by ``acumat tare``/``calibrate``), channels in zone order.

    Any failure to reach the boards (no GPIO on this machine, a refused Adafruit package,
    a missing IIO device) becomes one ``HardwareSetupError`` line, not a traceback.
    """
    check_zones(hw, layout, kind)
    from gpiozero.exc import GPIOZeroError

    from firmware.backends.pinfactory import gpio_refusal

    try:
        return _open_backend(kind, hw, layout, clock)
    except Exception as exc:
        refusal = gpio_refusal(exc)  # no GPIO here, or not for this user: what to do
        if refusal is not None:
            raise HardwareSetupError(f"{kind}: {refusal}") from exc
        if isinstance(exc, (FirmwareError, ImportError, GPIOZeroError)):
            raise HardwareSetupError(f"{kind}: cannot open the boards: {exc}") from exc
        raise


def _open_backend(kind: str, hw: HardwareConfig, layout: MatLayout, clock: Clock) -> CountsReader:
    zones = [hw.zones[n] for n in layout.names]
    if kind == "iio":
        from firmware.backends.iio import IioReader

        devices = [z.iio_device for z in zones]
        return IioReader(
            hw.iio_root, [d for d in devices if d is not None], hw.gain, hw.ready_timeout_s
        )
    if kind == "adafruit":
        from firmware.backends.adafruit import AdafruitReader

        pins = [(hw.zone_clock_pin(n), hw.zones[n].data_pin or 0) for n in layout.names]
        return AdafruitReader(pins, hw.gain, clock=clock, ready_timeout_s=hw.ready_timeout_s)
    return _hx711_reader(hw, [z.data_pin or 0 for z in zones], clock)


def _hx711_reader(hw: HardwareConfig, data_pins: list[int], clock: Clock) -> CountsReader:
    from firmware.backends.pinfactory import default_pin_factory
    from firmware.hx711.driver import HX711Array
    from firmware.hx711.lines import pin_factory

    lgpio = _load_lgpio(hw.pin_library) if hw.group_read else None
    assert hw.clock_pin is not None  # check_zones made sure
    array = HX711Array(
        hw.clock_pin,
        data_pins,
        gain=hw.gain,
        pin_factory=None
        if lgpio is not None
        else pin_factory(hw.pin_library, hw.gpiochip) or default_pin_factory(),
        ready_timeout=hw.ready_timeout_s,
        clock=clock,
        lgpio_module=lgpio,
        gpiochip=hw.gpiochip,
    )
    if hw.group_read and lgpio is None and hw.pin_library == "auto":  # said once it works
        log.info("lgpio is not installed: reading through gpiozero pins, one call per line")
    # Power-cycle every board together so their conversions are aligned (datasheet).
    array.power_down()
    array.power_up()
    return ShortWaitAfterMiss(array, hw.ready_timeout_s, hw.rate_sps)


def _load_lgpio(pin_library: str) -> Any:
    """lgpio for its group_read path: wanted with ``auto`` (when installed) and ``lgpio``;
    with ``rpigpio`` the pins go through RPi.GPIO, one call per line."""
    if pin_library == "rpigpio":
        return None
    try:
        import lgpio
    except ImportError:
        if pin_library == "lgpio":
            from firmware.hx711.lines import NEEDS

            raise ImportError(NEEDS["lgpio"]) from None
        return None
    return lgpio
