"""``acumat run``, ``tare`` and ``calibrate`` with ``kind = "hx711"`` on a machine without GPIO
(a laptop, CI): the real command as a child process says one line on stderr, what is wrong and
what to do, with no gpiozero warning or traceback, and exits 2 as any source it cannot open."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = "from gpiozero import Device; Device.ensure_pin_factory()"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "GPIOZERO_PIN_FACTORY"}
    env["PYTHONPATH"] = str(ROOT)
    return env


@pytest.fixture(scope="module")
def no_gpio_here() -> None:
    probe = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", PROBE],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if probe.returncode == 0:
        pytest.skip("this machine has a usable pin library: the test is for one without")


@pytest.mark.usefixtures("no_gpio_here")
@pytest.mark.parametrize("command", ["run", "tare", "calibrate"])
def test_one_clear_line_and_exit_2(command: str, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    shipped = (ROOT / "config" / "config.toml").read_text()
    config.write_text(f'{shipped}\n[storage]\ndir = "{tmp_path / "state"}"\n')
    done = subprocess.run(
        [sys.executable, "-m", "controller", command, "--config", str(config)],
        env=_env(),
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr
    assert len(lines) == 1, done.stderr
    assert "hx711: no GPIO here: no pin library could open the pins (tried lgpio," in lines[0]
    assert "gpio group" in lines[0] and 'kind = "simulate"' in lines[0]
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
