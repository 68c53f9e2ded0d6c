"""The zone frame: what the firmware hands the controller, ten (or eighty) times a second.

Pure data. Loads are in the layout's zone order; ``None`` marks a zone with no valid
reading. ``faults`` optionally says why (``"not_ready"``, ``"saturated"``, ``"stuck"``,
``"spike"``, ...), one entry per zone, or is empty when the source gives no reasons.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ZoneFrame:
    """Calibrated kg per zone at monotonic time ``t`` (seconds)."""

    t: float
    load_kg: tuple[float | None, ...]
    faults: tuple[str | None, ...] = ()

    def valid(self, index: int) -> bool:
        return self.load_kg[index] is not None

    def fault(self, index: int) -> str | None:
        """The source's reason for a missing reading, or ``None`` when it gave none."""
        if self.faults:
            return self.faults[index]
        return None
