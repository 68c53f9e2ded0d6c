"""What ``acumat run`` loads when it plays a frame file with MQTT on and the web page off
(issue 13: resident memory), in a real child process against a real mosquitto.

A module a run does not use still costs resident memory for as long as the service runs.
The file-fed run is what a Pi's boards resemble; it must not load the simulator (and numpy's
random generators), the web page and its ``http.server``, matplotlib, the name-suggesting
``difflib`` or ``importlib.metadata`` (acumat's version is ``controller.__version__``, which
pyproject.toml reads for the distribution).
benchmarks/memory.py measures what each costs; docs/performance.md "Memory" lists them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from controller.mqtt.topics import MatTopics
from firmware.framefile import write_frames
from firmware.sim.scenarios import build
from tests.mqtt.broker import Broker, Recorder

pytestmark = pytest.mark.broker
ROOT = Path(__file__).resolve().parents[1]
NOT_LOADED = (
    "firmware.sim",
    "numpy.random",
    "controller.service.playlist",
    "controller.web.adapter",
    "controller.storage.export",
    "http.server",
    "matplotlib",
    "pydantic",
    "difflib",
    "importlib.metadata",
)
# Proof that the run did build its core, storage and MQTT (a probe that loads nothing passes).
LOADED = ("controller.core.factory", "controller.storage.history_adapter", "paho.mqtt.client")

PROBE = """
import json, sys
from controller.cli import main
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _config(tmp_path: Path, port: int) -> Path:
    frames = tmp_path / "relax.jsonl"
    run = build("relax_session")
    with frames.open("w", encoding="utf-8") as out:
        write_frames(out, run.header(), run.repeated_frames(900))  # 90 s of frames
    config = tmp_path / "acumat.toml"
    config.write_text(
        f"[mat]\nid = 'filemat'\n[source]\nkind = 'file'\nfile = '{frames}'\nspeed = 30\n"
        f"[storage]\ndir = '{tmp_path / 'state'}'\n[breathing]\nenabled = true\n"
        f"[mqtt]\nhost = '127.0.0.1'\nport = {port}\n"
    )
    return config


def _loaded(modules: list[str], name: str) -> bool:
    return any(m == name or m.startswith(name + ".") for m in modules)


def test_a_file_fed_run_loads_neither_simulator_nor_web_nor_metadata(tmp_path: Path) -> None:
    broker = Broker(tmp_path / "broker").start()
    try:
        config = _config(tmp_path, broker.port)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(tmp_path / "x")}
        done = subprocess.run(
            [sys.executable, "-c", PROBE, "run", "--config", str(config), "--quiet"],
            capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout.splitlines()[-1])
        late = Recorder(broker.port, [MatTopics("acumat", "filemat").discovery])
        try:  # retained: the run published its device, with the installed version in it
            device = json.loads(late.wait_for(lambda ms: len(ms) >= 1, 10)[0].payload)
        finally:
            late.close()
    finally:
        broker.stop()
    assert result["code"] == 0
    assert [name for name in LOADED if not _loaded(result["modules"], name)] == []
    assert [name for name in NOT_LOADED if _loaded(result["modules"], name)] == []
    assert device["dev"]["sw_version"] == metadata.version("acumat")
