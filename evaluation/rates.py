"""The detection sweep at other frame rates, simulated natively (pure but for the workers).

The core is tuned on the boards' 10 frames/s; 80 SPS boards give 80, and frame files from
other tools or relays come at 1-5. ``rate_outcomes`` replays the sweep's cases
(evaluation/sweep.py, one seed) with the simulator sampling at ``rate_hz`` (it draws a story's
sway and timing anew at each rate, so another rate is another body: ``every`` feeds the same
body at a lower rate), and ``rate_lines`` sums each rate up beside the 10 Hz
reference of the same run: lying runs missed, upright runs' false sessions, start latency
(median, 95th percentile, max), and the runs behind each miss and false session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from evaluation.sweep import Case, all_cases
from evaluation.sweep_report import Outcome, map_cases, percentile, run_case

REFERENCE_HZ = 10.0
RATES_HZ = (2.0, 5.0, 10.0, 80.0)


@dataclass(frozen=True)
class RateRun:
    rate_hz: float
    outcomes: list[Outcome]
    every: int = 1  # simulated at ``rate_hz`` × ``every``, every ``every``-th frame fed

    @property
    def label(self) -> str:
        if self.every == 1:
            return f"{self.rate_hz:g} Hz"
        return f"{self.rate_hz:g} Hz (every {self.every}th of {self.rate_hz * self.every:g})"


def cases(layouts: tuple[str, ...], every: int = 1, seed: int = 1) -> list[Case]:
    """The sweep's cases on ``layouts`` with one seed, every ``every``-th of them."""
    return all_cases(layouts, (seed,))[::every]


def rate_outcomes(
    chosen: Sequence[Case], rate_hz: float, workers: int = 2, every: int = 1
) -> RateRun:
    """The cases at ``rate_hz`` (``every`` > 1: simulated ``every`` times as fast and every
    ``every``-th frame fed, the same body as at that rate; ``sweep_report.run_case``)."""
    run = partial(run_case, rate_hz=rate_hz, every=every)
    return RateRun(rate_hz, map_cases(run, chosen, workers), every)


def _f(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def summary(run: RateRun) -> str:
    """``N Hz: lying missed M of L; false sessions F in U upright runs; latency s …``."""
    lying = [o.score for o in run.outcomes if o.group == "lying"]
    upright = [o.score for o in run.outcomes if o.group == "upright"]
    lat = [x for s in lying for x in s.latencies_s]
    return (
        f"{run.label}: lying missed {sum(s.missed_sessions for s in lying)} of "
        f"{len(lying)}; false sessions {sum(s.false_sessions for s in upright)} in "
        f"{len(upright)} upright runs; start latency s median {_f(percentile(lat, 50))}, "
        f"p95 {_f(percentile(lat, 95))}, max {_f(max(lat, default=None))}"
    )


def _named(run: RateRun) -> list[str]:
    lines = []
    for label, field in (("missed", "missed_sessions"), ("false", "false_sessions")):
        names = [o.case for o in run.outcomes if getattr(o.score, field)]
        lines += [f"  {run.label} {label}: {name}" for name in names]
    return lines


def rate_lines(runs: Sequence[RateRun]) -> list[str]:
    """A summary line per rate (the reference's marked), then the runs that missed or
    started a false session, by rate."""
    lines = [summary(run) + (" (reference)" if run.rate_hz == REFERENCE_HZ else "") for run in runs]
    for run in runs:
        lines += _named(run)
    return lines
