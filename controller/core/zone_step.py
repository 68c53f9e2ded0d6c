"""A load cell knocked under a person: its zero steps in one frame; caught, its zero moved (pure).

A cell knocked or shifted under a lying person changes its zero: its reading steps by kilograms
from one frame to the next and stays there. Left alone, the step reads as load: 15 kg on one
zone of a lying body tips the balance, and an ``uneven_load`` stood for the rest of the session
that was only the fault. A body cannot make such a step: lying, it moves load between zones at a
constant total (a roll shifts it across over 2–5 s); things added or removed (a cat, a bag, a
child) change the total too, but they land with a transient over several frames and usually load
more than one zone. A knocked cell is a clean step in one zone between two frames, flat before
and after, with every other zone where it was.

So once a second (``DriftWatch`` samples) the mat's total is compared with the second before: a
knock moves it by its step, a lying body's moves keep it. While the posture reported is lying, a
total that moved by ``_MOVED_KG`` or more has the last frames (``recent``, raw, kept by the
controller) judged a second later (no zone's reading bad then: a rail, a dropout and a value out
of range are the conditioner's), in the zone that jumped most between two frames: its readings
stepped by ``STEP_KG`` or more between two frames ``_FRAME_GAP_S`` apart at most, every
zone's readings held within ``_FLAT_KG`` for ``_SIDE_S`` before and after the step, and every
other zone's level moved by ``_OTHERS_KG`` at most; and the zone's readings after it are not one
value repeated exactly (a stuck word or a frozen source: the firmware's and
``zone_frozen.py``'s). Then it raises ``sensor_fault`` (``offset_jump``) and its zero is moved
by the step, so balance, posture and presence read the body as before the knock; the zone stays
in (a knocked cell still weighs, its zero is known). Once the mat is empty and the zone has held
within ``SETTLED_KG`` for ``SETTLED_S``, it is re-zeroed where it reads (the step's estimate made
exact) and the fault is cleared, once.

Why 3 kg: below it the drift rule speaks (``zone_bounds.STEP_KG``: more in a second is a
landing, not a drifting cell), and a lying body's zones held within 0.18 kg over a second in the
simulator's 14 bodies. Why lying only: the physics above is a lying body's; sitting and standing
shift weight on purpose, and a second body on the mat (a child on the feet) reads as sitting, so
a load leaving it in one frame (a test rig's child) is not taken for a knock. Not caught: a step
while the body moves (the other zones are not flat), or under a body not reported lying, two
cells knocked together, frames further apart than ``_FRAME_GAP_S`` (a landing is not told from a
knock there), and a knock on the empty mat (a bag put down there is the zero's to follow).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from math import nan

from controller.core.events import Event, SensorFault
from controller.core.faults import ZoneConditioner
from controller.core.occupancy import ZeroTracker
from controller.core.zone_bounds import SETTLED_KG, SETTLED_S, STEP_KG
from firmware.faults import OFFSET_JUMP
from firmware.frame import ZoneFrame

_MOVED_KG = 2.0  # the total moved this much in a second: a step of 3 kg less the others' noise
_FLAT_KG = 0.5  # a lying body's zone over a second: <= 0.18 kg simulated; breathing ~0.2-0.4
_OTHERS_KG = 0.5  # every other zone's level across the step
_SIDE_S = 1.0  # flat this long before and after the step
_COVER = 0.8  # of ``_SIDE_S`` the frames on each side must span
_FRAME_GAP_S = 0.25  # the step between two frames this close (10 frames/s; 4 at least)
_FRAMES = 40  # kept: 4 s at 10 frames/s, a step a second before a sample and a second after


class KnockedZones:
    """Which zones were knocked; ``recent`` holds the last frames (the controller appends each)."""

    def __init__(self, names: tuple[str, ...], zero: ZeroTracker) -> None:
        n = len(names)
        self._names, self._zero = names, zero
        self.recent: deque[ZoneFrame] = deque(maxlen=_FRAMES)
        self.flagged = [False] * n
        self._before_kg = nan  # the previous second's total (NaN: none to compare with)
        self._candidate = False  # the total moved: judged on the next sample
        self._good_from = float("-inf")  # every reading good after this sample's time
        self._ref_kg = [0.0] * n  # a knocked zone's reading since ``_ref_t`` (within SETTLED_KG)
        self._ref_t = [0.0] * n

    def forget(self) -> None:
        """Samples further apart than a second or two: the change between them means nothing."""
        self._before_kg, self._candidate = nan, False

    def sample(
        self, t: float, zones: ZoneConditioner, occupied: bool, lying: bool,
        events: list[Event], *, left_out: tuple[Sequence[bool], ...],
    ) -> bool:  # fmt: skip
        """This second's sample (``lying``: the posture reported; ``left_out``: per zone, flags
        of the checks that leave zones out); returns whether a zone was flagged or cleared (its
        event appended to ``events``)."""
        changed = False
        candidate, self._candidate = self._candidate, False
        if zones.bad_since.count(None) < len(self.flagged):
            # a reading held, none or out of range: the conditioner's; the frames up to now
            # may hold its raw values (800 kg back to a body's 14 kg is a clean step too)
            self._good_from = t
        elif candidate and lying:
            changed = self._judge(t, left_out, events)
        # A knock moves the mat's total by its step (the others unchanged); a lying body's
        # moves keep it (the usual second: one sum)
        total_kg = sum(zones.loads_kg)
        self._candidate = lying and abs(total_kg - self._before_kg) >= _MOVED_KG
        self._before_kg = total_kg
        if True in self.flagged:
            changed = self._settle(t, zones, occupied, events) or changed
        return changed

    def _judge(self, t: float, left_out: tuple[Sequence[bool], ...], events: list[Event]) -> bool:
        """A clean step among the last frames, in the zone that jumped most between two of
        them, moves its zero; the first raises the fault."""
        frames = [f for f in self.recent if f.t > self._good_from]
        i = _jumped(frames)
        if i is None or any(out[i] for out in left_out):
            return False
        step_kg = clean_step(frames, i)
        if step_kg is None:
            return False
        self._zero.rezero(i, self._zero.offsets_kg[i] + step_kg)
        if self.flagged[i]:  # knocked again: its zero moved, the fault already raised
            return False
        self.flagged[i] = True
        events.append(SensorFault(t=t, zone=self._names[i], active=True, fault=OFFSET_JUMP))
        return True

    def _settle(
        self, t: float, zones: ZoneConditioner, occupied: bool, events: list[Event]
    ) -> bool:
        """A knocked zone still on the empty mat is re-zeroed where it reads; its fault cleared."""
        changed = False
        for i, on in enumerate(self.flagged):
            if not on:
                continue
            kg = zones.loads_kg[i]
            if occupied or zones.unsure(i) or abs(kg - self._ref_kg[i]) > SETTLED_KG:
                self._ref_kg[i], self._ref_t[i] = kg, t
            elif t - self._ref_t[i] >= SETTLED_S:
                self._zero.rezero(i, kg)
                self.flagged[i], changed = False, True
                name = self._names[i]
                events.append(SensorFault(t=t, zone=name, active=False, fault=OFFSET_JUMP))
        return changed


def _jumped(frames: Sequence[ZoneFrame]) -> int | None:
    """The zone that changed most between two consecutive frames (None: too few frames)."""
    if len(frames) < 2:
        return None
    best, best_kg = None, 0.0
    for i in range(len(frames[0].load_kg)):
        jump = _jump(frames, i)
        if jump is not None and jump[1] > best_kg:
            best, best_kg = i, jump[1]
    return best


def clean_step(frames: Sequence[ZoneFrame], i: int) -> float | None:
    """Zone ``i``'s step (kg) if it stepped cleanly between two of ``frames``: the frames each
    side flat for ``_SIDE_S``, every other zone's level where it was; else None."""
    jump = _jump(frames, i)
    if jump is None:
        return None
    k = jump[0]
    if frames[k].t - frames[k - 1].t > _FRAME_GAP_S:
        return None
    t0, t1 = frames[k - 1].t, frames[k].t
    before = [f.load_kg for f in frames[:k] if f.t >= t0 - _SIDE_S]
    after = [f.load_kg for f in frames[k:] if f.t <= t1 + _SIDE_S]
    span = _COVER * _SIDE_S
    if t0 - frames[k - len(before)].t < span or frames[k + len(after) - 1].t - t1 < span:
        return None
    if len({r[i] for r in after}) == 1:  # repeated exactly: a stuck word or a frozen source
        return None
    levels = _levels(before, after)
    if levels is None:
        return None
    step_kg = levels[i]
    others_still = all(abs(d) <= _OTHERS_KG for j, d in enumerate(levels) if j != i)
    return step_kg if abs(step_kg) >= STEP_KG and others_still else None


