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

import math

from controller.core.commands import CommandResult
from controller.core.events import (
    Event,
    SessionEnded,
    SessionStarted,
    Trigger,
)
from controller.core.milestones import next_milestone_s, reached
from controller.core.programs import Programs
from controller.core.sessionrecord import Inputs, OpenSession, SavedSession
from controller.core.settings import SessionSettings
from controller.core.state import SessionSnapshot
from controller.core.summary import EndReason

__all__ = ["Inputs", "SavedSession", "SessionMachine"]


_RESTORE_LOOK_S = 5.0


class SessionMachine:
    def __init__(self, settings: SessionSettings) -> None:
        self._s = settings
        self.programs = Programs(settings)
        self.current: OpenSession | None = None
        self._count = 0
        self._rearm = False  # a session ended under the person: wait until they leave
        self._away_since: float | None = None
        self._observe_until = -math.inf

    # -- frames ---------------------------------------------------------------------
    def on_frame(self, x: Inputs) -> list[Event]:
        session = self.current
        if (
            session is not None
            and session.running_since is not None
            and x.occupied
            and x.judged
            and x.gap_from is None
        ):
            return self.running_frame(session, x.t, x.uneven, x.still, x.imbalance)
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

    def running_frame(
        self, session: OpenSession, t: float, uneven: bool, still: bool, imbalance: float | None
    ) -> list[Event]:
        """The usual frame: ``session`` (the current one) runs, the person is seen on the mat
        and judged, and no gap came before (``on_frame`` would find just that). Its time and
        tally go on; milestones are looked at once the next one is due."""
        self._away_since = None
        dt = t - session.last_t
        session.tally.add_frame(dt if dt > 0.0 else 0.0, uneven, still, imbalance)  # max(0, dt)
        session.last_t = t
        running_since: float = session.running_since  # type: ignore[assignment]  # it runs
        run_s = t - running_since
        elapsed = session.banked_s + (run_s if run_s > 0.0 else 0.0)  # session.elapsed(t)
        next_s = session.next_s
        if next_s is not None and elapsed < next_s:
            return []
        return self._milestones(session, t, elapsed)

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
            events.append(session.pause(t, prev, "no_frames"))
        if t - prev >= self._s.grace_s:
            events.append(self._end(t, "left_mat"))
        return events

    def _maybe_start(self, x: Inputs) -> list[Event]:
        if not x.occupied or self._rearm or not x.judged:
            return []
        spec = self.programs[self.programs.selected]
        if spec.trigger == "lie" and x.ready_lie:
            return [self._start(x.t, "lie_down")]
        if spec.trigger == "stand" and x.ready_stand:
            return [self._start(x.t, "stand")]
        return []

    def _while_running(self, session: OpenSession, x: Inputs) -> list[Event]:
        if not x.judged:
            assert self._away_since is not None  # on_frame set it from unjudged_since
            return [session.pause(x.t, self._away_since, "too_few_zones")]
        if not x.occupied:
            left = x.left_at if x.left_at is not None else x.t
            return [session.pause(x.t, min(left, x.t), "away")]
        return self._milestones(session, x.t, session.elapsed(x.t))

    def _while_paused(self, session: OpenSession, x: Inputs) -> list[Event]:
        if x.judged and x.occupied and not session.manual:
            return [session.resume(x.t)]
        away = self._away_since
        if x.t < self._observe_until:
            return []
        if away is not None and x.t - away >= self._s.grace_s:
            return [self._end(x.t, "left_mat")]
        return []

    def _milestones(self, session: OpenSession, t: float, elapsed: float) -> list[Event]:
        next_s = session.next_s
        if next_s is None:
            next_s = session.next_s = next_milestone_s(session, self._s.max_session_s)
        if elapsed < next_s:
            return []
        events, over = reached(session, t, elapsed, self._s.max_session_s)
        if over:
            events.append(self._end(t, "max_duration"))
        return events

    def _accumulate(self, session: OpenSession, x: Inputs) -> None:
        dt = max(0.0, x.t - session.last_t)
        session.last_t = x.t
        if session.running_since is None:
            return
        session.tally.add_frame(dt, x.uneven, x.still, x.imbalance)

    # -- transitions ----------------------------------------------------------------
    def _start(self, t: float, trigger: Trigger) -> SessionStarted:
        self._count += 1
        spec = self.programs[self.programs.selected]
        self.current = OpenSession(
            number=self._count,
            program=self.programs.selected,
            spec=spec,
            trigger=trigger,
            started_t=t,
            running_since=t,
            last_t=t,
        )
        return SessionStarted(
            t=t,
            session=self._count,
            program=self.programs.selected,
            trigger=trigger,
            target_s=spec.target_s,
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
        return None if session is None else session.saved(t, last_seen_t)

    def restore(self, saved: SavedSession, t: float) -> None:
        """Takes a saved session back as paused since the person was last seen: the next
        frames resume it if they are on the mat, or end it (``left_mat``, the time counted up
        to when they were last seen) once ``grace_s`` has passed since then. The session keeps
        its target and the figures measured before the restart."""
        if saved.program not in self.programs or self.current is not None:
            return
        self._count = max(self._count, saved.number)
        spec = self.programs.with_target(saved.program, saved.target_s)
        self.current = OpenSession.from_saved(saved, spec)
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
        name = program or self.programs.selected
        if name not in self.programs:
            return self.programs.unknown(name), []
        if self.current is not None:
            return CommandResult.failure(
                f"a {self.current.program} session is already running; stop it first"
            ), []
        self.programs.selected = name
        events: list[Event] = [self._start(t, "command")]
        if not occupied:
            assert self.current is not None
            events.append(self.current.pause(t, t, "away"))
        return CommandResult.success(), events

    def stop(self, t: float) -> tuple[CommandResult, list[Event]]:
        if self.current is None:
            return CommandResult.failure("no session is running"), []
        return CommandResult.success(), [self._end(t, "command")]

    def pause(self, t: float) -> tuple[CommandResult, list[Event]]:
        session = self.current
        if session is None or session.running_since is None:
            return CommandResult.failure("no running session to pause"), []
        return CommandResult.success(), [session.pause(t, t, "command")]

    def resume(self, t: float, occupied: bool) -> tuple[CommandResult, list[Event]]:
        session = self.current
        if session is None or session.running_since is not None:
            return CommandResult.failure("no paused session to resume"), []
        if not occupied:
            return CommandResult.failure("nobody is on the mat; it resumes when you return"), []
        return CommandResult.success(), [session.resume(t)]

    def continue_numbering(self, after: int) -> tuple[CommandResult, list[Event]]:
        """The next session is numbered above ``after`` (numbers already given stand)."""
        self._count = max(self._count, after)
        return CommandResult.success(), []

    def snapshot(self, t: float) -> SessionSnapshot:
        session = self.current
        if session is None:
            return SessionSnapshot(state="idle", program=self.programs.selected)
        return session.snapshot(t)
