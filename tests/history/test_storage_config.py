"""The ``[storage]`` settings: ``--state-dir`` replaces the directory only, and a bad value is
one line naming the field."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from controller.cli.run_flags import with_flags as _with_flags
from controller.service.config import ConfigError, parse_config


def _flags(state_dir: Path | None) -> argparse.Namespace:
    return argparse.Namespace(simulate=None, file=None, speed=None, state_dir=state_dir)


def test_the_state_dir_flag_keeps_the_file_s_other_storage_settings(tmp_path: Path) -> None:
    config = parse_config(
        {"storage": {"dir": "/var/lib/acumat", "min_free_mb": 5, "unusable": "exit"}}
    )
    flagged = _with_flags(config, _flags(tmp_path))
    assert flagged.storage.dir == tmp_path
    assert (flagged.storage.min_free_mb, flagged.storage.unusable) == (5.0, "exit")
    assert flagged.storage.recordings_keep == 50


@pytest.mark.parametrize(
    ("storage", "problem"),
    [
        ({"min_free_mb": -1}, "storage.min_free_mb: must be >= 0, got -1"),
        ({"recordings_keep": -1}, "storage.recordings_keep: must be >= 0, got -1"),
        ({"unusable": "ignore"}, "storage.unusable: must be one of 'run', 'exit', got 'ignore'"),
    ],
)
def test_a_bad_storage_setting_is_one_line(storage: dict[str, object], problem: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"storage": storage})
    [line] = caught.value.problems
    assert line.startswith(problem)
