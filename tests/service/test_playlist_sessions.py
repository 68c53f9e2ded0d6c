"""The demo playlist (``scenario = "all"``): each scenario's person gets a session of their own.

The field report: the whole library played with ``--state-dir`` stored 5 sessions instead of
35, one of 186 minutes: each next person arrived 37-41 s after the last one left, inside
``grace_s``, and resumed that session.
"""

from __future__ import annotations

from controller.core.controller import MatController
from controller.core.events import Event, SessionEnded, SessionStarted
from controller.core.settings import SessionSettings
from controller.service.playlist import ScenarioPlaylist
from controller.service.sources import _PLAYLIST_PAUSE_OVER_GRACE_S
from firmware.clock import FakeClock

NAMES = ["lie_supine", "lie_prone", "lie_side_left"]  # each lies 4 min: one session each
GRACE_S = SessionSettings().grace_s


def _play(between_s: float) -> list[Event]:
    source = ScenarioPlaylist(NAMES, FakeClock(), speed=1e9, between_s=between_s)
    core = MatController(source.layout)
    assert core.settings.session.grace_s == GRACE_S
    return [e for frame in source.frames() for e in core.feed(frame)] + core.finish()


def test_with_the_services_pause_each_scenario_is_its_own_session() -> None:
    events = _play(between_s=GRACE_S + _PLAYLIST_PAUSE_OVER_GRACE_S)
    assert len([e for e in events if isinstance(e, SessionStarted)]) == len(NAMES)
    durations = [e.summary.duration_s for e in events if isinstance(e, SessionEnded)]
    assert len(durations) == len(NAMES)
    assert all(200.0 < d < 300.0 for d in durations)  # ~4 min each, not one of 12


def test_without_it_the_people_merge_into_fewer_sessions() -> None:
    events = _play(between_s=0.0)  # what the demo did
    assert len([e for e in events if isinstance(e, SessionStarted)]) < len(NAMES)