def _jump(frames: Sequence[ZoneFrame], i: int) -> tuple[int, float] | None:
    """The index of the frame where zone ``i`` changed most from the frame before, and by
    how much (kg, unsigned; None: a reading missing, too few frames, or no change)."""
    best, best_kg = None, 0.0
    previous = frames[0].load_kg[i] if frames else None
    for k in range(1, len(frames)):
        kg = frames[k].load_kg[i]
        if kg is None or previous is None:
            return None
        if abs(kg - previous) > best_kg:
            best, best_kg = k, abs(kg - previous)
        previous = kg
    return None if best is None else (best, best_kg)


def _levels(
    before: list[tuple[float | None, ...]], after: list[tuple[float | None, ...]]
) -> list[float] | None:
    """Each zone's change of level (median after − median before), or None when a zone was
    not flat within ``_FLAT_KG`` on a side, or had no reading there."""
    out = []
    for j in range(len(before[0])):
        side_b, side_a = [r[j] for r in before], [r[j] for r in after]
        level_b, level_a = _flat_level(side_b), _flat_level(side_a)
        if level_b is None or level_a is None:
            return None
        out.append(level_a - level_b)
    return out


def _flat_level(values: list[float | None]) -> float | None:
    """The median of ``values`` when they all lie within ``_FLAT_KG`` (NaN and None: None)."""
    kg = [v for v in values if v is not None]
    if len(kg) < len(values):
        return None
    kg.sort()
    lo = kg[0]
    if not all(lo <= v <= lo + _FLAT_KG for v in kg):  # a NaN fails every comparison
        return None
    return kg[len(kg) // 2]
