"""``acumat replay FILE | head``: the reader leaving early is not an error of the file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.cli.test_replay import lie_down_file

ROOT = Path(__file__).resolve().parents[2]
MAIN = "import sys; from controller.cli import main; sys.exit(main())"  # what `acumat` runs


def test_a_reader_that_left_ends_replay_quietly(tmp_path: Path) -> None:
    frames = lie_down_file(tmp_path / "f.jsonl")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first event: every write fails (EPIPE)
    try:
        done = subprocess.run(
            [sys.executable, "-c", MAIN, "replay", "--json", str(frames)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert done.stderr == ""  # was "acumat: …/f.jsonl: Broken pipe", blaming the file
    assert done.returncode == 0
