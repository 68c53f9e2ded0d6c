"""The calibration wizard's vocabulary: its settings and the outputs each step hands the shell.

``controller.calibration.wizard`` emits these; the CLI prints them (a prompt, a progress bar,
a result, a readable failure). Frozen values only, so the wizard stays a pure machine and a
test can compare what it said. Pure: no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from firmware.calibration import Calibration


@dataclass(frozen=True, slots=True)
class WizardSettings:
    """How the wizard measures and judges; the defaults suit 10 SPS boards and 1e3-1e5 c/kg."""

    weight_kg: float
    samples: int = 50  # readings averaged per measurement (5 s at 10 SPS)
    settle_samples: int = 10  # a window this long must be still before measuring (1 s)
    timeout_s: float = 120.0  # per step: time to fetch the weight and place it
    # A zone without a scale yet moving more than this while taring is not empty and still:
    # 2000 counts is ~0.2 kg at a typical 10^4 counts/kg.
    still_counts: float = 2000.0
    # Counts a zone must move to count as loaded, at least (10 counts/kg, the smallest scale
    # firmware.calibration accepts, times 10 kg); more when its tare noise is higher.
    min_rise_counts: float = 100.0
    # Noise assumed until the tare measures it: 50 nV rms (datasheet) at gain 128 is ~21 counts.
    noise_counts: float = 25.0
    min_still_counts: float = 10.0  # never demand less spread than a few LSB
    settle_fraction: float = 0.01  # a loaded zone may wander by 1 % (creep) and be still
    missing_limit: int = 20  # reads in a row without a good word: the board is not answering
    verify_tolerance_pct: float = 2.0
    empty_kg: float | None = 15.0  # tare refuses a zone this far from its old zero (None: off)

    def __post_init__(self) -> None:
        if not self.weight_kg > 0:
            raise ValueError(f"the known weight must be > 0 kg, not {self.weight_kg}")
        if self.samples < 5 or self.settle_samples < 2:
            raise ValueError("samples must be >= 5 and settle_samples >= 2")


@dataclass(frozen=True, slots=True)
class Prompt:
    """Tell the person what to do; ``confirm``: an interactive shell waits for Enter."""

    text: str
    confirm: bool = True


@dataclass(frozen=True, slots=True)
class Progress:
    """After each read: where the step is (``status``: waiting, settling or measuring)."""

    step: str
    zone: str | None
    done: int
    total: int
    status: str
    counts: float | None = None  # the step's zone, over its zero
    kg: float | None = None  # the zone (or the whole mat when verifying), if it has a scale


@dataclass(frozen=True, slots=True)
class Tared:
    offsets_counts: Mapping[str, float]
    noise_counts: Mapping[str, float]  # standard deviation while taring
    noise_kg: Mapping[str, float | None]  # the same in kg where the zone already has a scale


@dataclass(frozen=True, slots=True)
class ZoneScaled:
    zone: str
    scale_counts_per_kg: float
    rise_counts: float


@dataclass(frozen=True, slots=True)
class Verified:
    load_kg: Mapping[str, float | None]  # ``None``: the zone has no scale
    total_kg: float
    known_kg: float
    error_pct: float
    ok: bool


@dataclass(frozen=True, slots=True)
class Failed:
    """A step that cannot go on; ``kind``: no_readings, unstable, wrong_zone, timeout,
    too_light, invalid."""

    step: str
    zone: str | None
    kind: str
    reason: str


@dataclass(frozen=True, slots=True)
class Finished:
    calibration: Calibration


Output = Prompt | Progress | Tared | ZoneScaled | Verified | Failed | Finished


def spread(values: Sequence[float]) -> float:
    """Peak to peak; 0 for fewer than two values."""
    return max(values) - min(values) if len(values) > 1 else 0.0


def progress_line(p: Progress, width: int = 20) -> str:
    """``[#####.....]  25/50 measuring  upper_left +200000 counts  10.00 kg``."""
    filled = round(width * p.done / p.total) if p.total else 0
    parts = [f"[{'#' * filled}{'.' * (width - filled)}] {p.done:3d}/{p.total} {p.status:9s}"]
    if p.zone is not None:
        parts.append(p.zone)
    if p.counts is not None:
        parts.append(f"{p.counts:+.0f} counts")
    if p.kg is not None:
        parts.append(f"{p.kg:.2f} kg")
    return "  ".join(parts)


def result_lines(output: Tared | ZoneScaled | Verified) -> list[str]:
    """What a finished step found, one line per zone where there is one."""
    if isinstance(output, Tared):
        return [
            f"  {n}: offset {output.offsets_counts[n]:.1f} counts, noise"
            f" {output.noise_counts[n]:.1f} counts{_kg_text(output.noise_kg[n], ' (', ')')}"
            for n in output.offsets_counts
        ]
    if isinstance(output, ZoneScaled):
        return [
            f"  {output.zone}: {output.scale_counts_per_kg:.2f} counts/kg"
            f" (rose by {output.rise_counts:.0f} counts)"
        ]
    lines = [f"  {n}: {_kg_text(kg, '', '') or 'no scale'}" for n, kg in output.load_kg.items()]
    verdict = "ok" if output.ok else "OUT OF TOLERANCE"
    lines.append(
        f"  total {output.total_kg:.2f} kg for {output.known_kg:g} kg:"
        f" {output.error_pct:+.2f} % ({verdict})"
    )
    return lines


def _kg_text(kg: float | None, before: str, after: str) -> str:
    return "" if kg is None else f"{before}{kg:.3f} kg{after}"


def silent_board_text(name: str, tries: int) -> str:
    return (
        f"zone {name}: no good reading in {tries} tries: its board is not answering"
        " (check its DAT wire, VCC and GND) or its reading is saturated"
    )


def tare_unstable_text(name: str, moved_counts: float, limit_counts: float) -> str:
    return (
        f"zone {name} moved by {moved_counts:.0f} counts while taring (limit"
        f" {limit_counts:g}): keep the mat empty and still, then try again"
    )


def wrong_zone_text(names: Sequence[str], zone: str, leader: int, means: Sequence[float]) -> str:
    """The weight moved another zone more than the one being calibrated."""
    target = means[names.index(zone)]
    return (
        f"the weight seems to be on {names[leader]}, not {zone}: {names[leader]} moved by"
        f" {means[leader]:+.0f} counts, {zone} by {target:+.0f}; put it in the middle of {zone}"
    )


def prompt_text(kind: str, zone: str | None, where: tuple[int, int], weight_kg: float) -> str:
    """What to do for a step; ``where``: (this zone's number, zones in all) when weighing."""
    if kind == "tare":
        return "Step 1, tare: take everything off the mat and keep it still."
    if kind == "weigh":
        return (
            f"Step 2, zone {where[0]} of {where[1]}: put the {weight_kg:g} kg weight in the"
            f" middle of {zone}."
        )
    if kind == "remove":
        return f"Take the weight off {zone}."
    return f"Step 3, verify: put the {weight_kg:g} kg weight anywhere on the mat."


def too_light_text(
    zone: str, seen_counts: float, need_counts: float, wanted: WizardSettings
) -> str:
    """Why a weight that shows, but not clearly above the cell's noise, is refused."""
    enough_kg = math.ceil(wanted.weight_kg * need_counts / seen_counts * 1.2)
    return (
        f"the weight on {zone} moves it only {seen_counts:.0f} counts, too close to this cell's"
        f" noise (it must move over {need_counts:.0f}): use a known weight of {enough_kg} kg"
        " or more"
    )


def timeout_text(kind: str, zone: str | None, timeout_s: float, moved: bool) -> tuple[str, str]:
    """(failure kind, reason) for a step that ran out of time."""
    limit = f"{timeout_s:g} s"
    if kind == "remove":
        return "timeout", f"the weight is still on the mat after {limit}: take it off"
    if moved:
        return "unstable", f"the readings did not settle within {limit}: keep the mat still"
    where = zone or "the mat"
    return "timeout", f"no weight detected on {where} within {limit}: is it on the tile?"
