"""Running the detection sweep and summing it up (evaluation/sweep.py has the cases).

``run_cases`` replays cases through the core on ``workers`` processes and scores them
(``map_cases``: forked workers inherit the cases and run them by index, since stories are
closures, not picklable); ``figures``
turns scores into the report's lines: per group (lying, upright) and layout, the start latency
(median, 95th percentile, max), sessions missed and false, lying reported where nobody lay, the
share of time sitting and standing are reported as themselves, alert precision and recall,
wrong-side alerts, breathing error and abstention; then the worst cases.
"""

from __future__ import annotations

import multiprocessing
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar, cast

from controller.core.factory import build_controller
from controller.core.settings import CoreSettings
from evaluation.scoring import Score, score
from evaluation.sweep import LAYOUTS, Case, all_cases
from firmware.sim.scenarios import build_spec

T = TypeVar("T")


@dataclass(frozen=True)
class Outcome:
    case: str
    group: str
    kind: str
    layout: str
    score: Score


def run_case(case: Case, rate_hz: float | None = None, every: int = 1) -> Outcome:
    """One case through the core, its frames sampled at ``rate_hz`` (None: the simulator's
    10 a second): simulated so, or (``every`` > 1) simulated ``every`` times as fast and every
    ``every``-th frame fed (``evaluation.rates``)."""
    simulated_hz = None if rate_hz is None else rate_hz * every
    run = build_spec(case.spec(), LAYOUTS[case.layout], case.run_seed(), rate_hz=simulated_hz)
    settings = CoreSettings()
    core = build_controller(run.layout, settings)
    frames = islice(run.frames(), 0, None, every)
    events = [event for frame in frames for event in core.feed(frame)]
    events += core.finish()
    result = score(run.truth, events, settings.breathing.window_s)
    return Outcome(case.name, case.group, case.kind, case.layout, result)


# what the forked workers of ``map_cases`` run: the function and the cases, inherited by the fork
_WORK: list[tuple[Callable[[Case], object], Sequence[Case]]] = []


def _run_index(index: int) -> object:
    run, cases = _WORK[0]
    return run(cases[index])


def map_cases(run: Callable[[Case], T], cases: Sequence[Case], workers: int = 2) -> list[T]:
    """``run`` over ``cases`` in order, on ``workers`` forked processes: only indices and
    results cross between processes."""
    if workers <= 1:
        return [run(case) for case in cases]
    _WORK[:] = [(run, cases)]
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return cast("list[T]", pool.map(_run_index, range(len(cases)), chunksize=8))
    finally:
        _WORK.clear()


def run_cases(layouts: tuple[str, ...], seeds: tuple[int, ...], workers: int = 2) -> list[Outcome]:
    return map_cases(run_case, all_cases(layouts, seeds), workers)


