"""The controller's functional core: a frame or a command in, events out (pure).

``MatController`` owns no I/O, reads no clock and logs nothing; time comes on the frames and
commands. Per frame: condition the zones (spikes, faults), remove the empty mat's drift, leave dead
zones and drifting cells out (``coverage.py``, ``zone_drift.py``), move a knocked cell's zero
(``zone_step.py``), decide presence, posture and stillness, watch balance, run the session
machine and, when given one, the breathing estimator.
With too few live zones nothing is judged: presence holds, posture is ``unknown`` and a running
session pauses. Deterministic: the same frames give the same events.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from controller.core.balance import BalanceMonitor, BalanceReading, measure_positive
from controller.core.commands import Command, CommandResult
from controller.core.coverage import LiveZones, build_coverage
from controller.core.dispatch import CommandDispatch
from controller.core.events import Breathing, Event, Posture, PostureChanged
from controller.core.faults import ZoneConditioner
from controller.core.geometry import build_geometry
from controller.core.motion import MotionMeter
from controller.core.occupancy import Presence, ZeroTracker
from controller.core.posture import PostureClassifier
from controller.core.session import Inputs, SavedSession, SessionMachine
from controller.core.settings import CoreSettings
from controller.core.state import MatState
from controller.core.zone_drift import DriftWatch
from firmware.faults import OFFSET_JUMP
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout


class BreathingPort(Protocol):
    """What the core needs of a breathing estimator (controller.core.breathing)."""

    def feed(self, frame: ZoneFrame, lying_still: bool) -> Breathing | None: ...

    def reset(self) -> None: ...


class MatController:
    def __init__(
        self,
        layout: MatLayout,
        settings: CoreSettings | None = None,
        breathing: BreathingPort | None = None,
    ) -> None:
        self.layout = layout
        self.settings = settings or CoreSettings()
        s = self.settings
        self._geometry = build_geometry(layout)
        self._live = LiveZones(build_coverage(layout), s.faults.min_live_share)
        self._zones = ZoneConditioner(layout.names, s.faults)
        self._zero = ZeroTracker(len(layout.zones), s.detection)
        self._drift = DriftWatch(layout.names, self._zero, self._live)
        self._presence = Presence(s.detection)
        self._motion = MotionMeter(len(layout.zones), s.detection)
        self._posture = PostureClassifier(self._geometry, s.detection, self._session_open)
        self._reported: Posture = "empty"  # the classifier's, or unknown while not judged
        self._balance = BalanceMonitor(s.balance)
        self.sessions = SessionMachine(s.session)
        self._commands = CommandDispatch(
            layout.names, self._presence, self._live, self._zones, self._zero
        )
        self._breathing = breathing
        self._t = 0.0
        self._loads: list[float] = [0.0] * len(layout.zones)
        self._total = 0.0
        self._imbalance: float | None = None
        self._reading = BalanceReading(None, None, None)  # the latest (centre of pressure)
        self._bpm: float | None = None
        self._inputs = Inputs(t=0.0, occupied=False, left_at=None, ready_lie=False,
                              ready_stand=False, uneven=False, imbalance=None)  # fmt: skip
        self._fed = False
        self._stall_s = s.faults.stall_s
        # Nothing known of a session before the frames, for the body there at their start:
        # until ``begin_without_session`` or the first visit's end. When readings are lost it
        # becomes whether a session was open then, for the body found when they come back.
        self._before_unknown = True

    # -- frames -----------------------------------------------------------------------
    def feed(self, frame: ZoneFrame) -> list[Event]:
        t, previous_t = frame.t, self._t
        self._t = t
        events: list[Event] = []
        zones, live = self._zones, self._live
        zones.feed(frame, events)
        drift = self._drift  # a drifting cell is left out like a dead zone (zone_drift.py)
        drift.recent.append(frame)  # the last frames: a knocked cell's step (zone_step.py)
        if t >= drift.next_t:  # once a second
            drift.sample(t, zones, self._presence.occupied, events, self._reported == "lying")
        if zones.dead_version != live.version:
            blind = not live.judged
            live.update(drift.left_out(zones.dead), zones.dead_version)
            if blind and live.judged:  # judged again: motion starts afresh, as posture does
                self._motion.restart()
        raw = zones.loads_kg
        corrected = self._zero.correct(raw)
        # once for every stage: posture's (pos) and balance's (even) loads read negatives as 0
        if live.any_dead:
            loads, shape, pos, pos_kg, even, even_kg = live.left_out(corrected)
            total = sum(loads)
        else:  # one list serves all (read, never written, by the detectors)
            loads = shape = corrected
            total = sum(loads)
            if min(loads) > 0.0:  # nothing to read as 0: the loads and their total serve
                even = pos = loads
                even_kg = pos_kg = total
            else:
                even = pos = [kg if kg > 0.0 else 0.0 for kg in loads]
                even_kg = pos_kg = sum(pos)
        self._loads, self._total = loads, total
        judged = live.judged
        still = self._motion.still_since is not None  # as of the frame before
        left_at = self._presence.frame(t, total, judged, events, still)
        occupied = self._presence.occupied
        may_zero = self._motion.update(t, shape, total, occupied)
        if may_zero or not self._zero.primed:
            self._zero.follow(t - previous_t if self._fed else 0.0, raw, may_zero, live.dead)
        self._judge_posture(t, pos, pos_kg, occupied, events)
        reading = self._reading = measure_positive(self._geometry, even, even_kg)
        self._imbalance = reading[0] if occupied and judged else None
        # Only lying: standing on the feet program shifts weight from foot to foot on purpose.
        lying = self._reported == "lying"
        if t >= live.whole_due_t:  # once a second: the body seen whole (coverage.py)
            live.see_whole(t, loads, occupied, lying and still, zones.bad_since)
        found = self._balance.update(t, reading[0], occupied and lying, reading[3])
        if found:
            events.extend(found)
        self._session_frame(t, previous_t, occupied, left_at, events)
        breathing = self._breathing
        if breathing is not None:
            self._breathing_frame(breathing, frame, lying, events)
        return events

    def _breathing_frame(
        self, breathing: BreathingPort, frame: ZoneFrame, lying: bool, events: list[Event]
    ) -> None:
        if lying:
            breath = breathing.feed(frame, self._motion.still_since is not None)
            if breath is not None:
                self._breathed(breath, events)
        elif self._bpm is not None:  # not lying: no rate to show
            breathing.reset()
            self._bpm = None

    def _judge_posture(
        self, t: float, pos: list[float], pos_kg: float, occupied: bool, events: list[Event]
    ) -> None:
        if not self._live.judged:
            if self._reported != "unknown":
                events.append(PostureChanged(t=t, posture="unknown", previous=self._reported))
                self._reported = "unknown"
                # Judged again, posture starts afresh: what it was tells nothing now. The body
                # seen then was not seen arriving: it may have lain there through the session
                # open now, even if the blind spell outlasts grace_s and ends that session.
                self._before_unknown = self.sessions.current is not None
                self._posture = PostureClassifier(
                    self._geometry, self.settings.detection, self._session_open
                )
            return
        motion, total = self._motion, self._total
        sway_ratio = motion.sway_kg / total if total > 0 else 0.0
        still = motion.still_since is not None
        changed = self._posture.judge(t, pos, pos_kg, occupied, sway_ratio, still=still)
        if changed is None and self._reported == "unknown" and not occupied:
            changed = PostureChanged(t=t, posture="empty", previous="empty")
        if changed is not None:
            events.append(replace(changed, previous=self._reported))
            self._reported = changed.posture

    def _settled(self, t: float) -> bool:
        """The reported posture has held long enough, or the body has been still long enough."""
        d = self.settings.detection
        if self._posture.held_s(t) >= d.settle_max_s:
            return True
        return self._motion.still_since is not None and t - self._motion.still_since >= d.settle_s

    def _session_frame(
        self, t: float, previous_t: float, occupied: bool, left_at: float | None,
        events: list[Event],
    ) -> None:  # fmt: skip
        """The session machine's frame: the usual one (a session runs, the person is seen, no
        gap) straight to ``running_frame``, any other through the frame's ``Inputs``."""
        sessions = self.sessions
        gap = self._fed and t - previous_t > self._stall_s
        self._fed = True  # a gap: nothing was seen since the previous frame
        session = sessions.current
        if (
            occupied
            and not gap
            and session is not None
            and session.running_since is not None
            and self._live.judged
        ):
            still = self._motion.still_since is not None
            imbalance, uneven = self._imbalance, self._balance.active
            found = sessions.running_frame(session, t, uneven, still, imbalance)
        else:
            found = sessions.on_frame(self._session_inputs(t, previous_t if gap else None,
                                                           occupied, left_at))  # fmt: skip
        if found:
            events.extend(found)

    def _session_inputs(
        self, t: float, gap_from: float | None, occupied: bool, left_at: float | None
    ) -> Inputs:
        """This frame's inputs to the session machine (one object, refilled on every frame
        that is not the usual one)."""
        x = self._inputs
        if left_at is not None:  # a visit ended: the next body's way there is watched
            self._before_unknown = False
        x.t, x.occupied, x.left_at, x.gap_from = t, occupied, left_at, gap_from
        x.uneven, x.imbalance = self._balance.active, self._imbalance
        x.still, x.judged = self._motion.still_since is not None, self._live.judged
        # Readiness decides a start only: not looked at while a session is open (unless a gap
        # in the frames may end it).
        x.ready_lie = x.ready_stand = False
        if self.sessions.current is None or gap_from is not None:
            reported = self._reported
            if reported in _STARTS and self._settled(t):
                x.ready_lie, x.ready_stand = reported == "lying", reported == "standing"
        x.unjudged_since = None if x.judged else self._zones.last_stopped
        return x

    def _breathed(self, found: Breathing, events: list[Event]) -> None:
        # quality 0 says "no estimate now": show none rather than 0 per minute
        self._bpm = found.bpm if found.quality > 0 else None
        if found.quality > 0:
            self.sessions.note_breathing(found.t, found.bpm)
        events.append(found)

    def save_session(self) -> SavedSession | None:
        """The running or paused session, to be restored after a restart (or None)."""
        return self.sessions.save(self._t, self._presence.seen_t)

    def restore_session(self, saved: SavedSession, t: float) -> None:
        """Takes back a saved session whose times were moved onto this run's frame time;
        ``t`` is the first frame's time. A body found there whole and still lay there."""
        self.sessions.restore(saved, t)

    def begin_without_session(self) -> None:
        """Whoever runs the core knows that no session was open before these frames (the
        service's journal held none): a body found there whole and still (or grown in place)
        did not lie there through a session, and only its shape or a lie-back seen may say
        lying. Without this (a frame file, a recording: nothing known), the body there at the
        frames' start is taken as having lain there, as under a restored session."""
        self._before_unknown = False

    def _session_open(self) -> bool:
        """Asked by the lie-back of a body found whole and still at a visit's first frame (no
        way there seen): might it have lain there through a session? Yes when one is open, or
        for the body at the frames' start when nothing says none was."""
        return self.sessions.current is not None or self._before_unknown

    def finish(self) -> list[Event]:
        """No more frames will come (end of a file or a simulation)."""
        return self.sessions.finish(self._t)

    # -- commands ---------------------------------------------------------------------
    def command(self, command: Command, t: float) -> tuple[CommandResult, list[Event]]:
        """Applies a command at ``t`` (the latest frame's time is a good one); see ``dispatch``."""
        return self._commands.apply(command, t, self.sessions)

    # -- state ------------------------------------------------------------------------
    @property
    def t(self) -> float:
        return self._t

    def snapshot(self) -> MatState:
        names = self.layout.names
        faults = self._drift.faults | self._zones.faults  # the conditioner's reason first
        reading = self._reading
        return MatState(
            t=self._t,
            posture=self._reported,
            occupied=self._presence.occupied,
            load_kg=round(self._total, 2),
            zones_kg={  # a knocked zone is weighed (its zero moved): the others at fault are not
                n: (None if faults.get(n, OFFSET_JUMP) != OFFSET_JUMP else round(kg, 2))
                for n, kg in zip(names, self._loads, strict=True)
            },
            imbalance=None if self._imbalance is None else round(self._imbalance, 3),
            cop_x_m=_r(reading.cop_x_m),
            cop_y_m=_r(reading.cop_y_m),
            session=self.sessions.snapshot(self._t),
            uneven=self._balance.active,
            uneven_side=self._balance.side if self._balance.active else None,
            faults=dict(faults),
            breathing_bpm=self._bpm,
        )


_STARTS = ("lying", "standing")  # the postures that start a session once settled


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
