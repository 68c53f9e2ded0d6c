"""A snapshot of what the controller knows now, for status lines, MQTT state and HA (pure)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from controller.core.events import Posture
from firmware.faults import FaultReason

SessionStateName = Literal["idle", "running", "paused"]
SESSION_STATES: tuple[SessionStateName, ...] = ("idle", "running", "paused")


@dataclass(frozen=True, slots=True)
class SessionSnapshot:
    state: SessionStateName
    program: str
    session: int | None = None
    elapsed_s: float = 0.0
    target_s: float | None = None
    remaining_s: float | None = None
    target_reached: bool = False


@dataclass(frozen=True, slots=True)
class MatState:
    t: float
    posture: Posture
    occupied: bool
    load_kg: float
    zones_kg: dict[str, float | None]
    imbalance: float | None
    cop_x_m: float | None
    cop_y_m: float | None
    session: SessionSnapshot
    uneven: bool = False
    uneven_side: str | None = None
    faults: dict[str, FaultReason] = field(default_factory=dict)  # zone → reason
    breathing_bpm: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
