"""acumat.service: systemd-analyze verify is clean, exposure is low, GPIO stays reachable."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.pi.unitfile import UNIT, parse_unit, service_section

ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
EXPOSURE_MAX = 1.5  # the issue asks for <= 2.5, with <= 1.5 as the goal


def _root_with_unit(root: Path, unit_text: str) -> Path:
    """A throwaway root: the distribution's units, ours, and a stand-in for the venv's acumat."""
    shutil.copytree("/usr/lib/systemd/system", root / "usr/lib/systemd/system", symlinks=True)
    unit = root / "etc/systemd/system/acumat.service"
    unit.parent.mkdir(parents=True)
    unit.write_text(unit_text, encoding="utf-8")
    exe = root / "opt/acumat/venv/bin/acumat"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    exe.chmod(0o755)
    return unit


def _verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ANALYZE, "verify", f"--root={root}", "/etc/systemd/system/acumat.service"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_verify_is_clean(tmp_path: Path) -> None:
    _root_with_unit(tmp_path, UNIT.read_text(encoding="utf-8"))
    result = _verify(tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    text = UNIT.read_text(encoding="utf-8").replace("Type=notify", "Type=notifyy")
    _root_with_unit(tmp_path, text)
    result = _verify(tmp_path)
    assert "notifyy" in result.stderr


def _exposure(unit: Path) -> float:
    result = subprocess.run(
        [ANALYZE, "security", "--offline=yes", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d+)", result.stdout)
    assert found, result.stdout + result.stderr
    return float(found.group(1))


def test_exposure_is_low() -> None:
    assert _exposure(UNIT) <= EXPOSURE_MAX


def test_exposure_check_can_fail(tmp_path: Path) -> None:
    bare = tmp_path / "bare.service"
    bare.write_text("[Service]\nExecStart=/bin/true\n", encoding="utf-8")
    assert _exposure(bare) > 2.5


def test_gpio_stays_reachable() -> None:
    service = service_section()
    assert "char-gpiochip rw" in service["DeviceAllow"]
    assert "gpio" in service["SupplementaryGroups"][0].split()
    assert service.get("PrivateDevices", ["no"]) == ["no"]  # a private /dev hides gpiochip
    assert service["DevicePolicy"] == ["closed"]
    # lgpio writes notification files into its working directory.
    assert service["WorkingDirectory"] == ["%S/acumat"]


@pytest.mark.parametrize(
    ("key", "want"),
    [
        ("Type", "notify"),
        ("Restart", "on-failure"),
        ("StateDirectory", "acumat"),
        ("ConfigurationDirectory", "acumat"),
        ("User", "acumat"),
        ("LoadCredential", "mqtt_password:/etc/acumat/mqtt_password"),
    ],
)
def test_service_settings(key: str, want: str) -> None:
    assert service_section()[key] == [want]


def test_watchdog_start_limit_and_stop_timeout() -> None:
    unit = parse_unit(UNIT.read_text(encoding="utf-8"))
    assert unit["Service"]["WatchdogSec"] == ["30s"]
    assert unit["Service"]["TimeoutStopSec"] == ["15s"]
    assert int(unit["Unit"]["StartLimitBurst"][0]) >= 3
    assert unit["Unit"]["StartLimitIntervalSec"] == ["300"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_no_secret_in_the_unit() -> None:
    text = UNIT.read_text(encoding="utf-8").lower()
    assert not re.search(r"^\s*environment=.*pass", text, re.MULTILINE)
