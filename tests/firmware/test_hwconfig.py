"""[source.hardware] in the TOML: clear errors for bad pins, repeats and zones without boards."""

from __future__ import annotations

from typing import Any

import pytest

from controller.service.config import ConfigError, parse_config
from controller.service.configdoc import render
from firmware.filters import FilterSettings
from firmware.hwconfig import HardwareConfig
from firmware.schema import parse

ZONES = ["upper_left", "upper_right", "middle_left", "middle_right", "lower_left", "lower_right"]
DATA_PINS = [6, 13, 19, 26, 12, 16]


def _hw(**overrides: Any) -> dict[str, Any]:
    hw: dict[str, Any] = {
        "clock_pin": 5,
        "zones": {
            z: {"data_pin": p, "scale_counts_per_kg": 20_000}
            for z, p in zip(ZONES, DATA_PINS, strict=True)
        },
    }
    hw.update(overrides)
    return hw


def _problems(kind: str, hw: dict[str, Any] | None) -> list[str]:
    source: dict[str, Any] = {"kind": kind}
    if hw is not None:
        source["hardware"] = hw
    with pytest.raises(ConfigError) as err:
        parse_config({"source": source})
    return err.value.problems


def test_a_good_table_gives_the_backend_everything() -> None:
    config = parse_config({"source": {"kind": "hx711", "hardware": _hw(rate_sps=80, gain=64)}})
    hw = config.source.hardware
    assert isinstance(hw, HardwareConfig)
    assert (hw.clock_pin, hw.rate_sps, hw.gain) == (5, 80, 64)
    assert hw.calibration().zone("lower_right").scale_counts_per_kg == 20_000
    assert hw.problems_for("hx711") == []


def test_a_hardware_kind_without_the_table_is_refused() -> None:
    assert _problems("hx711", None) == ["source: kind = 'hx711' needs a [source.hardware] table"]


@pytest.mark.parametrize("pin", [0, 1, 28, 40, -3])
def test_an_unknown_pin_is_named_with_its_path(pin: int) -> None:
    hw = _hw()
    hw["zones"]["upper_left"]["data_pin"] = pin
    (line,) = _problems("hx711", hw)
    assert line.startswith("source.hardware.zones.upper_left.data_pin: GPIO")
    assert "2..27" in line


def test_the_same_pin_twice_is_refused() -> None:
    hw = _hw()
    hw["zones"]["lower_right"]["data_pin"] = 5  # the clock's
    assert _problems("hx711", hw) == ["source.hardware: GPIO 5 is used twice"]


def test_a_zone_without_a_board_is_refused() -> None:
    hw = _hw()
    del hw["zones"]["middle_left"]["data_pin"]
    assert _problems("hx711", hw) == [
        "source.hardware: zone middle_left has no board: give data_pin"
    ]
    hw_iio = {"zones": {"upper_left": {"iio_device": 0}, "upper_right": {}}}
    assert _problems("iio", hw_iio) == [
        "source.hardware: zone upper_right has no board: give iio_device"
    ]


def test_a_reused_pin_is_reported_beside_the_other_problems_of_the_table() -> None:
    hw = _hw(gain=100)
    hw["zones"]["upper_left"]["data_pin"] = 40
    hw["zones"]["lower_right"]["data_pin"] = 13  # upper_right's
    problems = _problems("hx711", hw)
    assert sorted(line.split(": ")[0] for line in problems) == [
        "source.hardware",
        "source.hardware.gain",
        "source.hardware.zones.upper_left.data_pin",
    ]
    assert "source.hardware: GPIO 13 is used twice" in problems


def test_every_zone_without_a_board_is_its_own_line() -> None:
    hw = _hw(clock_pin=None)
    del hw["zones"]["middle_left"]["data_pin"]
    del hw["zones"]["lower_left"]["data_pin"]
    assert _problems("hx711", hw) == [
        "source.hardware: zone middle_left has no board: give data_pin",
        "source.hardware: zone lower_left has no board: give data_pin",
        "source.hardware: clock_pin is needed: the GPIO of the shared PD_SCK line",
    ]


