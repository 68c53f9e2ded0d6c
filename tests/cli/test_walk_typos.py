"""Slips found by walking a new user's paths from a fresh clone: each is said plainly."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.cli import main
from controller.cli.report import done_line
from controller.cli.run import serve
from controller.service.config import parse_config
from firmware.clock import FakeClock


def test_an_empty_mat_id_is_refused_not_replaced_by_the_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--mat ''` (an unset shell variable) watched mat1 as if no --mat had been given."""
    assert main(["monitor", "--mqtt", "127.0.0.1:1", "--mat", "", "--once"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "acumat monitor: --mat: must be 1 to 64 letters, digits, _ or -, got ''\n"
    )


@pytest.mark.parametrize(
    ("marks", "says"), [(0, "0 session events"), (1, "1 session event ->"), (5, "5 session events")]
)
def test_the_report_line_counts_its_events_in_plain_words(marks: int, says: str) -> None:
    line = done_line("Relax session", 49, marks, Path("session.png"))
    assert line.startswith("Relax session: 49 frames, ") and line.endswith("-> session.png")
    assert says in line


def test_a_missing_web_token_file_is_named_by_check_config_and_by_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Both passed it by: check-config said ok, run said '[Errno 2] No such file...'."""
    missing = tmp_path / "web-token"
    text = f'[web]\nlisten = "127.0.0.1:0"\ntoken_file = "{missing}"\n'
    (tmp_path / "web.toml").write_text(text)
    assert main(["check-config", str(tmp_path / "web.toml")]) == 1
    assert f"web.toml: web.token_file: no such file: {missing}\n" in capsys.readouterr().err
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "standing"},
            "storage": {"dir": str(tmp_path / "state")},
            "web": {"listen": "127.0.0.1:0", "token_file": str(missing)},
        }
    )
    assert serve(config, FakeClock(), quiet=True) == 2
    assert capsys.readouterr().err == (
        f"acumat: web: cannot read web.token_file {missing}: No such file or directory\n"
    )


def test_history_and_report_point_a_demo_user_to_simulated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`./dev simulate`, then `acumat history` / `report last` without --simulated: 'No
    sessions recorded yet' and 'no recordings', with the demo's sessions kept apart unsaid."""
    state = tmp_path / "state"
    assert main(["history", "--state-dir", str(state)]) == 0
    assert main(["report", "last", "--state-dir", str(state)]) == 2
    assert "--simulated" not in capsys.readouterr().err  # nothing simulated: no hint
    simulated = state / "simulated"
    (simulated / "sessions").mkdir(parents=True)
    (simulated / "history.sqlite").touch()
    (simulated / "sessions" / "mat1_1000.000.jsonl").touch()
    assert main(["history", "--state-dir", str(state)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("No sessions recorded yet.\n")
    assert captured.err == "acumat history: simulated runs keep theirs apart: add --simulated\n"
    assert main(["report", "last", "--state-dir", str(state)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("acumat report: no recordings in ")
    assert line.endswith(" (simulated runs keep theirs apart: add --simulated)")


@pytest.mark.parametrize("host", ["", " ", "mqtt://broker"])
def test_a_broker_host_that_cannot_be_one_is_refused_before_connecting(
    tmp_path: Path, host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`host = ""` passed check-config, then `run` died in paho with `ValueError: Invalid host.`."""
    config = tmp_path / "acumat.toml"
    config.write_text(f'[mqtt]\nhost = "{host}"\n')
    assert main(["check-config", str(config)]) == 1
    said = capsys.readouterr()
    assert "mqtt.host" in said.out + said.err
    assert "a host name or address" in said.out + said.err
    assert main(["monitor", "--mqtt", f"{host}:1883", "--mat", "m", "--once"]) == 2
    said = capsys.readouterr()
    assert said.err.startswith("acumat monitor: --mqtt ") and "a host name or address" in said.err
    assert "Traceback" not in said.err
