"""What the session machine reads and keeps: a frame's inputs, the session under way, and a
session saved to survive a restart (pure data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controller.core.events import Trigger
from controller.core.settings import ProgramSettings
from controller.core.summary import RunningTally, Tally


@dataclass(slots=True)
class Inputs:
    """What the session needs to know about this frame."""

    t: float
    occupied: bool
    left_at: float | None  # when the person left, on the frame presence fell
    ready_lie: bool  # lying and settled
    ready_stand: bool  # standing and settled
    uneven: bool
    imbalance: float | None
    still: bool = False  # lying or standing still (for the session's stillness figure)
    judged: bool = True  # enough zones are live to judge presence and posture
    unjudged_since: float | None = None  # when not judged: when the readings stopped
    gap_from: float | None = None  # the previous frame's time, when frames stopped since


@dataclass(frozen=True, slots=True)
class SavedSession:
    """A session as it stood, to survive a restart (times in the saving process's frame time):
    what its summary will be computed from (the tally) and what the machine needs to go on."""

    number: int
    program: str
    trigger: Trigger
    started_t: float
    elapsed_s: float
    last_seen_t: float  # the last moment the person was on the mat
    target_s: float | None  # the target it started with, kept across the restart
    target_reached: bool = False
    warned: bool = False
    tally: Tally = field(default_factory=Tally)


@dataclass(slots=True)
class OpenSession:
    """The session under way (running or paused)."""

    number: int
    program: str
    spec: ProgramSettings
    trigger: Trigger
    started_t: float
    banked_s: float = 0.0  # running time before the current run
    running_since: float | None = None
    paused_at: float | None = None
    manual: bool = False
    target_reached: bool = False
    warned: bool = False
    tally: RunningTally = field(default_factory=RunningTally)
    last_t: float = 0.0
    next_s: float | None = None  # the running time of its next milestone (None: to be found)

    def elapsed(self, t: float) -> float:
        if self.running_since is None:
            return self.banked_s
        return self.banked_s + max(0.0, t - self.running_since)
