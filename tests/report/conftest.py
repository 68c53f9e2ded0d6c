"""Shared pieces for the report/monitor tests: simulated sessions written once per module."""

from __future__ import annotations

from pathlib import Path

import pytest

from firmware.framefile import write_frames
from firmware.sim.scenarios import build


def write_scenario(name: str, folder: Path) -> Path:
    sim = build(name)
    path = folder / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, sim.header(), sim.frames())
    return path


@pytest.fixture(scope="session")
def shift_left_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 10-minute session with a 4-minute lean to the left (an uneven spell)."""
    return write_scenario("shift_left", tmp_path_factory.mktemp("frames"))
