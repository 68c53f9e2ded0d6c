"""The estimator on the body simulator's scenarios (firmware.sim), fed while lying still."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from firmware.frame import ZoneFrame
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun
from tests.breathing.helpers import run, truth_bpm


def lying_frames(sim: SimRun) -> Iterator[tuple[ZoneFrame, bool]]:
    """Frames with ``lying_still`` from the truth: inside a lying hold, not a transition."""
    holds = [
        (s["from_t"], s["to_t"])
        for s in sim.truth["segments"]
        if s["posture"] == "lying" and s["detail"] != "transition"
    ]
    for frame in sim.frames():
        yield frame, any(a + 2.0 <= frame.t < b for a, b in holds)


@pytest.mark.parametrize(
    ("name", "bpm"), [("breathing_slow", 6.0), ("breathing_fast", 30.0), ("hips_lift", None)]
)
def test_fixed_rate_scenarios(name: str, bpm: float | None) -> None:
    sim = build(name)
    truth = bpm if bpm is not None else sim.truth["breathing_bpm"]
    found = [e.bpm for e in run(sim.layout, lying_frames(sim)) if e.quality > 0]
    assert len(found) >= 15
    assert float(np.median(np.abs(np.array(found) - truth))) <= 1.0


@pytest.mark.parametrize("name", ["zone_dropout", "relax_2x4", "short_absence_3x3", "spikes"])
def test_slowing_breath_on_other_layouts_and_faults(name: str) -> None:
    sim = build(name)
    errors = []
    for event in run(sim.layout, lying_frames(sim)):
        truth = truth_bpm(sim.truth, event.t - 60.0, event.t)
        if event.quality > 0 and truth is not None:
            errors.append(abs(event.bpm - truth))
    assert len(errors) >= 15
    assert float(np.median(errors)) <= 1.0
