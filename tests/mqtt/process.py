"""``acumat run`` as a child process for the MQTT suite, and a look into its outbox (test I/O).

``Mat`` writes a TOML configuration pointing at a test broker, starts ``acumat run
--simulate SCENARIO --speed X --quiet`` with the project's own interpreter, and can be
SIGKILLed, SIGTERMed and started again on the same state directory. ``outbox_rows`` reads
the durable outbox from outside, as a second SQLite connection (WAL allows it).
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from controller.service.paths import StatePaths


def _toml(mat_id: str, port: int, state_dir: Path) -> str:
    return (
        f'[mat]\nid = "{mat_id}"\n\n'
        f'[storage]\ndir = "{state_dir}"\n\n'
        f'[mqtt]\nhost = "127.0.0.1"\nport = {port}\n'
        "reconnect_min_s = 1\nreconnect_max_s = 1\nclose_timeout_s = 5.0\nkeepalive_s = 5\n"
    )


@dataclass
class Mat:
    workdir: Path
    port: int
    mat_id: str = "procmat"
    scenario: str = "long_absence"
    speed: float = 100.0
    process: subprocess.Popen[bytes] | None = None
    runs: int = 0

    @property
    def state_dir(self) -> Path:
        return self.workdir / "state"

    @property
    def paths(self) -> StatePaths:
        return StatePaths.for_source(self.state_dir, simulated=True)  # it runs the simulator

    @property
    def outbox(self) -> Path:
        return self.paths.outbox(self.mat_id)

    def start(self) -> Mat:
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "acumat.toml"
        config.write_text(_toml(self.mat_id, self.port, self.state_dir))
        self.runs += 1
        args = [sys.executable, "-m", "controller", "run", "--config", str(config)]
        args += ["--simulate", self.scenario, "--speed", str(self.speed), "--quiet"]
        with (self.workdir / f"acumat-{self.runs}.log").open("wb") as log:
            self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: no goodbye, no flush; whatever was committed must survive."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self, timeout_s: float = 15.0) -> int:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=timeout_s)

    def wait(self, timeout_s: float = 30.0) -> int:
        assert self.process is not None
        return self.process.wait(timeout=timeout_s)

    def log(self) -> str:
        return "".join(
            p.read_text(errors="replace") for p in sorted(self.workdir.glob("acumat-*.log"))
        )


def outbox_rows(path: Path) -> list[tuple[int, str]]:
    """``(seq, body)`` still waiting in the outbox at ``path`` (empty when there is no file)."""
    if not path.exists():
        return []
    db = sqlite3.connect(path, timeout=5)
    try:
        rows = db.execute("SELECT seq, body FROM outbox ORDER BY seq").fetchall()
    except sqlite3.OperationalError:  # created but the schema is not there yet
        return []
    finally:
        db.close()
    return [(int(seq), str(body)) for seq, body in rows]


def last_seq(path: Path) -> int:
    db = sqlite3.connect(path, timeout=5)
    try:
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'outbox'").fetchone()
    finally:
        db.close()
    return int(row[0]) if row else 0
