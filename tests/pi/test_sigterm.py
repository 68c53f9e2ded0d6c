"""The real process under a real notify socket: READY after the first frame, SIGTERM → exit 0."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def test_ready_then_sigterm_stops_cleanly(tmp_path: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sd") as tmp:
        path = str(Path(tmp) / "notify")
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.bind(path)
            sock.settimeout(30.0)
            env = {**os.environ, "NOTIFY_SOCKET": path, "WATCHDOG_USEC": "4000000"}
            argv = [sys.executable, "-m", "controller", "run", "--simulate", "--quiet"]
            proc = subprocess.Popen(
                [*argv, "--state-dir", str(tmp_path)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            try:
                first = sock.recv(256).decode()
                proc.send_signal(signal.SIGTERM)
                seen = [first]
                while "STOPPING=1" not in seen:
                    seen.append(sock.recv(256).decode())
                code = proc.wait(timeout=15)  # the unit's TimeoutStopSec
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
    assert first == "READY=1"
    assert "WATCHDOG=1" in seen
    assert code == 0, proc.stderr.read() if proc.stderr else ""
