"""What the web page costs the frame loop, and how fast a frame reaches a page; one figure a line.

``python benchmarks/web_load.py [SECONDS]`` (default 15 per case). The service loop runs here,
on this process's main thread, as in ``acumat run --web``: the relax scenario at real time
(10 Hz) through the core into the web adapter. Clients are other processes (this script in
``--clients`` mode), as phones would be. For each case it prints the loop's time per frame
(from handing a frame to the loop until the loop asks for the next) and each frame's
lateness against its schedule, p50 / p99 / max, and with 50 event-stream clients the time
from a frame to its state in a client (the state's ``ts`` is the frame's wall time). The
reference is the first case, the same loop with no web page, in the same run. ``--quick``: the
reference and the page with no client, 2 s each (the benchmark-smoke test).
"""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from controller.core.factory import build_controller
from controller.mqtt.outbox import stamper_without_mqtt
from controller.service.loop import Service
from controller.web.adapter import WebAdapter
from controller.web.config import WebConfig
from firmware.clock import SystemClock, WallAt
from firmware.frame import ZoneFrame
from firmware.sim.scenarios import build
from firmware.sim.source import SimulatedSource

STREAMS = 50


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


class TimedSource:
    """The simulated source, timing the loop between frames and each frame's lateness."""

    def __init__(self, inner: SimulatedSource, seconds: float) -> None:
        self.inner, self.seconds = inner, seconds
        self.busy_ms: list[float] = []
        self.late_ms: list[float] = []

    @property
    def layout(self):  # type: ignore[no-untyped-def]
        return self.inner.layout

    def frames(self) -> Iterator[ZoneFrame]:
        # The frames' wall times are anchored on the schedule's start, not on when the first
        # frame came out (the simulator takes ~10 ms to make it): a frame's ts is when it was due.
        self.start_wall = time.time()
        start = time.perf_counter()
        first_t: float | None = None
        for frame in self.inner.frames():
            now = time.perf_counter()
            first_t = frame.t if first_t is None else first_t
            self.late_ms.append(1000 * (now - start - (frame.t - first_t)))
            yield frame
            self.busy_ms.append(1000 * (time.perf_counter() - now))
            if now - start > self.seconds:
                return

    def close(self) -> None:
        self.inner.close()


def run_case(
    name: str, seconds: float, clients: list[str], web: bool = True, browser: bool = False
) -> None:
    clock, wall_at = SystemClock(), WallAt()
    run = build("relax_session")
    core = build_controller(run.layout)
    source = TimedSource(SimulatedSource(run, clock, loop=True), seconds)
    adapters = []
    port = 0
    with tempfile.TemporaryDirectory() as d:
        if web:
            adapter = WebAdapter(
                WebConfig(listen="127.0.0.1:0"), token=None, mat_id="bench", mat_name="bench",
                layout=run.layout, programs=core.settings.session.programs,
                source_kind="simulate", clock=clock, wall_at=wall_at,
                history_path=Path(d) / "h.sqlite", calibration_path=Path(d) / "c.json",
                stamper=stamper_without_mqtt(Path(d) / "o.sqlite", "bench", wall_at, clock=clock),
            )  # fmt: skip
            adapters.append(adapter)
            port = adapter.address[1]
        service = Service(
            core=core,
            source=source,
            adapters=adapters,
            on_first_frame=lambda f: wall_at.anchor(f.t, source.start_wall),
        )
        procs = [
            subprocess.Popen([sys.executable, __file__, "--clients", mode, str(port), str(seconds)],
                             stdout=subprocess.PIPE, text=True)
            for mode in clients
        ]  # fmt: skip
        page = Page(port) if browser else None
        service.run()
        outputs = [json.loads(p.communicate(timeout=60)[0] or "{}") for p in procs]
        if page is not None:
            outputs.append(page.close())
    busy, late = source.busy_ms[20:], source.late_ms[20:]  # past the start-up
    print(f"{name}: loop per frame p50 {pct(busy, .5):.2f} ms, p99 {pct(busy, .99):.2f} ms, "
          f"max {max(busy):.2f} ms; lateness p50 {pct(late, .5):.2f} ms, "
          f"p99 {pct(late, .99):.2f} ms, max {max(late):.2f} ms")  # fmt: skip
    for out in outputs:
        if "latency_ms" in out:
            lat = out["latency_ms"]
            print(
                f"{name}: frame to client over SSE p50 {pct(lat, 0.5):.1f} ms, "
                f"p99 {pct(lat, 0.99):.1f} ms ({len(lat)} states to {out['streams']} streams)"
            )
        if "page_lag_ms" in out:
            lag = out["page_lag_ms"]
            print(
                f"{name}: frame to the page in Chromium p50 {pct(lag, 0.5):.1f} ms, "
                f"p99 {pct(lag, 0.99):.1f} ms, max {max(lag):.1f} ms ({len(lag)} states)"
            )
        if "requests" in out:
            print(
                f"{name}: abusive requests {out['requests']} ({out['requests'] / seconds:.0f}/s): "
                f"{out['answered']} answered 4xx, {out['reset']} cut off by the server"
            )


