"""The page's own figures, one a line: its weight, and what it adds to the service's resident
memory and start-up (benchmarks/web_load.py times frames to the page).

``python benchmarks/web_page.py``. Runs ``acumat run --simulate`` at real time with and without
``--web`` and reads VmRSS from /proc after a few seconds (again with 50 event streams open);
times the web adapter's import, bind and thread start in a fresh interpreter. References, same
run: the service without ``--web``, and the bare interpreter's start (``python -c pass``).
``--quick``: shorter waits, no streams, one start-up run (the benchmark-smoke test).
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from controller.web.assets import Assets
from tests.mqtt.broker import free_port


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


WAIT_S = [6.0, 4.0]  # before the streams open, then before VmRSS is read


def service_rss(web: bool, streams: int = 0) -> int:
    with tempfile.TemporaryDirectory() as d:
        port = free_port()
        args = [sys.executable, "-m", "controller", "run", "--simulate", "relax_session",
                "--state-dir", d, "--quiet"]  # fmt: skip
        if web:
            args += ["--web", f"127.0.0.1:{port}"]
        proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        conns = []
        try:
            time.sleep(WAIT_S[0])
            for _ in range(streams):
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                c.request("GET", "/api/events", headers={"Host": f"127.0.0.1:{port}"})
                r = c.getresponse()
                threading.Thread(target=lambda r=r: [r.readline() for _ in range(10**9)],
                                 daemon=True).start()  # fmt: skip
                conns.append(c)
            time.sleep(WAIT_S[1])
            return rss_kb(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def bare_ms(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append(1000 * (time.perf_counter() - start))
    return sorted(times)[len(times) // 2]


def startup_ms(count: int = 5) -> float:
    code = (
        "import time, tempfile, pathlib\n"
        "import controller.cli.run, controller.service.loop\n"
        "from firmware.clock import SystemClock, WallAt\n"
        "from controller.core.factory import build_controller\n"
        "from firmware.layout import DEFAULT_LAYOUT\n"
        "t = time.perf_counter()\n"
        "from controller.web.adapter import WebAdapter\n"
        "from controller.web.config import WebConfig\n"
        "from controller.mqtt.outbox import stamper_without_mqtt\n"
        "d = pathlib.Path(tempfile.mkdtemp())\n"
        "core, clock, wall_at = build_controller(DEFAULT_LAYOUT), SystemClock(), WallAt()\n"
        "a = WebAdapter(WebConfig(listen='127.0.0.1:0'), token=None, mat_id='m', mat_name='m',"
        " layout=DEFAULT_LAYOUT, programs=core.settings.session.programs, source_kind='simulate',"
        " clock=clock, wall_at=wall_at, history_path=d / 'h', calibration_path=d / 'c',"
        " stamper=stamper_without_mqtt(d / 'o', 'm', wall_at, clock=clock))\n"
        "a.start()\n"
        "print(1000 * (time.perf_counter() - t))\n"
        "a.close()\n"
    )
    runs = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(count)]  # fmt: skip
    return sorted(runs)[count // 2]


def main() -> None:
    quick = sys.argv[1:] == ["--quick"]
    if quick:
        WAIT_S[:] = [2.5, 0.5]
    runs = 1 if quick else 5
    assets = Assets.load()
    print(f"page weight, all assets: {assets.total_bytes() / 1000:.1f} KB "
          f"({assets.total_bytes(gzipped=True) / 1000:.1f} KB as sent, gzip)")  # fmt: skip
    base, web = service_rss(False), service_rss(True)
    print(
        f"resident memory of acumat run: {base / 1024:.1f} MiB without the page (reference), "
        f"{web / 1024:.1f} MiB with it (+{(web - base) / 1024:.1f} MiB)"
    )
    if not quick:
        streams = service_rss(True, 50)
        print(
            f"resident memory of acumat run with 50 event streams: {streams / 1024:.1f} MiB "
            f"(+{(streams - base) / 1024:.1f} MiB)"
        )
    print(
        f"web adapter start-up (import, bind, thread): {startup_ms(runs):.1f} ms "
        f"(median of {runs}; the bare interpreter starts in {bare_ms(runs):.1f} ms, same run)"
    )


if __name__ == "__main__":
    main()