def percentile(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


LATEST_START_S = 10.0  # the target: every session starts within this of settling


def latency_summary(latencies: Sequence[float]) -> str | None:
    """``median …, max …, over 10 s N`` of start latencies (s); None when there are none."""
    if not latencies:
        return None
    over = sum(x > LATEST_START_S for x in latencies)
    return (
        f"median {statistics.median(latencies):.2f}, max {max(latencies):.2f}, "
        f"over {LATEST_START_S:g} s {over}"
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _share(scores: list[Score], posture: str) -> tuple[float | None, float | None]:
    """(time-weighted share over all runs, median of the per-run shares)."""
    held = sum(s.posture_s.get(posture, 0.0) for s in scores)
    right = sum(s.posture_right_s.get(posture, 0.0) for s in scores)
    per_run = [x for s in scores if (x := s.reported_share(posture)) is not None]
    return (right / held if held else None), (statistics.median(per_run) if per_run else None)


def group_lines(label: str, scores: list[Score]) -> list[str]:
    latencies = [x for s in scores for x in s.latencies_s]
    tp = sum(s.alerts_true for s in scores)
    fp = sum(s.alerts_false + s.alerts_wrong_side for s in scores)
    fn = sum(s.alerts_missed for s in scores)
    errors = [e for s in scores for e in s.breathing.errors_bpm]
    clean = sum(s.breathing.clean_events for s in scores)
    silent = sum(s.breathing.silent_events for s in scores)
    abstained_clean = sum(s.breathing.clean_abstained for s in scores) / clean if clean else None
    abstained_silent = (
        sum(s.breathing.silent_abstained for s in scores) / silent if silent else None
    )
    lines = [
        f"{label}: runs {len(scores)}, passing {sum(s.ok for s in scores)}",
        f"{label}: sessions {sum(s.sessions for s in scores)} "
        f"(expected {sum(s.expected_sessions for s in scores)}), "
        f"missed {sum(s.missed_sessions for s in scores)}, "
        f"false {sum(s.false_sessions for s in scores)}, "
        f"lying where nobody lay {sum(s.lying_reported and not s.lying_expected for s in scores)}",
        f"{label}: start latency s: median {_fmt(percentile(latencies, 50))}, "
        f"p95 {_fmt(percentile(latencies, 95))}, max {_fmt(max(latencies, default=None))}, "
        f"over {LATEST_START_S:g} s {sum(x > LATEST_START_S for x in latencies)}",
    ]
    for posture in ("lying", "sitting", "standing"):
        overall, median = _share(scores, posture)
        if overall is not None:
            lines.append(
                f"{label}: {posture} reported as {posture}: {_fmt(overall)} of the time "
                f"(median run {_fmt(median)})"
            )
    lines += [
        f"{label}: alerts: precision {_fmt(tp / (tp + fp) if tp + fp else None)}, recall "
        f"{_fmt(tp / (tp + fn) if tp + fn else None)}, wrong side "
        f"{sum(s.alerts_wrong_side for s in scores)}, no cause "
        f"{sum(s.alerts_false for s in scores)}, missed {fn}",
        f"{label}: breathing: median error {_fmt(percentile(errors, 50))} /min "
        f"(p90 {_fmt(percentile(errors, 90))}, {len(errors)} estimates), abstained "
        f"{_fmt(abstained_clean)} where breathing shows, {_fmt(abstained_silent)} where it "
        f"does not ({silent} windows), false rates "
        f"{sum(s.breathing.false_rates for s in scores)}",
    ]
    return lines


def _kind_line(group: str, kind: str, part: list[Score]) -> str:
    bad = sum(not s.ok for s in part)
    lat = [x for s in part for x in s.latencies_s]
    shares = []
    for posture in ("lying", "sitting", "standing"):
        overall, _ = _share(part, posture)
        if overall is not None:
            shares.append(f"{posture} {_fmt(overall)}")
    return (
        f"{group} {kind}: {len(part)} runs, {bad} failing, missed "
        f"{sum(s.missed_sessions for s in part)}, false {sum(s.false_sessions for s in part)}, "
        f"latency median {_fmt(percentile(lat, 50))} max {_fmt(max(lat, default=None))}; "
        f"reported as itself: {', '.join(shares) or '-'}"
    )


def figures(outcomes: Iterable[Outcome], worst: int = 12) -> list[str]:
    outcomes = list(outcomes)
    lines: list[str] = []
    for group in ("lying", "upright"):
        mine = [o for o in outcomes if o.group == group]
        if not mine:
            continue
        lines += group_lines(group, [o.score for o in mine])
        for layout in LAYOUTS:
            part = [o.score for o in mine if o.layout == layout]
            if part:
                lines += ["  " + x for x in group_lines(f"{group} {layout}", part)[:3]]
        kinds = sorted({o.kind for o in mine})
        for kind in kinds:
            lines.append("  " + _kind_line(group, kind, [o.score for o in mine if o.kind == kind]))
    failing = [o for o in outcomes if not o.score.ok]
    lines.append(f"failing runs: {len(failing)} of {len(outcomes)}")
    lines += [f"  {o.case}: {'; '.join(o.score.problems[:3])}" for o in failing[:worst]]
    # every false session and every missed one by name, however many fail otherwise: they
    # are the targets' figures, and each is a run to trace
    false_runs = [o.case for o in outcomes if o.score.false_sessions]
    missed_runs = [o.case for o in outcomes if o.score.missed_sessions]
    for name, named in (("false sessions", false_runs), ("missed sessions", missed_runs)):
        lines.append(f"runs with {name}: {len(named)}")
        lines += [f"  {case}" for case in named]
    return lines
