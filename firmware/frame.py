"""The zone frame: what the firmware hands the controller, ten (or eighty) times a second.

Pure data. Loads are in the layout's zone order; ``None`` marks a zone with no valid
reading. ``faults`` optionally says why, one entry per zone, in the fault vocabulary of
``firmware/faults.py`` (``not_ready``, ``saturated``, ``stuck``, ...), or is empty when the
source gives no reasons (frame files store none).
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware.faults import FaultReason


@dataclass(frozen=True, slots=True)
class ZoneFrame:
    """Calibrated kg per zone at monotonic time ``t`` (seconds)."""

    t: float
    load_kg: tuple[float | None, ...]
    faults: tuple[FaultReason | None, ...] = ()

    def valid(self, index: int) -> bool:
        return self.load_kg[index] is not None

    def fault(self, index: int) -> FaultReason | None:
        """The source's reason for a missing reading, or ``None`` when it gave none."""
        if self.faults:
            return self.faults[index]
        return None
