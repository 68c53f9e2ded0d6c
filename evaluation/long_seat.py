"""The sweep's lie-downs with a longer seat on the way down (pure).

In the detection sweep a person sits 1-3 s on the way down before lying back. Real people may
sit longer first (settling, taking something off, breathing before lying back): a seat held a
while becomes the anchor a lie-back is judged from, and a sitter's weight shifts are judged
from the same anchor. This runs every lying case of ``evaluation.sweep`` with the seat held
``seat_s`` (drawn) instead, and counts the sessions missed and the start latency.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from evaluation.sweep import Case, lying_cases
from evaluation.sweep_report import latency_summary, map_cases, run_case


@dataclass(frozen=True, slots=True)
class SeatOutcome:
    kind: str
    layout: str
    missed: int
    latencies_s: tuple[float, ...]


def _seat_outcome(case: Case) -> SeatOutcome:
    outcome = run_case(case)
    score = outcome.score
    return SeatOutcome(outcome.kind, outcome.layout, score.missed_sessions,
                       tuple(score.latencies_s))  # fmt: skip


def run_all(cases: list[Case], workers: int = 2) -> list[SeatOutcome]:
    return map_cases(_seat_outcome, cases, workers)


def report(outcomes: list[SeatOutcome], seat_s: tuple[float, float]) -> list[str]:
    """The missed sessions by kind and layout, and the start latency."""
    by_kind: Counter[str] = Counter()
    by_layout: Counter[str] = Counter()
    for o in outcomes:
        by_kind[o.kind] += o.missed
        by_layout[o.layout] += o.missed
    seat = f"seat held {seat_s[0]:g}-{seat_s[1]:g} s"
    lines = [f"long_seat {seat}: lying missed {sum(by_kind.values())} of {len(outcomes)}"]
    lines.append("  by layout: " + ", ".join(f"{k} {v}" for k, v in sorted(by_layout.items())))
    lines.append("  by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(by_kind.items()) if v))
    latency = latency_summary([x for o in outcomes for x in o.latencies_s])
    if latency is not None:
        lines.append(f"  start latency s: {latency}")
    return lines


def cases(layouts: tuple[str, ...], seat_s: tuple[float, float], every: int = 1) -> list[Case]:
    """One seed's lying cases on ``layouts`` with the seat held ``seat_s``, every ``every``-th."""
    return lying_cases(layouts, (1,), seat_s)[::every]
