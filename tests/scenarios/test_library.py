"""Every library scenario, replayed through the core and scored against its ground truth.

Each scenario is replayed once per test session (``library_score``): the per-scenario tests and
the figures over the whole library read the same scores.
"""

from __future__ import annotations

import statistics
from functools import cache

import pytest

from controller.core.controller import MatController
from evaluation.detection_report import run_scenario
from evaluation.scoring import Score, score
from firmware.sim.scenarios import SCENARIOS, build


@cache
def library_score(name: str) -> Score:
    """The scenario with its own seed through the core, scored (replayed once per session)."""
    return run_scenario(name)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_meets_its_truth(name: str) -> None:
    result = library_score(name)
    assert result.ok, f"{name}: {'; '.join(result.problems)}"
    for latency in result.latencies_s:
        assert 0.0 <= latency <= 5.0


@pytest.mark.parametrize("name", ["relax_session", "short_absence"])
@pytest.mark.parametrize("seed", [11, 12])
def test_other_seeds_of_the_core_scenarios(name: str, seed: int) -> None:
    if name not in SCENARIOS:
        pytest.fail(f"scenario {name} is missing from the library")
    result = run_scenario(name, seed=seed)
    assert result.ok, f"{name} seed {seed}: {'; '.join(result.problems)}"


def test_median_start_latency_over_the_library_is_at_most_three_seconds() -> None:
    latencies = [lat for name in SCENARIOS for lat in library_score(name).latencies_s]
    assert len(latencies) >= 15
    assert statistics.median(latencies) <= 3.0


NOBODY_LIES = [
    "sitting",
    "long_sitting",
    "standing",
    "one_foot",
    "cat_nap",
    "bag_left",
    "long_sitting_border",
    "cross_legged_border",
    "standing_border",
    "edge_sitting_foot",
]


# Runs at a lower frame rate that still invent lying (none now: at 3.3 Hz long_sitting_border's
# brief stand passes for still, but its sit-down's moment of "lying" is no longer kept through
# the weight shift after it).
FEWER_FRAMES_KNOWN: set[tuple[str, int]] = set()


@pytest.mark.parametrize(
    ("name", "every"),
    [
        pytest.param(n, e, marks=pytest.mark.xfail(strict=True, reason="sit-down from a stand"))
        if (n, e) in FEWER_FRAMES_KNOWN
        else (n, e)
        for n in NOBODY_LIES
        for e in (10, 3)  # 1 Hz and 3.3 Hz instead of 10 Hz
    ],
)
def test_fewer_frames_never_invent_lying(name: str, every: int) -> None:
    run = build(name)
    core = MatController(run.layout)
    events = [e for i, f in enumerate(run.frames()) if i % every == 0 for e in core.feed(f)]
    result = score(run.truth, events)
    assert not result.lying_reported and result.sessions == 0, result.problems


@pytest.mark.parametrize("name", ["relax_session", "short_absence", "relax_2x4"])
def test_one_frame_a_second_still_finds_every_session(name: str) -> None:
    run = build(name)
    core = MatController(run.layout)
    events = [e for i, f in enumerate(run.frames()) if i % 10 == 0 for e in core.feed(f)]
    result = score(run.truth, events)
    assert result.sessions == result.expected_sessions and result.false_sessions == 0
    assert all(0 <= lat <= 8.0 for lat in result.latencies_s)  # frame-rate bound, see docs
