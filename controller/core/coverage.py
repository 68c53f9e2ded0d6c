"""Which zones the core judges on, once some are dead, and whether enough are left (pure).

A dead zone (no valid reading for ``hold_s``, see ``faults.py``) is left out of every total:
presence and the load shown weigh the live zones only. Enough live area left
(``min_live_share`` of the mat's zone area), the rest is judged on what remains:

* posture compares the head-to-foot profile with body templates, so a missing tile would bend
  the profile; a dead tile is estimated from the live tiles under its mirror image across the
  centre line (a body lying, sitting or standing loads both sides much alike); a tile with no
  live mirror (it straddles the line, or its mirror is dead too) counts as empty;
* balance compares the two sides, and the rows left out may hold the body's counterweight (a
  body curled to one side has its legs on the other): a dead zone's load is missing, not gone.
  Once the body was seen whole (``whole_kg``: every zone reading its own while it lay still),
  what the live zones miss of that weight now lies on the dead tiles (a body on the mat keeps
  its weight), shared among them as they shared it then, and balance weighs the whole body.
  With no such frame (the zone dead since before the body lay still), a tile counts only when
  the tiles under its mirror image are all live: a dead tile takes its mirror partner out with
  it, and the sides stay fair; the rows left out may still hold the counterweight (a body curled
  over a zone dead from the start reads uneven).

Too little live area, and nothing is judged: posture is ``unknown`` and a running session
pauses (``session.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from firmware.layout import MatLayout

_OVERLAP_M2 = 1e-6  # below this two rectangles only touch
_WHOLE_EVERY_S = 1.0  # the body seen whole is taken once a second (it lies still meanwhile)


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

    def missing_loads(
        self, positive_kg: list[float], dead: Sequence[bool], whole_kg: Sequence[float]
    ) -> list[float]:
        """Loads (negatives read as 0) with the dead zones given what the live zones miss of
        the body's weight seen whole (``whole_kg``), shared as the dead zones shared it then (by
        area if they then carried nothing)."""
        then = [kg if kg > 0.0 and gone else 0.0 for kg, gone in zip(whole_kg, dead, strict=True)]
        missing_kg = sum(kg for kg in whole_kg if kg > 0.0) - sum(positive_kg)
        if missing_kg <= 0.0:
            return positive_kg
        held_kg = sum(then)
        if held_kg <= 0.0:
            then = [a if gone else 0.0 for a, gone in zip(self.area_m2, dead, strict=True)]
            held_kg = sum(then)
        out = list(positive_kg)
        for i, share in enumerate(then):
            if share > 0.0:
                out[i] = missing_kg * share / held_kg
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
    # the body seen whole: the loads of the latest frame with every zone reading its own while
    # someone lay still (None once the mat is empty), for balance. Lying still: a body on its
    # way down is not all on the mat yet. Every reading its own: a zone gone bad holds its last
    # value until it is dead (``hold_s``), and the body may have moved off it meanwhile.
    whole_kg: list[float] | None = None
    whole_due_t: float = 0.0  # looked at once a second (``see_whole``): a frame costs nothing

    def see_whole(
        self,
        t: float,
        loads_kg: list[float],
        occupied: bool,
        lying_still: bool,
        bad_since: list[float | None],
    ) -> None:
        """Takes this frame's loads as the body seen whole when it lies still and every zone
        reads its own (none dead, none held); forgets them when the mat is empty."""
        self.whole_due_t = t + _WHOLE_EVERY_S
        if not occupied:
            self.whole_kg = None
        elif lying_still and not self.any_dead and bad_since.count(None) == len(bad_since):
            self.whole_kg = loads_kg

    def update(self, dead: list[bool], version: int) -> None:
        self.dead, self.version, self.any_dead = dead, version, any(dead)
        self.judged = self.coverage.live_share(dead) >= self.min_live_share

    def left_out(
        self, corrected: list[float]
    ) -> tuple[list[float], list[float], list[float], float, list[float], float]:
        """With zones dead: the zero-corrected loads with dead zones left out; the shape (dead
        zones seen through their mirror) for posture and movement, and the loads balance
        compares (the body seen whole before: the dead zones given what the live ones miss of
        its weight), each of these two also with negatives read as 0 and their total."""
        dead = self.dead  # nothing stands in for a dead zone: it is left out of every total
        loads = [0.0 if gone else kg for kg, gone in zip(corrected, dead, strict=True)]
        # Through the mirror a zone's death is no movement and bends no profile.
        cover = self.coverage
        shape = cover.posture_loads(loads, dead)
        positive = [kg if kg > 0.0 else 0.0 for kg in shape]
        whole = self.whole_kg
        if whole is None:
            even = [kg if kg > 0.0 else 0.0 for kg in cover.balance_loads(loads, dead)]
        else:
            even = cover.missing_loads([kg if kg > 0.0 else 0.0 for kg in loads], dead, whole)
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
