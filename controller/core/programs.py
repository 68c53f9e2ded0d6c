"""The programs a session may run: which one is selected, and their targets as changed by
command (pure).

``SessionMachine`` (session.py) starts sessions of the selected program; the ``SelectProgram``
and ``SetProgramTarget`` commands land here. A session under way keeps the settings it started
with (its ``OpenSession.spec``).
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import replace

from controller.core.commands import CommandResult
from controller.core.events import Event, ProgramSelected, ProgramTargetChanged
from controller.core.settings import ProgramSettings, SessionSettings


class Programs:
    def __init__(self, settings: SessionSettings) -> None:
        self.selected = settings.program
        self._specs = dict(settings.programs)

    def __contains__(self, name: str) -> bool:
        return name in self._specs

    def __getitem__(self, name: str) -> ProgramSettings:
        return self._specs[name]

    def unknown(self, name: str) -> CommandResult:
        """The reply to a command naming a program there is not."""
        names = ", ".join(sorted(self._specs))
        return CommandResult.failure(f"unknown program {name!r}; one of {names}")

    def with_target(self, name: str, target_s: float | None) -> ProgramSettings:
        """The program with a session's own target (a restored one), when it still allows it."""
        spec = self._specs[name]
        with contextlib.suppress(ValueError):  # a target the program no longer allows
            spec = replace(spec, target_s=target_s)
        return spec

    def select(self, t: float, program: str) -> tuple[CommandResult, list[Event]]:
        if program not in self._specs:
            return self.unknown(program), []
        changed = program != self.selected
        self.selected = program
        return CommandResult.success(), [ProgramSelected(t=t, program=program)] if changed else []

    def change_target(
        self, t: float, program: str, target_s: float | None
    ) -> tuple[CommandResult, list[Event]]:
        """The ``SetProgramTarget`` command: a running session keeps the target it started with."""
        if program not in self._specs:
            return self.unknown(program), []
        if target_s is not None and not (0.0 < target_s < math.inf):
            return CommandResult.failure(
                f"a target must be a positive number of seconds, not {target_s}"
            ), []
        spec = self._specs[program]
        if spec.target_s == target_s:
            return CommandResult.success(), []
        try:
            self._specs[program] = replace(spec, target_s=target_s)
        except ValueError as exc:  # the program's own rules (not past its max_s)
            return CommandResult.failure(f"{program}: {exc}"), []
        return CommandResult.success(), [
            ProgramTargetChanged(t=t, program=program, target_s=target_s)
        ]
