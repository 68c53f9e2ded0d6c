"""`acumat replay --json` end to end, process included, beside a naive threshold replay.

Prints one figure per line. Both sides are separate processes started from this one, timed
from spawn to exit, over the same acumat-frames/1 file (a 30-minute, 10 Hz, 6-zone session:
the ``relax_session`` scenario repeated to 18,000 frames), ``--repeats`` times each,
alternating; the medians are compared:

* **the naive baseline** (the reference): a small Python script, run by the same interpreter,
  that reads the file with the stdlib ``json``, sums each frame's loads and applies an
  ESPHome-style threshold binary sensor (on above 20 kg, off below 15 kg, ``delayed_on`` 1 s,
  ``delayed_off`` 5 s, in frame time), printing a JSON line on each change. It is what a DIY
  "someone is on the mat" sensor does, and nothing more;
* **acumat**: ``acumat replay --json FILE > /dev/null``, the console script of this venv.

The ratio is acumat's frames/s over the baseline's (goal ≥ 0.35, 0.5 aimed at). ``--quick``
uses 3 minutes of frames and one repetition (the benchmark-smoke test); ``--profile`` also
prints cProfile's top entries of an in-process replay.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from firmware.framefile import JSON_DECODER, open_frames, write_frames
from firmware.sim.scenarios import build

SCENARIO = "relax_session"
RATE_HZ = 10
FULL_MINUTES = 30
QUICK_MINUTES = 3

# The baseline, as a DIY mat sensor would be written: stdlib json, a sum, a threshold with
# hysteresis and ESPHome's delayed_on / delayed_off filters, one line per change.
NAIVE_SCRIPT = """\
import json, sys

ON_KG, OFF_KG, DELAYED_ON_S, DELAYED_OFF_S = 20.0, 15.0, 1.0, 5.0
state = False
since = None
with open(sys.argv[1], encoding="utf-8") as f:
    next(f)  # the header
    for line in f:
        frame = json.loads(line)
        total = sum(v for v in frame["zones"].values() if v is not None)
        t = frame["t"]
        want = total > ON_KG if not state else total >= OFF_KG
        if want == state:
            since = None
            continue
        if since is None:
            since = t
        if t - since >= (DELAYED_ON_S if want else DELAYED_OFF_S):
            state, since = want, None
            sys.stdout.write(json.dumps({"t": t, "occupied": state}) + "\\n")
"""


def make_file(directory: Path, minutes: int) -> tuple[Path, int]:
    """The session as a frame file; returns its path and its frame count."""
    run = build(SCENARIO)
    path = directory / f"{SCENARIO}_{minutes}min.jsonl"
    with path.open("w", encoding="utf-8") as out:
        count = write_frames(out, run.header(), run.repeated_frames(minutes * 60 * RATE_HZ))
    return path, count


def acumat_command() -> list[str]:
    """This venv's ``acumat`` console script (as a user runs it), or its equivalent."""
    script = Path(sys.executable).with_name("acumat")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", f"{MAIN}; sys.exit(main())"]


MAIN = "import sys; from controller.cli import main"
# acumat as it runs where orjson is not installed: frames decoded by the stdlib json.
STDLIB_ACUMAT = [sys.executable, "-c", f"{MAIN}; sys.modules['orjson'] = None; sys.exit(main())"]


def timed_run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds from spawn to exit, and the lines printed; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False)
    elapsed_s = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"replay benchmark: {argv[:2]} failed: {done.stderr.decode()[-500:]}")
    return elapsed_s, done.stdout.count(b"\n")


def profile_top(path: Path, entries: int) -> str:
    from controller.cli.replay import replay
    from controller.core.settings import CoreSettings

    profiler = cProfile.Profile()
    real_stdout = sys.stdout
    sys.stdout = io.StringIO()
    try:
        profiler.runcall(replay, path, CoreSettings(), None, True)
    finally:
        sys.stdout = real_stdout
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(entries)
    return text.getvalue()


