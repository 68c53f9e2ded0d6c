"""The boards behind the sampling loop: the hardware table checked against the layout, and the
backend chosen and opened (I/O shell).

``open_reader`` opens the ``hx711`` (bit-banged, wrapped in ``ShortWaitAfterMiss``), ``iio`` or
``adafruit`` backend as a ``CountsReader``, channels in zone order; ``firmware/sampling.py``
turns its reads into frames, and ``acumat tare``/``calibrate``/``boards`` use it alone.
``zone_problems`` and ``check_zones`` say what does not fit, one line per problem, each with its
field path. The GPIO libraries are imported here lazily, inside the functions that open a
backend, so the package imports on any laptop.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Collection, Sequence
from typing import Any, Protocol

from firmware.clock import Clock
from firmware.errors import FirmwareError
from firmware.faults import NOT_READY
from firmware.hwconfig import HARDWARE_KINDS, HardwareConfig
from firmware.hx711.driver import Reading
from firmware.layout import MatLayout

log = logging.getLogger(__name__)


class HardwareSetupError(FirmwareError, ValueError):
    """The hardware table does not fit the layout or the backend (one line per reason)."""


class CountsReader(Protocol):
    """One read of every board, in zone order: what each backend offers the loop."""

    def read_detailed(self) -> list[Reading]: ...

    def close(self) -> None: ...


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
