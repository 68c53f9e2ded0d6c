"""The installed ``acumat.service`` as a command sees it: running or not, stop, start (I/O).

``acumat calibrate`` and ``acumat tare`` read the same GPIO pins the service holds, so they ask
here first and offer to stop it (and start it again after). ``SystemdUnit`` asks
``systemctl``; a machine without systemd (a laptop, a container, the tests) reads as "not
running". Commands take any ``ServiceUnit``, so tests pass a fake.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Sequence
from typing import Protocol

UNIT = "acumat.service"
Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


class ServiceUnit(Protocol):
    name: str

    def active(self) -> bool: ...

    def stop(self) -> str | None:
        """None when stopped, else why not (one line)."""

    def start(self) -> str | None:
        """None when started, else why not (one line)."""


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=60, check=False)


class SystemdUnit:
    """``systemctl`` on ``name``; ``run`` is the seam for tests of this class itself."""

    def __init__(self, name: str = UNIT, run: Runner = _run) -> None:
        self.name = name
        self._run = run

    def active(self) -> bool:
        try:
            return self._run(["systemctl", "is-active", "--quiet", self.name]).returncode == 0
        except (OSError, subprocess.SubprocessError):  # no systemctl: nothing runs under it
            return False

    def stop(self) -> str | None:
        return self._do("stop")

    def start(self) -> str | None:
        return self._do("start")

    def _do(self, verb: str) -> str | None:
        try:
            done = self._run(["systemctl", verb, self.name])
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
        if done.returncode == 0:
            return None
        lines = (done.stderr or done.stdout or "").strip().splitlines()
        return lines[-1] if lines else f"systemctl {verb} exited {done.returncode}"