def in_process_us(path: Path) -> tuple[float, float]:
    """µs per frame of the parse alone and of the core alone (best of 3), for the breakdown."""
    from controller.core.factory import build_controller

    parse_s, core_s = [], []
    for _ in range(3):
        start = time.perf_counter()
        header, frames_iter = open_frames(path)
        frames = list(frames_iter)
        parse_s.append(time.perf_counter() - start)
        core = build_controller(header.layout)
        start = time.perf_counter()
        for frame in frames:
            core.feed(frame)
        core_s.append(time.perf_counter() - start)
    return min(parse_s) / len(frames) * 1e6, min(core_s) / len(frames) * 1e6


def measure(directory: Path, minutes: int, repeats: int) -> dict[str, list[tuple[float, int]]]:
    """Every side's runs, interleaved so that a noisy moment hits them all alike."""
    path, _ = make_file(directory, minutes)
    header_only = directory / "header_only.jsonl"
    with path.open(encoding="utf-8") as f:
        header_only.write_text(f.readline(), encoding="utf-8")
    naive_path = directory / "naive_threshold.py"
    naive_path.write_text(NAIVE_SCRIPT, encoding="utf-8")
    sides = {
        "bare": [sys.executable, "-c", "pass"],
        "naive": [sys.executable, str(naive_path), str(path)],
        "acumat": [*acumat_command(), "replay", "--json", str(path)],
        "acumat_empty": [*acumat_command(), "replay", "--json", str(header_only)],
    }
    if JSON_DECODER == "orjson":
        sides["stdlib"] = [*STDLIB_ACUMAT, "replay", "--json", str(path)]
    runs: dict[str, list[tuple[float, int]]] = {name: [] for name in sides}
    for _ in range(repeats):
        for name, argv in sides.items():
            runs[name].append(timed_run(argv))
    return runs


def report(runs: dict[str, list[tuple[float, int]]], frames: int) -> None:
    median = {name: statistics.median(s for s, _ in got) for name, got in runs.items()}
    naive_s, acumat_s = median["naive"], median["acumat"]
    print(f"naive_threshold_replay_s: {naive_s:.3f} ({runs['naive'][0][1]} events)")
    print(f"naive_threshold_frames_per_s: {frames / naive_s:.0f} (reference)")
    print(f"acumat_replay_json_s: {acumat_s:.3f} ({runs['acumat'][0][1]} events)")
    print(f"acumat_replay_json_frames_per_s: {frames / acumat_s:.0f} (decoder: {JSON_DECODER})")
    print(f"replay_ratio: {naive_s / acumat_s:.2f} x the naive baseline (goal >= 0.35, aim 0.5)")
    if "stdlib" in median:
        print(f"acumat_replay_json_stdlib_decoder_frames_per_s: {frames / median['stdlib']:.0f}")
        print(f"replay_ratio_stdlib_decoder: {naive_s / median['stdlib']:.2f} x the naive baseline")
    print(f"bare_interpreter_s: {median['bare']:.3f} (reference for the start-up)")
    print(f"acumat_replay_header_only_s: {median['acumat_empty']:.3f} (start-up: imports, build)")
    print(f"replay_budget_for_0.35_s: {naive_s / 0.35:.3f} (acumat must finish within this)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 minutes of frames, one run each")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each side (median)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top entries")
    args = parser.parse_args()
    minutes, repeats = (QUICK_MINUTES, 1) if args.quick else (FULL_MINUTES, args.repeats)
    machine = platform.processor() or platform.machine()
    print(f"machine: {machine}, Python {platform.python_version()}")
    frames = minutes * 60 * RATE_HZ
    print(f"frames: {frames} ({minutes} min at {RATE_HZ} Hz, 6 zones); {repeats} runs each, median")
    with tempfile.TemporaryDirectory() as tmp:
        runs = measure(Path(tmp), minutes, repeats)
        report(runs, frames)
        path = Path(tmp) / f"{SCENARIO}_{minutes}min.jsonl"
        parse_us, core_us = in_process_us(path)
        print(f"in_process_parse_us_per_frame: {parse_us:.2f}")
        print(f"in_process_core_us_per_frame: {core_us:.1f} (with breathing)")
        if args.profile:
            print(profile_top(path, 25))
    return 0


if __name__ == "__main__":
    sys.exit(main())
