"""``acumat calibrate`` (the wizard) on emulated boards: scripted, interactive and failing runs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from controller.calibration.shell import Terminal
from controller.calibration.steps import Progress, Prompt
from controller.cli import build_parser
from controller.cli.calibrate import run_calibrate
from tests.calibrate.conftest import NAMES, SCALES, ZEROS, Mat, ScheduledClock, write_config

KG = 10.0


def _run(clock: ScheduledClock, config: Path, *flags: str, answers: list[str] | None = None) -> int:
    argv = ["calibrate", "--config", str(config), "--samples", "10", "--timeout-s", "30", *flags]
    args = build_parser().parse_args(argv)
    queue = list(answers or [])

    def ask(question: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    code: int = run_calibrate(args, clock, ask)
    return code


def _saved(tmp_path: Path) -> dict[str, dict[str, float]]:
    path = tmp_path / "state" / "calibration.json"
    zones: dict[str, dict[str, float]] = json.loads(path.read_text(encoding="utf-8"))["zones"]
    return zones


def _every_zone_in_turn(mat: Mat, kg: float = KG, start_s: float = 3.0) -> float:
    """The person puts the weight on each zone for 4 s, 6 s apart; returns the next free time."""
    for i, zone in enumerate(NAMES):
        mat.hold(start_s + 6 * i, zone, kg, for_s=4)
    return start_s + 6 * len(NAMES)


def test_a_scripted_run_finds_every_zone_and_verifies(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    verify_s = _every_zone_in_turn(mat)
    mat.put_at(verify_s, "middle_right", KG / 2)
    mat.put_at(verify_s, "lower_right", KG / 2)  # anywhere: across two tiles
    assert _run(clock, write_config(tmp_path), "--kg", "10", "--yes") == 0
    saved = _saved(tmp_path)
    for name, scale, zero in zip(NAMES, SCALES, ZEROS, strict=True):
        assert saved[name]["scale_counts_per_kg"] == pytest.approx(scale, rel=1e-3)
        assert saved[name]["offset_counts"] == pytest.approx(zero, abs=30)
    out = capsys.readouterr().out
    assert "Step 2, zone 6 of 6: put the 10 kg weight in the middle of lower_right." in out
    assert "noise" in out and "(ok)" in out
    assert f"saved {tmp_path / 'state' / 'calibration.json'}" in out


def test_an_interactive_run_asks_the_weight_and_waits_for_enter(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = ["10"] + [""] * (1 + len(NAMES) + 1)  # the weight, then Enter at each step
    asked: list[str] = []

    def person(question: str) -> str:
        # Pressing Enter after "put the weight on X" is when the person puts it there.
        asked.append(question)
        zone = _prompted_zone(capsys.readouterr().out)
        if zone is not None:
            mat.hold(clock.monotonic() + 1, zone, KG, for_s=3)
        return answers.pop(0)

    argv = ["calibrate", "--config", str(write_config(tmp_path)), "--samples", "10"]
    assert run_calibrate(build_parser().parse_args(argv), clock, person) == 0
    assert _saved(tmp_path)["lower_right"]["scale_counts_per_kg"] == pytest.approx(17_000, 1e-3)
    assert not answers  # one answer per prompt, none left over
    assert asked[0].startswith("Known weight in kg")


def _prompted_zone(out: str) -> str | None:
    """The zone the last prompt asked for (upper_left for the verify step), if any."""
    prompts = [line for line in out.splitlines() if line.startswith("Step ")]
    if not prompts or prompts[-1].startswith("Step 1"):
        return None
    return "upper_left" if prompts[-1].startswith("Step 3") else prompts[-1].split()[-1][:-1]


def test_on_a_terminal_the_progress_bar_is_redrawn_in_place() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    term = Terminal(out, io.StringIO(), input, yes=True)
    term.show([Progress("weigh", "upper_left", n, 4, "measuring", 2e5, None) for n in (1, 2)])
    term.show([Prompt("Take the weight off upper_left.", confirm=False)])
    lines = out.getvalue().split("\r")
    assert lines[1].startswith("[#####...............]   1/4 measuring  upper_left  +200000")
    assert lines[2].endswith("\x1b[K\nTake the weight off upper_left.\n")
