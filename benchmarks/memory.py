"""Resident memory of `acumat run` (MQTT on, breathing on) over an hour of frames, beside the
bare interpreter and numpy measured in the same run.

Starts a throwaway mosquitto (tests/mqtt/broker.py) and `acumat run` twice: fed a recorded
frame file (an hour of the ``relax_session`` scenario back to back: what a Pi's hardware
source resembles, no simulator loaded) and ``--simulate`` (the scenario looped; the simulator
loads its own modules). Frames are paced at ``--speed`` × real time (default 100: an hour in
36 s, well within what the service keeps up with), so that minute *m* of frames is wall second
*m* × 60 / speed after the source opened. VmRSS is read from /proc/<pid>/status at frame
minutes 1, 10, 20, ... and at the end; growth is the end minus minute 1.

References, each a fresh interpreter of this venv reading its own VmRSS: ``python -c pass``,
``import numpy``, and numpy + paho (the third-party packages the service imports). Then where the
service's memory sits: its /proc/<pid>/smaps Rss summed per library (at the end of the file
run), and tracemalloc's top allocating packages when the service's modules are imported.
Then an import ladder (VmRSS added by each library, in order; the last two steps are what
the web page and the simulator add to a run that has them) and tracemalloc's top lines after
the core alone has eaten the frame file.
``--quick``: 3 minutes of frames per run, no ladder or tracemalloc (the benchmark-smoke
test). Linux only (/proc).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from firmware.framefile import write_frames
from firmware.sim.scenarios import build
from tests.mqtt.broker import Broker, Recorder, wait_until

SCENARIO = "relax_session"
RATE_HZ = 10
GOAL_MB = 45.0
STARTED = "INFO acumat: mat "  # the service's first log line: its source is open
RSS_SNIPPET = (
    "import re; print(int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1]))"
)
REFERENCES = {
    "bare interpreter (python -c pass)": "",
    "import numpy": "import numpy",
    "import numpy, paho.mqtt.client": "import numpy, paho.mqtt.client",
}


def rss_kb(pid: int) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"VmRSS:\s+(\d+)", status)
    return int(found[1]) if found else None


def reference_mb(imports: str) -> float:
    code = f"{imports}\n{RSS_SNIPPET}" if imports else RSS_SNIPPET
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout) / 1024


def hour_file(directory: Path, minutes: int) -> Path:
    run = build(SCENARIO)
    path = directory / f"{SCENARIO}_{minutes}min.jsonl"
    with path.open("w", encoding="utf-8") as out:
        write_frames(out, run.header(), run.repeated_frames(minutes * 60 * RATE_HZ))
    return path


def config_text(port: int, state: Path, source: str, speed: float) -> str:
    return (
        f"[mat]\nid = 'bench'\n[source]\n{source}speed = {speed}\n"
        f"[storage]\ndir = '{state}'\n[breathing]\nenabled = true\n"
        f"[mqtt]\nhost = '127.0.0.1'\nport = {port}\n"
    )


def acumat_argv() -> list[str]:
    script = Path(sys.executable).with_name("acumat")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from controller.cli import main; sys.exit(main())"]


class Service:
    """`acumat run` as a child; ``opened`` is the monotonic time its source opened."""

    def __init__(self, config: Path) -> None:
        self.proc = subprocess.Popen(
            [*acumat_argv(), "run", "--config", str(config), "--quiet"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.opened: float | None = None
        self.tail: list[str] = []
        threading.Thread(target=self._read_log, daemon=True).start()

    def _read_log(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            if self.opened is None and STARTED in line:
                self.opened = time.monotonic()
            self.tail = [*self.tail[-20:], line]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


def sample(service: Service, minutes: int, speed: float) -> list[tuple[float, float]]:
    """(frame minute, MB) at minute 1, every 10, and half a minute before the last frame."""
    if not wait_until(lambda: service.opened is not None, 60.0) or service.opened is None:
        raise SystemExit(f"memory benchmark: the service did not start: {service.tail[-5:]}")
    marks = [1.0, *map(float, range(10, minutes, 10)), minutes - 0.5]
    taken: list[tuple[float, float]] = []
    for minute in marks:
        due = service.opened + minute * 60 / speed
        while time.monotonic() < due and service.proc.poll() is None:
            threading.Event().wait(min(0.05, max(0.0, due - time.monotonic())))
        kb = rss_kb(service.proc.pid)
        if kb is None or service.proc.poll() is not None:
            break
        taken.append((minute, kb / 1024))
    return taken


def smaps_by_library(pid: int) -> dict[str, float]:
    """Rss (MB) of each mapping, grouped by the library (or [heap], [anon]) it belongs to."""
    totals: dict[str, float] = defaultdict(float)
    current = "[anon]"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split(maxsplit=5)
        if len(head) >= 5 and re.fullmatch(r"[0-9a-f]+-[0-9a-f]+", head[0]):
            current = _library(head[5] if len(head) == 6 else "[anon]")
        elif line.startswith("Rss:"):
            totals[current] += int(line.split()[1]) / 1024
    return dict(totals)


def _library(path: str) -> str:
    for marker in ("site-packages/", "lib/python3"):
        if marker in path:
            rest = path.split(marker, 1)[1]
            return (marker + rest.split("/", 2)[0 if marker == "site-packages/" else 1])[:60]
    return path.rsplit("/", 1)[-1] or "[anon]"


# Each step in one fresh interpreter, VmRSS after it: what each library adds (order matters:
# a later step does not pay again for what an earlier one loaded).
LADDER = (
    (
        "stdlib the service uses (sqlite3, logging, threading, json)",
        "import sqlite3, logging, threading, json",
    ),
    ("numpy", "import numpy"),
    ("hashlib: OpenSSL's libcrypto (paho and secrets import it)", "import hashlib"),
    ("ssl (paho imports it, TLS configured or not)", "import ssl"),
    ("urllib.request, http.client, email (paho imports them)", "import urllib.request"),
    ("paho-mqtt", "import paho.mqtt.client"),
    ("acumat core", "import controller.core.factory"),
    (
        "acumat service, MQTT, storage",
        "import controller.cli.run, controller.service.loop, "
        "controller.mqtt.adapter, controller.storage.history_adapter",
    ),
    (
        "posture templates and the core built",
        "c = controller.core.factory.build_controller(firmware.layout.DEFAULT_LAYOUT)",
    ),
    ("the web page (with [web] only)", "import controller.web.adapter"),
    (
        "the simulator and its scenario built (--simulate only; numpy.random with it)",
        "import firmware.sim.scenarios; r = firmware.sim.scenarios.build('relax_session')",
    ),
)
LADDER_CODE = """
import re, sys
def rss():
    return int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read())[1]) / 1024
