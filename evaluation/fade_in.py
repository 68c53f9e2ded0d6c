"""The sweep with no way onto the mat: each case's settled pose faded in from an empty mat (pure).

A test harness that puts a recorded pressure map on the mat may fade it in at a fixed shape
instead of walking a body on. Then the lie-back has nothing to see, and only what the core
does with a body found there (``controller.core.arrival``, ``Arrival.found_there``) decides.
Each case of ``evaluation.sweep`` is cut: 2 s of its empty mat, its pose at ``settled_t + 3 s``
(lying) or 10 s after nine tenths of its load arrived (upright) faded in over ``fade_s``, then
its own frames from there on. A lying case is right when a session starts, an upright one when
none does.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass

from controller.core.events import SessionStarted
from controller.core.factory import build_controller
from controller.core.settings import CoreSettings
from evaluation.sweep import LAYOUTS, Case, all_cases
from evaluation.sweep_report import map_cases
from firmware.frame import ZoneFrame
from firmware.sim.scenarios import build_spec

EMPTY_S = 2.0
LYING_AFTER_SETTLED_S = 3.0
UPRIGHT_AFTER_ARRIVED_S = 10.0


@dataclass(frozen=True, slots=True)
class FadeOutcome:
    group: str
    kind: str
    layout: str
    right: bool


def _pose_index(
    case: Case, frames: list[ZoneFrame], truth: dict[str, object], rate_hz: float
) -> int:
    if case.group == "lying":
        settled = truth.get("settled_t", [])
        assert isinstance(settled, list) and settled
        return int((float(settled[0]) + LYING_AFTER_SETTLED_S) * rate_hz)
    totals = [sum(kg or 0.0 for kg in f.load_kg) for f in frames]
    arrived = next(k for k, kg in enumerate(totals) if kg > 0.9 * max(totals))
    return arrived + int(UPRIGHT_AFTER_ARRIVED_S * rate_hz)


def faded(frames: list[ZoneFrame], pose: int, fade_s: float, rate_hz: float) -> list[ZoneFrame]:
    """The empty mat, the pose at ``pose`` growing from it at a fixed shape, then the rest."""
    n_empty, n_fade = int(EMPTY_S * rate_hz), max(1, int(fade_s * rate_hz))
    out = [ZoneFrame(k / rate_hz, frames[k].load_kg) for k in range(n_empty)]
    empty, target = frames[0].load_kg, frames[pose].load_kg
    for k in range(n_fade):
        part = (k + 1) / n_fade
        loads = tuple(
            (e or 0.0) + part * ((s or 0.0) - (e or 0.0))
            for e, s in zip(empty, target, strict=True)
        )
        out.append(ZoneFrame((n_empty + k) / rate_hz, loads))
    first = n_empty + n_fade
    out += [
        ZoneFrame((first + j) / rate_hz, f.load_kg, f.faults) for j, f in enumerate(frames[pose:])
    ]
    return out


def run_faded(case: Case, fade_s: float) -> FadeOutcome | None:
    """One case faded in (None: the case ends too soon after its pose to judge)."""
    run = build_spec(case.spec(), LAYOUTS[case.layout], case.run_seed())
    frames = list(run.frames())
    pose = _pose_index(case, frames, run.truth, run.rate_hz)
    if pose >= len(frames) - 50:
        return None
    core = build_controller(run.layout, CoreSettings())
    started = 0
    for frame in faded(frames, pose, fade_s, run.rate_hz):
        started += sum(isinstance(e, SessionStarted) for e in core.feed(frame))
    started += sum(isinstance(e, SessionStarted) for e in core.finish())
    right = started >= 1 if case.group == "lying" else started == 0
    return FadeOutcome(case.group, case.kind, case.layout, right)


def run_all(cases: list[Case], fade_s: float, workers: int = 2) -> list[FadeOutcome]:
    found = map_cases(functools.partial(run_faded, fade_s=fade_s), cases, workers)
    return [o for o in found if o is not None]


def report(outcomes: list[FadeOutcome], fade_s: float) -> list[str]:
    """A line per group and kind: right and wrong; then the totals."""
    right: Counter[tuple[str, str]] = Counter()
    wrong: Counter[tuple[str, str]] = Counter()
    for o in outcomes:
        (right if o.right else wrong)[(o.group, o.kind)] += 1
    lines = [f"fade_in {fade_s:g} s: {len(outcomes)} runs"]
    for group, kind in sorted(set(right) | set(wrong)):
        ok, bad = right[(group, kind)], wrong[(group, kind)]
        lines.append(f"  {group} {kind}: right {ok}, wrong {bad}")
    missed = sum(v for (g, _), v in wrong.items() if g == "lying")
    false = sum(v for (g, _), v in wrong.items() if g != "lying")
    lying = sum(1 for o in outcomes if o.group == "lying")
    lines.append(f"fade_in {fade_s:g} s: lying missed {missed} of {lying}, "
                 f"upright started {false} of {len(outcomes) - lying}")  # fmt: skip
    return lines


def cases(layouts: tuple[str, ...], every: int = 1) -> list[Case]:
    """One seed's cases on ``layouts``, every ``every``-th."""
    return all_cases(layouts, (1,))[::every]
