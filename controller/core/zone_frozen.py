"""A zone whose reading stopped changing while the others move: ``stuck``, left out (pure).

A live load cell is never exact: its kg carry the ADC's noise (tens of grams) and, under a
body, its breathing. The firmware catches a board that repeats one 24-bit word and hands the
core ``None`` (``stuck``), but a source that reports kg without words (a frame file, the MQTT
zone stream) hands the core the frozen kg itself. Left in, such a zone keeps the load it had
when it froze: after a side-lying body (95 kg) got up, a zone frozen at 30.6 kg kept the mat
occupied and the session open for hours, past the left-behind rule (a remainder under 0.35 of
the body's still load).

So once a second (``DriftWatch`` samples) each zone's conditioned reading is compared with its
previous sample: a zone whose reading is exactly the same for ``_FROZEN_S`` while it reads
``_MIN_KG`` or more (an empty zone that a source rounds or clips may rightly read 0.0),
another zone's reading changed in that time (a source that repeats a whole frame, or a test's
constant loads, freezes every zone alike), and the other zones together carry less than it
raises ``sensor_fault`` (``stuck``) and is left out like a dead zone (``coverage.py``). Its
first changed reading clears the fault, once. Samples further apart than ``DriftWatch`` allows
start the count again (``forget``).

Why "the others carry less": a frozen zone does its harm when it is what holds the mat
occupied, a load with nothing around it after the person left (or on an empty mat). Under a
body that carries more elsewhere it is not told from a harness's noise-free figures: a test
rig that adds the legs' load from segment masses as a constant, under a recorded seat or
trunk that moves, repeats that zone to the gram too, and leaving it out paused the session
(too few zones). A live cell is never that exact, so on a real mat both rules agree.
"""

from __future__ import annotations

from collections.abc import Sequence

from controller.core.events import Event, SensorFault
from firmware.faults import STUCK

_FROZEN_S = 30.0  # a live cell repeats a reading to the gram for a few frames at most
_MIN_KG = 1.0  # below this a repeated reading may be a rounded or clipped empty zone


class FrozenZones:
    """Which zones read one value for too long; ``flagged`` per zone."""

    def __init__(self, names: tuple[str, ...]) -> None:
        n = len(names)
        self._names = names
        self.flagged = [False] * n
        self._value: list[float | None] = [None] * n
        self._since = [0.0] * n  # when the zone's current value was first sampled

    def forget(self) -> None:
        """Samples too far apart (``DriftWatch``): each zone's count starts again."""
        self._value = [None] * len(self._value)

    def sample(
        self,
        t: float,
        loads_kg: Sequence[float],
        bad_since: Sequence[float | None],
        events: list[Event],
    ) -> bool:
        """Takes this second's sample (``bad_since``: per zone, since when its reading is bad,
        held or none: not the cell's own); returns whether a zone was flagged or cleared."""
        changed = False
        values, since, flagged = self._value, self._since, self.flagged
        for i, kg in enumerate(loads_kg):
            if bad_since[i] is not None:
                values[i] = None
            elif kg != values[i]:
                values[i], since[i] = kg, t
                if flagged[i]:
                    changed = self._flag(i, t, False, events)
        if t - min(since) < _FROZEN_S:  # the usual second: every zone changed lately
            return changed
        return self._judge(t, loads_kg, events) or changed

    def _judge(self, t: float, loads_kg: Sequence[float], events: list[Event]) -> bool:
        """Flags the zones unchanged for ``_FROZEN_S`` that are loaded and hold the mat alone."""
        changed = False
        values, since = self._value, self._since
        carried_kg = sum(abs(kg) for i, kg in enumerate(loads_kg) if values[i] is not None)
        for i, kg in enumerate(loads_kg):
            if self.flagged[i] or values[i] is None or t - since[i] < _FROZEN_S:
                continue
            alone = carried_kg - abs(kg) < abs(kg)  # the rest carry less than it
            if (
                abs(kg) >= _MIN_KG
                and alone
                and any(s > since[i] for j, s in enumerate(since) if j != i)
            ):
                changed = self._flag(i, t, True, events)
        return changed

    def _flag(self, i: int, t: float, on: bool, events: list[Event]) -> bool:
        self.flagged[i] = on
        events.append(SensorFault(t=t, zone=self._names[i], active=on, fault=STUCK))
        return True
