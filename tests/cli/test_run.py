"""``acumat run`` in simulation: the real service loop on a fake clock (no real sleeping)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from controller.cli.run import DEFAULT_SCENARIO, serve
from controller.core.session import SavedSession
from controller.core.summary import SessionSummary
from controller.service.config import ConfigError, parse_config
from controller.service.journal import SessionJournal
from controller.service.paths import StatePaths
from controller.storage.habits import beginner_target_s
from controller.storage.history import History, SessionRow
from firmware.clock import FakeClock, WallAt


def test_the_main_job_runs_a_scenario_and_stores_the_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "short_absence"},
            "storage": {"dir": str(tmp_path)},
        }
    )
    clock = FakeClock()
    assert serve(config, clock) == 0
    out = capsys.readouterr().out
    assert "session_started" in out and "session_resumed" in out
    assert "lying" in out and "relax running" in out  # the status line
    assert clock.monotonic() > 600  # paced in (fake) real time: the scenario's length
    # A simulated run's sessions are kept apart from the mat's (StatePaths.for_source).
    assert not (tmp_path / "history.sqlite").exists()
    rows = History(tmp_path / "simulated" / "history.sqlite").sessions()
    assert len(rows) == 1
    assert rows[0].summary.program == "relax" and rows[0].summary.reason == "left_mat"
    assert 500 < rows[0].summary.duration_s < 700


def test_a_scenario_made_for_the_feet_program_selects_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "feet", "speed": 50},
            "storage": {"dir": str(tmp_path)},
        }
    )
    assert serve(config, FakeClock(), quiet=False) == 0
    assert "program=feet trigger=stand" in capsys.readouterr().out


def test_an_unknown_scenario_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "nap_on_the_moon"},
            "storage": {"dir": str(tmp_path)},
        }
    )
    assert serve(config, FakeClock()) == 2
    assert "nap_on_the_moon" in capsys.readouterr().err


def test_an_unreadable_password_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()  # exists, but cannot be read as a file
    try:
        config = parse_config(
            {
                "source": {"kind": "simulate", "scenario": "relax_session"},
                "storage": {"dir": str(tmp_path)},
                "mqtt": {"host": "127.0.0.1", "port": 1, "password_file": str(secret)},
            }
        )
    except ConfigError as exc:  # refused while validating: also one line naming the field
        assert any("password_file" in p for p in exc.problems)
        return
    assert serve(config, FakeClock()) == 2
    err = capsys.readouterr().err
    assert "secret" in err and "Traceback" not in err


def test_cautions_come_on_the_first_run_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "bag_left", "speed": 50},
            "storage": {"dir": str(tmp_path)},
        }
    )
    serve(config, FakeClock())
    assert "Before you use the mat" in capsys.readouterr().out
    serve(config, FakeClock())
    assert "Before you use the mat" not in capsys.readouterr().out


def test_the_beginner_target_grows_from_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = History(StatePaths.for_source(tmp_path, simulated=True).history)
    for day in range(6):
        history.add(
            SessionRow(
                uid=f"mat1:{day}",
                mat_id="mat1",
                started_wall_s=day * 86400.0,
                ended_wall_s=day * 86400.0 + 400,
                summary=SessionSummary(
                    session=1,
                    program="beginner",
                    duration_s=400.0,
                    completed=True,
                    reason="left_mat",
                    target_s=300.0,
                    uneven_s=0.0,
                    mean_imbalance=0.0,
                ),
            )
        )
    rows = history.sessions()
    history.close()
    expected = beginner_target_s(rows)
    assert expected > 300  # grown past the first 5 minutes
    config = parse_config(
        {
            "source": {"kind": "simulate", "scenario": "relax_session"},
            "session": {"program": "beginner"},
            "storage": {"dir": str(tmp_path)},
        }
    )
    assert serve(config, FakeClock()) == 0
    out = capsys.readouterr().out
    # By command, with its event, before the first session starts.
    changed = out.index(f"program_target_changed program=beginner target_s={expected:g}")
    started = out.index(f"program=beginner trigger=lie_down target_s={expected:g}")
    assert changed < started


def test_a_simulated_run_never_resumes_the_session_a_previous_run_left_open(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    paths = StatePaths.for_source(tmp_path, simulated=True, mat_id="mat1")  # the default mat
    paths.root.mkdir()
    wall_at = WallAt()
    wall_at.anchor(0.0, FakeClock().wall())
    left_open = SavedSession(number=3, program="relax", trigger="lie_down", started_t=0.0,
                             elapsed_s=100.0, last_seen_t=100.0, target_s=1200.0)  # fmt: skip
    SessionJournal(paths.journal, wall_at).close(left_open)  # what a Ctrl-C leaves behind
    assert paths.journal.is_file()
    config = parse_config(
        {"source": {"kind": "simulate", "scenario": "short_absence"},
         "storage": {"dir": str(tmp_path)}}
    )  # fmt: skip
    with caplog.at_level(logging.INFO):
        assert serve(config, FakeClock()) == 0
    said = caplog.text
    assert "starts afresh" in said and "resuming" not in said and "damaged" not in said
    assert not list(paths.root.glob(f"{paths.journal.name}*"))
    [row] = History(paths.history).sessions()
    assert row.summary.session == 1 and ":" not in row.uid


def test_someone_steps_on_the_default_simulation_within_seconds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = parse_config(
        {"source": {"kind": "simulate", "scenario": DEFAULT_SCENARIO},
         "storage": {"dir": str(tmp_path)}}
    )  # fmt: skip
    clock = FakeClock()
    started_s = clock.monotonic()
    assert serve(config, clock) == 0
    lines = capsys.readouterr().out.splitlines()
    [occupied] = [line for line in lines if "occupancy" in line and "occupied=True" in line][:1]
    minutes, seconds = occupied.split()[0].split(":")
    assert int(minutes) * 60 + float(seconds) < 5.0  # frame time = fake real time at speed 1
    assert clock.monotonic() - started_s > 1200  # the scenario itself is whole
    assert any("session_started" in line for line in lines)
