"""``acumat run --web`` as a real process, simulated source: the API end to end, the one-line
refusals, and the history the page shows against ``acumat history --json``.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.mqtt.broker import free_port
from tests.web.process import WebMat, acumat

TOKEN = "process-token-0123456789"
assert subprocess  # the slow lane: this module starts processes


@pytest.fixture
def mat(tmp_path: Path) -> Iterator[WebMat]:
    m = WebMat(tmp_path / "mat")
    yield m
    if m.alive():
        m.stop()


def test_the_page_follows_a_session_and_takes_commands(mat: WebMat) -> None:
    mat.start()
    client = mat.client()
    stream = client.events()
    try:
        started = stream.until(lambda m: m.event == "event" and '"session_started"' in m.data)
        assert started.json()["trigger"] == "lie_down"
        lying = stream.until(lambda m: m.event == "state" and m.json()["posture"] == "lying")
        assert lying.json()["session"]["state"] == "running"
        answer = client.command("pause", {"transaction": "p"})
        assert answer.json() == {"status": "ok", "error": None, "transaction": "p"}
        paused = stream.until(lambda m: m.event == "event" and '"session_paused"' in m.data)
        assert paused.json()["seq"] > started.json()["seq"]
        assert client.command("pause").status == 409  # already paused: the controller says so
    finally:
        stream.close()
    assert mat.stop() == 0
    assert "Traceback" not in mat.log()


def test_history_on_the_page_is_acumat_history_json(tmp_path: Path) -> None:
    first = WebMat(tmp_path / "mat", scenario="relax_session", speed=200).start()
    assert first.wait(120) == 0, first.log()  # one whole session into the history
    again = WebMat(tmp_path / "mat", scenario="empty_drift_hour", speed=1)
    again.start()
    try:
        page = again.client().get("/api/history").json()
        state = str(again.state_dir)
        code, out, err = acumat("history", "--json", "--simulated", "--state-dir", state)
        assert code == 0, err
        cli = json.loads(out)
        assert page["sessions"] and page["sessions"] == cli["sessions"]
        assert page["habits"] == cli["habits"]
    finally:
        again.stop()


def test_beyond_loopback_without_a_token_run_refuses_with_one_line(tmp_path: Path) -> None:
    code, out, err = acumat(
        "run", "--simulate", "--web", f"0.0.0.0:{free_port()}",
        "--state-dir", str(tmp_path), "--quiet", env={"ACUMAT_WEB_TOKEN": ""},
    )  # fmt: skip
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "needs a token" in err, err


def test_a_busy_port_is_one_line(mat: WebMat, tmp_path: Path) -> None:
    mat.start()
    code, _, err = acumat(
        "run", "--simulate", "--web", f"127.0.0.1:{mat.port}",
        "--state-dir", str(tmp_path / "other"), "--quiet",
    )  # fmt: skip
    assert code == 2 and err.count("\n") == 1 and "cannot listen" in err, err


def test_with_a_token_from_the_environment_it_listens_and_asks_for_it(tmp_path: Path) -> None:
    mat = WebMat(tmp_path / "mat", token=TOKEN).start()
    try:
        assert mat.client().get("/api/state").status in (200, 503)
        stranger = mat.client(token="y" * 24)
        assert stranger.get("/api/state").status == 401
        assert stranger.command("stop").status == 401
    finally:
        assert mat.stop() == 0
    assert TOKEN not in mat.log()


def test_the_web_section_of_the_config_file(tmp_path: Path) -> None:
    port = free_port()
    config = tmp_path / "acumat.toml"
    config.write_text(f'[web]\nlisten = "127.0.0.1:{port}"\nstate_rate_hz = 2\n')
    code, _, err = acumat("check-config", str(config))
    assert code == 0, err
