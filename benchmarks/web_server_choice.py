"""The server library for the page, measured: what importing it and serving on a thread add to
a process that already holds acumat's service (resident memory, start-up); one figure a line.

``python benchmarks/web_server_choice.py`` measures the standard library's ``http.server``
(``ThreadingHTTPServer``, what controller/web uses) and, if it is installed in the same
interpreter, aiohttp (an asyncio loop on a thread), each in 5 fresh interpreters, medians.
The reference is what the probe process holds before (acumat's service loaded), same run.
``--quick``: one interpreter each.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json, sys, threading, time
import controller.cli.run, controller.service.loop  # what acumat run holds already
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1])
before, t0 = rss_kb(), time.perf_counter()
if sys.argv[1] == "aiohttp":
    import asyncio
    from aiohttp import web
    async def hello(request):
        return web.Response(text="x")
    app = web.Application()
    app.router.add_get("/", hello)
    ready = threading.Event()
    def serve():
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(app)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", 0).start())
        ready.set()
        loop.run_forever()
    threading.Thread(target=serve, daemon=True).start()
    ready.wait()
else:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
ms = 1000 * (time.perf_counter() - t0)
print(json.dumps({"ms": ms, "kb": rss_kb() - before, "before_kb": before}))
"""


def measure(kind: str, count: int = 5) -> tuple[float, float, float]:
    runs = []
    for _ in range(count):
        out = subprocess.run(
            [sys.executable, "-c", PROBE, kind], capture_output=True, text=True, check=True,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
        runs.append(json.loads(out.stdout))
    ms = sorted(r["ms"] for r in runs)[count // 2]
    mib = sorted(r["kb"] for r in runs)[count // 2] / 1024
    held = sorted(r["before_kb"] for r in runs)[count // 2] / 1024
    return ms, mib, held


def main() -> None:
    kinds = ["http.server"]
    try:
        import aiohttp  # type: ignore[import-not-found]  # noqa: F401

        kinds.append("aiohttp")
    except ImportError:
        print("aiohttp: not installed in this interpreter (pip install aiohttp to compare)")
    count = 1 if sys.argv[1:] == ["--quick"] else 5
    for kind in kinds:
        ms, mib, held = measure(kind, count)
        print(
            f"{kind}: start-up {ms:.0f} ms, resident memory +{mib:.1f} MiB over the "
            f"{held:.1f} MiB the process held with acumat's service loaded (median of {count})"
        )


if __name__ == "__main__":
    main()
