"""config/config.toml: loads as it ships, its commented examples load too, pins match wiring."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from controller.service.config import ConfigError, load_config
from firmware.layout import DEFAULT_LAYOUT

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "config.toml"
BUILD = ROOT / "hardware" / "schematics" / "build.py"
_COMMENTED_SETTING = re.compile(r"^# ?((?:\[[\w.]+\])|(?:\w+ = .*))$")


def _build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("acumat_schematics_build", BUILD)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_default_config_loads() -> None:
    config = load_config(CONFIG)
    assert config.source.kind == "hx711"
    assert config.mqtt is None
    hardware = config.source.hardware
    assert hardware is not None
    assert set(hardware.zones) == {zone.name for zone in DEFAULT_LAYOUT.zones}
    assert config.mat.layout() == DEFAULT_LAYOUT


def test_every_commented_example_is_valid_too(tmp_path: Path) -> None:
    lines = CONFIG.read_text(encoding="utf-8").splitlines()
    opened = [_COMMENTED_SETTING.sub(r"\1", line) for line in lines]
    assert sum(a != b for a, b in zip(lines, opened, strict=True)) >= 15
    path = tmp_path / "all.toml"
    path.write_text("\n".join(opened) + "\n", encoding="utf-8")
    config = load_config(path)
    assert config.mqtt is not None
    assert str(config.mqtt.password_file) == "/run/credentials/acumat.service/mqtt_password"
    assert config.session.programs["relax"].target_s == 900


def test_a_wrong_pin_in_the_config_is_refused(tmp_path: Path) -> None:
    text = CONFIG.read_text(encoding="utf-8").replace("data_pin = 13", "data_pin = 6")
    path = tmp_path / "twice.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert any("GPIO 6 is used twice" in line for line in err.value.problems)


def _config_pins() -> dict[str, dict[str, int]]:
    hardware = load_config(CONFIG).source.hardware
    assert hardware is not None and hardware.clock_pin is not None
    pins: dict[str, dict[str, int]] = {}
    for name, zone in hardware.zones.items():
        assert zone.data_pin is not None
        pins[name] = {"CLK": hardware.clock_pin, "DAT": zone.data_pin}
    return pins


def test_wiring_pins_match_the_default_config() -> None:
    build = _build()
    wiring: dict[str, dict[str, int]] = build.wiring_pins(build.load_harness())
    assert wiring == _config_pins()
    assert len({board["CLK"] for board in wiring.values()}) == 1  # one shared clock


def test_rate_in_wiring_matches_the_config() -> None:
    harness: dict[str, Any] = _build().load_harness()
    hardware = load_config(CONFIG).source.hardware
    assert hardware is not None
    assert harness["metadata"]["acumat"]["rate_sps"] == hardware.rate_sps
    hx = harness["connectors"]["HX_upper_left"]
    rate, gnd = (hx["pinlabels"].index(label) + 1 for label in ("RATE", "GND"))
    assert [rate, gnd] in hx["loops"]  # RATE tied to GND = 10 samples/s
    assert hardware.rate_sps == 10


def test_pin_check_notices_a_drift() -> None:
    build = _build()
    harness = build.load_harness()
    for path in harness["connections"]:
        if path[0].get("PI") == [2, 1, 34, 29, 33]:
            path[0]["PI"] = [2, 1, 34, 29, 35]  # upper_right's DAT moved to GPIO19
    assert build.wiring_pins(harness) != _config_pins()


def test_committed_bom_is_generated_from_the_wiring() -> None:
    build = _build()
    committed = (BUILD.parent / "bom.csv").read_text(encoding="utf-8")
    assert committed == build.bom_csv(build.load_harness())
    assert committed.splitlines()[0] == "part,quantity,specification,example supplier part"
    assert "Half-bridge load cell,24," in committed
    assert "HX711 24-bit load-cell ADC board,6," in committed


def test_diagram_is_committed() -> None:
    svg = (BUILD.parent / "acumat-wiring.svg").read_text(encoding="utf-8")
    for zone in DEFAULT_LAYOUT.zones:
        assert f"HX_{zone.name}" in svg
    assert (BUILD.parent / "acumat-wiring.png").stat().st_size > 10_000
