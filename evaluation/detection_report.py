"""The detection report: the scenario library and the sweep through the core, scored.

``python -m evaluation.detection_report`` (or ``python benchmarks/detection.py``) prints a row
per library scenario and its totals, then the sweep (evaluation/sweep.py: every posture ×
placement × body × 3 seeds × layouts 2 × 3, 2 × 4, 3 × 3) summed up by group, layout and
kind. ``--library`` stops after the library; ``--quick`` runs the sweep on 2 × 3 with one seed;
``--workers N`` sets the processes (default 2). Exit 1 if a library scenario fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Iterable

from controller.core.factory import build_controller
from controller.core.settings import CoreSettings
from evaluation.scoring import Score, score
from evaluation.sweep import LAYOUTS, SEEDS
from evaluation.sweep_report import figures, run_cases
from firmware.sim.scenarios import SCENARIOS, build


def run_scenario(name: str, seed: int | None = None) -> Score:
    run = build(name, seed=seed)
    program = str(run.truth.get("program", "relax"))
    settings = CoreSettings().with_program(program)
    core = build_controller(run.layout, settings)
    events = [event for frame in run.frames() for event in core.feed(frame)]
    return score(run.truth, events, settings.breathing.window_s)


def _false_lying(scores: list[Score]) -> int:
    return sum(s.lying_reported and not s.lying_expected for s in scores)


def summary(scores: Iterable[Score]) -> list[str]:
    scores = list(scores)
    latencies = [lat for s in scores for lat in s.latencies_s]
    tp = sum(s.alerts_true for s in scores)
    fp = sum(s.alerts_false + s.alerts_wrong_side for s in scores)
    fn = sum(s.alerts_missed for s in scores)
    expected = sum(s.expected_sessions for s in scores)
    return [
        f"scenarios: {len(scores)}",
        f"scenarios_passing: {sum(s.ok for s in scores)}",
        f"sessions: {sum(s.sessions for s in scores)} (expected {expected})",
        f"start_latency_median_s: {_fmt(statistics.median(latencies) if latencies else None)}",
        f"start_latency_max_s: {_fmt(max(latencies) if latencies else None)}",
        f"start_latency_min_s: {_fmt(min(latencies) if latencies else None)}",
        f"false_sessions: {sum(s.false_sessions for s in scores)}",
        f"missed_sessions: {sum(s.missed_sessions for s in scores)}",
        f"lying_reported_where_nobody_lay: {_false_lying(scores)}",
        f"alert_precision: {_fmt(tp / (tp + fp) if tp + fp else None)}",
        f"alert_recall: {_fmt(tp / (tp + fn) if tp + fn else None)}",
        f"alerts_wrong_side: {sum(s.alerts_wrong_side for s in scores)}",
        f"faults_raised_and_cleared: {sum(s.faults_detected for s in scores)} of "
        f"{sum(s.faults_detected + s.faults_missed for s in scores)}",
        f"breathing_false_rates: {sum(s.breathing.false_rates for s in scores)}",
    ]


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def library() -> list[Score]:
    scores = []
    print(f"{'scenario':<28} {'sessions':>8} {'latency_s':>10}  problems")
    for name in SCENARIOS:
        result = run_scenario(name)
        scores.append(result)
        latency = ",".join(f"{x:.1f}" for x in result.latencies_s) or "-"
        print(
            f"{name:<28} {result.sessions:>3}/{result.expected_sessions:<4} {latency:>10}  "
            f"{'; '.join(result.problems) or 'ok'}"
        )
    print()
    for line in summary(scores):
        print(line)
    return scores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--library", action="store_true", help="the library only")
    parser.add_argument("--quick", action="store_true", help="the sweep on 2x3, one seed")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    scores = library()
    if not args.library:
        layouts, seeds = (("2x3",), SEEDS[:1]) if args.quick else (tuple(LAYOUTS), SEEDS)
        start = time.perf_counter()
        outcomes = run_cases(layouts, seeds, args.workers)
        print(f"\nsweep: {len(outcomes)} runs on {', '.join(layouts)}, seeds {seeds}, "
              f"{time.perf_counter() - start:.0f} s on {args.workers} processes")  # fmt: skip
        for line in figures(outcomes):
            print(line)
    return 0 if all(s.ok for s in scores) else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
