"""Relaxation insight: the trend's arithmetic, what the session machine keeps, and the figures
the real core (with the breathing estimator) puts in ``session_ended`` for a simulated session."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.core.events import SessionEnded
from controller.core.factory import build_controller
from controller.core.relaxation import trend_bpm_per_min
from controller.core.session import Inputs, SessionMachine
from controller.core.settings import CoreSettings, SessionSettings
from controller.core.summary import SessionSummary, Tally
from firmware.sim.scenarios import build


@given(
    slope=st.floats(min_value=-2.0, max_value=2.0),
    start=st.floats(min_value=4.0, max_value=40.0),
    n=st.integers(min_value=3, max_value=40),
)
def test_trend_recovers_the_slope_of_a_straight_line(slope: float, start: float, n: int) -> None:
    points = [(30.0 * i, start + slope * (30.0 * i) / 60.0) for i in range(n)]
    trend = trend_bpm_per_min(points)
    assert trend is not None and trend == pytest.approx(slope, abs=1e-9)


def test_no_trend_from_too_few_or_too_close_estimates() -> None:
    assert trend_bpm_per_min([(0.0, 12.0), (600.0, 10.0)]) is None
    assert trend_bpm_per_min([(0.0, 12.0), (20.0, 11.0), (40.0, 10.0)]) is None
    empty = _summary(Tally(), 600.0)
    assert empty.breathing_start_bpm is None and empty.breathing_trend_bpm_per_min is None
    assert empty.still_fraction == 0.0 and empty.mean_imbalance is None
    assert _summary(Tally(), 0.0).still_fraction is None


def _summary(tally: Tally, duration_s: float) -> SessionSummary:
    return tally.summary(
        session=1, program="relax", duration_s=duration_s, target_s=None, reason="command"
    )


def test_the_tally_gives_the_figures_it_measured() -> None:
    tally = Tally()
    for i in range(4):  # 4 frames of 1 s: uneven twice, still three times, imbalance measured 3x
        tally = tally.add_frame(1.0, uneven=i < 2, still=i > 0, imbalance=None if i == 0 else 0.1)
    for i in range(3):
        tally = tally.add_breath(60.0 * i, 14.0 - i)
    summary = _summary(tally, 4.0)
    assert (summary.uneven_s, summary.still_fraction) == (2.0, 0.75)
    assert summary.mean_imbalance == pytest.approx(0.1)
    assert (summary.breathing_start_bpm, summary.breathing_end_bpm) == (14.0, 12.0)
    assert summary.breathing_trend_bpm_per_min == pytest.approx(-1.0)


def _inputs(t: float, occupied: bool = True, still: bool = True) -> Inputs:
    return Inputs(t=t, occupied=occupied, left_at=None, ready_lie=occupied, ready_stand=False,
                  uneven=False, imbalance=0.0, still=still)  # fmt: skip


def test_the_session_keeps_estimates_only_while_running_and_counts_still_time() -> None:
    machine = SessionMachine(SessionSettings(grace_s=1000.0))
    machine.note_breathing(0.0, 30.0)  # before any session: dropped
    machine.on_frame(_inputs(0.0))
    for i in range(1, 11):
        machine.on_frame(_inputs(60.0 * i, still=i <= 5))  # still for the first 5 minutes
        machine.note_breathing(60.0 * i, 16.0 - 0.5 * i)
    machine.on_frame(_inputs(601.0, occupied=False, still=False))
    machine.note_breathing(620.0, 40.0)  # paused: not the session's breathing
    _, [ended] = machine.stop(700.0)
    assert isinstance(ended, SessionEnded)
    summary = ended.summary
    assert (summary.breathing_start_bpm, summary.breathing_end_bpm) == (15.5, 11.0)
    assert summary.breathing_trend_bpm_per_min == pytest.approx(-0.5)
    assert summary.still_fraction == pytest.approx(300.0 / 601.0, abs=1e-3)


@pytest.mark.parametrize("name", ["relax_2x4", "breathing_slow"])
def test_a_simulated_session_ends_with_its_breathing_figures(name: str) -> None:
    sim = build(name)
    core = build_controller(sim.layout, CoreSettings())
    ended = [e for f in sim.frames() for e in core.feed(f) if isinstance(e, SessionEnded)]
    [ended_event] = ended + [e for e in core.finish() if isinstance(e, SessionEnded)]
    end = ended_event.summary
    first, last = sim.truth["breathing_bpm"], sim.truth["breathing_bpm_end"]
    assert end.breathing_start_bpm is not None and end.breathing_end_bpm is not None
    assert abs(end.breathing_end_bpm - last) <= 1.0
    assert end.breathing_start_bpm <= max(first, last) + 1.0
    trend = end.breathing_trend_bpm_per_min
    true_trend = (last - first) / (end.duration_s / 60.0)
    assert trend is not None and abs(trend - true_trend) <= 0.1
    assert end.still_fraction is not None and end.still_fraction > 0.9
