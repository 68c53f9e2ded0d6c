"""Head-to-foot load profiles of a body in each posture, for the posture classifier (pure).

Each posture is a list of 1-D segments along the mat (start and end as fractions of body
height from an anchor, share of body mass), from Winter's segment masses: head+neck 8.1 %,
thorax 21.6, abdomen 13.9, pelvis 14.2, upper arms 5.6, forearms 3.2, hands 1.2, thighs 20.0,
shanks 9.3, feet 2.9. Templates place each posture at many positions, heights and both
directions, keep what falls on the platform, and integrate it over the layout's y-bands.
Classifying then means asking which posture can produce the measured profile: a body lying
spreads its load along ~1 m; sitting puts two thirds of it under the pelvis; standing puts it
all under two feet. This works for any layout, because only the bands' geometry is used.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from controller.core.events import Posture
from controller.core.geometry import FloatArray, Geometry, segment_mass_in_bands

Segment = tuple[float, float, float]  # start and end (× height from the anchor), mass share %

_SUPINE: tuple[Segment, ...] = (
    (0.00, 0.17, 8.1),  # head and neck
    (0.17, 0.36, 21.6),  # thorax
    (0.18, 0.36, 5.6),  # upper arms beside the thorax
    (0.36, 0.44, 13.9),  # abdomen
    (0.36, 0.50, 3.2),  # forearms
    (0.50, 0.58, 1.2),  # hands
    (0.44, 0.53, 14.2),  # pelvis
    (0.53, 0.74, 20.0),  # thighs
    (0.74, 0.94, 9.3),  # shanks
    (0.94, 1.00, 2.9),  # heels
)
# A shorter trunk and longer legs (proportions vary between people): hip at 0.50 of height.
_SUPINE_SHORT_TRUNK: tuple[Segment, ...] = (
    (0.00, 0.18, 8.1),
    (0.18, 0.32, 21.6),
    (0.18, 0.37, 5.6),
    (0.32, 0.40, 13.9),
    (0.37, 0.51, 3.2),
    (0.51, 0.60, 1.2),
    (0.40, 0.50, 14.2),
    (0.50, 0.64, 12.0),  # thighs: centre of mass 43 % down the segment
    (0.64, 0.72, 8.0),
    (0.72, 0.85, 5.6),
    (0.85, 0.96, 3.7),
    (0.96, 1.00, 2.9),
)
# Knees bent, feet flat: half the thighs rest on the pelvis, the rest on the feet.
_SUPINE_KNEES_UP: tuple[Segment, ...] = (
    *_SUPINE[:6],
    (0.44, 0.53, 24.2),
    (0.62, 0.76, 22.2),
)
# Hips lifted (bridge): pelvis, abdomen and thighs carried by shoulders and feet.
_BRIDGE: tuple[Segment, ...] = (
    (0.00, 0.17, 8.1),
    (0.17, 0.32, 45.6),
    (0.18, 0.58, 10.0),
    (0.64, 0.78, 36.3),
)
# Sitting: anchor at the ischial tuberosities; legs point towards +y.
_SIT_BLOB = (-0.08, 0.10)
_LONG_SITTING: tuple[Segment, ...] = (
    (*_SIT_BLOB, 67.8),
    (0.10, 0.27, 20.0),
    (0.27, 0.48, 9.3),
    (0.48, 0.53, 2.9),
)
_LONG_SITTING_LEANING: tuple[Segment, ...] = (
    (-0.20, -0.12, 10.0),  # hands behind, leaning back on the arms
    (*_SIT_BLOB, 57.8),
    *_LONG_SITTING[1:],
)
_CROSS_LEGGED: tuple[Segment, ...] = ((*_SIT_BLOB, 67.8), (0.04, 0.26, 32.2))
_KNEES_UP: tuple[Segment, ...] = ((*_SIT_BLOB, 77.8), (0.26, 0.37, 22.2))
_KNEELING: tuple[Segment, ...] = ((-0.05, 0.24, 100.0),)
_FEET_TOGETHER: tuple[Segment, ...] = ((0.0, 0.152, 100.0),)
_FEET_STAGGERED: tuple[Segment, ...] = ((0.0, 0.152, 50.0), (0.12, 0.272, 50.0))

# Which segments carry the posture and so must lie on the platform: head, back and pelvis for
# lying (it is a mat for the back, and the head rests on it or on a pillow on it), the pelvis
# for sitting, the feet for standing.
_CARRIERS: dict[Posture, tuple[int, ...]] = {"lying": (0, 1, 6), "sitting": (0,), "standing": (0,)}
_BRIDGE_CARRIERS = (0, 1, 3)

POSTURE_SHAPES: dict[Posture, tuple[tuple[Segment, ...], ...]] = {
    "lying": (_SUPINE, _SUPINE_SHORT_TRUNK, _SUPINE_KNEES_UP, _BRIDGE),
    "sitting": (_LONG_SITTING, _LONG_SITTING_LEANING, _CROSS_LEGGED, _KNEES_UP, _KNEELING),
    "standing": (_FEET_TOGETHER, _FEET_STAGGERED),
}
CLASSES: tuple[Posture, ...] = ("lying", "sitting", "standing")

_HEIGHTS_M = (1.45, 1.6, 1.75, 1.9, 2.05)
_STEP_M = 0.04
_MIN_ON_MAT = 0.40  # a template with less of the body on the platform says too little
_SLACK_M = 0.05  # a carrying segment may overhang the platform's edge this much
_HEAD_FROM_END_M = 0.35  # lying, the head rests near one end: no one leaves a metre bare


@dataclass(frozen=True, slots=True)
class Templates:
    profiles: FloatArray  # K × B, each row sums to 1
    class_slices: tuple[slice, ...]  # rows of each class in CLASSES order


def build_templates(geometry: Geometry) -> Templates:
    rows: list[FloatArray] = []
    slices: list[slice] = []
    for posture in CLASSES:
        start = len(rows)
        for shape in POSTURE_SHAPES[posture]:
            carriers = _BRIDGE_CARRIERS if shape is _BRIDGE else _CARRIERS[posture]
            rows.extend(_placements(geometry, shape, carriers, posture == "lying"))
        unique = np.unique(np.round(np.vstack(rows[start:]), 3), axis=0)
        del rows[start:]
        rows.extend(unique)
        slices.append(slice(start, len(rows)))
    return Templates(profiles=np.vstack(rows), class_slices=tuple(slices))


def _placements(
    geometry: Geometry, shape: tuple[Segment, ...], carriers: tuple[int, ...], head_at_end: bool
) -> list[FloatArray]:
    edges = geometry.band_edges_m
    length_m = float(edges[-1])
    spec = np.array(shape, dtype=np.float64)
    out: list[FloatArray] = []
    for height_m in _HEIGHTS_M:
        for direction in (1.0, -1.0):
            for anchor_m in _anchors(length_m, height_m, direction, head_at_end):
                starts, ends = _place(spec, height_m, direction, float(anchor_m))
                if starts[list(carriers)].min() < -_SLACK_M:
                    continue
                if ends[list(carriers)].max() > length_m + _SLACK_M:
                    continue
                profile = _profile(edges, starts, ends, spec[:, 2])
                if profile is not None:
                    out.append(profile)
    return out


def _anchors(length_m: float, height_m: float, direction: float, head_at_end: bool) -> FloatArray:
    if not head_at_end:
        return np.arange(-0.9 * height_m, length_m + 0.9 * height_m, _STEP_M)
    near: FloatArray = np.arange(-_SLACK_M, _HEAD_FROM_END_M + 1e-9, _STEP_M)
    return near if direction > 0 else length_m - near


def _place(
    spec: FloatArray, height_m: float, direction: float, anchor_m: float
) -> tuple[FloatArray, FloatArray]:
    a = anchor_m + direction * spec[:, 0] * height_m
    b = anchor_m + direction * spec[:, 1] * height_m
    return np.minimum(a, b), np.maximum(a, b)


def _profile(
    edges: FloatArray, starts: FloatArray, ends: FloatArray, masses: FloatArray
) -> FloatArray | None:
    on_mat = segment_mass_in_bands(edges, starts, ends, masses / masses.sum())
    total = float(on_mat.sum())
    if total < _MIN_ON_MAT:
        return None
    result: FloatArray = on_mat / total
    return result
