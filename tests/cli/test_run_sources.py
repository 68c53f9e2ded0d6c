"""``acumat run``'s source flags: one source, a speed above 0, and a missing file said in one
plain line."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.cli import main


def test_a_simulation_and_a_file_at_once_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # before, --file silently won and played in real time while --simulate was ignored
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--simulate", "relax_session", "--file", str(tmp_path / "f.jsonl")])
    assert stopped.value.code == 2
    assert "--file: not allowed with argument --simulate" in capsys.readouterr().err


def test_a_missing_frame_file_is_one_plain_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.jsonl"
    code = main(["run", "--file", str(missing), "--state-dir", str(tmp_path / "state")])
    err = capsys.readouterr().err
    assert code == 2
    assert err == f"acumat: cannot open the file source: {missing}: No such file or directory\n"


@pytest.mark.parametrize("speed", ["0", "-2", "nan", "fast"])
def test_a_speed_that_is_no_positive_number_names_the_flag(
    speed: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # before, "0" was answered as the config file's field: "config: source.speed: must be > 0"
    argv = ["run", "--simulate", "--speed", speed, "--state-dir", str(tmp_path)]
    code: int | str | None
    try:
        code = main(argv)
    except SystemExit as stopped:  # "fast": argparse's own refusal (after its usage lines)
        code = stopped.code
    err = capsys.readouterr().err
    said = err.strip().splitlines()[-1]
    assert code == 2 and "Traceback" not in err
    assert "--speed: " in said and "config" not in said
