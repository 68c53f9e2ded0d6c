"""A new user's first mistakes at the command line: each is said plainly, without a traceback."""

from __future__ import annotations

import argparse
import io
import logging
import signal
from pathlib import Path

import pytest

from controller.cli import _COMMANDS, build_parser, main, monitor
from controller.cli.monitor import CONNECT_GRACE_S, Screen, watch
from controller.cli.run import _on_signals, serve
from controller.mqtt.config import MqttConfig
from controller.service.config import AppConfig, parse_config
from firmware.clock import FakeClock
from firmware.schema import parse
from tests.mqtt.broker import free_port


def test_a_bare_acumat_lists_the_commands_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert all(f"\n    {command}" in captured.err for command in _COMMANDS)
    assert captured.err.rstrip().endswith("acumat: error: name a command (acumat COMMAND --help)")


def test_a_short_once_wait_on_a_closed_port_still_says_why(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`monitor --once --timeout 1` used to end inside the broker's grace with no reason."""
    port = free_port()  # nothing listens there
    mqtt = parse(MqttConfig, {"host": "127.0.0.1", "port": port})
    timeout_s = CONNECT_GRACE_S / 3
    args = argparse.Namespace(once=True, timeout=timeout_s, config=None)
    out = io.StringIO()
    code = watch(mqtt, "mat1", AppConfig(), clock=FakeClock(), screen=Screen(out, live=False),
                 colour=False, args=args)  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert err == (
        "acumat monitor: cannot reach the broker: connection refused: "
        f"nothing listens on 127.0.0.1:{port} (still trying)\n"
    )


def test_a_host_name_not_found_is_said_with_its_cause(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A typo in the broker's host used to read like a stopped broker ("is it running?")."""
    # The fake clock ends the wait at once; the lookup's answer is waited for in real time,
    # longer than a user would be made to (a resolver with no network may be slow to say no).
    monkeypatch.setattr(monitor, "FIRST_ATTEMPT_WAIT_S", 60.0)
    mqtt = parse(MqttConfig, {"host": "no-such-broker.invalid", "port": 1883})
    args = argparse.Namespace(once=True, timeout=CONNECT_GRACE_S, config=None)
    code = watch(mqtt, "mat1", AppConfig(), clock=FakeClock(), screen=Screen(io.StringIO(),
                 live=False), colour=False, args=args)  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(
        "acumat monitor: cannot reach the broker: host name not found: no-such-broker.invalid ("
    ), err


def test_a_wrong_flag_gets_its_commands_usage(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--mat-id", "bedroom"])
    assert exit_.value.code == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("usage: acumat run [-h] [--config CONFIG]")
    assert lines[-1] == "acumat run: error: unrecognized arguments: --mat-id bedroom"


def test_quiet_is_what_its_help_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """No console view and no cautions; each event is one log line, as under systemd."""
    config = parse_config(
        {"source": {"kind": "simulate", "scenario": "standing"}, "storage": {"dir": str(tmp_path)}}
    )
    with caplog.at_level(logging.INFO):
        assert serve(config, FakeClock(), quiet=True) == 0
    assert capsys.readouterr().out == ""
    events = [r.getMessage() for r in caplog.records if r.name == "acumat.events"]
    assert any(line.startswith("posture t=") for line in events)
    assert not any("Before you use the mat" in r.getMessage() for r in caplog.records)
    help_text = build_parser("run").parse_args(["run"]).command_parsers["run"].format_help()
    assert "no console view and no cautions: one log line per event" in " ".join(help_text.split())


def test_ctrl_c_is_named_in_the_stop_line(caplog: pytest.LogCaptureFixture) -> None:
    stopped: list[bool] = []

    class Stoppable:
        def stop(self) -> None:
            stopped.append(True)

    previous = _on_signals(Stoppable())  # type: ignore[arg-type]
    try:
        handler = signal.getsignal(signal.SIGINT)
        assert callable(handler)
        with caplog.at_level(logging.INFO, logger="acumat"):
            handler(signal.SIGINT, None)
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
    assert stopped == [True]
    assert [r.getMessage() for r in caplog.records] == ["Ctrl-C (SIGINT): stopping"]
