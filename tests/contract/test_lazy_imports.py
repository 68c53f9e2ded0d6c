"""What each ``acumat`` command loads before it does its work (issue 13), in a fresh process.

``acumat --help``, each subcommand's ``--help`` and the parsing of any command line load no
numpy, paho or matplotlib: they are imported inside the functions that use them.
``acumat check-config`` loads none of them either: the config is validated by
``firmware.schema`` (no pydantic any more, nor anything else heavy), and it builds no controller
and no simulator. Not a timing test: benchmarks/startup.py times them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from controller.cli import _COMMANDS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "pydantic", "pydantic_core", "paho", "matplotlib")

PROBE = """
import contextlib, io, json, sys
argv, parse_only, heavy = json.loads(sys.argv[1]), sys.argv[2] == "parse", json.loads(sys.argv[3])
from controller.cli import build_parser, main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    try:
        code = build_parser(argv[0]).parse_args(argv) and 0 if parse_only else main(argv)
    except SystemExit as exc:
        code = exc.code
loaded = sorted({m for m in heavy for name in sys.modules if name.split(".")[0] == m})
print(json.dumps({"code": code, "loaded": loaded, "out": out.getvalue(), "err": err.getvalue()}))
"""

# A command line each command accepts (parsed, not run).
COMMAND_LINES = {
    "run": ["run", "--simulate", "--speed", "10", "--web", "127.0.0.1:8080"],
    "replay": ["replay", "frames.jsonl", "--json", "--program", "relax"],
    "simulate": ["simulate", "relax_session", "--out", "-", "--layout", "2x4:0.6x1.8"],
    "check-config": ["check-config", "config.toml"],
    "tare": ["tare", "--config", "config.toml", "--force"],
    "calibrate": ["calibrate", "--config", "config.toml", "--zone", "upper_left", "--kg", "10"],
    "report": ["report", "last", "--out", "s.svg"],
    "monitor": ["monitor", "--mqtt", "localhost:1883", "--once"],
    "history": ["history", "--json", "--limit", "3"],
}


def acumat(argv: list[str], tmp_path: Path, parse_only: bool = False) -> dict[str, Any]:
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"), "PYTHONPATH": str(ROOT)}
    env.pop("STATE_DIRECTORY", None)
    mode = "parse" if parse_only else "main"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv), mode, json.dumps(HEAVY)],
        capture_output=True, text=True, check=True, cwd=tmp_path, env=env,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("argv", [["--help"], *([c, "--help"] for c in _COMMANDS)], ids=" ".join)
def test_help_loads_nothing_heavy(argv: list[str], tmp_path: Path) -> None:
    result = acumat(argv, tmp_path)
    assert result["code"] == 0 and "usage: acumat" in result["out"]
    assert result["loaded"] == []


@pytest.mark.parametrize("argv", [[], ["runn"], ["run", "--bogus"], ["check-config"]])
def test_a_wrong_command_line_gets_its_usage_line_and_loads_nothing_heavy(
    argv: list[str], tmp_path: Path
) -> None:
    result = acumat(argv, tmp_path)
    assert result["code"] == 2 and "acumat" in result["err"] and "error:" in result["err"]
    assert "Traceback" not in result["err"]
    assert result["loaded"] == []


def test_every_command_has_a_command_line_here() -> None:
    assert set(COMMAND_LINES) == set(_COMMANDS)


@pytest.mark.parametrize("command", list(_COMMANDS))
def test_parsing_a_command_line_loads_nothing_heavy(command: str, tmp_path: Path) -> None:
    result = acumat(COMMAND_LINES[command], tmp_path, parse_only=True)
    assert result["code"] == 0, result["err"]
    assert result["loaded"] == []


def _config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_config_on_the_example_loads_nothing_heavy(tmp_path: Path) -> None:
    result = acumat(["check-config", str(ROOT / "config" / "config.toml")], tmp_path)
    assert result["code"] == 0 and "ok (mat mat1, 6 zones, source hx711" in result["out"]
    assert result["loaded"] == []


def test_check_config_on_the_defaults_builds_no_simulator(tmp_path: Path) -> None:
    result = acumat(["check-config", str(_config(tmp_path, ""))], tmp_path)
    assert result["code"] == 0 and "source simulate" in result["out"]
    assert result["loaded"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a wrong section: the right ones are still checked against each other
            '[source]\nscenario = "relax_sesion"\n[session]\ngrace_s = -1\n',
            ["session.grace_s", "did you mean relax_session"],
        ),
        (  # a valid file: the source's checks and the MQTT files
            '[source]\nscenario = "relax_sesion"\n[mqtt]\nhost = "broker"\nusername = "mat"\n'
            'password_file = "/nowhere/password"\n',
            ["did you mean relax_session", "mqtt.password_file: no such file"],
        ),
    ],
    ids=["invalid", "valid"],
)
def test_check_config_finds_every_problem_without_numpy_or_paho(
    text: str, expected: list[str], tmp_path: Path
) -> None:
    result = acumat(["check-config", str(_config(tmp_path, text))], tmp_path)
    assert result["code"] == 1
    assert f"{len(expected)} problem(s)" in result["err"], result["err"]
    for line in expected:
        assert line in result["err"], result["err"]
    assert result["loaded"] == []


def test_check_config_with_the_whole_library_by_name_builds_no_simulator(tmp_path: Path) -> None:
    result = acumat(["check-config", str(_config(tmp_path, '[source]\nscenario = "all"\n'))],
                    tmp_path)  # fmt: skip
    assert result["code"] == 0, result["err"]
    assert result["loaded"] == []
