"""Linux IIO backend: the kernel's ``hx711`` driver does the bit-banging, timing exact (I/O).

Each board is ``/sys/bus/iio/devices/iio:deviceN``; reading ``in_voltage0_raw`` (channel
A, gain 128) or ``in_voltage1_raw`` (channel B, gain 32) waits for the next conversion and
returns it as *offset binary* (0x800000 is zero), so the counts are ``raw - 0x800000``.
The driver blocks ~2 s on a missing board and then fails with EIO, so every board is read
on its own thread and a board that has not answered within ``ready_timeout_s`` is
``not_ready`` for this frame while the others are read; its read is not restarted until
the old one ends. The overlay that creates the devices is in ``hardware/iio/``.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path

from firmware.errors import FirmwareError
from firmware.faults import IO_ERROR, NOT_READY, SATURATED
from firmware.hx711.driver import OK, Reading

OFFSET_BINARY_ZERO = 0x800000
_FULL_SCALE_RAW = 0xFFFFFF
_ATTRIBUTE_FOR_GAIN = {128: "in_voltage0_raw", 32: "in_voltage1_raw"}


class IioSetupError(FirmwareError, ValueError):
    """No such IIO device, or a gain the kernel driver cannot be asked for here."""


def counts_from_raw(raw: int) -> Reading:
    """Offset binary → signed counts; the two ends of the range are the rails (saturated)."""
    if not 0 <= raw <= _FULL_SCALE_RAW:
        return Reading(None, IO_ERROR)
    return Reading(raw - OFFSET_BINARY_ZERO, SATURATED if raw in (0, _FULL_SCALE_RAW) else OK)


def read_raw(path: Path) -> int:
    """One blocking read of a sysfs ``*_raw`` attribute (OSError EIO on a missing board)."""
    with path.open("rb", buffering=0) as f:
        return int(f.read(32).strip())


class IioReader:
    """Reads every board in parallel; channels in the order of ``devices``."""

    def __init__(
        self, root: Path, devices: Sequence[int], gain: int = 128, ready_timeout_s: float = 0.5
    ) -> None:
        attribute = _ATTRIBUTE_FOR_GAIN.get(gain)
        if attribute is None:
            raise IioSetupError(
                "iio: the kernel driver's gain 64 is chosen through in_voltage0_scale;"
                " acumat's IIO backend reads gain 128 (channel A) or 32 (channel B)"
            )
        self.paths = [root / f"iio:device{n}" / attribute for n in devices]
        missing = [str(p.parent) for p in self.paths if not p.parent.is_dir()]
        if missing:
            raise IioSetupError(
                f"iio: no such device {', '.join(missing)}: is the hx711 overlay loaded?"
                " (see hardware/iio/README.md)"
            )
        self._timeout_s = ready_timeout_s
        self._pool = ThreadPoolExecutor(max_workers=len(self.paths), thread_name_prefix="iio")
        self._pending: list[Future[int] | None] = [None] * len(self.paths)

    def read_detailed(self) -> list[Reading]:
        for i, path in enumerate(self.paths):
            if self._pending[i] is None:
                self._pending[i] = self._pool.submit(read_raw, path)
        live = [f for f in self._pending if f is not None]
        wait(live, timeout=self._timeout_s)
        return [self._collect(i) for i in range(len(self.paths))]

    def _collect(self, i: int) -> Reading:
        future = self._pending[i]
        if future is None or not future.done():
            return Reading(None, NOT_READY)  # still blocked in the kernel: keep waiting on it
        self._pending[i] = None
        try:
            return counts_from_raw(future.result())
        except (OSError, ValueError):
            return Reading(None, NOT_READY)

    def close(self) -> None:
        # Reads blocked on a missing board end on their own (EIO after ~2 s).
        self._pool.shutdown(wait=False, cancel_futures=True)
