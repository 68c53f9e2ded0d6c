"""Signal quality per zone: saturated, stuck and spiky readings become fault flags (pure).

A reading reaches the controller as weight only when it is believable. Saturated words
(``0x7FFFFF``/``0x800000``) are rails, not load. A word repeated ``stuck_samples`` times in a
row is stuck: a live 24-bit ADC never repeats that often (noise is tens of counts), but a
DOUT wire shorted low reads 0 forever. A spike is a sample that leaves the median of the
recent window by more than ``max_step_kg``; a real step (someone sits down) fills the window
and is accepted after ``window // 2`` samples, a single glitch never is. No I/O, no clock.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from statistics import median

NOT_READY = "not_ready"
SATURATED = "saturated"
STUCK = "stuck"
SPIKE = "spike"
UNCALIBRATED = "uncalibrated"


@dataclass(frozen=True, slots=True)
class FilterSettings:
    """How a zone's readings are judged; defaults suit 10 SPS and 50 kg load cells."""

    median_window: int = 5
    max_step_kg: float = 25.0
    stuck_samples: int = 20

    def __post_init__(self) -> None:
        if self.median_window < 1 or self.median_window % 2 == 0:
            raise ValueError("median_window must be an odd number >= 1")
        if self.max_step_kg <= 0 or self.stuck_samples < 2:
            raise ValueError("max_step_kg must be > 0 and stuck_samples >= 2")


@dataclass(frozen=True, slots=True)
class Judged:
    """A zone's verdict for one sample: kg, or ``None`` with the fault that hid it."""

    load_kg: float | None
    fault: str | None = None


class ZoneFilter:
    """One zone's recent history. Feed it raw counts with their kg; it returns a verdict."""

    def __init__(self, settings: FilterSettings | None = None) -> None:
        self.settings = settings or FilterSettings()
        self._window: deque[float] = deque(maxlen=self.settings.median_window)
        self._last_counts: int | None = None
        self._repeats = 0

    def update(self, counts: int | None, status: str, load_kg: float | None) -> Judged:
        """``status`` is the backend's (``ok``/``not_ready``/``saturated``/...)."""
        if status != "ok" or counts is None:
            self._repeats = 0
            self._last_counts = None
            return Judged(None, status if status != "ok" else NOT_READY)
        if self._is_stuck(counts):
            return Judged(None, STUCK)
        if load_kg is None:
            return Judged(None, UNCALIBRATED)
        return self._despike(load_kg)

    def _is_stuck(self, counts: int) -> bool:
        if counts == self._last_counts:
            self._repeats += 1
        else:
            self._last_counts, self._repeats = counts, 1
        return self._repeats >= self.settings.stuck_samples

    def _despike(self, load_kg: float) -> Judged:
        # The window keeps rejected samples too, so a real, lasting step wins the median.
        self._window.append(load_kg)
        if len(self._window) < 3:  # a median of fewer than three is no reference yet
            return Judged(load_kg)
        if abs(load_kg - median(self._window)) > self.settings.max_step_kg:
            return Judged(None, SPIKE)
        return Judged(load_kg)


class FrameFilter:
    """One ``ZoneFilter`` per zone, in the layout's order."""

    def __init__(self, zones: int, settings: FilterSettings | None = None) -> None:
        self.zones = [ZoneFilter(settings) for _ in range(zones)]

    def update(
        self,
        counts: list[int | None],
        statuses: list[str],
        loads_kg: list[float | None],
    ) -> list[Judged]:
        return [
            zf.update(c, s, kg)
            for zf, c, s, kg in zip(self.zones, counts, statuses, loads_kg, strict=True)
        ]
