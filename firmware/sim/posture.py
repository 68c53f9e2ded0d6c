"""Shapes of a body in each posture: where its mass rests, as rectangles on the mat (pure).

A shape is a table of parts in body coordinates: ``u`` across (towards the person's right)
and ``v`` along (from the vertex lying, from the seat sitting, from the middle of the feet
standing), both in units of height, with a share of body mass in percent (each table sums to
100: everything the body weighs rests somewhere on it). Thighs and shanks lying are split in
two so their centre of mass sits 43 % down the segment, which puts the supine centre of mass
~43 % of height from the head. ``place`` puts a shape on the mat at an anchor, either way round.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from firmware.sim.body import (
    ANKLE_FROM_VERTEX,
    FOOT_LENGTH,
    HIP_FROM_VERTEX,
    KNEE_FROM_VERTEX,
    LIMB_COM_FRACTION,
    SEGMENT_MASS_PCT,
    SHOULDER_FROM_VERTEX,
    Body,
    Pose,
)

# u0, u1, v0, v1 (× height), mass %, mirrored to the left too, centre-of-mass fraction or 0.
Part = tuple[float, float, float, float, float, bool, float]
PCT = SEGMENT_MASS_PCT
_ARM = 2 * (PCT["upper_arm"] + PCT["forearm"] + PCT["hand"])
_C = LIMB_COM_FRACTION
SHOULDER, HIP, KNEE, ANKLE = (
    SHOULDER_FROM_VERTEX,
    HIP_FROM_VERTEX,
    KNEE_FROM_VERTEX,
    ANKLE_FROM_VERTEX,
)

SUPINE: tuple[Part, ...] = (
    (-0.045, 0.045, 0.0, 0.13, 6.9, False, 0),  # head
    (-0.03, 0.03, 0.13, SHOULDER, 1.2, False, 0),  # neck
    (-0.095, 0.095, SHOULDER, 0.32, PCT["thorax"], False, 0),
    (-0.085, 0.085, 0.32, 0.40, PCT["abdomen"], False, 0),
    (-0.095, 0.095, 0.40, 0.50, PCT["pelvis"], False, 0),
    (0.105, 0.135, SHOULDER, 0.368, PCT["upper_arm"], True, 0),
    (0.11, 0.14, 0.368, 0.514, PCT["forearm"], True, 0),
    (0.105, 0.145, 0.514, 0.60, PCT["hand"], True, 0),
    (0.01, 0.09, HIP, KNEE, PCT["thigh"], True, _C),
    (0.02, 0.07, KNEE, ANKLE, PCT["shank"], True, _C),
    (0.02, 0.07, ANKLE, 1.0, PCT["foot"], True, 0),  # heels
)
# Hips lifted: pelvis, abdomen and thighs hang between the shoulders and the (bent) feet.
BRIDGE: tuple[Part, ...] = (
    (-0.045, 0.045, 0.0, SHOULDER, PCT["head_neck"], False, 0),
    (-0.095, 0.095, SHOULDER, 0.28, 43.0, False, 0),
    (0.105, 0.135, SHOULDER, 0.368, _ARM / 2, True, 0),
    (0.03, 0.09, 0.62, 0.62 + FOOT_LENGTH, (100 - 8.1 - 43.0 - _ARM) / 2, True, 0),
)
# Long-sitting: trunk upright over the seat (~65 %), legs stretched along the mat.
LONG_SITTING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 65.0, False, 0),
    (0.12, 0.15, -0.03, 0.03, 2.5, True, 0),  # hands beside the hips
    (0.01, 0.09, 0.06, 0.245, 8.5, True, 0),
    (0.02, 0.07, 0.245, 0.49, 5.0, True, 0),
    (0.02, 0.07, 0.49, 0.53, 1.5, True, 0),
)
CROSS_LEGGED: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 60.0, False, 0),
    (-0.15, 0.15, 0.02, 0.10, 10.0, False, 0),  # thighs, hands on the knees
    (-0.20, 0.20, 0.06, 0.20, 30.0, False, 0),  # crossed shanks and feet
)
KNEES_UP: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 72.0, False, 0),
    (0.12, 0.15, -0.10, -0.04, 2.0, True, 0),  # hands behind, propping
    (0.03, 0.09, 0.28, 0.28 + FOOT_LENGTH, 12.0, True, 0),
)


def _foot(u_centre: float, share_pct: float) -> tuple[Part, ...]:
    """A foot as four quarters (inner/outer × heel/toe), so sway can tilt its load."""
    half_w, half_l = 0.0275, FOOT_LENGTH / 2
    q = share_pct / 4
    return tuple(
        (u0, u0 + half_w, v0, v0 + half_l, q, False, 0)
        for u0 in (u_centre - half_w, u_centre)
        for v0 in (-half_l, 0.0)
    )


STANDING: tuple[Part, ...] = (*_foot(-0.06, 50.0), *_foot(0.06, 50.0))
ONE_FOOT: tuple[Part, ...] = _foot(0.0, 100.0)

SHAPES: dict[str, tuple[Part, ...]] = {
    "supine": SUPINE,
    "bridge": BRIDGE,
    "long_sitting": LONG_SITTING,
    "cross_legged": CROSS_LEGGED,
    "knees_up": KNEES_UP,
    "standing": STANDING,
    "one_foot": ONE_FOOT,
}


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a shape's anchor sits on the mat (metres) and which way it points (+1 / −1)."""

    x_m: float
    y_m: float
    direction: int = 1


def _expand(parts: tuple[Part, ...]) -> list[tuple[float, float, float, float, float]]:
    rows: list[tuple[float, float, float, float, float]] = []
    for u0, u1, v0, v1, pct, mirrored, com in parts:
        sides = [(u0, u1), (-u1, -u0)] if mirrored else [(u0, u1)]
        for a, b in sides:
            if com:
                mid = (v0 + v1) / 2
                proximal = 1.5 - 2 * com  # two halves whose centre of mass sits at `com`
                rows += [(a, b, v0, mid, pct * proximal), (a, b, mid, v1, pct * (1 - proximal))]
            else:
                rows.append((a, b, v0, v1, pct))
    return rows


def place(body: Body, shape: str, at: Placement) -> Pose:
    """The named shape for ``body``, anchored at ``at``; parts may fall off the platform."""
    table = np.array(_expand(SHAPES[shape]), dtype=np.float64)
    h, d = body.height_m, at.direction
    xs = at.x_m + d * table[:, 0:2] * h
    ys = at.y_m + d * table[:, 2:4] * h
    rects = np.column_stack([xs.min(1), ys.min(1), xs.max(1), ys.max(1)])
    return Pose(rects, table[:, 4] * body.mass_kg / 100.0)


def lump(mass_kg: float, x_m: float, y_m: float, width_m: float, length_m: float) -> Pose:
    """One uniform rectangle centred at (x, y): a curled-up cat, a bag."""
    rect = np.array(
        [[x_m - width_m / 2, y_m - length_m / 2, x_m + width_m / 2, y_m + length_m / 2]]
    )
    return Pose(rect, np.array([mass_kg]))
