"""Logging for journald: priority prefixes, one line per record, secrets masked, event lines."""

from __future__ import annotations

import io
import logging
import os
import tempfile
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.core.controller import MatController
from controller.core.events import OccupancyChanged, SensorFault, SessionEnded, UnevenLoad
from controller.core.settings import CoreSettings
from controller.core.summary import SessionSummary
from controller.service.logs import (
    EventLog,
    configure_logging,
    event_line,
    mask_secrets,
    under_journald,
)
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _journal() -> io.StringIO:
    out = io.StringIO()
    configure_logging("DEBUG", stream=out, journal=True)
    return out


def test_journal_lines_carry_syslog_priorities() -> None:
    out = _journal()
    log = logging.getLogger("acumat.test")
    log.debug("d")
    log.info("i")
    log.warning("w")
    log.error("e")
    log.critical("c")
    prefixes = [line[:3] for line in out.getvalue().splitlines()]
    assert prefixes == ["<7>", "<6>", "<4>", "<3>", "<2>"]
    assert out.getvalue().splitlines()[1] == "<6>INFO acumat.test: i"


def test_a_traceback_is_one_line() -> None:
    out = _journal()
    try:
        raise RuntimeError("boom\nsecond line")
    except RuntimeError:
        logging.getLogger("acumat.test").exception("loop failed")
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("<3>ERROR acumat.test: loop failed | Traceback")
    assert "RuntimeError: boom | second line" in lines[0]


def test_passwords_never_reach_the_log() -> None:
    out = _journal()
    log = logging.getLogger("acumat.test")
    log.info("connecting with password=%s", "hunter2")
    log.info("config %s", {"username": "mat", "password": "s3cr3t!"})
    log.warning("broker mqtt://mat:pa55w0rd@broker.lan:1883 refused")
    log.info("token: abc123 api_key=K-99")
    text = out.getvalue()
    for secret in ("hunter2", "s3cr3t!", "pa55w0rd", "abc123", "K-99"):
        assert secret not in text
    assert "password=***" in text
    assert "'password': '***'" in text
    assert "mqtt://mat:***@broker.lan:1883" in text
    assert "username': 'mat'" in text  # user names are not secrets


def test_a_secret_in_an_exception_is_masked() -> None:
    out = _journal()
    try:
        raise ValueError("bad password=topsecret")
    except ValueError:
        logging.getLogger("acumat.test").exception("failed")
    assert "topsecret" not in out.getvalue()


@given(st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1))
def test_mask_hides_any_password_value(secret: str) -> None:
    # Separators end a bare value; a value made of them is not a password-like token.
    value = secret.strip("\"',;}&")
    if not value or any(c in value for c in "\"',;}&"):
        return
    assert mask_secrets(f"password={value}") == "password=***"
    assert mask_secrets(f"mqtt_password: {value} ok") == "mqtt_password: *** ok"
    assert mask_secrets(f'{{"passwd": "{value}"}}') == '{"passwd": "***"}'


def test_plain_text_is_untouched() -> None:
    text = "session_ended program=relax duration_s=1200 load_kg=52.1"
    assert mask_secrets(text) == text


def test_console_format_has_a_time_and_no_prefix() -> None:
    out = io.StringIO()
    configure_logging("INFO", stream=out, journal=False)
    logging.getLogger("acumat.test").info("hello")
    line = out.getvalue().strip()
    assert line.endswith("INFO acumat.test: hello")
    assert not line.startswith("<")


def test_journald_is_detected_from_journal_stream() -> None:
    with tempfile.TemporaryFile("w+") as stream:
        stat = os.fstat(stream.fileno())
        assert under_journald({"JOURNAL_STREAM": f"{stat.st_dev}:{stat.st_ino}"}, stream)
        assert not under_journald({"JOURNAL_STREAM": f"{stat.st_dev}:1"}, stream)
        assert not under_journald({}, stream)


def test_event_log_writes_one_line_per_event_with_levels() -> None:
    out = _journal()
    state = MatController(DEFAULT_LAYOUT, CoreSettings()).snapshot()
    frame = ZoneFrame(t=12.5, load_kg=(0.0,) * len(DEFAULT_LAYOUT.zones))
    events = [
        OccupancyChanged(t=12.5, occupied=True, load_kg=48.25),
        SensorFault(t=12.5, zone="head left", active=True, fault="stuck"),
        UnevenLoad(t=12.5, active=False, side="left", imbalance=0.1),
        SessionEnded(
            t=12.5,
            started_t=0.0,
            summary=SessionSummary(
                session=3,
                program="relax",
                duration_s=1200.0,
                completed=True,
                reason="left_mat",
                target_s=1200.0,
                uneven_s=0.0,
                mean_imbalance=None,
            ),
        ),
    ]
    EventLog().on_frame(frame, events, state)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4
    assert lines[0] == "<6>INFO acumat.events: occupancy t=12.5 occupied=True load_kg=48.25"
    assert "target_s=1200 " in lines[3]  # plain numbers, never 1.2e+03
    assert lines[1].startswith("<4>WARNING acumat.events: sensor_fault")
    assert "zone=head_left" in lines[1]
    assert lines[2].startswith("<6>")
    assert "mean_imbalance" not in lines[3]


def test_event_line_shape() -> None:
    line = event_line(OccupancyChanged(t=3.0, occupied=False, load_kg=0.5))
    assert line == "occupancy t=3.0 occupied=False load_kg=0.5"
