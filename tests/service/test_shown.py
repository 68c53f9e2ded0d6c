"""What people see of the fault events: the console's lines and status, the journal's levels."""

from __future__ import annotations

import io
import logging

import pytest

from controller.core.controller import MatController
from controller.core.events import PostureChanged, SessionPaused, SourceStalled
from controller.service.console import ConsoleAdapter
from controller.service.logs import EventLog
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT

FRAME = ZoneFrame(t=20.0, load_kg=(0.0,) * 6)
STATE = MatController(DEFAULT_LAYOUT).snapshot()


def test_the_console_says_when_the_source_stalls_and_when_it_is_back() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out, live=False)
    console.on_frame(FRAME, [], STATE)  # the first status line
    console.on_frame(FRAME, [SourceStalled(t=20.0, active=True, stalled_s=5.1)], STATE)
    console.on_frame(FRAME, [SourceStalled(t=20.0, active=False, stalled_s=33.2)], STATE)
    lines = out.getvalue().splitlines()
    assert lines[1].split() == ["00:20.0", "source_stalled", "active=True", "stalled_s=5.1"]
    assert lines[2].endswith("SOURCE STALLED")  # the status at once, with the event
    assert lines[3].split()[-1] == "stalled_s=33.2"
    assert not lines[4].endswith("SOURCE STALLED")


def test_unknown_posture_and_the_pause_reason_are_shown() -> None:
    out = io.StringIO()
    console = ConsoleAdapter(out, live=False)
    paused = SessionPaused(
        t=310.0, session=1, program="relax", elapsed_s=272.0, reason="too_few_zones"
    )
    console.on_frame(
        FRAME, [PostureChanged(t=310.0, posture="unknown", previous="lying"), paused], STATE
    )
    text = out.getvalue()
    assert "posture=unknown previous=lying" in text
    assert "reason=too_few_zones" in text


@pytest.mark.parametrize(("active", "level"), [(True, logging.WARNING), (False, logging.INFO)])
def test_the_journal_gets_a_stall_as_a_warning_and_its_end_as_news(
    caplog: pytest.LogCaptureFixture, active: bool, level: int
) -> None:
    with caplog.at_level(logging.DEBUG, logger="acumat.events"):
        EventLog().on_frame(FRAME, [SourceStalled(t=19.9, active=active, stalled_s=5.1)], STATE)
    [record] = caplog.records
    assert record.levelno == level
    assert record.getMessage() == f"source_stalled t=19.9 active={active} stalled_s=5.1"
