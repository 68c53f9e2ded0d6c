"""Head-to-foot load profiles of a body in each posture, for the posture classifier (pure).

The postures' segments and pressure styles are ``bodyshapes``'; lying, the head may rest up to
~14 cm beyond the head end. Templates place each posture at many positions, heights and both
directions, keep what falls on the platform and integrate it over the layout's y-bands.
Classifying then means asking which posture can produce the measured profile. Only the bands'
geometry is used, so any layout works; templates are built once per band layout.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from controller.core.bodyshapes import (
    CARRIERS,
    CLASSES,
    FINE_LYING_STYLES,
    LYING_STYLES,
    POSTURE_SHAPES,
    Segment,
    Style,
    lying_shapes,
)
from controller.core.events import Posture
from controller.core.geometry import FloatArray, Geometry, segment_mass_in_bands

__all__ = [
    "CLASSES",
    "LYING_STYLES",
    "POSTURE_SHAPES",
    "Style",
    "Templates",
    "build_templates",
    "fine_lying_profiles",
]

_HEIGHTS_M = (1.45, 1.6, 1.75, 1.9, 2.05)
_STEP_M = 0.04
# Where a row border cuts the trunk, 4 cm of body moves ~6 % of the load across it (the trunk
# carries ~50 % over ~0.35 m): neighbouring templates lie ~0.12 apart there and a body lying
# between them fits neither. ``fine_lying_profiles`` places lying every 1 cm (~0.03 apart).
_FINE_STEP_M = 0.01
_MIN_ON_MAT = 0.40  # a template with less of the body on the platform says too little
_SLACK_M = 0.05  # a carrying segment may overhang the platform's edge this much
_HEAD_BEYOND_M = 0.14  # lying, the vertex may lie this far beyond the head end...
_HEAD_FROM_END_M = 0.35  # ...or this far inside it: no one leaves a metre bare


@dataclass(frozen=True, slots=True)
class Templates:
    profiles: FloatArray  # K × B, each row sums to 1
    class_slices: tuple[slice, ...]  # rows of each class in CLASSES order
    # per row, the way the body points: lying +1 with the head at y = 0 and −1 at the far end;
    # sitting +1 with the legs towards the far end; standing the way the feet point
    head_end: FloatArray
    place_m: FloatArray  # per row: where the body sits on the mat (the seat, the feet, the pelvis)


def build_templates(geometry: Geometry) -> Templates:
    return _templates(tuple(float(e) for e in geometry.band_edges_m))


@functools.cache
def _templates(edges_m: tuple[float, ...]) -> Templates:
    edges = np.array(edges_m, dtype=np.float64)
    rows: list[FloatArray] = []
    heads: list[float] = []
    places: list[float] = []
    slices: list[slice] = []
    for posture in CLASSES:
        start = len(rows)
        found: dict[tuple[float, ...], tuple[float, float]] = {}
        for shape in POSTURE_SHAPES[posture]:
            for profile, direction, place_m in _placements(edges, shape, posture):
                key = tuple(np.round(profile, 3))
                found.setdefault(key, (direction, place_m))
        for key, (direction, place_m) in sorted(found.items()):
            rows.append(np.array(key, dtype=np.float64))
            heads.append(direction)
            places.append(place_m)
        slices.append(slice(start, len(rows)))
    return Templates(
        profiles=np.vstack(rows),
        class_slices=tuple(slices),
        head_end=np.array(heads),
        place_m=np.array(places),
    )


def fine_lying_profiles(geometry: Geometry) -> FloatArray:
    """The lying profiles placed every ``_FINE_STEP_M`` and read in the pressure styles between
    the coarse ones (``bodyshapes.FINE_LYING_STYLES``) (K × B, ~30,000 rows on 2 × 3); built
    once per band layout, on first use (~0.15 s here): the classifier asks only after the whole
    way down was seen."""
    return _fine_lying(tuple(float(e) for e in geometry.band_edges_m))


@functools.cache
def _fine_lying(edges_m: tuple[float, ...]) -> FloatArray:
    edges = np.array(edges_m, dtype=np.float64)
    found = {
        tuple(np.round(profile, 3))
        for shape in lying_shapes(FINE_LYING_STYLES)
        for profile, _, _ in _placements(edges, shape, "lying", _FINE_STEP_M)
    }
    return np.array(sorted(found), dtype=np.float64)


def _placements(
    edges: FloatArray, shape: tuple[Segment, ...], posture: Posture, step_m: float = _STEP_M
) -> list[tuple[FloatArray, float, float]]:
    length_m = float(edges[-1])
    spec = np.array([s[:3] for s in shape], dtype=np.float64)
    carriers = [i for i, s in enumerate(shape) if s[3] in CARRIERS[posture]]
    masses = spec[:, 2] / spec[:, 2].sum()
    # where the body sits: the pelvis lying, the seat sitting, the feet standing
    place = 0.48 if posture == "lying" else 0.0
    out: list[tuple[FloatArray, float, float]] = []
    for height_m in _HEIGHTS_M:
        for direction in (1.0, -1.0):
            anchors = _anchors(length_m, height_m, direction, posture == "lying", step_m)
            # every anchor of this height and direction at once (the same operations, in the
            # same order, as one anchor at a time: the templates are bit-identical)
            starts, ends = _place(spec, height_m, direction, anchors)
            fits = (starts[:, carriers].min(axis=1) >= -_SLACK_M) & (
                ends[:, carriers].max(axis=1) <= length_m + _SLACK_M
            )
            profiles, kept = _profiles(edges, starts[fits], ends[fits], masses)
            for profile, anchor_m in zip(profiles, anchors[fits][kept], strict=True):
                out.append((profile, direction, float(anchor_m) + direction * place * height_m))
    return out


def _anchors(
    length_m: float, height_m: float, direction: float, head_at_end: bool, step_m: float
) -> FloatArray:
    if not head_at_end:
        return np.arange(-0.9 * height_m, length_m + 0.9 * height_m, step_m)
    near: FloatArray = np.arange(-_HEAD_BEYOND_M, _HEAD_FROM_END_M + 1e-9, step_m)
    return near if direction > 0 else length_m - near


def _place(
    spec: FloatArray, height_m: float, direction: float, anchors_m: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Each segment's extent along the mat (anchors × segments)."""
    a = anchors_m[:, None] + (direction * spec[:, 0] * height_m)[None, :]
    b = anchors_m[:, None] + (direction * spec[:, 1] * height_m)[None, :]
    return np.minimum(a, b), np.maximum(a, b)


def _profiles(
    edges: FloatArray, starts: FloatArray, ends: FloatArray, masses: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Each placement's share of the on-mat load per band, for the placements with enough of
    the body on the platform, and which those are."""
    on_mat = segment_mass_in_bands(edges, starts, ends, masses)
    total = on_mat.sum(axis=1)
    kept = total >= _MIN_ON_MAT
    result: FloatArray = on_mat[kept] / total[kept][:, None]
    return result, kept