def test_every_bad_calibration_is_its_own_line() -> None:
    hw = _hw()
    hw["zones"]["upper_left"]["scale_counts_per_kg"] = 0
    hw["zones"]["lower_left"]["offset_counts"] = 1e9
    problems = _problems("hx711", hw)
    assert len(problems) == 2
    assert problems[0].startswith("source.hardware: zone upper_left: scale_counts_per_kg")
    assert problems[1].startswith("source.hardware: zone lower_left: offset_counts")


def test_the_pin_library_is_one_of_gpiozeros() -> None:
    assert parse(HardwareConfig, _hw()).pin_library == "auto"
    assert parse(HardwareConfig, _hw(pin_library="rpigpio")).pin_library == "rpigpio"
    (line,) = _problems("hx711", _hw(pin_library="RPi.GPIO"))
    assert line == (
        "source.hardware.pin_library: must be one of 'auto', 'lgpio', 'rpigpio', got 'RPi.GPIO'"
    )


def test_backend_specific_rules() -> None:
    shared = _hw()
    assert "each zone its own clock_pin" in _problems("adafruit", shared)[0]
    own = {
        "zones": {
            "upper_left": {"data_pin": 6, "clock_pin": 5},
            "upper_right": {"data_pin": 13, "clock_pin": 19},
        }
    }
    parse_config({"source": {"kind": "adafruit", "hardware": own}})
    assert (
        "clock_pin is for the adafruit backend" in _problems("hx711", {**own, "clock_pin": 20})[0]
    )
    twice = {"zones": {"a": {"iio_device": 1}, "b": {"iio_device": 1}}}
    assert "same iio_device" in _problems("iio", twice)[0]


def test_calibration_in_the_table_is_validated() -> None:
    hw = _hw()
    hw["zones"]["upper_left"]["scale_counts_per_kg"] = -20_000
    (line,) = _problems("hx711", hw)
    assert line.startswith("source.hardware: zone upper_left: scale_counts_per_kg is negative")


def test_typos_and_bad_choices_are_refused() -> None:
    assert _problems("hx711", _hw(gian=64)) == [
        "source.hardware.gian: unknown field (check the spelling)"
    ]
    assert _problems("hx711", _hw(rate_sps=40))[0].startswith("source.hardware.rate_sps:")
    assert _problems("hx711", _hw(filters={"stuck_samples": 1})) == [
        "source.hardware.filters.stuck_samples: must be >= 2, got 1"
    ]
    assert _problems("hx711", _hw(filters={"stuk_samples": 5})) == [
        "source.hardware.filters.stuk_samples: unknown field (check the spelling)"
    ]


def test_the_filter_settings_are_the_firmware_dataclass() -> None:
    hw = _hw(filters={"stuck_samples": 40})
    config = parse_config({"source": {"kind": "hx711", "hardware": hw}})
    assert isinstance(config.source.hardware, HardwareConfig)
    assert config.source.hardware.filters == FilterSettings(stuck_samples=40)
    assert parse(HardwareConfig, _hw()).filters == FilterSettings()


@pytest.mark.parametrize("key", ["median_window", "max_step_kg"])
def test_removed_filter_keys_are_refused_with_the_reason(key: str) -> None:
    (line,) = _problems("hx711", _hw(filters={key: 5, "stuck_samples": 20}))
    assert line == (
        f"source.hardware.filters: {key} was removed (spikes are rejected by the"
        " controller's median now): delete the line"
    )


def test_the_configuration_doc_shows_the_filter_dataclass_with_its_description() -> None:
    doc = render()
    section = doc[doc.index("## [source.hardware.filters]") :]
    assert "| `stuck_samples` | `20` | Identical 24-bit words in a row" in section
    assert "| `filters` | (see below) |" in doc
    assert "median_window" not in doc and "stuck_s`" not in doc