before = rss()
import firmware.layout
for label, code in STEPS:
    exec(code)
    now = rss()
    print(f"{now - before:+.1f} {label}")
    before = now
"""

# tracemalloc over the core fed the whole frame file: what it holds at the end (the import
# machinery's code objects left out), and what grew between the first minute and the end.
TRACE_CODE = """
import sys, tracemalloc
from pathlib import Path
from controller.core.factory import build_controller
from firmware.framefile import open_frames
tracemalloc.start()
header, frames = open_frames(Path(sys.argv[1]))
core = build_controller(header.layout)
for _, frame in zip(range(600), frames):
    core.feed(frame)
first = tracemalloc.take_snapshot()
for frame in frames:
    core.feed(frame)
last = tracemalloc.take_snapshot()
def where(trace):
    return "/".join(trace[0].filename.split("/")[-2:]) + f":{trace[0].lineno}"
for stat in last.statistics("lineno")[:5]:
    print(f"held {stat.size / 1048576:.2f} MB {where(stat.traceback)}")
for stat in last.compare_to(first, "lineno")[:3]:
    print(f"grew {stat.size_diff / 1048576:+.3f} MB {where(stat.traceback)}")
"""


def where_it_goes(frames: Path) -> None:
    code = f"STEPS = {LADDER!r}\n{LADDER_CODE}"
    ladder = subprocess.run(
        [sys.executable, "-c", code], check=False, capture_output=True, text=True
    )
    for line in ladder.stdout.splitlines():
        mb, label = line.split(" ", 1)
        print(f"import_ladder_rss_mb {label}: {mb}")
    trace = subprocess.run(
        [sys.executable, "-c", TRACE_CODE, str(frames)], check=False, capture_output=True, text=True
    )
    for line in trace.stdout.splitlines():
        print(f"tracemalloc_core_alone_after_all_frames: {line}")
    if ladder.returncode or trace.returncode:
        raise SystemExit(f"memory benchmark: {ladder.stderr[-500:]}{trace.stderr[-500:]}")


def run_service(tmp: Path, port: int, name: str, source: str, args: argparse.Namespace) -> None:
    config = tmp / f"{name}.toml"
    config.write_text(config_text(port, tmp / f"state-{name}", source, args.speed))
    watcher = Recorder(port, ["acumat/bench/event"])
    service = Service(config)
    try:
        samples = sample(service, args.minutes, args.speed)
        smaps = smaps_by_library(service.proc.pid) if service.proc.poll() is None else {}
    finally:
        service.stop()
        watcher.close()
    if not samples:
        raise SystemExit(f"memory benchmark: no sample of {name}: {service.tail[-5:]}")
    for minute, mb in samples:
        print(f"{name}_rss_mb_at_frame_minute_{minute:g}: {mb:.1f}")
    growth = samples[-1][1] - samples[0][1]
    print(f"{name}_rss_mb_end: {samples[-1][1]:.1f} (goal <= {GOAL_MB:.0f})")
    print(f"{name}_rss_growth_mb_minute_1_to_end: {growth:+.1f} (goal 0)")
    print(f"{name}_mqtt_events_received: {len(watcher.messages)}")
    if smaps:
        top = sorted(smaps.items(), key=lambda kv: -kv[1])[:10]
        print(f"{name}_rss_by_library_mb: " + ", ".join(f"{k} {v:.1f}" for k, v in top))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 minutes of frames per run")
    parser.add_argument("--speed", type=float, default=100.0, help="x real time (default 100)")
    parser.add_argument("--no-where", dest="where", action="store_false", help="no ladder, trace")
    parser.add_argument("--minutes", type=int, default=60, help="frame minutes per run (60)")
    args = parser.parse_args()
    args.minutes = 3 if args.quick else args.minutes
    args.where = args.where and not args.quick
    print(f"frames: {args.minutes} min at {RATE_HZ} Hz, paced at {args.speed:g} x real time")
    for label, imports in REFERENCES.items():
        print(f"reference_rss_mb {label}: {reference_mb(imports):.1f}")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        frames = hour_file(tmp, args.minutes)
        broker = Broker(tmp / "broker").start()
        try:
            run_service(tmp, broker.port, "file", f"kind = 'file'\nfile = '{frames}'\n", args)
            simulate = f"kind = 'simulate'\nscenario = '{SCENARIO}'\nloop = true\n"
            run_service(tmp, broker.port, "simulate", simulate, args)
        finally:
            broker.stop()
        if args.where:
            where_it_goes(frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
