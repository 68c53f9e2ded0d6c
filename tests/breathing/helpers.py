"""Running the breathing estimator over synthetic or simulated frames, for the tests (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from controller.core.breathing import BreathingEstimator
from controller.core.events import Breathing
from controller.core.settings import BreathingSettings
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout
from tests.breathing.synth import Subject, synthesise


def run(
    layout: MatLayout,
    frames: Iterable[tuple[ZoneFrame, bool]],
    settings: BreathingSettings | None = None,
) -> list[Breathing]:
    estimator = BreathingEstimator(layout, settings)
    events = []
    for frame, still in frames:
        event = estimator.feed(frame, still)
        if event is not None:
            events.append(event)
    return events


def estimates(events: list[Breathing]) -> list[float]:
    return [e.bpm for e in events if e.quality > 0]


def median_error(layout: MatLayout, subject: Subject, seeds: Iterable[int] = (0, 1)) -> float:
    """Median |error| over the estimates of a few runs; inf when none came out."""
    errors: list[float] = []
    for seed in seeds:
        s = Subject(**{**subject.__dict__, "seed": seed})
        errors += [abs(b - s.bpm) for b in estimates(run(layout, synthesise(layout, s)))]
    return float(np.median(errors)) if errors else float("inf")


def truth_bpm(truth: dict[str, Any], from_t: float, to_t: float) -> float | None:
    """The simulator's true mean rate over [from_t, to_t]: each lying hold goes linearly from
    ``breathing_bpm`` to ``breathing_bpm_end``; ``None`` when the span is mostly not lying."""
    holds = [
        s for s in truth["segments"] if s["posture"] == "lying" and s["detail"] != "transition"
    ]
    start, end = truth["breathing_bpm"], truth["breathing_bpm_end"]
    rates = []
    for t in np.linspace(from_t, to_t, 31):
        for s in holds:
            if s["from_t"] <= t <= s["to_t"]:
                progress = (t - s["from_t"]) / max(s["to_t"] - s["from_t"], 1e-9)
                rates.append(start + (end - start) * progress)
    return float(np.mean(rates)) if len(rates) > 20 else None
