"""A load cell failing under a lying person, through the service loop as ``acumat run`` wires
history: the simulator's failing cell (``CellDrift``) climbs 6 kg/min from 100 s into the
visit and on after the person got up. Before the ``drifting`` rule the mat stayed occupied on
the cell's reading and the session was still open when the run ended (it would have been
stored at ``max_session_s``, 4 h); now the history holds one ``left_mat`` session of about the
time lain, and every adapter is told which zone failed and why.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from controller.core.controller import MatController
from controller.core.events import SensorFault
from controller.service.loop import Service
from controller.storage.history import History, SessionRow
from controller.storage.history_adapter import HistoryAdapter
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.fault_stories import _visit
from firmware.sim.scenarios import build_spec
from firmware.sim.sensor import CellDrift, SensorSpec
from firmware.sim.timeline import ScenarioSpec
from tests.service.fakes import FakeAdapter, ListSource, RecordingLifecycle

ZONE = 2
WALL0 = 1_800_000_000.0


@cache
def visit(kg_per_min: float) -> tuple[ZoneFrame, ...]:
    """A 70 kg person lies 300 s; zone 2's cell drifts from 100 s to the end (1200 s)."""
    sensor = SensorSpec(cell_drifts=(CellDrift(ZONE, 100.0, 1200.0, kg_per_min),))
    spec = ScenarioSpec("drift_under_a_body", "", _visit(300.0, 1200.0), 1, sensor=sensor)
    return tuple(build_spec(spec, seed=7).frames())


def serve(tmp_path: Path, kg_per_min: float) -> tuple[FakeAdapter, SessionRow]:
    clock = FakeClock(start_s=0.0, wall_start_s=WALL0)
    wall_at = WallAt()
    wall_at.anchor(0.0, WALL0)
    core = MatController(DEFAULT_LAYOUT)
    seen = FakeAdapter("seen")
    history = HistoryAdapter(tmp_path / "history.sqlite", "mat", wall_at, clock=clock)
    Service(
        core=core,
        source=ListSource(visit(kg_per_min)),
        adapters=[history, seen],
        lifecycle=RecordingLifecycle(),
        clock=clock,
    ).run()
    store = History(tmp_path / "history.sqlite")
    [row] = store.sessions()
    store.close()
    return seen, row


def test_a_cell_failing_under_a_body_ends_its_session_with_the_time_lain(tmp_path: Path) -> None:
    _, fault_free = serve(tmp_path / "fault_free", 0.0)
    seen, row = serve(tmp_path / "failing", 6.0)
    assert row.summary.reason == "left_mat"
    lain_s = fault_free.summary.duration_s
    assert 0.0 <= row.summary.duration_s - lain_s <= 45.0  # measured: +0.1 s (+16 s before)
    faults = [e for e in seen.events() if isinstance(e, SensorFault)]
    assert [(e.zone, e.active, e.fault) for e in faults] == [("middle_left", True, "drifting")]
    last = seen.deliveries[-1].state
    assert not last.occupied and last.posture == "empty"
    assert last.faults == {"middle_left": "drifting"} and last.zones_kg["middle_left"] is None
    assert last.load_kg == pytest.approx(0.0, abs=0.5)
