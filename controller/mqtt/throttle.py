"""A repeated failure said at once, then at most once a minute (pure: the caller's clock).

``Every.due(now_s)`` answers whether a line may be logged now and how many were held back
since the last one, so the next line can say "(and 57 more)". The clock is the caller's
(``Clock.monotonic()``), so tests step a ``FakeClock`` instead of waiting a minute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

ONCE_A_MINUTE_S = 60.0


@dataclass
class Every:
    """The first ``due`` is at once; later ones at most once per ``period_s``."""

    period_s: float = ONCE_A_MINUTE_S
    _last_s: float = -math.inf
    _held: int = 0

    def due(self, now_s: float) -> int | None:
        """None: hold this line back (counted). Else the number held back since the last."""
        if now_s - self._last_s >= self.period_s or now_s < self._last_s:
            held, self._held, self._last_s = self._held, 0, now_s
            return held
        self._held += 1
        return None

    @property
    def held(self) -> int:
        """Lines held back since the last one said."""
        return self._held

    def reset(self) -> None:
        """The failure is over: the next one is said at once."""
        self._last_s, self._held = -math.inf, 0


def and_more(held: int) -> str:
    """The tail of a line that stands for ``held`` others: ``""`` or ``" (and 3 more)"``."""
    return f" (and {held} more since the last line)" if held else ""
