"""What a scenario is: a story, its layout and sensor faults, and the expected outcome (pure data).

A story is a function that appends to a ``Timeline`` and reports its cast and breathing rates
on a ``Told``; the spec adds what a correct controller should conclude from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from firmware.layout import MatLayout
from firmware.sim.sensor import SensorSpec
from firmware.sim.timeline import Timeline


@dataclass
class Told:
    """What a story reports back besides samples: its cast and breathing rates."""

    subjects: list[dict[str, Any]] = field(default_factory=list)
    breathing_bpm: float | None = None
    breathing_bpm_end: float | None = None

    def person(self, mass_kg: float, height_m: float) -> None:
        self.subjects.append({"kind": "person", "mass_kg": mass_kg, "height_m": height_m})

    def thing(self, kind: str, mass_kg: float) -> None:
        self.subjects.append({"kind": kind, "mass_kg": round(mass_kg, 2), "height_m": None})


Story = Callable[[Timeline, Told], None]


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    description: str
    story: Story
    expected_sessions: int
    lying_expected: bool = True
    program: str = "relax"
    layout: MatLayout | None = None
    sensor: SensorSpec = field(default_factory=SensorSpec)
