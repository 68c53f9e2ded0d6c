"""The pins are not shared: ``acumat calibrate`` and ``tare`` offer to stop a running
``acumat.service`` and start it again after; ``calibrate --watch`` shows each zone live with raw
counts before any calibration (the build guide's tile check). A fake unit stands in for systemd.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from controller.cli import build_parser
from controller.cli.calibrate import run_calibrate, watch_zones
from controller.service.config import load_config
from controller.service.unit import SystemdUnit
from firmware.boards import open_reader
from tests.calibrate.conftest import NAMES, Mat, ScheduledClock, write_config


class FakeUnit:
    def __init__(self, active: bool, refuse: str | None = None) -> None:
        self.name = "acumat.service"
        self.running = active
        self.refuse = refuse
        self.calls: list[str] = []

    def active(self) -> bool:
        return self.running

    def stop(self) -> str | None:
        self.calls.append("stop")
        if self.refuse is None:
            self.running = False
        return self.refuse

    def start(self) -> str | None:
        self.calls.append("start")
        self.running = True
        return None


def _watch_args(config: Path, *flags: str) -> list[str]:
    return ["calibrate", "--config", str(config), "--watch", "--for-s", "2", *flags]


def test_a_running_service_is_named_and_left_alone_when_the_person_says_no(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = FakeUnit(active=True)
    args = build_parser().parse_args(_watch_args(write_config(tmp_path)))
    assert run_calibrate(args, clock, lambda _q: "n", unit) == 2
    err = capsys.readouterr().err
    assert "acumat.service is running and holds the GPIO pins" in err
    assert "sudo systemctl stop acumat.service" in err and unit.calls == []


def test_it_stops_the_service_on_yes_and_starts_it_again_after(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = FakeUnit(active=True)
    asked: list[str] = []
    args = build_parser().parse_args(_watch_args(write_config(tmp_path)))

    def person(question: str) -> str:
        asked.append(question)
        return "y"

    assert run_calibrate(args, clock, person, unit) == 0
    assert unit.calls == ["stop", "start"] and unit.running
    assert asked and "Stop acumat.service" in asked[0]
    assert "started acumat.service again" in capsys.readouterr().err


def test_a_stop_that_is_refused_says_what_to_run(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit = FakeUnit(active=True, refuse="Access denied")
    args = build_parser().parse_args(_watch_args(write_config(tmp_path)))
    assert run_calibrate(args, clock, lambda _q: "y", unit) == 2
    err = capsys.readouterr().err
    assert "cannot stop acumat.service (Access denied)" in err and unit.calls == ["stop"]


def test_watch_shows_raw_counts_and_their_change_before_calibration(
    mat: Mat, clock: ScheduledClock, tmp_path: Path
) -> None:
    config = load_config(write_config(tmp_path))
    assert config.source.hardware is not None
    reader = open_reader("hx711", config.source.hardware, config.mat.layout(), clock)
    mat.put_at(1.0, "middle_right", 10.0)  # someone presses that tile after a second
    args = build_parser().parse_args(_watch_args(write_config(tmp_path)))
    out = io.StringIO()
    try:
        assert watch_zones(config, reader, args=args, out=out, clock=clock) == 0
    finally:
        reader.close()
    last = out.getvalue().splitlines()[-len(NAMES) :]
    rows = {line.split()[0]: line.split() for line in last}
    assert set(rows) == set(NAMES)
    assert all("uncalib." in line for line in last)  # no calibration yet: counts only
    changes = {name: int(row[2]) for name, row in rows.items()}
    assert changes["middle_right"] > 100_000  # 10 kg at ~17,000 counts per kg
    assert all(abs(c) < 1_000 for n, c in changes.items() if n != "middle_right")


def test_systemd_unit_reads_systemctl_and_a_machine_without_it_as_not_running() -> None:
    seen: list[Sequence[str]] = []

    def run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        seen.append(list(argv))
        return subprocess.CompletedProcess(list(argv), 0 if argv[1] == "is-active" else 1,
                                           "", "Failed to stop: Access denied\n")  # fmt: skip

    unit = SystemdUnit(run=run)
    assert unit.active() and unit.stop() == "Failed to stop: Access denied"
    assert seen[0] == ["systemctl", "is-active", "--quiet", "acumat.service"]

    def missing(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
        raise FileNotFoundError("systemctl")

    assert not SystemdUnit(run=missing).active()
