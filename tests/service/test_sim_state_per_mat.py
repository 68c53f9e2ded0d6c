"""A simulated run's session journal is its mat id's own (``StatePaths.for_source``): a
``bedroom`` demo is never told about, nor discards, the session a ``mat1`` demo left open in the
shared ``simulated/`` folder. A real mat's journal stays ``session.json`` in the state directory,
where installed systems have it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from controller.cli.run import serve
from controller.core.session import SavedSession
from controller.service.config import parse_config
from controller.service.journal import SessionJournal
from controller.service.paths import StatePaths
from controller.storage.history import History
from firmware.clock import FakeClock, WallAt


def test_each_simulated_mat_has_its_own_journal_and_shares_the_rest(tmp_path: Path) -> None:
    mat1 = StatePaths.for_source(tmp_path, simulated=True, mat_id="mat1")
    bedroom = StatePaths.for_source(tmp_path, simulated=True, mat_id="bedroom")
    assert mat1.journal == tmp_path / "simulated" / "session-mat1.json"
    assert bedroom.journal == tmp_path / "simulated" / "session-bedroom.json"
    assert mat1.history == bedroom.history == tmp_path / "simulated" / "history.sqlite"
    assert mat1.outbox("mat1") != bedroom.outbox("bedroom")


def test_a_real_mats_journal_stays_where_it_was(tmp_path: Path) -> None:
    real = StatePaths.for_source(tmp_path, simulated=False, mat_id="bedroom")
    assert real.journal == tmp_path / "session.json" == StatePaths(tmp_path).journal


def _left_open(paths: StatePaths, number: int) -> None:
    wall_at = WallAt()
    wall_at.anchor(0.0, FakeClock().wall())
    saved = SavedSession(number=number, program="relax", trigger="lie_down", started_t=0.0,
                         elapsed_s=100.0, last_seen_t=100.0, target_s=1200.0)  # fmt: skip
    SessionJournal(paths.journal, wall_at).close(saved)  # what a Ctrl-C leaves behind


def _bedroom_demo(state_dir: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A whole simulated run of mat ``bedroom`` (``short_absence``) on ``state_dir``."""
    config = parse_config(
        {"mat": {"id": "bedroom"},
         "source": {"kind": "simulate", "scenario": "short_absence"},
         "storage": {"dir": str(state_dir)}}
    )  # fmt: skip
    with caplog.at_level(logging.INFO):
        assert serve(config, FakeClock()) == 0


def test_a_bedroom_demo_leaves_mat1s_open_session_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    mat1 = StatePaths.for_source(tmp_path, simulated=True, mat_id="mat1")
    mat1.root.mkdir()
    _left_open(mat1, 2)
    before = mat1.journal.read_bytes()
    _bedroom_demo(tmp_path, caplog)
    assert "left open by the last run" not in caplog.text and "resuming" not in caplog.text
    assert mat1.journal.read_bytes() == before  # still there for mat1's next run to judge
    [row] = History(mat1.history).sessions()
    assert row.mat_id == "bedroom" and row.summary.session == 1


def test_the_same_mats_next_demo_still_starts_afresh(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bedroom = StatePaths.for_source(tmp_path, simulated=True, mat_id="bedroom")
    bedroom.root.mkdir()
    _left_open(bedroom, 3)
    _bedroom_demo(tmp_path, caplog)
    assert "session 3, left open by the last run, is not resumed" in caplog.text
    assert not bedroom.journal.exists()
