"""Settings of the pure core: detection, programs, balance, faults and breathing (pure data).

Frozen, slotted stdlib dataclasses with units in the names. Each field's bounds are written
once, as ``annotated_types`` markers in its annotation, and its meaning once, as the field's
``description``. Two readers use them: the config file's validation (firmware/schema.py validates
these dataclasses as parts of ``AppConfig``, with the field path in every message) and
``__post_init__`` here, so a setting built in code is checked against the same bounds. The
core imports nothing that does I/O.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from dataclasses import dataclass, field, replace
from typing import Annotated, Any, Literal

from annotated_types import Ge, Gt, Le, Lt

from firmware.schema import breaks, doc, doc_factory


@functools.cache
def _bounds(cls: Any) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    hints = typing.get_type_hints(cls, include_extras=True)
    found = []
    for f in dataclasses.fields(cls):
        marks = tuple(m for m in _metadata(hints[f.name]) if _is_bound(m))
        if marks:
            found.append((f.name, marks))
    return tuple(found)


def _metadata(hint: Any) -> tuple[Any, ...]:
    """The ``Annotated`` marks of a hint, looking inside ``X | None``."""
    own: tuple[Any, ...] = getattr(hint, "__metadata__", ())
    return own + tuple(m for arg in typing.get_args(hint) for m in getattr(arg, "__metadata__", ()))


def _is_bound(mark: Any) -> bool:
    return isinstance(mark, Gt | Ge | Lt | Le)


def check_bounds(settings: Any) -> None:
    """Raises ``ValueError`` naming the field when a value breaks its annotated bound."""
    for name, marks in _bounds(type(settings)):  # type: ignore[arg-type]  # classes hash
        value = getattr(settings, name)
        if value is None:
            continue
        for mark in marks:
            reason = breaks(mark, value, value)  # the config's validator reads bounds the same
            if reason is not None:
                raise ValueError(f"{name}: {reason}")


Seconds = Annotated[float, Ge(0)]
PositiveSeconds = Annotated[float, Gt(0)]
PositiveKg = Annotated[float, Gt(0)]
Fraction = Annotated[float, Gt(0), Lt(1)]


@dataclass(frozen=True, slots=True)
class DetectionSettings:
    person_kg: PositiveKg = doc(
        20.0,
        "Load above which a person is on the mat (a back-sized mat carries ~69 % of a "
        "lying 40 kg adult; cats and bags weigh less).",
    )
    leave_kg: PositiveKg = doc(12.0, "Load below which the person has left (hysteresis).")
    presence_s: Seconds = doc(
        0.6, "How long the load must stay above person_kg to count as arrived."
    )
    leave_s: Seconds = doc(1.5, "How long the load must stay below leave_kg to count as gone.")
    posture_s: Seconds = doc(1.5, "How long a new posture must hold before it is reported.")
    settle_s: Seconds = doc(
        1.0, "Lying still this long (after lying is reported) starts a session."
    )
    still_ratio: Annotated[float, Gt(0)] = doc(
        0.03,
        "Load in motion (kg moving between zones) over the total load below which the "
        "person is still: breathing moves under 1 %, shifting tens of %.",
    )
    settle_max_s: PositiveSeconds = doc(
        10.0, "Lying this long starts a session even if never quite still."
    )
    stand_sway_ratio: Annotated[float, Gt(0)] = doc(
        0.012,
        "Sway (motion averaged over 3 s) over the total load above which an upright "
        "person whose footprint fits both is standing rather than sitting.",
    )
    zero_tau_s: PositiveSeconds = doc(
        120.0, "Time constant with which the empty mat's drift is zeroed."
    )
    zero_band_kg: PositiveKg = doc(15.0, "Only a small, still load on an empty mat is zeroed away.")

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.leave_kg >= self.person_kg:
            raise ValueError("leave_kg must be below person_kg (hysteresis)")


ProgramTrigger = Literal["lie", "stand"]


@dataclass(frozen=True, slots=True)
class ProgramSettings:
    target_s: Annotated[float, Gt(0)] | None = field(
        metadata={
            "description": "Session length to announce as reached; none for open-ended programs."
        }
    )
    trigger: ProgramTrigger = doc("lie", "The posture that starts a session.")
    warn_s: Annotated[float, Gt(0)] | None = doc(None, "Warn once past this time.")
    max_s: Annotated[float, Gt(0)] | None = doc(None, "End the session at this time.")

    def __post_init__(self) -> None:
        if self.target_s is not None and self.target_s <= 0:
            raise ValueError("target_s must be positive (or left out for open-ended)")
        check_bounds(self)
        if self.max_s is not None and self.target_s is not None and self.max_s < self.target_s:
            raise ValueError("max_s must not be below target_s")


def default_programs() -> dict[str, ProgramSettings]:
    """From the source documents: 10–20 min typical, energy ~10 and not past 20, up to 30."""
    return {
        "relax": ProgramSettings(target_s=20 * 60.0),
        "energy": ProgramSettings(target_s=10 * 60.0, warn_s=20 * 60.0),
        "back": ProgramSettings(target_s=20 * 60.0),
        "neck": ProgramSettings(target_s=20 * 60.0),
        "cellulite": ProgramSettings(target_s=30 * 60.0, max_s=30 * 60.0),
        "sleep": ProgramSettings(target_s=None),
        "feet": ProgramSettings(target_s=5 * 60.0, trigger="stand"),
        # Start slowly (source documents): 5 min, growing to 20 over completed sessions; the
        # history adapter sends each new target as a command (controller.storage.habits).
        "beginner": ProgramSettings(target_s=5 * 60.0),
    }


@dataclass(frozen=True, slots=True)
class SessionSettings:
    program: str = doc("relax", "The program selected at start-up.")
    grace_s: Seconds = doc(60.0, "Coming back within this time resumes the same session.")
    max_session_s: PositiveSeconds = doc(
        4 * 3600.0, "Safety limit for any session, open-ended ones included."
    )
    programs: dict[str, ProgramSettings] = doc_factory(default_programs, "Programs by name.")

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.program not in self.programs:
            raise ValueError(f"program {self.program!r} is not one of {sorted(self.programs)}")


@dataclass(frozen=True, slots=True)
class BalanceSettings:
    alert_imbalance: Fraction = doc(0.20, "|(R - L) / (R + L)| above which load is uneven.")
    clear_imbalance: Fraction = doc(0.12, "Below this the uneven-load alert clears.")
    dwell_s: Seconds = doc(5.0, "How long either condition must hold.")
    smooth_s: Seconds = doc(2.0, "Averaging time of the imbalance (hides breathing and fidgets).")

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.clear_imbalance >= self.alert_imbalance:
            raise ValueError("clear_imbalance must be below alert_imbalance")


@dataclass(frozen=True, slots=True)
class FaultSettings:
    max_zone_kg: PositiveKg = doc(200.0, "A zone reading above this is out of range.")
    min_zone_kg: Annotated[float, Lt(0)] = doc(-20.0, "A zone reading below this is out of range.")
    missing_s: Seconds = doc(1.0, "A zone with no reading this long raises a fault.")
    recover_s: Seconds = doc(2.0, "Good readings this long clear a fault.")
    hold_s: Seconds = doc(
        10.0,
        "A zone without a valid reading this long is dead: its last value stops standing in "
        "and it is left out of every total until good readings clear its fault.",
    )
    min_live_share: Fraction = doc(
        0.75,
        "Share of the mat's zone area that must be live (not dead) to judge presence, posture "
        "and sessions; below it posture is unknown and a running session pauses.",
    )
    stall_s: PositiveSeconds = doc(
        5.0,
        "Frames this far apart are a gap: a running session pauses at the last frame before "
        "it (and ends if the gap reaches grace_s); in the live service a source silent this "
        "long raises source_stalled.",
    )

    def __post_init__(self) -> None:
        check_bounds(self)
        if self.hold_s < self.missing_s:
            raise ValueError("hold_s must not be below missing_s (a zone is faulty before dead)")


@dataclass(frozen=True, slots=True)
class BreathingSettings:
    """How the breathing estimator listens: window, cadence, band and what counts as sure."""

    enabled: bool = doc(True, "Estimate the breathing rate while the person lies still.")
    window_s: Annotated[float, Ge(20.0), Le(300.0)] = doc(
        60.0, "Sliding window analysed per estimate; 60 s holds four breaths at 4/min."
    )
    min_span_s: Annotated[float, Ge(5.0)] = doc(
        20.0, "Still data needed before the first estimate after lying down or moving."
    )
    emit_every_s: Annotated[float, Gt(0.0), Le(30.0)] = doc(
        15.0, "Frame time between estimates while the person lies still (at most 30 s)."
    )
    min_quality: Annotated[float, Gt(0.0), Le(1.0)] = doc(
        0.5, "Quality (0–1) below which an estimate is reported as none (bpm 0)."
    )
    band_bpm: tuple[float, float] = doc(
        (4.0, 40.0), "Breathing rates to support, per minute (adults: 4–40, FACTS.md)."
    )
    spike_kg: Annotated[float, Gt(0.0)] = doc(
        0.5,
        "A single reading this far from its neighbours is a spike, not breathing "
        "(breathing moves a cell by at most ~0.2 kg).",
    )
    gap_s: Annotated[float, Gt(0.0)] = doc(
        5.0, "A pause in frames longer than this starts the window again."
    )

    def __post_init__(self) -> None:
        check_bounds(self)
        low, high = self.band_bpm
        if not 0.0 < low < high:
            raise ValueError("band_bpm must be (low, high) with 0 < low < high")
        if self.min_span_s > self.window_s:
            raise ValueError("min_span_s must not exceed window_s")


@dataclass(frozen=True, slots=True)
class CoreSettings:
    detection: DetectionSettings = field(default_factory=DetectionSettings)
    session: SessionSettings = field(default_factory=SessionSettings)
    balance: BalanceSettings = field(default_factory=BalanceSettings)
    faults: FaultSettings = field(default_factory=FaultSettings)
    breathing: BreathingSettings = field(default_factory=BreathingSettings)

    def with_program(self, program: str) -> CoreSettings:
        """The same settings with ``program`` selected at start-up (validated)."""
        return replace(self, session=replace(self.session, program=program))
