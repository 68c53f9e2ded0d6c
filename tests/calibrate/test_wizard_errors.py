"""The wizard's readable failures on emulated boards: nothing is saved unless a run succeeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from controller.cli import build_parser, main
from controller.cli.calibrate import run_calibrate
from tests.calibrate.conftest import NAMES, SCALES, Mat, ScheduledClock, write_config

KG = 10.0


def _run(clock: ScheduledClock, config: Path, *flags: str, answers: list[str] | None = None) -> int:
    argv = ["calibrate", "--config", str(config), "--samples", "10", "--timeout-s", "20", *flags]
    queue = list(answers or [])

    def ask(question: str) -> str:
        if not queue:
            raise EOFError
        return queue.pop(0)

    code: int = run_calibrate(build_parser().parse_args(argv), clock, ask)
    return code


def _nothing_saved(tmp_path: Path) -> bool:
    return not (tmp_path / "state" / "calibration.json").exists()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_config(tmp_path)


def test_weight_on_the_wrong_tile_is_named(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.hold(3, "middle_right", KG, for_s=10)  # asked for upper_left
    assert _run(clock, config, "--kg", "10", "--yes", "--zones", "upper_left") == 1
    err = capsys.readouterr().err
    assert "the weight seems to be on middle_right, not upper_left" in err
    assert _nothing_saved(config.parent)


def test_a_wrong_tile_can_be_retried_interactively(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.hold(3, "upper_right", KG, for_s=3)  # wrong tile first...
    mat.hold(9, "upper_left", KG, for_s=3)  # ...then, after "try again", the right one
    answers = ["", "", "y", ""]  # Enter (tare), Enter (zone), try again, Enter
    args = ("--kg", "10", "--zones", "upper_left", "--no-verify")
    assert _run(clock, config, *args, answers=answers) == 0
    saved = json.loads((config.parent / "state" / "calibration.json").read_text("utf-8"))
    assert saved["zones"]["upper_left"]["scale_counts_per_kg"] == pytest.approx(SCALES[0], 1e-3)
    assert "not upper_left" in capsys.readouterr().err


def test_counts_that_fall_under_the_weight_mean_swapped_wires(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.hold(3, "lower_left", -KG, for_s=10)  # A+/A- the other way round
    assert _run(clock, config, "--kg", "10", "--yes", "--zones", "lower_left") == 1
    assert "swapped" in capsys.readouterr().err
    assert _nothing_saved(config.parent)


def test_no_weight_times_out_with_the_zone_named(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(clock, config, "--kg", "10", "--yes") == 1
    assert "no weight detected on upper_left within 20 s" in capsys.readouterr().err
    assert clock.monotonic() == pytest.approx(21.5, abs=1.0)  # gave up on time, not later


def test_a_weight_that_keeps_rocking_is_unstable(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.put_at(3, "middle_left", KG)
    for k in range(60):  # ±0.5 kg every half second: never settles
        mat.put_at(3.25 + 0.5 * k, "middle_left", 0.5 if k % 2 else -0.5)
    assert _run(clock, config, "--kg", "10", "--yes", "--zones", "middle_left") == 1
    assert "did not settle within 20 s" in capsys.readouterr().err


def test_someone_on_the_mat_while_taring_is_refused(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for k in range(10):  # a person stepping about during the tare
        mat.put_at(0.2 * k, NAMES[k % 6], 3.0)
    assert _run(clock, config, "--kg", "10", "--yes") == 1
    assert "while taring" in capsys.readouterr().err
    assert _nothing_saved(config.parent)


def test_a_board_that_stops_answering_is_named(
    mat: Mat, clock: ScheduledClock, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, extra="ready_timeout_s = 0.2\n")
    mat.clock.at(3, lambda: setattr(mat.chips[3], "dead", True))  # unplugged after the tare
    assert _run(clock, config, "--kg", "10", "--yes") == 1
    err = capsys.readouterr().err
    assert "zone middle_right: no good reading in 20 tries: its board is not answering" in err


def test_a_verification_far_from_the_known_weight_saves_nothing(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.hold(3, "upper_left", KG, for_s=4)
    mat.put_at(9, "upper_left", 1.1 * KG)  # the verify weight is 10 % heavier than stated
    assert _run(clock, config, "--kg", "10", "--yes", "--zones", "upper_left") == 1
    out = capsys.readouterr().out
    assert "total 11.00 kg for 10 kg" in out and "OUT OF TOLERANCE" in out
    assert "nothing saved" in out
    assert _nothing_saved(config.parent)


def test_verify_alone_checks_the_saved_calibration_and_writes_nothing(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mat.hold(3, "upper_left", KG, for_s=4)
    assert _run(clock, config, "--kg", "10", "--yes", "--zones", "upper_left", "--no-verify") == 0
    path = config.parent / "state" / "calibration.json"
    before = path.read_text("utf-8")
    mat.put_at(clock.monotonic() + 1, "upper_left", 2 * KG)
    assert _run(clock, config, "--kg", "20", "--yes", "--verify") == 0
    assert "total 20.00 kg for 20 kg" in capsys.readouterr().out
    assert path.read_text("utf-8") == before
    mat.put_at(clock.monotonic() + 1, "upper_left", -KG)  # 10 kg left, said to be 12
    assert _run(clock, config, "--kg", "12", "--yes", "--verify") == 1


def test_the_wizard_needs_hardware_and_a_weight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sim = tmp_path / "sim.toml"
    sim.write_text('[source]\nkind = "simulate"\n', encoding="utf-8")
    assert main(["calibrate", "--config", str(sim), "--yes", "--kg", "10"]) == 2
    assert "need a hardware source" in capsys.readouterr().err
    assert main(["calibrate", "--config", str(sim), "--zone", "upper_left"]) == 2
    assert "--zone needs --kg" in capsys.readouterr().err


def test_scripted_runs_need_the_weight(
    mat: Mat, clock: ScheduledClock, config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(clock, config, "--yes") == 1
    assert "needs the known weight" in capsys.readouterr().err
