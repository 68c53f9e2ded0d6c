"""Breathing estimator figures: error by rate, cost per frame, error over the simulator library.

Prints one figure per line. The rate table uses the tests' synthetic lying person
(tests/breathing/synth.py: 6 zones, 30–120 g swing, 10–30 g white noise, drift, 8 % breath
variability); the scenario table runs the simulator's lying scenarios through the whole core
(``MatController``), which decides when the person lies still, and scores every estimate against
the true mean rate over the 60 s before it. The cost is printed beside the naive threshold's
cost per frame in the same run (benchmarks/_reference.py). ``--quick``: one seed at 10 Hz,
the cost at 10 Hz and two scenarios (the benchmark-smoke test).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

# The synthetic lying person lives with the tests; run from anywhere, as `./dev bench` does.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from controller.core.breathing import BreathingEstimator
from controller.core.events import Breathing
from controller.core.factory import build_controller
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.scenarios import SCENARIOS, build
from tests.breathing.helpers import run, truth_bpm
from tests.breathing.synth import Subject, synthesise

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _reference import beside, naive_frame_us

RATES_BPM = (4, 6, 8, 10, 12, 15, 20, 25, 30, 35, 40)
SEEDS = 12


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def subject(bpm: float, rate_hz: float, seed: int) -> Subject:
    rng = np.random.default_rng(1000 + seed)
    return Subject(
        bpm=bpm,
        rate_hz=rate_hz,
        duration_s=180.0,
        pp_kg=float(rng.uniform(0.03, 0.12)),
        noise_kg=float(rng.uniform(0.01, 0.03)),
        timing_jitter=0.3,
        seed=seed,
    )


def rate_errors(bpm: float, rate_hz: float, seeds: int) -> tuple[list[float], int]:
    """|error| of every estimate, and how many events said "no estimate"."""
    errors: list[float] = []
    none = 0
    for seed in range(seeds):
        s = subject(bpm, rate_hz, seed)
        for event in run(DEFAULT_LAYOUT, synthesise(DEFAULT_LAYOUT, s)):
            if event.quality > 0:
                errors.append(abs(event.bpm - bpm))
            else:
                none += 1
    return errors, none


def rate_table(rate_hz: float, seeds: int) -> list[float]:
    everything: list[float] = []
    for bpm in RATES_BPM:
        errors, none = rate_errors(bpm, rate_hz, seeds)
        everything += errors
        if errors:
            med, p90 = np.median(errors), np.percentile(errors, 90)
            figures = f"median {med:.2f}, p90 {p90:.2f} /min"
        else:
            figures = "no estimate"
        print(
            f"error at {rate_hz:g} Hz, {bpm:>2}/min: {figures} "
            f"({len(errors)} estimates, {none} none)"
        )
    return everything


def cost_us_per_frame(rate_hz: float) -> float:
    frames = synthesise(DEFAULT_LAYOUT, Subject(bpm=12, rate_hz=rate_hz, duration_s=600.0))
    best = float("inf")
    for _ in range(3):
        estimator = BreathingEstimator(DEFAULT_LAYOUT)
        start = time.perf_counter()
        for frame, still in frames:
            estimator.feed(frame, still)
        best = min(best, time.perf_counter() - start)
    return best / len(frames) * 1e6


def scenario_errors(name: str) -> tuple[list[float], int]:
    sim = build(name)
    core = build_controller(sim.layout)
    errors: list[float] = []
    none = 0
    for frame in sim.frames():
        for event in core.feed(frame):
            if not isinstance(event, Breathing):
                continue
            truth = truth_bpm(sim.truth, event.t - 60.0, event.t)
            if event.quality == 0:
                none += 1
            elif truth is not None:
                errors.append(abs(event.bpm - truth))
    return errors, none


def scenario_table(limit: int | None = None) -> None:
    everything: list[float] = []
    lying = [name for name, spec in SCENARIOS.items() if spec.lying_expected]
    for name in lying[:limit]:
        errors, none = scenario_errors(name)
        if not errors:
            print(f"scenario {name}: no estimates ({none} none)")
            continue
        everything += errors
        print(
            f"scenario {name}: median {np.median(errors):.2f}, "
            f"max {max(errors):.2f} /min ({len(errors)} estimates, {none} none)"
        )
    print(
        f"scenarios, all estimates: median {np.median(everything):.2f}, "
        f"p90 {np.percentile(everything, 90):.2f} /min ({len(everything)})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one seed, 10 Hz, two scenarios")
    quick = parser.parse_args().quick
    print(f"machine: {machine()}")
    all_10 = rate_table(10.0, 1 if quick else SEEDS)
    print(
        f"error at 10 Hz, all rates: median {np.median(all_10):.2f}, "
        f"p90 {np.percentile(all_10, 90):.2f} /min"
    )
    if not quick:
        rate_table(1.0, 4)
        rate_table(80.0, 3)
    reference_us = naive_frame_us()
    for rate_hz in (10.0,) if quick else (10.0, 80.0):
        cost = beside(cost_us_per_frame(rate_hz), reference_us)
        print(f"estimator cost at {rate_hz:g} Hz, 6 zones: {cost}")
    scenario_table(2 if quick else None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
