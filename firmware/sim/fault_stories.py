"""Scenarios in which the mat's own parts fail while someone lies: dead zones (pure).

``dead_zone`` is the field report behind the dead-zone rule (docs/controller.md): the most
loaded zone stops reading while a person lies and stays silent long after they got up, until
its board is reseated. A controller that holds the zone's last value keeps the person "on the
mat" at ~17 kg and runs the session to its safety limit; a correct one leaves the zone out,
sees the person leave and records one session of the time they lay. ``board_lost`` takes two
zones away at once (one board serving both) for half a minute: too few are live to judge, so
the session pauses and resumes, and still counts as one.
"""

from __future__ import annotations

from firmware.sim.routines import Person, lie
from firmware.sim.sensor import Dropout, SensorSpec
from firmware.sim.timeline import ScenarioSpec, Story, Timeline, Told

DEAD_ZONE_FROM_S = 200.0  # well inside the lying part (the person settles by ~40 s)
DEAD_ZONE_TO_S = 1500.0  # ~14 min after they got up
BOARD_LOST_S = (300.0, 330.0)


def _visit(lie_s: float, total_s: float) -> Story:
    """A 70 kg, 1.75 m person lies ``lie_s``; the mat then stays empty up to ``total_s``."""

    def story(tl: Timeline, told: Told) -> None:
        p = Person.pick(tl.layout, tl.rng, 70.0, 1.75)
        told.person(70.0, 1.75)
        told.breathing_bpm, told.breathing_bpm_end = p.bpm, p.bpm_end
        tl.hold(tl.empty, float(tl.rng.uniform(15.0, 25.0)))
        lie(tl, p, lie_s)
        tl.hold(tl.empty, max(20.0, total_s - tl.t))

    return story


FAULT_SPECS: tuple[ScenarioSpec, ...] = (
    ScenarioSpec(
        "dead_zone",
        "lies 10 min; the most loaded zone dies at 200 s and reads nothing until 1500 s",
        _visit(600.0, 1800.0),
        1,
        sensor=SensorSpec(dropouts=(Dropout(DEAD_ZONE_FROM_S, DEAD_ZONE_TO_S),)),
    ),
    ScenarioSpec(
        "board_lost",
        "lies 10 min; a board serving both middle zones stops for 30 s at 300 s",
        _visit(600.0, 700.0),
        1,
        sensor=SensorSpec(
            dropouts=(Dropout(*BOARD_LOST_S, zone=2), Dropout(*BOARD_LOST_S, zone=3))
        ),
    ),
)
