"""A slice of the detection sweep (evaluation/sweep.py): every lying kind and every upright
kind at a few placements, bodies and layouts, each scored against its truth.

The whole sweep (9,225 runs) is a benchmark (``python benchmarks/detection.py``, figures in
docs/performance.md). Runs the classifier does not get right yet are listed in ``KNOWN`` with
what goes wrong; they are strict expected failures, so fixing one fails this test until it
leaves the list.
"""

from __future__ import annotations

import statistics
from functools import cache

import pytest

from evaluation.sweep import Case, slice_cases
from evaluation.sweep_report import Outcome, run_case

CASES = {case.name: case for case in slice_cases()}
KNOWN: dict[str, str] = {}


@cache
def outcome(name: str) -> Outcome:
    return run_case(CASES[name])


def _param(name: str) -> object:
    if name in KNOWN:
        return pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN[name]))
    return name


@pytest.mark.parametrize("name", [_param(n) for n in CASES])
def test_sweep_case_meets_its_truth(name: str) -> None:
    result = outcome(name).score
    assert result.ok, f"{name}: {'; '.join(result.problems)}"
    assert all(0.0 <= lat <= 10.0 for lat in result.latencies_s)


def test_the_slice_covers_every_kind_and_layout() -> None:
    cases: list[Case] = list(CASES.values())
    assert {c.layout for c in cases} == {"2x3", "2x4", "3x3"}
    lying = {c.kind for c in cases if c.group == "lying"}
    assert len(lying) == 12
    assert {"long_sitting", "standing", "cross_legged", "edge_sitting"} <= {
        c.kind for c in cases if c.group == "upright"
    }


def test_median_start_latency_over_the_slice_is_at_most_three_seconds() -> None:
    latencies = [x for name in CASES for x in outcome(name).score.latencies_s]
    assert len(latencies) >= 30
    assert statistics.median(latencies) <= 3.0
