"""The hardware part of the configuration (``[source.hardware]`` in the TOML): frozen dataclasses.

Pins, boards and per-zone calibration for the three hardware backends (``hx711``, ``iio``,
``adafruit``), validated (``firmware.schema``) with one readable reason per problem: a pin
that is not a GPIO on the 40-pin header, the same pin twice, a zone without a board, a
calibration that cannot be right, a pin library gpiozero does not have. Which fields a backend
needs is checked by ``problems_for(kind)``, which the source config calls. Every problem is
its own line, and a pin given twice is reported even when another field of the table is wrong
too (``raw_problems`` reads the raw table). Pure (validation only); loaded in ``main()`` with
the config.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from annotated_types import Ge, Gt, Le, MinLen

from firmware.calibration import Calibration, CalibrationError, checked_zone
from firmware.filters import FilterSettings
from firmware.schema import Before, Check, Problem, SchemaError, doc, doc_factory

HARDWARE_KINDS = ("hx711", "iio", "adafruit")
# gpiozero's names for its pin factories (as in GPIOZERO_PIN_FACTORY); "auto": gpiozero picks.
PinLibrary = Literal["auto", "lgpio", "rpigpio"]
# BCM GPIO 0 and 1 are the HAT ID EEPROM's I2C pins; 2..27 are on the 40-pin header.
FIRST_GPIO, LAST_GPIO = 2, 27


def _check_gpio(pin: int) -> None:
    if not FIRST_GPIO <= pin <= LAST_GPIO:
        raise ValueError(
            f"GPIO {pin} is not a usable BCM pin on the 40-pin header"
            f" (use {FIRST_GPIO}..{LAST_GPIO}; 0 and 1 belong to the HAT EEPROM)"
        )


Gpio = Annotated[int, Check(_check_gpio)]


@dataclass(frozen=True)
class ZoneHardware:
    data_pin: Gpio | None = doc(None, "BCM GPIO wired to this board's DOUT.")
    clock_pin: Gpio | None = doc(None, "adafruit only: this board's own PD_SCK pin (BCM GPIO).")
    iio_device: Annotated[int, Ge(0)] | None = doc(
        None, "iio only: N of /sys/bus/iio/devices/iio:deviceN."
    )
    invert: bool = doc(False, "Negate counts (A+/A- wired the other way round).")
    offset_counts: float = doc(
        0.0, "Zero in counts; calibration.json from `acumat tare` overrides it."
    )
    scale_counts_per_kg: float | None = doc(
        None, "Counts per kg; calibration.json from `acumat calibrate` overrides it."
    )


# Keys that [source.hardware.filters] no longer takes, and why (refused with this reason,
# rather than ignored: a setting that silently does nothing misleads whoever tuned it).
REMOVED_FILTER_KEYS = {
    "median_window": "spikes are rejected by the controller's median now",
    "max_step_kg": "spikes are rejected by the controller's median now",
}


def _no_removed_keys(value: object) -> None:
    if isinstance(value, Mapping):
        removed = [k for k in REMOVED_FILTER_KEYS if k in value]
        if removed:
            why = "; ".join(f"{k} was removed ({REMOVED_FILTER_KEYS[k]})" for k in removed)
            raise ValueError(f"{why}: delete the line")


@dataclass(frozen=True)
class HardwareConfig:
    clock_pin: Gpio | None = doc(None, "BCM GPIO of the shared PD_SCK line.")
    gain: Literal[128, 64, 32] = doc(128, "128 or 64 (channel A), 32 (channel B).")
    rate_sps: Literal[10, 80] = doc(10, "The boards' RATE pin: 10 or 80 SPS.")
    ready_timeout_s: Annotated[float, Gt(0), Le(5)] = doc(
        0.5, "Longest wait for a board's DOUT to go low."
    )
    pin_library: PinLibrary = doc(
        "auto",
        "hx711: the GPIO library under gpiozero: 'lgpio' (Bookworm and later, the"
        " Pi 5), 'rpigpio' (RPi.GPIO, Bullseye-era systems; not the Pi 5) or 'auto' (lgpio's"
        " group_read when lgpio is installed, else gpiozero's own pick).",
    )
    group_read: bool = doc(True, "With lgpio: read every data line in one group_read call per bit.")
    gpiochip: Annotated[int, Ge(0)] = doc(0, "gpiochip for lgpio (0 on every Pi model).")
    iio_root: Path = doc(Path("/sys/bus/iio/devices"), "IIO devices (iio only).")
    filters: Annotated[FilterSettings, Before(_no_removed_keys)] = doc_factory(
        FilterSettings, "Single-sample signal checks: [source.hardware.filters]."
    )
    zones: Annotated[dict[str, ZoneHardware], MinLen(1)] = doc(
        description="Per zone (layout names): its board and calibration.",
        kw_only=True,  # required, after fields with defaults
    )

    def __post_init__(self) -> None:
        problems = self._calibration_problems()
        if problems:
            raise SchemaError(problems)

    @staticmethod
    def raw_problems(table: Mapping[str, Any]) -> list[Problem]:
        """A GPIO or an iio_device given twice, read from the raw table (``parse`` calls it),
        so that it is said even when a field of the table is wrong too."""
        given = table.get("zones")
        zones = [z for z in given.values() if isinstance(z, Mapping)] if isinstance(
            given, Mapping) else []  # fmt: skip
        pins = [table.get("clock_pin")]
        pins += [z.get(k) for z in zones for k in ("data_pin", "clock_pin")]
        problems: list[Problem] = []
        twice = _twice(pins)
        if twice:
            problems.append(((), f"GPIO {', '.join(map(str, twice))} is used twice"))
        if _twice([z.get("iio_device") for z in zones]):
            problems.append(((), "the same iio_device is given to two zones"))
        return problems

    def _calibration_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        for name, z in self.zones.items():
            try:
                checked_zone(name, z.offset_counts, z.scale_counts_per_kg)
            except CalibrationError as exc:
                problems.append(((), str(exc)))
        return problems

    def calibration(self) -> Calibration:
        """The TOML's calibration (the base under calibration.json)."""
        return Calibration(
            {
                name: checked_zone(name, z.offset_counts, z.scale_counts_per_kg)
                for name, z in self.zones.items()
            }
        )

    def problems_for(self, kind: str) -> list[str]:
        """What backend ``kind`` misses in this table, one line per problem."""
        if kind == "iio":
            return [
                f"zone {n} has no board: give iio_device"
                for n, z in self.zones.items()
                if z.iio_device is None
            ]
        problems = [
            f"zone {n} has no board: give data_pin"
            for n, z in self.zones.items()
            if z.data_pin is None
        ]
        if kind == "hx711" and self.clock_pin is None:
            problems.append("clock_pin is needed: the GPIO of the shared PD_SCK line")
        if kind == "hx711":
            problems += [
                f"zone {n}: clock_pin is for the adafruit backend; hx711 shares clock_pin"
                for n, z in self.zones.items()
                if z.clock_pin is not None
            ]
        if kind == "adafruit":
            problems += self._adafruit_problems()
        return problems

    def _adafruit_problems(self) -> list[str]:
        # The Adafruit driver reads one chip per pulse train, so each board needs its own clock.
        clocks = [z.clock_pin or self.clock_pin for z in self.zones.values()]
        if None in clocks:
            return ["adafruit: every zone needs a clock_pin (or one zone and the shared clock_pin)"]
        if len(set(clocks)) != len(clocks):
            return [
                "adafruit: the Adafruit driver reads one board per clock line; give each"
                " zone its own clock_pin"
            ]
        return []

    def zone_clock_pin(self, name: str) -> int:
        pin = self.zones[name].clock_pin or self.clock_pin
        assert pin is not None  # problems_for() was empty
        return pin


def _twice(values: Iterable[object]) -> list[int]:
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return sorted(v for v, n in Counter(numbers).items() if n > 1)
