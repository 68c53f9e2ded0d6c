"""A body as rectangles of uniform density, and how their mass falls on the mat's zones (pure).

Segment masses are Winter's (percent of body mass); lengths are Drillis & Contini's ratios of
height. A part's load on a zone is its mass times the share of its area inside the zone's
rectangle: whatever lies outside the platform carries nothing on the mat. Works for any
layout (any set of zone rectangles).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from firmware.layout import MatLayout

FloatArray = npt.NDArray[np.float64]

# Winter, percent of body mass; left and right limbs each carry the figure given.
SEGMENT_MASS_PCT: dict[str, float] = {
    "head_neck": 8.1,
    "thorax": 21.6,
    "abdomen": 13.9,
    "pelvis": 14.2,
    "upper_arm": 2.8,
    "forearm": 1.6,
    "hand": 0.6,
    "thigh": 10.0,
    "shank": 4.65,
    "foot": 1.45,
}

# Drillis & Contini, fraction of height from the vertex (standing heights turned around).
SHOULDER_FROM_VERTEX = 0.182
HIP_FROM_VERTEX = 1 - 0.530
KNEE_FROM_VERTEX = 1 - 0.285
ANKLE_FROM_VERTEX = 1 - 0.039
FOOT_LENGTH = 0.152
SHOULDER_WIDTH = 0.259
HIP_WIDTH = 0.191
# Winter: a thigh's or shank's centre of mass sits 43.3 % of its length from the proximal end.
LIMB_COM_FRACTION = 0.433


@dataclass(frozen=True, slots=True)
class Body:
    """A person (or animal, or object) of a given mass and size."""

    mass_kg: float
    height_m: float

    def kg(self, pct: float) -> float:
        return self.mass_kg * pct / 100.0


@dataclass(frozen=True)
class Pose:
    """Rectangles ``x0, y0, x1, y1`` in mat metres (P × 4) and their masses (P)."""

    rects_m: FloatArray
    masses_kg: FloatArray

    @property
    def total_kg(self) -> float:
        return float(self.masses_kg.sum())

    def centre_m(self) -> tuple[float, float]:
        """The centre of mass (x, y) of the whole pose, on the mat or not."""
        cx = (self.rects_m[:, 0] + self.rects_m[:, 2]) / 2
        cy = (self.rects_m[:, 1] + self.rects_m[:, 3]) / 2
        m = self.masses_kg
        return float((cx * m).sum() / m.sum()), float((cy * m).sum() / m.sum())

    def shifted(self, dx_m: float = 0.0, dy_m: float = 0.0) -> Pose:
        offset = np.array([dx_m, dy_m, dx_m, dy_m])
        return Pose(self.rects_m + offset, self.masses_kg.copy())

    def scaled(self, factor: float) -> Pose:
        return Pose(self.rects_m.copy(), self.masses_kg * factor)


def zone_bounds(layout: MatLayout) -> FloatArray:
    """Z × 4: each zone's ``x0, y0, x1, y1``."""
    return np.array([[z.x0_m, z.y0_m, z.x1_m, z.y1_m] for z in layout.zones], dtype=np.float64)


def zone_fractions(layout: MatLayout, rects_m: FloatArray) -> FloatArray:
    """(... × Z): the share of each rectangle's area (``... × 4``) inside each zone."""
    return _area_fractions(zone_bounds(layout), rects_m)


def _area_fractions(zones: FloatArray, rects_m: FloatArray) -> FloatArray:
    """(... × Z): the share of each rectangle's area inside each of ``zones`` (Z × 4)."""
    r = rects_m[..., None, :]
    ox = np.clip(np.minimum(r[..., 2], zones[:, 2]) - np.maximum(r[..., 0], zones[:, 0]), 0, None)
    oy = np.clip(np.minimum(r[..., 3], zones[:, 3]) - np.maximum(r[..., 1], zones[:, 1]), 0, None)
    area = (r[..., 2] - r[..., 0]) * (r[..., 3] - r[..., 1])
    result: FloatArray = ox * oy / area
    return result


def zone_loads(layout: MatLayout, pose: Pose) -> FloatArray:
    """Kg on each zone (Z) from a pose: mass × overlap fraction, summed over parts."""
    loads: FloatArray = pose.masses_kg @ zone_fractions(layout, pose.rects_m)
    return loads


def side_weights(layout: MatLayout) -> FloatArray:
    """Per zone: +1 wholly right of the centre line, −1 wholly left, in between if it straddles."""
    mid = layout.width_m / 2
    zones = zone_bounds(layout)
    width = zones[:, 2] - zones[:, 0]
    left = np.clip(np.minimum(zones[:, 2], mid) - zones[:, 0], 0, None) / width
    right = np.clip(zones[:, 2] - np.maximum(zones[:, 0], mid), 0, None) / width
    result: FloatArray = right - left
    return result


def pose_imbalance(layout: MatLayout, pose: Pose) -> float:
    """The body's own balance: (R − L) / (R + L) of its mass on the platform, split at the
    centre line. The truth an uneven-load alert is judged by. On two columns it equals the
    zones' ``imbalance``; a tile across the centre line (the middle column of three) cannot
    show which half carries its load, so the zones' figure can only leave it out, and a
    side-lying body centred on it would read −0.37 there while its own split is −0.04."""
    mid, width, length = layout.width_m / 2, layout.width_m, layout.length_m
    halves = np.array([[0.0, 0.0, mid, length], [mid, 0.0, width, length]])
    left, right = pose.masses_kg @ _area_fractions(halves, pose.rects_m)
    total = float(left + right)
    return 0.0 if total <= 1e-9 else float(right - left) / total


def imbalance(layout: MatLayout, loads_kg: FloatArray) -> float:
    """(R − L) / (R + L) of zone loads; 0 for an empty mat."""
    weights = side_weights(layout)
    right = float((np.clip(weights, 0, None) * loads_kg).sum())
    left = float((np.clip(-weights, 0, None) * loads_kg).sum())
    total = right + left
    return 0.0 if total <= 1e-9 else (right - left) / total
