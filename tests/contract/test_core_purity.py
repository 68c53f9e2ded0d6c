"""Importing any module of the pure core loads no I/O machinery (checked in a fresh process).

The import contracts (``lint-imports``) check the import graph; this checks what really
lands in ``sys.modules``, third-party packages' own imports included.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import controller.core

FORBIDDEN = (
    "sqlite3", "socket", "threading", "logging", "subprocess", "asyncio", "http", "ssl",
    "paho", "gpiozero", "lgpio", "matplotlib", "pydantic",
)  # fmt: skip
CORE_MODULES = sorted(
    f"controller.core.{m.name}" for m in pkgutil.iter_modules(controller.core.__path__)
)

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
forbidden = json.loads(sys.argv[2])
print(json.dumps(sorted(m for m in forbidden if m in sys.modules)))
"""


def test_the_core_has_the_modules_the_architecture_names() -> None:
    names = {m.rsplit(".", 1)[1] for m in CORE_MODULES}
    for part in ("posture", "occupancy", "motion", "faults", "balance", "session", "breathing",
                 "relaxation", "geometry", "bodymodel", "events", "commands", "settings",
                 "state", "controller"):  # fmt: skip
        assert part in names


@pytest.mark.parametrize("module", CORE_MODULES)
def test_importing_a_core_module_loads_no_io_machinery(module: str) -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, module, json.dumps(FORBIDDEN)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(out.stdout) == [], f"{module} loads {out.stdout.strip()}"
