"""Sessions: started by lying down (or standing, for ``feet``) or by command; paused when the
person leaves; resumed when they return within ``grace_s``; ended otherwise (pure).

Session time counts only while running, from the start to the moment the person left (the
occupancy edge, dated back to when the load fell), pauses excluded. The target is announced
once and the session goes on until the person gets up. After a session ends while the person
is still on the mat (stop command, safety limit), no new one starts until they have left.

Time the mat cannot judge is treated like time away, never as session time: when too few
zones are live (``judged`` false) the session pauses, dated back to when their readings
stopped; a gap in the frames longer than ``stall_s`` pauses it at the last frame before the
gap. Either way it resumes when the person is seen again within ``grace_s`` and ends
(``left_mat``, its time counted up to the pause) otherwise; a gap of ``grace_s`` or more ends
it at once, since nobody can say what happened in it.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import replace

from controller.core.commands import CommandResult
from controller.core.events import (
    Event,
    PauseReason,
    ProgramSelected,
    ProgramTargetChanged,
    SessionEnded,
    SessionPaused,
    SessionResumed,
    SessionStarted,
    SessionTargetReached,
    SessionWarning,
    Trigger,
)
from controller.core.sessionrecord import Inputs, OpenSession, SavedSession
from controller.core.settings import ProgramSettings, SessionSettings
from controller.core.state import SessionSnapshot
from controller.core.summary import EndReason

__all__ = ["Inputs", "SavedSession", "SessionMachine"]


_RESTORE_LOOK_S = 5.0


class SessionMachine:
    def __init__(self, settings: SessionSettings) -> None:
        self._s = settings
        self.selected = settings.program
        self._programs = dict(settings.programs)
        self.current: OpenSession | None = None
        self._count = 0
        self._rearm = False  # a session ended under the person: wait until they leave
        self._away_since: float | None = None
        self._observe_until = -math.inf

    # -- frames ---------------------------------------------------------------------
    def on_frame(self, x: Inputs) -> list[Event]:
        events = [] if x.gap_from is None else self._gap(x.gap_from, x.t)
        if not x.judged:
            self._lose_sight(x.t if x.unjudged_since is None else min(x.unjudged_since, x.t))
        elif not x.occupied:
            self._rearm = False
            if self._away_since is None:
                self._away_since = x.left_at if x.left_at is not None else x.t
        else:
            self._away_since = None
        session = self.current
        if session is None:
            found = self._maybe_start(x)
        else:
            self._accumulate(session, x)
            if session.running_since is not None:
                found = self._while_running(session, x)
            else:
                found = self._while_paused(session, x)
        if events:
            events.extend(found)
            return events
        return found

    def _lose_sight(self, at: float) -> None:
        """The person was last seen at ``at`` at best (frames stopped, zones died)."""
        self._away_since = at if self._away_since is None else min(self._away_since, at)

    def _gap(self, prev: float, t: float) -> list[Event]:
        """No frames between ``prev`` and ``t``: nothing was judged in between."""
        self._lose_sight(prev)
        session = self.current
        if session is None:
            return []
        events: list[Event] = []
        if session.running_since is not None:
            events.append(self._pause(session, t, prev, "no_frames"))
        if t - prev >= self._s.grace_s:
            events.append(self._end(t, "left_mat"))
        return events

    def _maybe_start(self, x: Inputs) -> list[Event]:
        if not x.occupied or self._rearm or not x.judged:
            return []
        spec = self._programs[self.selected]
        if spec.trigger == "lie" and x.ready_lie:
            return [self._start(x.t, "lie_down")]
        if spec.trigger == "stand" and x.ready_stand:
            return [self._start(x.t, "stand")]
        return []

    def _while_running(self, session: OpenSession, x: Inputs) -> list[Event]:
        if not x.judged:
            assert self._away_since is not None  # on_frame set it from unjudged_since
            return [self._pause(session, x.t, self._away_since, "too_few_zones")]
        if not x.occupied:
            left = x.left_at if x.left_at is not None else x.t
            return [self._pause(session, x.t, min(left, x.t), "away")]
        return self._milestones(session, x.t)

    def _while_paused(self, session: OpenSession, x: Inputs) -> list[Event]:
        if x.judged and x.occupied and not session.manual:
            return [self._resume(session, x.t)]
        away = self._away_since
        if x.t < self._observe_until:
            return []
        if away is not None and x.t - away >= self._s.grace_s:
            return [self._end(x.t, "left_mat")]
        return []

    def _milestones(self, session: OpenSession, t: float) -> list[Event]:
        elapsed, spec = session.elapsed(t), session.spec
        next_s = session.next_s
        if next_s is None:
            next_s = session.next_s = self._next_milestone_s(session)
        if elapsed < next_s:
            return []
        session.next_s = None
        events: list[Event] = []
        if spec.target_s is not None and not session.target_reached and elapsed >= spec.target_s:
            session.target_reached = True
            events.append(
                SessionTargetReached(
                    t=t,
                    session=session.number,
                    program=session.program,
                    elapsed_s=round(elapsed, 3),
                    target_s=spec.target_s,
                )
            )
        if spec.warn_s is not None and not session.warned and elapsed >= spec.warn_s:
            session.warned = True
            events.append(
                SessionWarning(
                    t=t,
                    session=session.number,
                    program=session.program,
                    elapsed_s=round(elapsed, 3),
                    limit_s=spec.warn_s,
                    message=f"{session.program}: better not past {spec.warn_s / 60:.0f} min",
                )
            )
        limit = min(spec.max_s or self._s.max_session_s, self._s.max_session_s)
        if elapsed >= limit:
            events.append(self._end(t, "max_duration"))
        return events

    def _next_milestone_s(self, session: OpenSession) -> float:
        """The running time at which ``_milestones`` next has something to say."""
        spec, due = session.spec, [self._s.max_session_s]
        if spec.max_s:
            due.append(spec.max_s)
        if spec.target_s is not None and not session.target_reached:
            due.append(spec.target_s)
        if spec.warn_s is not None and not session.warned:
            due.append(spec.warn_s)
        return min(due)

    def _accumulate(self, session: OpenSession, x: Inputs) -> None:
        dt = max(0.0, x.t - session.last_t)
        session.last_t = x.t
        if session.running_since is None:
            return
        session.tally.add_frame(dt, x.uneven, x.still, x.imbalance)

    # -- transitions ----------------------------------------------------------------
    def _start(self, t: float, trigger: Trigger) -> SessionStarted:
        self._count += 1
        spec = self._programs[self.selected]
        self.current = OpenSession(
            number=self._count,
            program=self.selected,
            spec=spec,
            trigger=trigger,
            started_t=t,
            running_since=t,
            last_t=t,
        )
        return SessionStarted(
            t=t, session=self._count, program=self.selected, trigger=trigger, target_s=spec.target_s
        )

    def _pause(
        self, session: OpenSession, t: float, at: float, reason: PauseReason
    ) -> SessionPaused:
        session.banked_s = session.elapsed(at)
        manual = reason == "command"
        session.running_since, session.paused_at, session.manual = None, at, manual
        return SessionPaused(
            t=t,
            session=session.number,
            program=session.program,
            elapsed_s=round(session.banked_s, 3),
            reason=reason,
        )

    def _resume(self, session: OpenSession, t: float) -> SessionResumed:
        away = t - (session.paused_at if session.paused_at is not None else t)
        session.running_since, session.paused_at, session.manual = t, None, False
        return SessionResumed(
            t=t,
            session=session.number,
            program=session.program,
            elapsed_s=round(session.banked_s, 3),
            away_s=round(away, 3),
        )

    def _end(self, t: float, reason: EndReason) -> SessionEnded:
        session = self.current
        assert session is not None
        self.current = None
        self._rearm = self._away_since is None
        summary = session.tally.tally().summary(
            session=session.number,
            program=session.program,
            duration_s=session.elapsed(t),
            target_s=session.spec.target_s,
            reason=reason,
        )
        return SessionEnded(t=t, started_t=session.started_t, summary=summary)

    def save(self, t: float, last_seen_t: float) -> SavedSession | None:
        session = self.current
        if session is None:
            return None
        return SavedSession(
            number=session.number,
            program=session.program,
            trigger=session.trigger,
            started_t=session.started_t,
            elapsed_s=session.elapsed(t),
            last_seen_t=min(last_seen_t, t),
            target_s=session.spec.target_s,
            target_reached=session.target_reached,
            warned=session.warned,
            tally=session.tally.tally(),
        )

    def restore(self, saved: SavedSession, t: float) -> None:
        """Takes a saved session back as paused since the person was last seen: the next
        frames resume it if they are on the mat, or end it (``left_mat``, the time counted up
        to when they were last seen) once ``grace_s`` has passed since then. The session keeps
        its target and the figures measured before the restart."""
        if saved.program not in self._programs or self.current is not None:
            return
        self._count = max(self._count, saved.number)
        spec = self._programs[saved.program]
        with contextlib.suppress(ValueError):  # a target the program no longer allows
            spec = replace(spec, target_s=saved.target_s)
        self.current = OpenSession(
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
        self._away_since = saved.last_seen_t
        # Look before ending: presence needs a moment to see the person still lying there.
        self._observe_until = t + _RESTORE_LOOK_S

    def note_breathing(self, t: float, bpm: float) -> None:
        """A real breathing estimate (quality > 0), kept for the running session's summary."""
        session = self.current
        if session is not None and session.running_since is not None:
            session.tally.add_breath(t - session.started_t, bpm)

    def finish(self, t: float) -> list[Event]:
        """The frames ended: a session whose person had left ends as ``left_mat``."""
        session = self.current
        if session is None or session.running_since is not None or self._away_since is None:
            return []
        return [self._end(t, "left_mat")]

    # -- commands -------------------------------------------------------------------
    def start(
        self, t: float, program: str | None, occupied: bool
    ) -> tuple[CommandResult, list[Event]]:
        name = program or self.selected
        if name not in self._programs:
            return _unknown(name, self._programs), []
        if self.current is not None:
            return CommandResult.failure(
                f"a {self.current.program} session is already running; stop it first"
            ), []
        self.selected = name
        events: list[Event] = [self._start(t, "command")]
        if not occupied:
            assert self.current is not None
            events.append(self._pause(self.current, t, t, "away"))
        return CommandResult.success(), events

    def stop(self, t: float) -> tuple[CommandResult, list[Event]]:
        if self.current is None:
            return CommandResult.failure("no session is running"), []
        return CommandResult.success(), [self._end(t, "command")]

    def pause(self, t: float) -> tuple[CommandResult, list[Event]]:
        session = self.current
        if session is None or session.running_since is None:
            return CommandResult.failure("no running session to pause"), []
        return CommandResult.success(), [self._pause(session, t, t, "command")]

    def resume(self, t: float, occupied: bool) -> tuple[CommandResult, list[Event]]:
        session = self.current
        if session is None or session.running_since is not None:
            return CommandResult.failure("no paused session to resume"), []
        if not occupied:
            return CommandResult.failure("nobody is on the mat; it resumes when you return"), []
        return CommandResult.success(), [self._resume(session, t)]

    def select(self, t: float, program: str) -> tuple[CommandResult, list[Event]]:
        if program not in self._programs:
            return _unknown(program, self._programs), []
        changed = program != self.selected
        self.selected = program
        return CommandResult.success(), [ProgramSelected(t=t, program=program)] if changed else []

    def change_target(
        self, t: float, program: str, target_s: float | None
    ) -> tuple[CommandResult, list[Event]]:
        """The ``SetProgramTarget`` command: a running session keeps the target it started with."""
        if program not in self._programs:
            return _unknown(program, self._programs), []
        if target_s is not None and not (0.0 < target_s < math.inf):
            return CommandResult.failure(
                f"a target must be a positive number of seconds, not {target_s}"
            ), []
        spec = self._programs[program]
        if spec.target_s == target_s:
            return CommandResult.success(), []
        try:
            self._programs[program] = replace(spec, target_s=target_s)
        except ValueError as exc:  # the program's own rules (not past its max_s)
            return CommandResult.failure(f"{program}: {exc}"), []
        return CommandResult.success(), [
            ProgramTargetChanged(t=t, program=program, target_s=target_s)
        ]

    def continue_numbering(self, after: int) -> tuple[CommandResult, list[Event]]:
        """The next session is numbered above ``after`` (numbers already given stand)."""
        self._count = max(self._count, after)
        return CommandResult.success(), []

    def snapshot(self, t: float) -> SessionSnapshot:
        session = self.current
        if session is None:
            return SessionSnapshot(state="idle", program=self.selected)
        elapsed, target = session.elapsed(t), session.spec.target_s
        return SessionSnapshot(
            state="running" if session.running_since is not None else "paused",
            program=session.program,
            session=session.number,
            elapsed_s=round(elapsed, 1),
            target_s=target,
            remaining_s=None if target is None else round(max(0.0, target - elapsed), 1),
            target_reached=session.target_reached,
        )


def _unknown(name: str, programs: dict[str, ProgramSettings]) -> CommandResult:
    return CommandResult.failure(f"unknown program {name!r}; one of {', '.join(sorted(programs))}")
