"""A person who leaves something lighter on the mat (a bag, a dog, a cell that drifted under
them) has left: presence falls, dated to when the load fell, and the session ends as any
other (``occupancy.Presence``). Before, anything over ``leave_kg`` (12 kg) kept the mat
occupied and the session running to its limit."""

from __future__ import annotations

from controller.core.controller import MatController
from controller.core.events import Event, OccupancyChanged, SessionEnded, SessionPaused
from controller.core.occupancy import Presence
from controller.core.settings import DetectionSettings
from firmware.frame import ZoneFrame
from firmware.sim.scenarios import build


def _presence_run(steps: list[tuple[float, float, float, bool]]) -> list[tuple[bool, float]]:
    """(from_t, to_t, total_kg, still) at 10 Hz: the presence changes (occupied, when)."""
    presence, changes = Presence(DetectionSettings()), []
    for start_t, end_t, total_kg, still in steps:
        for i in range(round((end_t - start_t) * 10)):
            events: list[Event] = []
            presence.frame(start_t + i / 10, total_kg, True, events, still)
            changes += [
                (e.occupied, round(e.t, 1)) for e in events if isinstance(e, OccupancyChanged)
            ]
    return changes


def test_a_bag_left_behind_lets_the_person_leave_and_the_next_arrive_on_top_of_it() -> None:
    changes = _presence_run([
        (0.0, 60.0, 60.0, True),  # someone lies still, 60 kg on the mat
        (60.0, 90.0, 15.0, False),  # gets up and leaves a 15 kg bag
        (90.0, 100.0, 30.0, False),  # a child (15 kg) climbs on beside the bag: no one arrives
        (100.0, 110.0, 75.0, False),  # the person is back
        (110.0, 120.0, 0.0, False),  # and leaves with the bag
    ])  # fmt: skip
    expected = [
        (True, 0.6),
        (False, 70.0),  # judged 10 s after the load fell: the person left at 60.0
        (True, 100.6),
        (False, 111.5),
    ]
    assert [on for on, _ in changes] == [on for on, _ in expected]
    pairs = zip(changes, expected, strict=True)
    assert all(abs(t - want_t) <= 0.15 for (_, t), (_, want_t) in pairs)


def test_a_load_that_falls_but_stays_a_body_s_is_no_leaving() -> None:
    changes = _presence_run([
        (0.0, 30.0, 80.0, True),  # stands still
        (30.0, 600.0, 0.4 * 80.0, True),  # lies with the head and feet beyond the ends, a zone dead
    ])  # fmt: skip
    assert [on for on, _ in changes] == [True]


def _session_end(left_kg: float) -> tuple[list[Event], float]:
    """relax_session for 300 s (lying), then the person gone and ``left_kg`` on one zone."""
    run = build("relax_session", seed=1)
    core = MatController(run.layout)
    events: list[Event] = []
    for i in range(3000):
        events += core.feed(ZoneFrame(t=i / 10, load_kg=tuple(float(x) for x in run.loads_kg[i])))
    left_t = 300.0
    for j in range(6000):  # ten minutes
        kg = (left_kg,) + (0.0,) * (len(run.layout.zones) - 1)
        events += core.feed(ZoneFrame(t=left_t + j / 10, load_kg=kg))
    return events, left_t


def test_a_session_ends_when_the_person_leaves_a_bag_as_when_they_leave_nothing() -> None:
    with_bag, left_t = _session_end(15.0)
    with_nothing, _ = _session_end(0.0)
    [ended_bag] = [e for e in with_bag if isinstance(e, SessionEnded)]
    [ended_none] = [e for e in with_nothing if isinstance(e, SessionEnded)]
    assert ended_bag.summary.reason == "left_mat"
    assert abs(ended_bag.summary.duration_s - ended_none.summary.duration_s) < 0.5
    [paused] = [e for e in with_bag if isinstance(e, SessionPaused)]
    assert paused.reason == "away" and left_t <= paused.t <= left_t + 11.0
