"""``acumat replay``: events out, deterministic, malformed files stop with the line number."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from controller.cli import main
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileHeader, write_frames
from firmware.layout import DEFAULT_LAYOUT

# hips lifted (a bridge): lying by its shape alone. A shape a long seat across a row border
# fits as well needs the way down, which a body appearing whole in one frame does not show.
LYING = (18.8, 18.8, 1.0, 1.0, 13.2, 13.2)


def lie_down_file(path: Path) -> Path:
    """Empty 5 s, lying 60 s, empty 90 s: one session that ends when the grace runs out."""
    frames = []
    for i in range(1550):
        t = i * 0.1
        loads = LYING if 5 <= t < 65 else (0.0,) * 6
        wobble = 0.01 * ((i * 7919) % 13 - 6)  # deterministic "noise"
        frames.append(ZoneFrame(t, tuple(kg + wobble for kg in loads)))
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, FrameFileHeader(DEFAULT_LAYOUT, 10.0), frames)
    return path


def test_json_events_follow_the_vocabulary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["replay", str(lie_down_file(tmp_path / "f.jsonl")), "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kinds = [e["type"] for e in events]
    assert kinds.count("session_started") == 1 and kinds.count("session_ended") == 1
    started = next(e for e in events if e["type"] == "session_started")
    ended = next(e for e in events if e["type"] == "session_ended")
    assert started["trigger"] == "lie_down" and started["program"] == "relax"
    assert 5 < started["t"] < 12
    assert ended["reason"] == "left_mat" and ended["completed"] is False
    assert ended["duration_s"] == pytest.approx(65 - started["t"], abs=0.5)
    assert all(isinstance(e["t"], float | int) for e in events)


def test_replay_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = lie_down_file(tmp_path / "f.jsonl")
    main(["replay", str(path), "--json"])
    first = capsys.readouterr().out
    main(["replay", str(path), "--json"])
    assert capsys.readouterr().out == first and first


def test_text_output_and_program_choice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = lie_down_file(tmp_path / "f.jsonl")
    assert main(["replay", str(path), "--program", "sleep"]) == 0
    out = capsys.readouterr().out
    assert "session_started" in out and "program=sleep" in out
    assert main(["replay", str(path), "--program", "yoga"]) == 2
    assert "unknown program 'yoga'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{oops", "line 3: not valid JSON"),
        ('{"t": -1, "zones": {}}', "line 3: t went backwards"),
    ],
)
def test_malformed_file_stops_with_its_line_number(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    good = lie_down_file(tmp_path / "good.jsonl").read_text().splitlines()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join([*good[:2], line, *good[2:]]) + "\n")
    assert main(["replay", str(bad), "--json"]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl" in capsys.readouterr().err
