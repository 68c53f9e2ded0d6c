"""Commands into the core (imperative names) and the result each one gets (pure data)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class StartSession:
    program: str | None = None
    name: Literal["start"] = "start"


@dataclass(frozen=True, slots=True)
class StopSession:
    name: Literal["stop"] = "stop"


@dataclass(frozen=True, slots=True)
class PauseSession:
    name: Literal["pause"] = "pause"


@dataclass(frozen=True, slots=True)
class ResumeSession:
    name: Literal["resume"] = "resume"


@dataclass(frozen=True, slots=True)
class SelectProgram:
    program: str
    name: Literal["select_program"] = "select_program"


@dataclass(frozen=True, slots=True)
class Tare:
    name: Literal["tare"] = "tare"


@dataclass(frozen=True, slots=True)
class SetProgramTarget:
    """Sets a program's target for the sessions that start from now on (None: no target); a
    running session keeps the target it started with. The history adapter sends it to grow
    ``beginner``; it is not offered on the wire."""

    program: str
    target_s: float | None
    name: Literal["set_program_target"] = "set_program_target"


@dataclass(frozen=True, slots=True)
class ContinueNumbering:
    """Numbers the sessions that start from now on after ``after`` (never lower than the
    numbers already given). The history adapter sends it at start with the highest stored
    session, so numbers stay unique across restarts; it is not offered on the wire."""

    after: int
    name: Literal["continue_numbering"] = "continue_numbering"


Command = (
    StartSession | StopSession | PauseSession | ResumeSession | SelectProgram | Tare
    | SetProgramTarget | ContinueNumbering
)  # fmt: skip
# The commands a client may send (controller/wire/commands.py).
COMMAND_NAMES = ("start", "stop", "pause", "resume", "select_program", "tare")


@dataclass(frozen=True, slots=True)
class CommandResult:
    """``ok`` or the reason the command changed nothing."""

    ok: bool
    error: str | None = None

    @classmethod
    def success(cls) -> CommandResult:
        return cls(ok=True)

    @classmethod
    def failure(cls, error: str) -> CommandResult:
        return cls(ok=False, error=error)


@dataclass(frozen=True, slots=True)
class CommandRequest:
    """A parsed command and where its result goes (called on the service loop's thread).

    Adapters build these from what they receive (an MQTT message, a history change) and the
    service applies them between frames: the one way into the core from outside.
    """

    command: Command
    reply: Callable[[CommandResult], None]
