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
from collections.abc import Iterator
from pathlib import Path

from firmware.frame import ZoneFrame
from firmware.framefile import write_frames
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

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


def session_frames(run: SimRun, count: int) -> Iterator[ZoneFrame]:
    """The scenario, repeated back to back (time running on) up to ``count`` frames."""
    offset_s, done = 0.0, 0
    while True:
        last_t = 0.0
        for frame in run.frames():
            if done == count:
                return
            yield ZoneFrame(frame.t + offset_s, frame.load_kg, frame.faults)
            last_t, done = frame.t, done + 1
        offset_s += last_t + 1.0 / run.rate_hz


def make_file(directory: Path, minutes: int) -> tuple[Path, int]:
    run = build(SCENARIO)
    path = directory / f"{SCENARIO}_{minutes}min.jsonl"
    with path.open("w", encoding="utf-8") as out:
        count = write_frames(out, run.header(), session_frames(run, minutes * 60 * RATE_HZ))
    return path, count


def acumat_command() -> list[str]:
    """This venv's ``acumat`` console script, or ``python -m controller.cli`` without one."""
    script = Path(sys.executable).with_name("acumat")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "controller.cli"]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 minutes of frames, one run each")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each side (median)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top entries")
    args = parser.parse_args()
    minutes, repeats = (QUICK_MINUTES, 1) if args.quick else (FULL_MINUTES, args.repeats)
    with tempfile.TemporaryDirectory() as tmp:
        path, frames = make_file(Path(tmp), minutes)
        naive_path = Path(tmp) / "naive_threshold.py"
        naive_path.write_text(NAIVE_SCRIPT, encoding="utf-8")
        naive_argv = [sys.executable, str(naive_path), str(path)]
        acumat_argv = [*acumat_command(), "replay", "--json", str(path)]
        naive, acumat = [], []
        for _ in range(repeats):
            naive.append(timed_run(naive_argv))
            acumat.append(timed_run(acumat_argv))
        profile = profile_top(path, 25) if args.profile else ""
    naive_s = statistics.median(s for s, _ in naive)
    acumat_s = statistics.median(s for s, _ in acumat)
    print(
        f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    print(
        f"frames: {frames} ({minutes} min at {RATE_HZ} Hz, 6 zones); runs: {repeats} each, median"
    )
    print(f"naive_threshold_replay_s: {naive_s:.3f} ({naive[0][1]} events)")
    print(f"naive_threshold_frames_per_s: {frames / naive_s:.0f} (reference)")
    print(f"acumat_replay_json_s: {acumat_s:.3f} ({acumat[0][1]} events)")
    print(f"acumat_replay_json_frames_per_s: {frames / acumat_s:.0f}")
    print(f"replay_ratio: {naive_s / acumat_s:.2f} x the naive baseline (goal >= 0.35, aim 0.5)")
    if profile:
        print(profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
