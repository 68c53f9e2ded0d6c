"""Replay throughput: a 30-minute, 10 Hz, 6-zone session through the controller.

Prints one figure per line: frames/s end to end (parse the file + core, as `acumat replay`
does without printing) and µs per frame of the core alone. Goal ≥ 20,000 frames/s (50,000).
"""

from __future__ import annotations

import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from controller.core.breathing import BreathingEstimator
from controller.core.controller import MatController
from controller.core.factory import build_controller
from firmware.frame import ZoneFrame
from firmware.framefile import open_frames, write_frames
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

SCENARIO = "relax_session"
REPEATS = 3


FRAMES = 30 * 60 * 10  # 30 minutes at 10 Hz


def thirty_minutes(run: SimRun) -> Iterator[ZoneFrame]:
    """The scenario, repeated back to back (time running on) up to 30 minutes."""
    offset_s, count = 0.0, 0
    while True:
        last_t = 0.0
        for frame in run.frames():
            if count == FRAMES:
                return
            yield ZoneFrame(frame.t + offset_s, frame.load_kg, frame.faults)
            last_t, count = frame.t, count + 1
        offset_s += last_t + 1.0 / run.rate_hz


def make_file(directory: Path) -> Path:
    run = build(SCENARIO)
    path = directory / f"{SCENARIO}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, run.header(), thirty_minutes(run))
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


def core_only(path: Path, breathing: bool) -> tuple[float, int]:
    header, frames_iter = open_frames(path)
    frames = list(frames_iter)
    estimator = BreathingEstimator(header.layout) if breathing else None
    core = MatController(header.layout, breathing=estimator)
    start = time.perf_counter()
    for frame in frames:
        core.feed(frame)
    return time.perf_counter() - start, len(frames)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = make_file(Path(tmp))
        best = min(end_to_end(path) for _ in range(REPEATS))
        core_best = min(core_only(path, True) for _ in range(REPEATS))
        bare_best = min(core_only(path, False) for _ in range(REPEATS))
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(f"frames: {best[1]}")
    print(f"end_to_end_frames_per_s: {best[1] / best[0]:.0f}")
    print(f"core_us_per_frame: {core_best[0] / core_best[1] * 1e6:.1f}")
    print(f"core_without_breathing_us_per_frame: {bare_best[0] / bare_best[1] * 1e6:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
