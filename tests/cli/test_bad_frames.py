"""Damaged frame files: one line naming the line number and exit 2, from replay and run alike."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from controller.cli import main
from firmware.framefile import MAX_LINE_BYTES, FrameFileHeader
from firmware.layout import DEFAULT_LAYOUT

HEADER = json.dumps(FrameFileHeader(layout=DEFAULT_LAYOUT, rate_hz=10.0).to_dict()).encode()
GOOD = b'{"t": 0.0, "zones": {"upper_left": 1.0}}'

BAD_LINES: dict[str, tuple[bytes, str]] = {
    "invalid UTF-8": (b'{"t": 0.2, "zones": {"upper_left": "\xff\xfe"}}', "not UTF-8 text"),
    "deep nesting": (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    "a 5,000-digit number": (b'{"t": ' + b"9" * 5000 + b', "zones": {}}', "too many digits"),
    "t = 1e308": (b'{"t": 1e308, "zones": {}}', "t must be seconds within"),
    "an over-long line": (b'{"t": 0.2, "pad": "' + b"x" * (MAX_LINE_BYTES + 10) + b'"}', "KiB"),
}


def frame_file(tmp_path: Path, bad: bytes) -> Path:
    path = tmp_path / "frames.jsonl"
    path.write_bytes(b"\n".join([HEADER, GOOD, bad, GOOD.replace(b"0.0", b"0.3")]) + b"\n")
    return path


LOG_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ INFO ")


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The one problem line on stderr (the service's INFO log lines aside)."""
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if not LOG_LINE.match(line)]
    assert len(lines) == 1, err[:500]
    return lines[0]


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_replay_names_the_line_and_exits_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, reason = BAD_LINES[case]
    path = frame_file(tmp_path, bad)
    assert main(["replay", str(path), "--json"]) == 2
    line = one_line(capsys)
    assert line.startswith(f"acumat: {path}: line 3: ") and reason in line


@pytest.mark.parametrize("case", sorted(BAD_LINES))
def test_run_file_gives_the_same_clean_error(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad, reason = BAD_LINES[case]
    path = frame_file(tmp_path, bad)
    state = tmp_path / "state"
    argv = ["run", "--file", str(path), "--speed", "1000", "--state-dir", str(state), "--quiet"]
    assert main(argv) == 2
    line = one_line(capsys)
    assert line.startswith(f"acumat: {path}: line 3: ") and reason in line


def test_a_damaged_header_is_refused_before_the_service_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "frames.jsonl"
    path.write_bytes(b"\xff" + HEADER + b"\n" + GOOD + b"\n")
    argv = ["run", "--file", str(path), "--state-dir", str(tmp_path / "s"), "--quiet"]
    assert main(argv) == 2
    line = one_line(capsys)
    assert line.startswith(f"acumat: cannot open the {path} source: line 1: not UTF-8 text")
