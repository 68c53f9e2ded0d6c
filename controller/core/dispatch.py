"""Commands applied to the core's parts: which part answers each one, and the tare (pure).

``MatController.command`` hands every command, with its session machine, to its
``CommandDispatch``, which holds the controller's presence, live zones and zero: the session
commands go to the session machine (a start or resume told whether someone is on the mat and
judged; a resume refused while too few zones give readings), the program commands to its
programs, ``Tare`` to the empty mat's zero. No I/O, no clock: the time comes with the command.
"""

from __future__ import annotations

from controller.core.commands import (
    Command,
    CommandResult,
    ContinueNumbering,
    PauseSession,
    ResumeSession,
    SelectProgram,
    SetProgramTarget,
    StartSession,
    StopSession,
    Tare,
)
from controller.core.coverage import LiveZones
from controller.core.events import Event, Tared
from controller.core.faults import ZoneConditioner
from controller.core.occupancy import Presence, ZeroTracker
from controller.core.session import SessionMachine


class CommandDispatch:
    """Applies commands to one ``MatController``'s session machine, presence and zero (the
    machine comes with each command: ``MatController.sessions`` may be replaced)."""

    __slots__ = ("_live", "_names", "_presence", "_zero", "_zones")

    def __init__(
        self,
        names: tuple[str, ...],
        presence: Presence,
        live: LiveZones,
        zones: ZoneConditioner,
        zero: ZeroTracker,
    ) -> None:
        self._names = names
        self._presence, self._live = presence, live
        self._zones, self._zero = zones, zero

    def apply(
        self, command: Command, t: float, sessions: SessionMachine
    ) -> tuple[CommandResult, list[Event]]:
        """Applies a command at time ``t`` (the latest frame's time is a good ``t``)."""
        occupied = self._presence.occupied and self._live.judged
        match command:
            case StartSession(program=program):
                return sessions.start(t, program, occupied)
            case StopSession():
                return sessions.stop(t)
            case PauseSession():
                return sessions.pause(t)
            case ResumeSession():
                if not self._live.judged:
                    return CommandResult.failure(_NOT_JUDGED), []
                return sessions.resume(t, occupied)
            case SelectProgram(program=program):
                return sessions.programs.select(t, program)
            case SetProgramTarget(program=program, target_s=target_s):
                return sessions.programs.change_target(t, program, target_s)
            case Tare():
                return self._tare(t)
            case ContinueNumbering(after=after):
                return sessions.continue_numbering(after)

    def _tare(self, t: float) -> tuple[CommandResult, list[Event]]:
        if self._presence.occupied:
            return CommandResult.failure("someone is on the mat; tare needs it empty"), []
        self._zero.tare(self._zones.loads_kg, self._live.dead)  # a dead zone keeps its zero
        names, zeros = self._names, self._zero.offsets_kg
        offsets = {n: round(kg, 3) for n, kg in zip(names, zeros, strict=True)}
        return CommandResult.success(), [Tared(t=t, offsets_kg=offsets)]


_NOT_JUDGED = "too few zones give readings to judge the mat; it resumes once they are back"
