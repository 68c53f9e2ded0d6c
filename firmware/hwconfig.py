"""The hardware part of the configuration (``[source.hardware]`` in the TOML): pydantic models.

Pins, boards and per-zone calibration for the three hardware backends (``hx711``, ``iio``,
``adafruit``), validated with one readable reason per problem: a pin that is not a GPIO on
the 40-pin header, the same pin twice, a zone without a board, a calibration that cannot be
right, a pin library gpiozero does not have. Which fields a backend needs is checked by
``problems_for(kind)``, which the source config calls. Every problem is its own line, and a
pin given twice is reported even when another field of the table is wrong too (pydantic
skips a model's own checks once a field failed: ``_every_problem`` then runs the reuse
check on the raw table). Pure (validation only); loaded in ``main()`` with the config.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from firmware.calibration import Calibration, CalibrationError, checked_zone
from firmware.filters import FilterSettings

HARDWARE_KINDS = ("hx711", "iio", "adafruit")
# gpiozero's names for its pin factories (as in GPIOZERO_PIN_FACTORY); "auto": gpiozero picks.
PinLibrary = Literal["auto", "lgpio", "rpigpio"]
Problem = tuple[tuple[str | int, ...], str]  # (where in the table, what is wrong)
# BCM GPIO 0 and 1 are the HAT ID EEPROM's I2C pins; 2..27 are on the 40-pin header.
FIRST_GPIO, LAST_GPIO = 2, 27


def _check_gpio(pin: int | None) -> int | None:
    if pin is not None and not FIRST_GPIO <= pin <= LAST_GPIO:
        raise ValueError(
            f"GPIO {pin} is not a usable BCM pin on the 40-pin header"
            f" (use {FIRST_GPIO}..{LAST_GPIO}; 0 and 1 belong to the HAT EEPROM)"
        )
    return pin


def problems_error(title: str, problems: Iterable[Problem]) -> ValidationError:
    """One validation error per problem, so each becomes its own line with its own path."""
    return ValidationError.from_exception_data(title, [_detail(p) for p in problems])


def _detail(problem: Problem) -> InitErrorDetails:
    loc, reason = problem
    # The reason goes in the context: a brace in it must not be read as a template field.
    return InitErrorDetails(
        type=PydanticCustomError("value_error", "{reason}", {"reason": reason}),
        loc=loc,
        input=None,
    )


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ZoneHardware(_Model):
    data_pin: int | None = Field(None, description="BCM GPIO wired to this board's DOUT.")
    clock_pin: int | None = Field(
        None, description="adafruit only: this board's own PD_SCK pin (BCM GPIO)."
    )
    iio_device: int | None = Field(
        None, ge=0, description="iio only: N of /sys/bus/iio/devices/iio:deviceN."
    )
    invert: bool = Field(False, description="Negate counts (A+/A- wired the other way round).")
    offset_counts: float = Field(
        0.0, description="Zero in counts; calibration.json from `acumat tare` overrides it."
    )
    scale_counts_per_kg: float | None = Field(
        None, description="Counts per kg; calibration.json from `acumat calibrate` overrides it."
    )

    _pins = field_validator("data_pin", "clock_pin")(_check_gpio)


# Keys that [source.hardware.filters] no longer takes, and why (refused with this reason,
# rather than ignored: a setting that silently does nothing misleads whoever tuned it).
REMOVED_FILTER_KEYS = {
    "median_window": "spikes are rejected by the controller's median now",
    "max_step_kg": "spikes are rejected by the controller's median now",
}


def _no_removed_keys(value: object) -> object:
    if isinstance(value, dict):
        removed = [k for k in REMOVED_FILTER_KEYS if k in value]
        if removed:
            why = "; ".join(f"{k} was removed ({REMOVED_FILTER_KEYS[k]})" for k in removed)
            raise ValueError(f"{why}: delete the line")
    return value


class HardwareConfig(_Model):
    clock_pin: int | None = Field(None, description="BCM GPIO of the shared PD_SCK line.")
    gain: Literal[128, 64, 32] = Field(128, description="128 or 64 (channel A), 32 (channel B).")
    rate_sps: Literal[10, 80] = Field(10, description="The boards' RATE pin: 10 or 80 SPS.")
    ready_timeout_s: float = Field(
        0.5, gt=0, le=5, description="Longest wait for a board's DOUT to go low."
    )
    pin_library: PinLibrary = Field(
        "auto",
        description="hx711: the GPIO library under gpiozero: 'lgpio' (Bookworm and later, the"
        " Pi 5), 'rpigpio' (RPi.GPIO, Bullseye-era systems; not the Pi 5) or 'auto' (lgpio's"
        " group_read when lgpio is installed, else gpiozero's own pick).",
    )
    group_read: bool = Field(
        True, description="With lgpio: read every data line in one group_read call per bit."
    )
    gpiochip: int = Field(0, ge=0, description="gpiochip for lgpio (0 on every Pi model).")
    iio_root: Path = Field(Path("/sys/bus/iio/devices"), description="IIO devices (iio only).")
    filters: FilterSettings = Field(
        default_factory=FilterSettings,
        description="Single-sample signal checks: [source.hardware.filters].",
    )
    zones: dict[str, ZoneHardware] = Field(
        min_length=1, description="Per zone (layout names): its board and calibration."
    )

    _pin = field_validator("clock_pin")(_check_gpio)
    _filters = field_validator("filters", mode="before")(_no_removed_keys)

    @model_validator(mode="wrap")
    @classmethod
    def _every_problem(cls, data: Any, handler: Callable[[Any], HardwareConfig]) -> HardwareConfig:
        try:
            table = handler(data)
        except ValidationError as exc:
            reused = _reuse_problems(data) if isinstance(data, Mapping) else []
            if not reused:
                raise
            details = [*_details_of(exc), *map(_detail, reused)]
            raise ValidationError.from_exception_data(cls.__name__, details) from None
        problems = _reuse_problems(table.model_dump()) + table._calibration_problems()
        if problems:
            raise problems_error(cls.__name__, problems)
        return table

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


def _reuse_problems(table: Mapping[str, Any]) -> list[Problem]:
    """A GPIO or an iio_device given twice; reads a raw TOML table as well as a valid one."""
    given = table.get("zones")
    zones = (
        [z for z in given.values() if isinstance(z, Mapping)] if isinstance(given, Mapping) else []
    )
    pins = [table.get("clock_pin"), *(z.get(k) for z in zones for k in ("data_pin", "clock_pin"))]
    problems: list[Problem] = []
    twice = _twice(pins)
    if twice:
        problems.append(((), f"GPIO {', '.join(map(str, twice))} is used twice"))
    if _twice([z.get("iio_device") for z in zones]):
        problems.append(((), "the same iio_device is given to two zones"))
    return problems


def _twice(values: Iterable[object]) -> list[int]:
    numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return sorted(v for v, n in Counter(numbers).items() if n > 1)


def _details_of(exc: ValidationError) -> list[InitErrorDetails]:
    return [
        InitErrorDetails(type=e["type"], loc=e["loc"], input=e["input"], ctx=e.get("ctx", {}))
        for e in exc.errors()
    ]
