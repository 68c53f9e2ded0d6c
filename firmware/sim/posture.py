"""Putting a shape on the mat: placements, pressure styles, rolls (pure).

``place`` turns a table of ``shapes`` into rectangles on the mat at an anchor, either way round
along the mat or turned across it (sitting at a long edge), and mirrored for the other side.
A ``PressureStyle`` makes the segment model look like a pressure map (FACTS.md, "The body and
the mat"): light, soft parts (arms, calves) and thighs under-read, and a heavy upper body
carries the lumbar load and part of the pelvis's at the shoulders, up to about half the on-mat
load in the head-end third. ``rolled`` blends supine and side lying for a body rolled 30° or 60°.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from firmware.sim.body import Body, Pose
from firmware.sim.shapes import LYING_SHAPES, SHAPES, Part

__all__ = [
    "LYING_SHAPES",
    "SHAPES",
    "TEXTBOOK",
    "Placement",
    "PressureStyle",
    "lump",
    "place",
    "rolled",
]


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a shape's anchor sits on the mat (metres) and which way it points (+1 / −1);
    ``across``: turned 90°, its length along the mat's width (sitting at a long edge);
    ``mirror``: left and right swapped (lying on the right side instead of the left)."""

    x_m: float
    y_m: float
    direction: int = 1
    across: bool = False
    mirror: bool = False


@dataclass(frozen=True, slots=True)
class PressureStyle:
    """How a pressure map departs from the segment model (all 1/0: the textbook body).

    ``soft_read``: share of the arms' and calves' weight the mat reads; ``thigh_read``: the
    same for the thighs; ``upper_bias``: share of the abdomen's load (and 40 % of that share of
    the pelvis's) carried at the shoulders instead (the lumbar curve bridges the lower back).
    """

    soft_read: float = 1.0
    thigh_read: float = 1.0
    upper_bias: float = 0.0

    def factors(self, parts: tuple[Part, ...]) -> dict[str, float]:
        """Mass multiplier per tag for this table."""

        def total(tag: str) -> float:
            return sum(p[4] * (2 if p[5] else 1) for p in parts if p[7] == tag)

        upper, mid, pelvis = total("upper"), total("mid"), total("pelvis")
        b = self.upper_bias if upper > 0 else 0.0
        moved = b * mid + 0.4 * b * pelvis
        return {
            "arm": self.soft_read,
            "calf": self.soft_read,
            "thigh": self.thigh_read,
            "mid": 1.0 - b,
            "pelvis": 1.0 - 0.4 * b,
            "upper": (upper + moved) / upper if upper > 0 else 1.0,
        }


TEXTBOOK = PressureStyle()


def _expand(
    parts: tuple[Part, ...], style: PressureStyle
) -> list[tuple[float, float, float, float, float]]:
    factors = style.factors(parts)
    rows: list[tuple[float, float, float, float, float]] = []
    for u0, u1, v0, v1, raw_pct, mirrored, com, tag in parts:
        pct = raw_pct * factors.get(tag, 1.0)
        sides = [(u0, u1), (-u1, -u0)] if mirrored else [(u0, u1)]
        for a, b in sides:
            if com:
                mid = (v0 + v1) / 2
                proximal = 1.5 - 2 * com  # two halves whose centre of mass sits at `com`
                rows += [(a, b, v0, mid, pct * proximal), (a, b, mid, v1, pct * (1 - proximal))]
            else:
                rows.append((a, b, v0, v1, pct))
    return rows


def place(body: Body, shape: str, at: Placement, style: PressureStyle = TEXTBOOK) -> Pose:
    """The named shape for ``body``, anchored at ``at``; parts may fall off the platform."""
    table = np.array(_expand(SHAPES[shape], style), dtype=np.float64)
    h, d = body.height_m, at.direction
    us = -table[:, 0:2] if at.mirror else table[:, 0:2]
    if at.across:
        xs = at.x_m + d * table[:, 2:4] * h
        ys = at.y_m + d * us * h
    else:
        xs = at.x_m + d * us * h
        ys = at.y_m + d * table[:, 2:4] * h
    rects = np.column_stack([xs.min(1), ys.min(1), xs.max(1), ys.max(1)])
    return Pose(rects, table[:, 4] * body.mass_kg / 100.0)


def rolled(body: Body, at: Placement, degrees: float, style: PressureStyle = TEXTBOOK) -> Pose:
    """Supine rolled ``degrees`` (0–90) towards the left side (``at.mirror``: the right): the
    supine contact gives way to the side strip, which lies ~5 % of height towards that side."""
    weight = min(max(degrees / 90.0, 0.0), 1.0)
    towards = 1.0 if at.mirror else -1.0
    side_at = Placement(
        at.x_m + towards * 0.05 * body.height_m, at.y_m, at.direction, mirror=at.mirror
    )
    supine = place(body, "supine", at, style)
    side = place(body, "side", side_at, style)
    return Pose(
        np.vstack([supine.rects_m, side.rects_m]),
        np.concatenate([supine.masses_kg * (1 - weight), side.masses_kg * weight]),
    )


def lump(mass_kg: float, x_m: float, y_m: float, width_m: float, length_m: float) -> Pose:
    """One uniform rectangle centred at (x, y): a curled-up cat, a bag."""
    rect = np.array(
        [[x_m - width_m / 2, y_m - length_m / 2, x_m + width_m / 2, y_m + length_m / 2]]
    )
    return Pose(rect, np.array([mass_kg]))
