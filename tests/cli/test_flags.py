"""``acumat run`` flags on top of a config: validated like the file, chosen program kept."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from controller.cli import main
from controller.cli.run import _core_settings
from controller.cli.run_flags import with_flags as _with_flags
from controller.service.config import parse_config


def flags(**given: object) -> argparse.Namespace:
    base: dict[str, object] = {"simulate": None, "file": None, "speed": None, "state_dir": None}
    return argparse.Namespace(**{**base, **given})


def test_a_scenario_program_yields_to_one_the_file_chose() -> None:
    chosen = parse_config({"session": {"program": "relax"}})
    other = parse_config({"session": {"grace_s": 30.0}})
    for config, program in ((chosen, "relax"), (other, "feet")):
        with_flags = _with_flags(config, flags(simulate="feet"))
        assert with_flags.source.scenario == "feet"
        assert _core_settings(with_flags).session.program == program


def test_flags_keep_the_rest_of_the_file() -> None:
    config = parse_config({"session": {"grace_s": 30.0}, "mat": {"id": "bedroom"}})
    with_flags = _with_flags(config, flags(simulate="sitting", speed=5.0))
    assert with_flags.session.grace_s == 30.0 and with_flags.mat.id == "bedroom"
    assert with_flags.source.speed == 5.0 and with_flags.source.kind == "simulate"


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["history"],
        ["replay", "FRAMES"],
        ["report", "last"],
        ["monitor"],
        ["tare"],
        ["calibrate"],
    ],
)
def test_every_command_says_a_broken_config_the_same_way(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[session]\ngrace_s = -1\n")
    frames = tmp_path / "frames.jsonl"  # never opened: the config is read first
    args = [str(frames) if a == "FRAMES" else a for a in argv]
    code = main([*args, "--config", str(config)])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "acumat: config: session.grace_s: must be >= 0, got -1\n"
