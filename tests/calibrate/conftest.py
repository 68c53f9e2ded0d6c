"""A mat of emulated HX711 boards on a scheduled fake clock, and a person who moves a weight.

The boards are the bit-level emulator on gpiozero's MockFactory (as in tests/firmware); the
clock is a ``FakeClock`` that runs scheduled actions (put a weight on a tile, take it off)
when the driver's own waiting moves time past them, so the wizard meets weights arriving
while it reads, as on a real mat, and nothing sleeps in real time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from gpiozero import Device

from firmware.clock import FakeClock
from firmware.hx711.emulator import CountingMockFactory, HX711Chip, emulated_array
from firmware.layout import DEFAULT_LAYOUT

CLK = 5
DATA = [6, 13, 19, 26, 12, 16]
NAMES = DEFAULT_LAYOUT.names
# Each zone's true counts per kg differ, as real load-cell quartets do.
SCALES = [20_000.0, 18_500.0, 21_000.0, 19_000.0, 22_500.0, 17_000.0]
ZEROS = [1000 * (i + 1) for i in range(len(DATA))]


class ScheduledClock(FakeClock):
    """A FakeClock that runs ``at(t, action)`` actions as time passes them."""

    def __init__(self) -> None:
        super().__init__()
        self._due: list[tuple[float, Callable[[], None]]] = []

    def at(self, t_s: float, action: Callable[[], None]) -> None:
        self._due.append((t_s, action))
        self._due.sort(key=lambda item: item[0])

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        while self._due and self._due[0][0] <= self.monotonic():
            self._due.pop(0)[1]()


class Mat:
    """The emulated boards under the tiles; weights in kg become counts on a zone's chip."""

    def __init__(self, chips: list[HX711Chip], clock: ScheduledClock) -> None:
        self.chips, self.clock = chips, clock

    def put(self, zone: str, kg: float) -> None:
        i = NAMES.index(zone)
        self.chips[i].counts_a += round(kg * SCALES[i])

    def put_at(self, t_s: float, zone: str, kg: float) -> None:
        self.clock.at(t_s, lambda: self.put(zone, kg))

    def hold(self, start_s: float, zone: str, kg: float, for_s: float) -> None:
        """The weight rests on ``zone`` from ``start_s`` for ``for_s`` seconds."""
        self.put_at(start_s, zone, kg)
        self.put_at(start_s + for_s, zone, -kg)


@pytest.fixture
def clock() -> ScheduledClock:
    return ScheduledClock()


@pytest.fixture
def mat(clock: ScheduledClock) -> Iterator[Mat]:
    factory = CountingMockFactory()
    Device.pin_factory = factory
    # 10 SPS boards (the usual RATE wiring) with a little noise, on the fake clock.
    chips = emulated_array(factory, CLK, DATA, clock=clock, conversion_s=0.1, noise_counts=30.0)
    for chip, zero in zip(chips, ZEROS, strict=True):
        chip.counts_a = zero
    yield Mat(chips, clock)
    Device.pin_factory = None


def write_config(tmp_path: Path, extra: str = "") -> Path:
    zones = "".join(
        f"[source.hardware.zones.{name}]\ndata_pin = {pin}\n"
        for name, pin in zip(NAMES, DATA, strict=True)
    )
    path = tmp_path / "acumat.toml"
    path.write_text(
        f'[storage]\ndir = "{tmp_path / "state"}"\n[source]\nkind = "hx711"\n'
        f"[source.hardware]\nclock_pin = {CLK}\n{extra}{zones}",
        encoding="utf-8",
    )
    return path
