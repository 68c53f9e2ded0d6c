"""``acumat run --web`` as a child process for the web suite (test I/O).

``WebMat`` starts ``acumat run --simulate SCENARIO --speed X --web 127.0.0.1:PORT --state-dir
DIR --quiet`` with the project's interpreter, waits until the page answers, and stops it
with SIGTERM as systemd would.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.mqtt.broker import free_port
from tests.web.client import Client, wait_until


def acumat(
    *args: str, env: dict[str, str] | None = None, timeout_s: float = 60.0
) -> tuple[int, str, str]:
    """Runs ``acumat ARGS`` to its end: (exit code, stdout, stderr)."""
    done = subprocess.run(
        [sys.executable, "-m", "controller", *args],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


@dataclass
class WebMat:
    workdir: Path
    scenario: str = "relax_session"
    speed: float = 20.0
    token: str | None = None
    extra: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def state_dir(self) -> Path:
        return self.workdir / "state"

    @property
    def log_path(self) -> Path:
        return self.workdir / "acumat.log"

    def start(self, wait_s: float = 30.0) -> WebMat:
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, "-m", "controller", "run", "--simulate", self.scenario]
        args += ["--speed", str(self.speed), "--web", f"127.0.0.1:{self.port}"]
        args += ["--state-dir", str(self.state_dir), "--quiet", *self.extra]
        env = dict(os.environ)
        if self.token is not None:
            env["ACUMAT_WEB_TOKEN"] = self.token
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        if not wait_until(self._answers, wait_s):
            raise AssertionError(f"the page never answered\n{self.log()}")
        return self

    def _answers(self) -> bool:
        assert self.alive(), self.log()
        try:
            return self.client().get("/api/info").status == 200
        except OSError:
            return False

    def client(self, token: str | None = None) -> Client:
        return Client("127.0.0.1", self.port, token=token or self.token)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self, timeout_s: float = 20.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)

    def wait(self, timeout_s: float = 60.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout_s)
