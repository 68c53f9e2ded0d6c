"""Single-sample signal judgements per zone: a word that is not a weight becomes a fault (pure).

Only the firmware sees the ADC's words, so only it judges them. A read that failed (the
backend's ``not_ready``, ``interrupted``, ``io_error``) or sat on a rail (``saturated``) is
not a weight. A word repeated ``stuck_samples`` times in a row is ``stuck``: a live 24-bit ADC
never repeats that often (its noise is tens of counts), but a DOUT wire shorted low reads 0
forever, and only the counts show it (in kg an unloaded, thresholded source may rightly read
0.0 for ever). A zone with counts but no scale is ``uncalibrated``. Each verdict looks at one
sample (the stuck count aside, which is a run of identical words, not a trend).

Judgements over time are the pure core's (``controller/core/faults.py``): the median that
rejects spikes, out of range, the ``missing_s`` debounce and the ``recover_s`` hysteresis.
There used to be a second, 5-sample median with a step limit here; the core's median does
that job for every source (simulator and frame files included), so it was removed. No I/O,
no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

import annotated_types

from firmware.faults import NOT_READY, STUCK, UNCALIBRATED, FaultReason, ReadStatus

# A single repeat happens by chance (1–2 % of samples with tens of counts of noise);
# two in a row, very seldom. The bound is defined once, for the config and for Python callers.
MIN_STUCK_SAMPLES = 2


@dataclass(frozen=True, slots=True)
class FilterSettings:
    """How a zone's words are judged (``[source.hardware.filters]``); defaults suit 10 SPS."""

    stuck_samples: Annotated[int, annotated_types.Ge(MIN_STUCK_SAMPLES)] = field(
        default=20,
        metadata={
            "description": "Identical 24-bit words in a row that mean a stuck board "
            "(20 = 2 s at 10 SPS)."
        },
    )

    def __post_init__(self) -> None:
        # The config's schema checks the Annotated bound with the field's path; this covers
        # Python callers.
        if self.stuck_samples < MIN_STUCK_SAMPLES:
            raise ValueError(f"stuck_samples must be >= {MIN_STUCK_SAMPLES}")


@dataclass(frozen=True, slots=True)
class Judged:
    """A zone's verdict for one sample: kg, or ``None`` with the fault that hid it."""

    load_kg: float | None
    fault: FaultReason | None = None


class ZoneFilter:
    """One zone's run of identical words. Feed it a reading with its kg; it returns a verdict."""

    def __init__(self, settings: FilterSettings | None = None) -> None:
        self.settings = settings or FilterSettings()
        self._last_counts: int | None = None
        self._repeats = 0

    def update(self, counts: int | None, status: ReadStatus, load_kg: float | None) -> Judged:
        """``status`` is the backend's; ``load_kg`` is ``None`` when the zone has no scale."""
        if status != "ok" or counts is None:
            self._repeats = 0
            self._last_counts = None
            return Judged(None, NOT_READY if status == "ok" else status)
        if self._is_stuck(counts):
            return Judged(None, STUCK)
        if load_kg is None:
            return Judged(None, UNCALIBRATED)
        return Judged(load_kg)

    def _is_stuck(self, counts: int) -> bool:
        if counts == self._last_counts:
            self._repeats += 1
        else:
            self._last_counts, self._repeats = counts, 1
        return self._repeats >= self.settings.stuck_samples


class FrameFilter:
    """One ``ZoneFilter`` per zone, in the layout's order."""

    def __init__(self, zones: int, settings: FilterSettings | None = None) -> None:
        self.zones = [ZoneFilter(settings) for _ in range(zones)]

    def update(
        self,
        counts: list[int | None],
        statuses: list[ReadStatus],
        loads_kg: list[float | None],
    ) -> list[Judged]:
        return [
            zf.update(c, s, kg)
            for zf, c, s, kg in zip(self.zones, counts, statuses, loads_kg, strict=True)
        ]
