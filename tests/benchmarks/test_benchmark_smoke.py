"""Every script in benchmarks/ runs in its short mode and prints its figures, so none rots.

One test per script, found by listing the directory (a new benchmark is picked up by itself;
files starting with ``_`` are helpers). Each runs as ``python benchmarks/NAME.py --quick`` in
a child process (so this module is in the slow lane) with this checkout on ``PYTHONPATH``.
Nothing here looks at a time: a script passes when it exits 0, prints no traceback and
prints its figure lines: where a script's figures are listed below, the lines that carry
them; otherwise at least one line with a number in it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCHMARKS = sorted(p for p in (ROOT / "benchmarks").glob("*.py") if not p.name.startswith("_"))
# The scripts whose short mode is not --quick: the detection report's --quick is a 40 s sweep,
# its --library the scenario library alone.
ARGS = {"detection.py": ["--library"]}
# Figure lines that must be there, by script (others: any line with a number).
FIGURES = {
    "replay.py": [r"^naive_threshold_frames_per_s: \d+ \(reference\)", r"^replay_ratio: [\d.]+ x"],
    "memory.py": [
        r"^reference_rss_mb bare interpreter \(python -c pass\): [\d.]+",
        r"^reference_rss_mb import numpy: [\d.]+",
        r"^file_rss_mb_end: [\d.]+",
        r"^file_rss_growth_mb_minute_1_to_end: [-+][\d.]+",
        r"^simulate_rss_mb_end: [\d.]+",
    ],
    "core_throughput.py": [
        r"^reference_naive_loop_us_per_frame: [\d.]+",
        r"^core_us_per_frame: [\d.]+",
        r"^core_empty_mat_us_per_frame: [\d.]+",
    ],
    "breathing.py": [r"^estimator cost at 10 Hz, 6 zones: [\d.]+ us \(= \d+ x the naive frame"],
    "gpio_calls.py": [
        r"^shared_clock_calls_6_boards 200 calls",
        r"^driver_cpu_per_read_group_read_6_boards [\d.]+ us \(= \d+ x the naive frame",
    ],
    "mqtt_latency.py": [r"^mqtt reference: bare paho QoS 1 latency p50_ms [\d.]+"],
    "fleet.py": [r"^fleet reference: bare paho QoS 1 latency p50_ms [\d.]+"],
    "pi_read.py": [r"^pi_read skipped"],
    "rates.py": [
        r"^2 Hz: lying missed \d+ of \d+; false sessions \d+ in \d+ upright runs",
        r"^10 Hz: lying missed \d+ of \d+; .*\(reference\)$",
        r"^80 Hz: lying missed \d+ of \d+; false sessions \d+ in \d+ upright runs",
    ],
    "ways_on.py": [
        r"^foot_end \(reference\): lying missed \d+ of \d+; start latency s: median [\d.]+",
        r"^side_edge: lying missed \d+ of \d+",
        r"^kneeling: lying missed \d+ of \d+",
        r"^kneeling_stay: false sessions \d+ in \d+ runs",
        r"^edge_stay: false sessions \d+ in \d+ runs",
    ],
}
NUMBER = re.compile(r"\d")
TIMEOUT_S = 180


@pytest.mark.timeout(TIMEOUT_S + 30)
@pytest.mark.parametrize("script", BENCHMARKS, ids=[p.name for p in BENCHMARKS])
def test_benchmark_runs_in_its_short_mode(script: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(script), *ARGS.get(script.name, ["--quick"])],
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    said = f"stdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, said
    assert "Traceback" not in done.stderr, said
    lines = done.stdout.splitlines()
    if script.name not in FIGURES:
        assert any(NUMBER.search(line) for line in lines), said
    for pattern in FIGURES.get(script.name, []):
        assert any(re.search(pattern, line) for line in lines), f"no line {pattern!r}\n{said}"


def test_the_listing_finds_the_scripts() -> None:
    names = {p.name for p in BENCHMARKS}
    assert {"replay.py", "memory.py", "gpio_calls.py"} <= names
    assert not any(name.startswith("_") for name in names)