class Page:
    """The page in Debian's headless Chromium (tests/web/browser.py), which times each state
    from its frame's ts to its arrival itself (``window.acumat.lag``). Opened on a thread once
    the service serves (the loop starts the server)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.thread = threading.Thread(target=self._open, daemon=True)
        self.thread.start()

    def _open(self) -> None:
        from tests.web.browser import chromium

        self.driver = chromium()
        time.sleep(1.0)
        self.driver.get(f"http://127.0.0.1:{self.port}/")

    def close(self) -> dict[str, object]:
        self.thread.join(60)
        lag: list[float] = self.driver.execute_script("return window.acumat.lag")
        self.driver.quit()
        return {"page_lag_ms": lag[10:]}


# --- client processes ----------------------------------------------------------------------


def sse_clients(port: int, seconds: float) -> dict[str, object]:
    latencies: list[float] = []
    lock = threading.Lock()

    def one() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/api/events", headers={"Host": f"127.0.0.1:{port}"})
        resp = conn.getresponse()
        end = time.time() + seconds
        while time.time() < end:
            line = resp.readline()
            if not line:
                return
            if line.startswith(b"data: ") and b'"posture"' in line:
                ts = json.loads(line[6:])["ts"]
                sent = time.mktime(time.strptime(ts[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
                with lock:
                    latencies.append(1000 * (time.time() - sent - float("0." + ts[20:23])))
        conn.close()

    threads = [threading.Thread(target=one, daemon=True) for _ in range(STREAMS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 15)
    return {"latency_ms": latencies[STREAMS * 20 :], "streams": STREAMS}


def abuse(port: int, seconds: float) -> dict[str, object]:
    bad = [
        (b"{" * 3000, "application/json"),
        (b"x" * 300_000, "application/json"),
        (b"{}", "text/html"),
        (b'{"program": 7}', "application/json"),
    ]
    sent = answered = reset = 0
    end = time.time() + seconds - 3  # the service stops after ``seconds``
    while time.time() < end:
        for body, kind in bad:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("POST", "/api/commands/start", body,
                             {"Content-Type": kind, "Host": f"127.0.0.1:{port}"})  # fmt: skip
                answered += conn.getresponse().status >= 400
            except OSError:
                pass
            finally:
                conn.close()
            sent += 1
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"\x16\x03\x01garbage\r\n\r\n")
            try:
                answered += s.recv(64).startswith(b"HTTP/1.1 400")
            except ConnectionResetError:  # closed with our unread bytes: TCP says RST
                reset += 1
        sent += 1
    return {"requests": sent, "answered": answered, "reset": reset}


def main() -> None:
    if sys.argv[1:2] == ["--clients"]:
        mode, port, seconds = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
        print(json.dumps(sse_clients(port, seconds) if mode == "sse" else abuse(port, seconds)))
        return
    quick = sys.argv[1:] == ["--quick"]
    seconds = 2.0 if quick else float(sys.argv[1]) if len(sys.argv) > 1 else 15.0
    run_case("no web page (reference)", seconds, [], web=False)
    run_case("web page, no client", seconds, [])
    if quick:
        return
    run_case(f"{STREAMS} event streams", seconds, ["sse"])
    run_case("malformed requests and huge bodies", seconds, ["abuse"])
    run_case(f"{STREAMS} streams and abuse", seconds, ["sse", "abuse"])
    run_case("the page in Chromium", seconds, [], browser=True)


if __name__ == "__main__":
    main()
