"""A load cell drifting fast with nobody on it: told from a load, left out, re-zeroed (pure).

Slow drift (temperature, creep: tenths of a kg per hour) is the zero's to follow
(``occupancy.ZeroTracker``). A failing cell (moisture in the gauge, a cracked bond, a loose
mounting) drifts by kilograms a minute, faster than the zero follows (``zero_tau_s`` 120 s
lags a ramp of r kg/s by r·120 kg), so its reading crosses ``person_kg`` and a phantom sits on
the empty mat, or stays after the person left and keeps their session open for hours.

Nothing that arrives on a mat grows its load slowly in one zone: a person's feet land within
~0.5 s, a bag or a cat in well under a second, and a body reaches more than one zone as it
comes. So once a second (one comparison on the frames between) each zone's conditioned reading
is sampled, and a zone is ``drifting`` when, with every other live zone near its zero
(``_QUIET_KG``), its reading moved one way in each of three 5-s spans by at least
``_MIN_SPAN_KG`` (3 kg/min: slower, the zero's lag stays under 6 kg, below ``leave_kg``), no
1-s step exceeding ``STEP_KG`` (a landing; ``zone_bounds``) nor going back by more than
``_BACK_KG`` (the noise). A 3-s fade-in of a body (~25 kg/s), a bag put down over 2 s (one
span holds all its change), a cat settling (it moves back and forth) and breathing (it goes
both ways, under a body that loads other zones) are none of these.

A drifting zone raises ``sensor_fault`` (``drifting``) and is left out of every total like a
dead zone (``coverage.py``); its zero stops following. Once the mat is empty and its reading
has held within ``SETTLED_KG`` for ``SETTLED_S``, it is re-zeroed where it settled
and the fault is cleared, once. Two cells drifting together (a shared supply) are not alone
and are not caught; nor is a cell that drifted under a body and stopped before the body left
(its offset then looks like a load left behind).

The same second's sample serves the stopped reading (``zone_frozen.py``: ``stuck``, left out)
and the knocked cell (``zone_step.py``: ``offset_jump``, its zero moved by the step).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from itertools import pairwise

from controller.core.coverage import LiveZones
from controller.core.events import Event, SensorFault
from controller.core.faults import ZoneConditioner
from controller.core.occupancy import ZeroTracker
from controller.core.zone_bounds import SETTLED_KG, SETTLED_S, STEP_KG
from controller.core.zone_frozen import FrozenZones
from controller.core.zone_step import KnockedZones
from firmware.faults import DRIFTING, OFFSET_JUMP, STUCK, FaultReason
from firmware.frame import ZoneFrame

_STEP_S = 1.0  # one sample a second: the 1-s steps the rule speaks of
_SLACK_S = 0.05  # frames a hair early still count as a second on (10 Hz: every 10th frame)
_GAP_S = 2.5  # samples further apart than this: the steps between them mean nothing
_SPANS = 3
_SPAN_STEPS = 5  # three 5-s spans: 15 s of steady change, one way
_WINDOW = _SPANS * _SPAN_STEPS + 1  # samples in a judged window
_MIN_SPAN_KG = 0.25  # 3 kg/min: a slower drift leaves the zero a lag of under 6 kg
_NET_KG = _SPANS * _MIN_SPAN_KG  # a window that moved less cannot have moved enough in each
_BACK_KG = 0.15  # a step back this big breaks the run (noise ~20-50 g; breathing ~0.2 kg)
_QUIET_KG = 2.5  # every other live zone within this of its zero: the zone is alone
_STILL_STEPS = round(SETTLED_S)  # the samples, a second apart, that show it settled


class DriftWatch:
    """Which zones drift. ``next_t`` is when to sample; a change of which zones drift is
    handed to ``live`` at once (with the conditioner's dead zones), so the controller's usual
    frame looks at ``next_t`` only."""

    def __init__(self, names: tuple[str, ...], zero: ZeroTracker, live: LiveZones) -> None:
        self._names = names
        self._zero, self._live = zero, live
        n = len(names)
        self._history: list[deque[float]] = [deque(maxlen=_WINDOW) for _ in range(n)]
        self.flagged = [False] * n
        self._frozen = FrozenZones(names)  # a reading that stopped changing (zone_frozen.py)
        self._knocked = KnockedZones(names, zero)  # a zero that stepped (zone_step.py)
        # the last frames, for a knocked cell's step: the controller appends every frame
        self.recent: deque[ZoneFrame] = self._knocked.recent
        self._faults: dict[str, FaultReason] = {}
        self._left_out = False  # a zone drifting or frozen: judged every second
        self._kept = False  # some history is kept (``_forget`` has something to clear)
        self.next_t = float("-inf")
        self._last_t: float | None = None

    @property
    def faults(self) -> dict[str, FaultReason]:
        """The drifting, frozen and knocked zones (their names), for the mat's state."""
        return self._faults

    def left_out(self, dead: Sequence[bool]) -> list[bool]:
        """The conditioner's dead zones with the drifting and the frozen ones added."""
        frozen = self._frozen.flagged
        pairs = enumerate(zip(dead, self.flagged, strict=True))
        return [gone or on or frozen[i] for i, (gone, on) in pairs]

    def sample(
        self, t: float, zones: ZoneConditioner, occupied: bool, events: list[Event],
        lying: bool = False,
    ) -> None:  # fmt: skip
        """Takes this second's sample (``t`` ≥ ``next_t``) of the conditioned readings; a fault
        raised or cleared is appended to ``events``, a settled zone re-zeroed. ``lying``: the
        posture reported is lying (a knocked cell is judged under a lying body only)."""
        if self._last_t is not None and t - self._last_t > _GAP_S:
            self._forget()
            self._frozen.forget()
            self._knocked.forget()
        self._last_t, self.next_t = t, t + _STEP_S - _SLACK_S
        frozen = self._frozen.flagged
        if self._frozen.sample(t, zones.loads_kg, zones.bad_since, events):
            self._name_faults()
            self._live.update(self.left_out(zones.dead), zones.dead_version)
        left_out = (self.flagged, frozen)
        if self._knocked.sample(t, zones, occupied, lying, events, left_out=left_out):
            self._name_faults()  # a knocked zone stays in: its zero moved instead
        loud = self._loud(zones)
        if loud is None and not self._left_out:  # the usual sample: a body loads several zones
            self._forget()
            return
        before = list(self.flagged)
        self._judge(t, zones, loud, occupied, events)
        if self.flagged != before:
            self._live.update(self.left_out(zones.dead), zones.dead_version)

    def _loud(self, zones: ZoneConditioner) -> list[int] | None:
        """The zones away from their zero (none drifting, each reading its own); None when
        two or more are (stops at the second: under a body, after two zones)."""
        offsets, flagged = self._zero.offsets_kg, self.flagged
        loud: list[int] = []
        for i, kg in enumerate(zones.loads_kg):
            corrected_kg = kg - offsets[i]
            if -_QUIET_KG <= corrected_kg <= _QUIET_KG or flagged[i] or zones.unsure(i):
                continue
            if loud:
                return None
            loud.append(i)
        return loud

    def _judge(
        self,
        t: float,
        zones: ZoneConditioner,
        loud: list[int] | None,
        occupied: bool,
        events: list[Event],
    ) -> None:
        """Each zone alone (or drifting) takes its sample and is judged; the others forget."""
        raw_kg, flagged = zones.loads_kg, self.flagged
        for i, h in enumerate(self._history):
            alone = loud is not None and (not loud or loud == [i])
            # a held value or none is not the cell's own: judged again from fresh samples
            if zones.unsure(i) or not (flagged[i] or alone):
                h.clear()
                continue
            h.append(raw_kg[i])
            self._kept = True
            if not flagged[i]:
                # the spans add up to the net change: most windows end there (an empty mat)
                if len(h) == _WINDOW and abs(h[-1] - h[0]) >= _NET_KG and drifting(list(h)):
                    self._flag(i, t, True, events)
            elif not occupied and loud == [] and _still(h):
                self._zero.rezero(i, raw_kg[i])
                self._flag(i, t, False, events)

    def _forget(self) -> None:
        if self._kept:
            for h in self._history:
                h.clear()
            self._kept = False

    def _flag(self, i: int, t: float, on: bool, events: list[Event]) -> None:
        self.flagged[i] = on
        self._name_faults()
        events.append(SensorFault(t=t, zone=self._names[i], active=on, fault=DRIFTING))

    def _name_faults(self) -> None:
        names, frozen, knocked = self._names, self._frozen.flagged, self._knocked.flagged
        self._faults = {n: OFFSET_JUMP for n, f in zip(names, knocked, strict=True) if f}
        self._faults |= {n: STUCK for n, f in zip(names, frozen, strict=True) if f}
        self._faults |= {n: DRIFTING for n, f in zip(names, self.flagged, strict=True) if f}
        self._left_out = True in frozen or True in self.flagged


def drifting(samples: Sequence[float]) -> bool:
    """A window of 1-s samples moved one way steadily: each span by ``_MIN_SPAN_KG`` or more,
    no step over ``STEP_KG``, none back by more than ``_BACK_KG``."""
    sign = 1.0 if samples[-1] >= samples[0] else -1.0
    for a, b in pairwise(samples):
        if not -_BACK_KG <= sign * (b - a) <= STEP_KG:
            return False
    ends = samples[::_SPAN_STEPS]
    return all(sign * (b - a) >= _MIN_SPAN_KG for a, b in pairwise(ends))


def _still(h: deque[float]) -> bool:
    if len(h) <= _STILL_STEPS:
        return False
    recent = list(h)[-_STILL_STEPS - 1 :]
    return max(recent) - min(recent) <= SETTLED_KG
