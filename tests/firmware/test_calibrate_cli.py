"""``acumat tare`` / ``acumat calibrate`` against emulated boards on gpiozero's MockFactory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from gpiozero import Device

from controller.cli import build_parser, main
from controller.cli.calibrate import run_calibrate, run_tare
from firmware.clock import FakeClock
from firmware.hx711.emulator import CountingMockFactory, HX711Chip, emulated_array
from firmware.layout import DEFAULT_LAYOUT

CLK = 5
DATA = [6, 13, 19, 26, 12, 16]
SCALE = 20_000.0


@pytest.fixture
def chips(factory: CountingMockFactory, clock: FakeClock) -> Iterator[list[HX711Chip]]:
    # The pins are the default factory's, as on a Pi; 80 SPS boards on the fake clock.
    Device.pin_factory = factory
    board = emulated_array(factory, CLK, DATA, clock=clock, conversion_s=1 / 80)
    for i, chip in enumerate(board):
        chip.counts_a = 1000 * (i + 1)
    yield board
    Device.pin_factory = None


def _config(tmp_path: Path, kind: str = "hx711") -> Path:
    zones = "".join(
        f"[source.hardware.zones.{name}]\ndata_pin = {pin}\n"
        for name, pin in zip(DEFAULT_LAYOUT.names, DATA, strict=True)
    )
    path = tmp_path / "acumat.toml"
    path.write_text(
        f'[storage]\ndir = "{tmp_path / "state"}"\n[source]\nkind = "{kind}"\n'
        f"[source.hardware]\nclock_pin = {CLK}\n{zones}",
        encoding="utf-8",
    )
    return path


def _run(clock: FakeClock, *argv: str) -> int:
    """The subcommand as ``acumat`` parses it, on the fake clock (no real waiting)."""
    args = build_parser().parse_args(list(argv))
    code: int = (run_tare if argv[0] == "tare" else run_calibrate)(args, clock)
    return code


def _saved(tmp_path: Path) -> dict[str, dict[str, float | None]]:
    data = json.loads((tmp_path / "state" / "calibration.json").read_text(encoding="utf-8"))
    zones: dict[str, dict[str, float | None]] = data["zones"]
    return zones


def test_tare_then_calibrate_write_the_calibration_file(
    chips: list[HX711Chip], clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path)
    assert _run(clock, "tare", "--config", str(config), "--samples", "8") == 0
    saved = _saved(tmp_path)
    assert [saved[n]["offset_counts"] for n in DEFAULT_LAYOUT.names] == [
        1000.0 * (i + 1) for i in range(6)
    ]
    chips[2].counts_a += round(5 * SCALE)  # 5 kg on middle_left
    args = ["calibrate", "--config", str(config), "--zone", "middle_left", "--kg", "5"]
    assert _run(clock, *args, "--samples", "8") == 0
    saved = _saved(tmp_path)
    assert saved["middle_left"]["scale_counts_per_kg"] == pytest.approx(SCALE)
    assert saved["upper_left"]["scale_counts_per_kg"] is None
    assert "middle_left: scale_counts_per_kg 20000.00" in capsys.readouterr().out


def test_a_weight_that_lowers_the_counts_is_refused_as_swapped_wires(
    chips: list[HX711Chip], clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path)
    assert _run(clock, "tare", "--config", str(config), "--samples", "5") == 0
    chips[0].counts_a -= round(5 * SCALE)
    args = ["calibrate", "--config", str(config), "--zone", "upper_left", "--kg", "5"]
    assert _run(clock, *args, "--samples", "5") == 1
    assert "swapped" in capsys.readouterr().err
    assert _saved(tmp_path)["upper_left"]["scale_counts_per_kg"] is None


def test_a_dead_board_makes_tare_fail_with_the_zone_named(
    chips: list[HX711Chip], clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chips[4].dead = True
    config = _config(tmp_path)
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "clock_pin = 5", "clock_pin = 5\nready_timeout_s = 0.05"
        ),
        encoding="utf-8",
    )
    assert _run(clock, "tare", "--config", str(config), "--samples", "5") == 1
    assert "lower_left: only 0 good readings" in capsys.readouterr().err
    assert not (tmp_path / "state" / "calibration.json").exists()


def test_tare_needs_a_hardware_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sim.toml"
    path.write_text('[source]\nkind = "simulate"\n', encoding="utf-8")
    assert main(["tare", "--config", str(path)]) == 2
    assert "need a hardware source" in capsys.readouterr().err


def test_unknown_zone_is_named(
    chips: list[HX711Chip], clock: FakeClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(tmp_path)
    args = ["calibrate", "--config", str(config), "--zone", "middle", "--kg", "5"]
    assert _run(clock, *args, "--samples", "5") == 1
    assert "no zone 'middle'" in capsys.readouterr().err
