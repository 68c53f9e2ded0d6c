"""Replay throughput: a 30-minute, 10 Hz, 6-zone session through the controller.

Prints one figure per line: frames/s end to end (parse the file + core, as `acumat replay`
does without printing) and µs per frame of the core alone (``MatController.feed`` on the
contract's ``ZoneFrame``s, events as the contract defines them), with and without breathing.
Beside them, a reference measured in the same run on the same frames: a naive presence loop
(the total of the valid zones against a threshold), so a figure from a busy machine can be
read against the machine's speed at the time. The core and the reference are timed in the
process's CPU time (``time.process_time``), which a machine shared with other work inflates
less than the wall clock; on an idle machine the two agree. Each figure is the median of 3
runs. Goals: end to end ≥ 20,000 frames/s (50,000); core ≤ 10 µs per frame with breathing
(issue 13). Also the empty mat's frame (seeded noise around 0 kg, as many frames), which is
most of a real mat's day.
``--quick`` runs 3,000 frames (a smoke run; its figures say little).
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from controller.core.breathing import BreathingEstimator
from controller.core.controller import MatController
from controller.core.factory import build_controller
from firmware.frame import ZoneFrame
from firmware.framefile import open_frames, write_frames
from firmware.sim.scenarios import build

SCENARIO = "relax_session"
REPEATS = 3
FRAMES = 30 * 60 * 10  # 30 minutes at 10 Hz
QUICK_FRAMES = 3000
PERSON_KG = 20.0


def make_file(directory: Path, frames: int = FRAMES) -> Path:
    run = build(SCENARIO)
    path = directory / f"{SCENARIO}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, run.header(), run.repeated_frames(frames))
    return path


def end_to_end(path: Path) -> tuple[float, int]:
    start = time.perf_counter()
    header, frames = open_frames(path)
    core = build_controller(header.layout)
    count = 0
    for frame in frames:
        core.feed(frame)
        count += 1
    return time.perf_counter() - start, count


def reference(path: Path) -> tuple[float, int]:
    """The naive loop: the total of the valid zones, and a threshold, per frame."""
    _, frames_iter = open_frames(path)
    frames = list(frames_iter)
    occupied = 0
    start = time.process_time()
    for frame in frames:
        total = sum(kg for kg in frame.load_kg if kg is not None)
        occupied += total >= PERSON_KG
    return time.process_time() - start, len(frames)


def core_only(path: Path, breathing: bool) -> tuple[float, int]:
    header, frames_iter = open_frames(path)
    frames = list(frames_iter)
    estimator = BreathingEstimator(header.layout) if breathing else None
    core = MatController(header.layout, breathing=estimator)
    start = time.process_time()
    for frame in frames:
        core.feed(frame)
    return time.process_time() - start, len(frames)


def core_empty(path: Path) -> tuple[float, int]:
    """The core, with breathing, over as many frames of an empty mat (0 kg ± 50 g of noise)."""
    header, frames_iter = open_frames(path)
    count, zones = sum(1 for _ in frames_iter), len(header.layout.zones)
    rng = random.Random(1)
    frames = [
        ZoneFrame(i / 10, tuple(rng.gauss(0.0, 0.05) for _ in range(zones))) for i in range(count)
    ]
    core = MatController(header.layout, breathing=BreathingEstimator(header.layout))
    start = time.process_time()
    for frame in frames:
        core.feed(frame)
    return time.process_time() - start, len(frames)


def median_run(run: Callable[[], tuple[float, int]]) -> tuple[float, int]:
    """The median of ``REPEATS`` runs (seconds, frames)."""
    runs = [run() for _ in range(REPEATS)]
    return statistics.median(r[0] for r in runs), runs[0][1]


def us_per_frame(figure: tuple[float, int]) -> float:
    return figure[0] / figure[1] * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_FRAMES} frames only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = make_file(Path(tmp), QUICK_FRAMES if args.quick else FRAMES)
        ends = median_run(lambda: end_to_end(path))
        ref = median_run(lambda: reference(path))
        core = median_run(lambda: core_only(path, True))
        bare = median_run(lambda: core_only(path, False))
        empty = median_run(lambda: core_empty(path))
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"frames: {ends[1]}")
    print(f"end_to_end_frames_per_s: {ends[1] / ends[0]:.0f}")
    print(f"reference_naive_loop_us_per_frame: {us_per_frame(ref):.2f}")
    print(f"core_us_per_frame: {us_per_frame(core):.1f}")
    print(f"core_without_breathing_us_per_frame: {us_per_frame(bare):.1f}")
    print(f"core_over_reference: {us_per_frame(core) / us_per_frame(ref):.1f}")
    print(f"core_empty_mat_us_per_frame: {us_per_frame(empty):.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
