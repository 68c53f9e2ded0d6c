"""The event vocabulary: a contract other tools read (pure data).

Every event has ``t`` (the time of the frame that caused it, seconds) and ``type``;
``to_dict`` gives the JSON object. Fields may be added, never renamed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, ClassVar, Literal

from controller.core.summary import SessionSummary
from firmware.faults import FaultReason

# "unknown": too few zones are live to judge (FaultSettings.min_live_share).
Posture = Literal["empty", "standing", "sitting", "lying", "unknown"]
POSTURES: tuple[Posture, ...] = ("empty", "standing", "sitting", "lying", "unknown")
Trigger = Literal["lie_down", "stand", "command"]
Side = Literal["left", "right"]
# Why a session paused: nobody on the mat, a command, too few live zones to judge, no frames.
PauseReason = Literal["away", "command", "too_few_zones", "no_frames"]


@dataclass(frozen=True, slots=True)
class Event:
    t: float
    type: ClassVar[str] = "event"

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        return {"type": self.type, **data}


@dataclass(frozen=True, slots=True)
class PostureChanged(Event):
    posture: Posture
    previous: Posture
    type: ClassVar[str] = "posture"


@dataclass(frozen=True, slots=True)
class OccupancyChanged(Event):
    """A person arrived on or left the mat (objects such as a bag or a cat do not count)."""

    occupied: bool
    load_kg: float
    type: ClassVar[str] = "occupancy"


@dataclass(frozen=True, slots=True)
class SessionStarted(Event):
    session: int
    program: str
    trigger: Trigger
    target_s: float | None
    type: ClassVar[str] = "session_started"


@dataclass(frozen=True, slots=True)
class SessionPaused(Event):
    """A session stopped counting time; ``reason`` says why (``PauseReason``)."""

    session: int
    program: str
    elapsed_s: float
    reason: PauseReason
    type: ClassVar[str] = "session_paused"


@dataclass(frozen=True, slots=True)
class SessionResumed(Event):
    session: int
    program: str
    elapsed_s: float
    away_s: float
    type: ClassVar[str] = "session_resumed"


@dataclass(frozen=True, slots=True)
class SessionTargetReached(Event):
    session: int
    program: str
    elapsed_s: float
    target_s: float
    type: ClassVar[str] = "session_target_reached"


@dataclass(frozen=True, slots=True)
class SessionWarning(Event):
    """A program's advice was passed (``energy`` past 20 min)."""

    session: int
    program: str
    elapsed_s: float
    limit_s: float
    message: str
    type: ClassVar[str] = "session_warning"


@dataclass(frozen=True, slots=True)
class SessionEnded(Event):
    """A session finished: its summary, and when it started (frame time)."""

    started_t: float
    summary: SessionSummary
    type: ClassVar[str] = "session_ended"

    def to_dict(self) -> dict[str, Any]:
        """The flat object ``session_ended`` has always been: the summary's fields beside
        ``t``, with ``started_t`` where it always stood (after ``reason``)."""
        data: dict[str, Any] = {"type": self.type, "t": self.t}
        for name, value in asdict(self.summary).items():
            data[name] = value
            if name == "reason":
                data["started_t"] = self.started_t
        return data


@dataclass(frozen=True, slots=True)
class UnevenLoad(Event):
    """The load is uneven left to right (or no longer); ``offset_cm``: how far the centre of
    pressure lies from the mat's centre line, + to the right (smoothed like ``imbalance``)."""

    active: bool
    side: Side
    imbalance: float
    offset_cm: float = 0.0
    type: ClassVar[str] = "uneven_load"


@dataclass(frozen=True, slots=True)
class SensorFault(Event):
    zone: str
    active: bool
    fault: FaultReason  # the vocabulary of firmware/faults.py
    type: ClassVar[str] = "sensor_fault"


@dataclass(frozen=True, slots=True)
class SourceStalled(Event):
    """The frame source gave no frame for ``stalled_s`` (``active``), or gave one again after
    ``stalled_s`` (not ``active``). Built by the service loop, which alone has a clock; ``t``
    is the latest frame's time."""

    active: bool
    stalled_s: float
    type: ClassVar[str] = "source_stalled"


@dataclass(frozen=True, slots=True)
class ProgramSelected(Event):
    program: str
    type: ClassVar[str] = "program_selected"


@dataclass(frozen=True, slots=True)
class ProgramTargetChanged(Event):
    """A program's target for the sessions that start from now on (``beginner`` grows it from
    the history); ``target_s`` None: no target."""

    program: str
    target_s: float | None
    type: ClassVar[str] = "program_target_changed"


@dataclass(frozen=True, slots=True)
class Tared(Event):
    """The empty mat's readings became the new zero (``offsets_kg`` per zone)."""

    offsets_kg: dict[str, float]
    type: ClassVar[str] = "tared"


@dataclass(frozen=True, slots=True)
class Breathing(Event):
    """Breathing rate estimate (filled by the breathing estimator)."""

    bpm: float
    quality: float
    type: ClassVar[str] = "breathing"
