"""``acumat replay`` of a file that begins with someone on the mat.

A session recording begins at ``session_started``, the person already lying there
(controller/storage/recorder.py). Replay knows nothing of a session before the file, so a body
found there whole and still is taken as having lain there, as after a restart under an open
session, and the replayed session starts again; the same frames under a plain header too.
Only the service knows better (its journal held no open session: tests/core/test_restart.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from controller.cli import main
from controller.storage.recorder import recordings
from firmware.framefile import FrameFileHeader, open_frames, write_frames
from tests.report.conftest import write_scenario
from tests.report.test_recorder import run_file


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real core and recorder over ``relax_session``: its one session's recording."""
    folder = tmp_path_factory.mktemp("recorded")
    run_file(write_scenario("relax_session", folder), folder / "state")
    [path] = recordings(folder / "state")
    return path


def replayed(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    assert main(["replay", str(path), "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def plain_copy(recording: Path, to: Path) -> Path:
    """The recording's frames under a header without its ``recording`` object."""
    header, frames = open_frames(recording)
    with to.open("w", encoding="utf-8") as out:
        write_frames(out, FrameFileHeader(header.layout, header.rate_hz), frames)
    return to


def test_replaying_a_recording_starts_its_session_again(
    recording: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, frames = open_frames(recording)
    assert isinstance(header.extra["recording"], dict)
    first_t = next(iter(frames)).t
    events = replayed(recording, capsys)
    kinds = [e["type"] for e in events]
    assert kinds.count("session_started") == 1 and kinds.count("session_ended") == 1
    started = next(e for e in events if e["type"] == "session_started")
    assert started["trigger"] == "lie_down"
    assert float(started["t"]) - first_t < 3.0  # type: ignore[arg-type]
    first_posture = next(e for e in events if e["type"] == "posture")
    assert first_posture["posture"] == "lying"


def test_a_plain_file_beginning_with_the_same_body_starts_the_same_session(
    recording: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from_recording = replayed(recording, capsys)
    events = replayed(plain_copy(recording, tmp_path / "plain.jsonl"), capsys)
    assert events == from_recording
