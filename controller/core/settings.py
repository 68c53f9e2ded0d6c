"""Settings of the pure core: detection, programs, balance and fault thresholds (pure data).

Frozen pydantic models with units in the names; every field says what it is for. The core
reads them once when it is built.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DetectionSettings(_Frozen):
    person_kg: float = Field(
        20.0,
        gt=0,
        description="Load above which a person is on the mat (a back-sized mat "
        "carries ~69 % of a lying 40 kg adult; cats and bags weigh less).",
    )
    leave_kg: float = Field(
        12.0, gt=0, description="Load below which the person has left (hysteresis)."
    )
    presence_s: float = Field(
        0.6, ge=0, description="How long the load must stay above person_kg to count as arrived."
    )
    leave_s: float = Field(
        1.5, ge=0, description="How long the load must stay below leave_kg to count as gone."
    )
    posture_s: float = Field(
        1.5, ge=0, description="How long a new posture must hold before it is reported."
    )
    settle_s: float = Field(
        1.0, ge=0, description="Lying still this long (after lying is reported) starts a session."
    )
    still_ratio: float = Field(
        0.03,
        gt=0,
        description="Load in motion (kg moving between zones) over the total load "
        "below which the person is still: breathing moves under 1 %, shifting tens of %.",
    )
    settle_max_s: float = Field(
        10.0, gt=0, description="Lying this long starts a session even if never quite still."
    )
    stand_sway_ratio: float = Field(
        0.012,
        gt=0,
        description="Sway (motion averaged over 3 s) over the total load above "
        "which an upright person whose footprint fits both is standing rather than sitting.",
    )
    zero_tau_s: float = Field(
        120.0, gt=0, description="Time constant with which the empty mat's drift is zeroed."
    )
    zero_band_kg: float = Field(
        15.0, gt=0, description="Only a small, still load on an empty mat is zeroed away."
    )

    @model_validator(mode="after")
    def _hysteresis(self) -> DetectionSettings:
        if self.leave_kg >= self.person_kg:
            raise ValueError("leave_kg must be below person_kg (hysteresis)")
        return self


ProgramTrigger = Literal["lie", "stand"]


class ProgramSettings(_Frozen):
    target_s: float | None = Field(
        description="Session length to announce as reached; none for open-ended programs."
    )
    trigger: ProgramTrigger = Field("lie", description="The posture that starts a session.")
    warn_s: float | None = Field(None, gt=0, description="Warn once past this time.")
    max_s: float | None = Field(None, gt=0, description="End the session at this time.")

    @model_validator(mode="after")
    def _order(self) -> ProgramSettings:
        if self.target_s is not None and self.target_s <= 0:
            raise ValueError("target_s must be positive (or left out for open-ended)")
        if self.max_s is not None and self.target_s is not None and self.max_s < self.target_s:
            raise ValueError("max_s must not be below target_s")
        return self


def default_programs() -> dict[str, ProgramSettings]:
    """From the source documents: 10–20 min typical, energy ~10 and not past 20, up to 30."""
    return {
        "relax": ProgramSettings(target_s=20 * 60),
        "energy": ProgramSettings(target_s=10 * 60, warn_s=20 * 60),
        "back": ProgramSettings(target_s=20 * 60),
        "neck": ProgramSettings(target_s=20 * 60),
        "cellulite": ProgramSettings(target_s=30 * 60, max_s=30 * 60),
        "sleep": ProgramSettings(target_s=None),
        "feet": ProgramSettings(target_s=5 * 60, trigger="stand"),
        # Start slowly (source documents): 5 min, growing to 20 over completed sessions; the
        # shell sets each session's target from history (controller.storage.habits).
        "beginner": ProgramSettings(target_s=5 * 60),
    }


class SessionSettings(_Frozen):
    program: str = Field("relax", description="The program selected at start-up.")
    grace_s: float = Field(
        60.0, ge=0, description="Coming back within this time resumes the same session."
    )
    max_session_s: float = Field(
        4 * 3600.0, gt=0, description="Safety limit for any session, open-ended ones included."
    )
    programs: dict[str, ProgramSettings] = Field(
        default_factory=default_programs, description="Programs by name."
    )

    @model_validator(mode="after")
    def _known_program(self) -> SessionSettings:
        if self.program not in self.programs:
            raise ValueError(f"program {self.program!r} is not one of {sorted(self.programs)}")
        return self


class BalanceSettings(_Frozen):
    alert_imbalance: float = Field(
        0.20, gt=0, lt=1, description="|(R - L) / (R + L)| above which load is uneven."
    )
    clear_imbalance: float = Field(
        0.12, gt=0, lt=1, description="Below this the uneven-load alert clears."
    )
    dwell_s: float = Field(5.0, ge=0, description="How long either condition must hold.")
    smooth_s: float = Field(
        2.0, ge=0, description="Averaging time of the imbalance (hides breathing and fidgets)."
    )

    @model_validator(mode="after")
    def _hysteresis(self) -> BalanceSettings:
        if self.clear_imbalance >= self.alert_imbalance:
            raise ValueError("clear_imbalance must be below alert_imbalance")
        return self


class FaultSettings(_Frozen):
    max_zone_kg: float = Field(
        200.0, gt=0, description="A zone reading above this is out of range."
    )
    min_zone_kg: float = Field(
        -20.0, lt=0, description="A zone reading below this is out of range."
    )
    missing_s: float = Field(
        1.0, ge=0, description="A zone with no reading this long raises a fault."
    )
    stuck_s: float = Field(
        30.0,
        gt=0,
        description="A loaded zone whose reading does not change at all this long "
        "is stuck (real cells always show noise).",
    )
    recover_s: float = Field(2.0, ge=0, description="Good readings this long clear a fault.")


class CoreSettings(_Frozen):
    detection: DetectionSettings = Field(default_factory=DetectionSettings, description="")
    session: SessionSettings = Field(default_factory=SessionSettings, description="")
    balance: BalanceSettings = Field(default_factory=BalanceSettings, description="")
    faults: FaultSettings = Field(default_factory=FaultSettings, description="")

    def with_program(self, program: str) -> CoreSettings:
        """The same settings with ``program`` selected at start-up (validated)."""
        session = SessionSettings.model_validate({**self.session.model_dump(), "program": program})
        return self.model_copy(update={"session": session})
