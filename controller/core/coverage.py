"""Which zones the core judges on, once some are dead, and whether enough are left (pure).

A dead zone (no valid reading for ``hold_s``, see ``faults.py``) is left out of every total:
presence and the load shown weigh the live zones only. Enough live area left
(``min_live_share`` of the mat's zone area), the rest is judged on what remains:

* posture compares the head-to-foot profile with body templates, so a missing tile would bend
  the profile; a dead tile is estimated from the live tiles under its mirror image across the
  centre line (a body lying, sitting or standing loads both sides much alike); a tile with no
  live mirror (it straddles the line, or its mirror is dead too) counts as empty;
* balance compares the two sides, so a tile counts only when the tiles under its mirror image
  are all live: a dead tile takes its mirror partner out with it, and the sides stay fair.

Too little live area, and nothing is judged: posture is ``unknown`` and a running session
pauses (``session.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from firmware.layout import MatLayout

_OVERLAP_M2 = 1e-6  # below this two rectangles only touch


@dataclass(frozen=True, slots=True)
class Coverage:
    """For each zone, the zones under its mirror image and the share of each one it covers."""

    area_m2: tuple[float, ...]
    # mirror[i]: (j, share) pairs: zone i's mirror image covers ``share`` of zone j's area
    mirror: tuple[tuple[tuple[int, float], ...], ...]

    def live_share(self, dead: Sequence[bool]) -> float:
        """The share of the mat's zone area that is live."""
        live = sum(a for a, gone in zip(self.area_m2, dead, strict=True) if not gone)
        return live / sum(self.area_m2)

    def posture_loads(self, loads_kg: Sequence[float], dead: Sequence[bool]) -> list[float]:
        """Loads with each dead zone estimated from the live zones under its mirror image."""
        out = list(loads_kg)
        if not any(dead):
            return out
        for i, gone in enumerate(dead):
            if gone:
                pairs = self.mirror[i]
                whole = all(not dead[j] for j, _ in pairs)
                out[i] = sum(loads_kg[j] * share for j, share in pairs) if whole else 0.0
        return out

    def balance_loads(self, loads_kg: Sequence[float], dead: Sequence[bool]) -> list[float]:
        """Loads with each zone whose mirror image touches a dead zone left out (and the dead)."""
        if not any(dead):
            return list(loads_kg)
        return [
            0.0 if dead[i] or any(dead[j] for j, _ in self.mirror[i]) else kg
            for i, kg in enumerate(loads_kg)
        ]


@dataclass(slots=True)
class LiveZones:
    """Which zones are dead now and whether enough are live to judge; looked at again only
    when the conditioner's count of changes (``dead_version``) moves."""

    coverage: Coverage
    min_live_share: float
    dead: list[bool] = field(default_factory=list)
    any_dead: bool = False
    judged: bool = True
    version: int = -1

    def update(self, dead: list[bool], version: int) -> None:
        self.dead, self.version, self.any_dead = dead, version, any(dead)
        self.judged = self.coverage.live_share(dead) >= self.min_live_share

    def left_out(
        self, corrected: list[float]
    ) -> tuple[list[float], list[float], list[float], float, list[float], float]:
        """With zones dead: the zero-corrected loads with dead zones left out; the shape (dead
        zones seen through their mirror) for posture and movement, and the loads balance
        compares, each of these two also with negatives read as 0 and their total."""
        dead = self.dead  # nothing stands in for a dead zone: it is left out of every total
        loads = [0.0 if gone else kg for kg, gone in zip(corrected, dead, strict=True)]
        # Through the mirror a zone's death is no movement and bends no profile.
        cover = self.coverage
        shape = cover.posture_loads(loads, dead)
        positive = [kg if kg > 0.0 else 0.0 for kg in shape]
        even = [kg if kg > 0.0 else 0.0 for kg in cover.balance_loads(loads, dead)]
        return loads, shape, positive, sum(positive), even, sum(even)


def build_coverage(layout: MatLayout) -> Coverage:
    mirror = []
    for zone in layout.zones:
        # The mirror image across the centre line: x goes to width - x.
        x0, x1 = layout.width_m - zone.x1_m, layout.width_m - zone.x0_m
        pairs = []
        for j, other in enumerate(layout.zones):
            along = min(zone.y1_m, other.y1_m) - max(zone.y0_m, other.y0_m)
            across = min(x1, other.x1_m) - max(x0, other.x0_m)
            if along > 0.0 and across > 0.0 and along * across > _OVERLAP_M2:
                pairs.append((j, along * across / other.area_m2))
        mirror.append(tuple(pairs))
    return Coverage(area_m2=tuple(z.area_m2 for z in layout.zones), mirror=tuple(mirror))
