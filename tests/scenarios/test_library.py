"""Every library scenario, replayed through the core and scored against its ground truth."""

from __future__ import annotations

import pytest

from controller.detection_report import run_scenario
from firmware.sim.scenarios import SCENARIOS


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_meets_its_truth(name: str) -> None:
    result = run_scenario(name)
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
