"""``acumat history``: the table, CSV and JSON exports, --limit, and a missing database."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from datetime import UTC
from pathlib import Path

import pytest

from controller.cli import history as cli
from controller.service.paths import StatePaths
from controller.storage.history import History
from tests.history.helpers import row, wall
from tests.history.test_store import old_db


def _db(state: Path) -> list[float]:
    history = History(StatePaths(state).history)
    starts = [wall("2026-03-08 07:00", UTC), wall("2026-03-09 21:15", UTC)]
    history.add(row(starts[0], 12, bpm=(14.2, 11.0)))
    history.add(row(starts[1], 4.5, completed=False, program="beginner"))
    history.close()
    return starts


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    cli.register(parser.add_subparsers())
    args = parser.parse_args(["history", *argv])
    code: int = args.func(args)
    return code


def _show(fmt: str, state: Path, limit: int | None = None) -> str:
    rows, every = cli.read_rows(StatePaths(state).history, limit)
    out = io.StringIO()
    cli.show(fmt, rows, every, wall("2026-03-09 22:00", UTC), tz=UTC, out=out)
    return out.getvalue()


def test_table_has_one_line_per_session_then_the_habit_figures(tmp_path: Path) -> None:
    _db(tmp_path)
    lines = _show("table", tmp_path).splitlines()
    assert lines[0].split()[:4] == ["date", "program", "min", "done"]
    assert lines[1].split() == ["2026-03-08", "07:00", "relax", "12.0", "yes", "left_mat",
                                "14.2", "→", "11.0", "12", "s"]  # fmt: skip
    assert lines[2].split() == ["2026-03-09", "21:15", "beginner", "4.5", "no", "command",
                                "-", "12", "s"]  # fmt: skip
    assert lines[-1].startswith("Streak: 1 day ")  # yesterday's; today's was not completed
    assert "Today: 4.5 min" in lines[-1] and "This week: 4.5 min" in lines[-1]
    assert "Sessions: 2" in lines[-1] and "Next beginner session: 5 min" in lines[-1]


def test_csv_export_round_trips_every_field(tmp_path: Path) -> None:
    starts = _db(tmp_path)
    records = list(csv.DictReader(io.StringIO(_show("csv", tmp_path))))
    assert [float(r["started_wall_s"]) for r in records] == starts
    assert records[0]["started_local"] == "2026-03-08T07:00:00+00:00"
    assert (records[0]["breathing_start_bpm"], records[1]["breathing_start_bpm"]) == ("14.2", "")
    assert records[1]["completed"] == "False" and records[1]["program"] == "beginner"


def test_json_export_and_limit(tmp_path: Path) -> None:
    _db(tmp_path)
    data = json.loads(_show("json", tmp_path, limit=1))
    assert [s["program"] for s in data["sessions"]] == ["beginner"]
    assert data["habits"]["sessions_total"] == 2  # the figures always count every session
    assert data["habits"]["last_session"]["program"] == "beginner"


def test_the_command_reads_an_old_database_and_leaves_it_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = old_db(StatePaths(tmp_path).history)
    before = path.read_bytes()
    assert _main(["--state-dir", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sessions"][0]["breathing_start_bpm"] is None
    assert path.read_bytes() == before


def test_no_database_yet_is_no_sessions_not_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["--state-dir", str(tmp_path / "new")]) == 0
    assert capsys.readouterr().out.startswith("No sessions recorded yet.")
    assert not (tmp_path / "new").exists()


def test_bad_input_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main(["--state-dir", str(tmp_path), "--limit", "-1"]) == 2
    (StatePaths(tmp_path).history).write_text("not a database, not at all" * 10)
    assert _main(["--state-dir", str(tmp_path)]) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[storage]\nnope = 1\n")
    assert _main(["--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "cannot read" in err and "storage.nope" in err


def test_history_is_a_registered_subcommand() -> None:
    from controller.cli import _SUBCOMMANDS

    assert "history" in _SUBCOMMANDS


def test_csv_times_carry_their_utc_offset_in_the_machine_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _db(tmp_path)
    assert _main(["--state-dir", str(tmp_path), "--csv"]) == 0  # tz=None: the machine's zone
    records = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    for record in records:
        assert re.search(r"[+-]\d\d:\d\d$", record["started_local"]), record["started_local"]


def test_simulated_sessions_are_read_apart(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _db(tmp_path)
    simulated = History(StatePaths.for_source(tmp_path, simulated=True).history)
    simulated.add(row(wall("2026-03-10 07:00", UTC), 20))
    simulated.close()
    assert _main(["--state-dir", str(tmp_path), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 2
    assert _main(["--state-dir", str(tmp_path), "--json", "--simulated"]) == 0
    assert len(json.loads(capsys.readouterr().out)["sessions"]) == 1
