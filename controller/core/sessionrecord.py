"""What the session machine reads and keeps: a frame's inputs, the session under way (its
time, pauses and resumptions, its snapshot), and a session saved to survive a restart (pure).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from controller.core.events import PauseReason, SessionPaused, SessionResumed, Trigger
from controller.core.settings import ProgramSettings
from controller.core.state import SessionSnapshot
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

    def pause(self, t: float, at: float, reason: PauseReason) -> SessionPaused:
        """Paused at ``at`` (its time counted up to then), said at ``t``."""
        self.banked_s = self.elapsed(at)
        self.running_since, self.paused_at, self.manual = None, at, reason == "command"
        return SessionPaused(
            t=t,
            session=self.number,
            program=self.program,
            elapsed_s=round(self.banked_s, 3),
            reason=reason,
        )

    def resume(self, t: float) -> SessionResumed:
        away = t - (self.paused_at if self.paused_at is not None else t)
        self.running_since, self.paused_at, self.manual = t, None, False
        return SessionResumed(
            t=t,
            session=self.number,
            program=self.program,
            elapsed_s=round(self.banked_s, 3),
            away_s=round(away, 3),
        )

    def snapshot(self, t: float) -> SessionSnapshot:
        elapsed, target = self.elapsed(t), self.spec.target_s
        return SessionSnapshot(
            state="running" if self.running_since is not None else "paused",
            program=self.program,
            session=self.number,
            elapsed_s=round(elapsed, 1),
            target_s=target,
            remaining_s=None if target is None else round(max(0.0, target - elapsed), 1),
            target_reached=self.target_reached,
        )

    def saved(self, t: float, last_seen_t: float) -> SavedSession:
        """The session as it stands at ``t``, the person last seen at ``last_seen_t``."""
        return SavedSession(
            number=self.number,
            program=self.program,
            trigger=self.trigger,
            started_t=self.started_t,
            elapsed_s=self.elapsed(t),
            last_seen_t=min(last_seen_t, t),
            target_s=self.spec.target_s,
            target_reached=self.target_reached,
            warned=self.warned,
            tally=self.tally.tally(),
        )

    @classmethod
    def from_saved(cls, saved: SavedSession, spec: ProgramSettings) -> OpenSession:
        """A saved session taken back, paused since the person was last seen."""
        return cls(
            number=saved.number,
            program=saved.program,
            spec=spec,
            trigger=saved.trigger,
            started_t=saved.started_t,
            banked_s=saved.elapsed_s,
            paused_at=saved.last_seen_t,
            target_reached=saved.target_reached,
            warned=saved.warned,
            tally=saved.tally.running(),
            last_t=saved.last_seen_t,
        )
