"""Head-to-foot load profiles of a body in each posture, for the posture classifier (pure).

Each posture is a list of 1-D segments along the mat (start and end as fractions of body
height from an anchor, share of body mass, and what the segment is), from Winter's segment
masses: head+neck 8.1 %, thorax 21.6, abdomen 13.9, pelvis 14.2, upper arms 5.6, forearms 3.2,
hands 1.2, thighs 20.0, shanks 9.3, feet 2.9. Lying, a body also shows as a pressure map does
(FACTS.md, "The body and the mat"): soft parts (arms, calves) and thighs read low, a heavy
upper body carries the lumbar load at the shoulders (up to half the on-mat load in the head-end
third), the head may rest up to ~12 cm beyond the head end, knees up puts the legs' load on the
feet, curling up on the side shortens the loaded length to ~0.63 of height, lying on the side
straight the waist arches over the mat (shoulder and hip carry the trunk), and face down the
toes point away (the loaded length ends at ~0.92 of height).

Templates place each posture at many positions, heights and both directions, keep what falls
on the platform and integrate it over the layout's y-bands. Classifying then means asking which
posture can produce the measured profile. Only the bands' geometry is used, so any layout
works; templates are built once per band layout.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from controller.core.events import Posture
from controller.core.geometry import FloatArray, Geometry, segment_mass_in_bands

# start and end (× height from the anchor), mass share %, kind (for the pressure styles).
Segment = tuple[float, float, float, str]

_SUPINE: tuple[Segment, ...] = (
    (0.00, 0.17, 8.1, "head"),  # head and neck
    (0.17, 0.36, 21.6, "upper"),  # thorax
    (0.18, 0.36, 5.6, "arm"),  # upper arms beside the thorax
    (0.36, 0.44, 13.9, "mid"),  # abdomen
    (0.36, 0.50, 3.2, "arm"),  # forearms
    (0.50, 0.58, 1.2, "arm"),  # hands
    (0.44, 0.53, 14.2, "pelvis"),
    (0.53, 0.74, 20.0, "thigh"),
    (0.74, 0.94, 9.3, "calf"),
    (0.94, 1.00, 2.9, "foot"),  # heels
)
# A shorter trunk and longer legs (proportions vary between people): hip at 0.50 of height.
_SUPINE_SHORT_TRUNK: tuple[Segment, ...] = (
    (0.00, 0.18, 8.1, "head"),
    (0.18, 0.32, 21.6, "upper"),
    (0.18, 0.37, 5.6, "arm"),
    (0.32, 0.40, 13.9, "mid"),
    (0.37, 0.51, 3.2, "arm"),
    (0.51, 0.60, 1.2, "arm"),
    (0.40, 0.50, 14.2, "pelvis"),
    (0.50, 0.64, 12.0, "thigh"),  # thighs: centre of mass 43 % down the segment
    (0.64, 0.72, 8.0, "thigh"),
    (0.72, 0.85, 5.6, "calf"),
    (0.85, 0.96, 3.7, "calf"),
    (0.96, 1.00, 2.9, "foot"),
)
# Knees bent, feet flat: half the thighs rest on the pelvis, the rest on the feet.
_SUPINE_KNEES_UP: tuple[Segment, ...] = (
    *_SUPINE[:6],
    (0.44, 0.53, 24.2, "pelvis"),
    (0.62, 0.76, 22.2, "foot"),
)
# Curled on the side: shoulder and hip carry the trunk, the folded legs lie beside the hips.
_CURLED: tuple[Segment, ...] = (
    (0.02, 0.17, 8.1, "head"),
    (0.17, 0.34, 27.2, "upper"),
    (0.34, 0.40, 4.0, "mid"),
    (0.40, 0.53, 24.1, "pelvis"),
    (0.20, 0.40, 4.4, "arm"),
    (0.46, 0.60, 20.0, "thigh"),
    (0.55, 0.64, 12.2, "calf"),
)
# Face down: the toes point away, so the loaded length ends at the backs of the feet (~0.92).
_PRONE: tuple[Segment, ...] = (
    (0.02, 0.17, 8.1, "head"),
    (0.17, 0.37, 21.6, "upper"),
    (0.18, 0.36, 5.6, "arm"),
    (0.37, 0.45, 13.9, "mid"),
    (0.36, 0.58, 4.4, "arm"),
    (0.45, 0.53, 14.2, "pelvis"),
    (0.53, 0.74, 20.0, "thigh"),
    (0.74, 0.87, 9.3, "calf"),
    (0.87, 0.92, 2.9, "foot"),
)
# On the side, straight: shoulder and hip carry the trunk, the waist arches over the mat, the
# legs lie stacked.
_SIDE: tuple[Segment, ...] = (
    (0.00, 0.17, 8.1, "head"),
    (0.16, 0.33, 26.6, "upper"),  # thorax, upper arms under it, less the waist
    (0.22, 0.40, 5.0, "arm"),
    (0.33, 0.41, 4.0, "mid"),
    (0.41, 0.53, 24.1, "pelvis"),
    (0.53, 0.74, 20.0, "thigh"),
    (0.74, 0.94, 9.3, "calf"),
    (0.94, 1.00, 2.9, "foot"),
)
# Hips lifted (bridge): pelvis, abdomen and thighs carried by shoulders and feet.
_BRIDGE: tuple[Segment, ...] = (
    (0.00, 0.17, 8.1, "head"),
    (0.17, 0.32, 45.6, "upper"),
    (0.18, 0.58, 10.0, "arm"),
    (0.64, 0.78, 36.3, "foot"),
)
# Sitting: anchor at the ischial tuberosities; legs point towards +y.
_SIT_BLOB = (-0.08, 0.10)
_LONG_SITTING: tuple[Segment, ...] = (
    (*_SIT_BLOB, 67.8, "seat"),
    (0.10, 0.27, 20.0, "thigh"),
    (0.27, 0.48, 9.3, "calf"),
    (0.48, 0.53, 2.9, "foot"),
)
_LONG_SITTING_LEANING: tuple[Segment, ...] = (
    (-0.20, -0.12, 10.0, "arm"),  # hands behind, leaning back on the arms
    (*_SIT_BLOB, 57.8, "seat"),
    *_LONG_SITTING[1:],
)
_SEAT_BLOBS = ((-0.06, 0.06), _SIT_BLOB, (-0.10, 0.13))
_CROSS_LEGGED: tuple[Segment, ...] = ((*_SIT_BLOB, 67.8, "seat"), (0.04, 0.26, 32.2, "foot"))
_KNEES_UP: tuple[Segment, ...] = ((*_SIT_BLOB, 77.8, "seat"), (0.26, 0.37, 22.2, "foot"))
_KNEELING: tuple[Segment, ...] = ((-0.05, 0.24, 100.0, "seat"),)
_FEET_TOGETHER: tuple[Segment, ...] = ((0.0, 0.152, 100.0, "foot"),)
_FEET_STAGGERED: tuple[Segment, ...] = ((0.0, 0.152, 50.0, "foot"), (0.12, 0.272, 50.0, "foot"))


def _seat_length(shape: tuple[Segment, ...], blob: tuple[float, float]) -> tuple[Segment, ...]:
    return tuple((*blob, m, kind) if kind == "seat" else (a, z, m, kind) for a, z, m, kind in shape)


@dataclass(frozen=True, slots=True)
class Style:
    """How a pressure map departs from the segment masses (see the module docstring)."""

    soft_read: float = 1.0  # arms and calves
    thigh_read: float = 1.0
    upper_bias: float = 0.0  # share of the abdomen (and 0.4 × it of the pelvis) at the shoulders

    def apply(self, shape: tuple[Segment, ...]) -> tuple[Segment, ...]:
        upper = sum(m for _, _, m, kind in shape if kind == "upper")
        mid = sum(m for _, _, m, kind in shape if kind == "mid")
        pelvis = sum(m for _, _, m, kind in shape if kind == "pelvis")
        b = self.upper_bias if upper > 0 else 0.0
        factor = {
            "arm": self.soft_read,
            "calf": self.soft_read,
            "thigh": self.thigh_read,
            "mid": 1.0 - b,
            "pelvis": 1.0 - 0.4 * b,
            "upper": (upper + b * (mid + 0.4 * pelvis)) / upper if upper > 0 else 1.0,
        }
        return tuple((a, z, m * factor.get(kind, 1.0), kind) for a, z, m, kind in shape)


LYING_STYLES = (Style(), Style(0.75, 0.85, 0.5), Style(0.5, 0.5, 1.0))

# Which segments carry the posture and so must lie on the platform: back and pelvis for lying
# (it is a mat for the back; the head may rest beyond it), the pelvis for sitting, the feet for
# standing.
_CARRIERS: dict[Posture, tuple[str, ...]] = {
    "lying": ("upper", "pelvis"),
    "sitting": ("seat",),
    "standing": ("foot",),
}

POSTURE_SHAPES: dict[Posture, tuple[tuple[Segment, ...], ...]] = {
    "lying": tuple(
        style.apply(shape)
        for shape in (
            _SUPINE,
            _SUPINE_SHORT_TRUNK,
            _SUPINE_KNEES_UP,
            _PRONE,
            _SIDE,
            _CURLED,
            _BRIDGE,
        )
        for style in LYING_STYLES
    ),
    # A seat is 0.2–0.4 m long (FACTS.md: about 0.4 × 0.4 m with the thighs): three lengths.
    "sitting": (
        *(
            _seat_length(shape, blob)
            for shape in (_LONG_SITTING, _LONG_SITTING_LEANING, _CROSS_LEGGED, _KNEES_UP)
            for blob in _SEAT_BLOBS
        ),
        _KNEELING,
    ),
    "standing": (_FEET_TOGETHER, _FEET_STAGGERED),
}
CLASSES: tuple[Posture, ...] = ("lying", "sitting", "standing")

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
    """The lying profiles placed every ``_FINE_STEP_M`` (K × B); built once per band layout,
    on first use (~0.3 s here): the classifier asks only after the whole way down was seen."""
    return _fine_lying(tuple(float(e) for e in geometry.band_edges_m))


@functools.cache
def _fine_lying(edges_m: tuple[float, ...]) -> FloatArray:
    edges = np.array(edges_m, dtype=np.float64)
    found = {
        tuple(np.round(profile, 3))
        for shape in POSTURE_SHAPES["lying"]
        for profile, _, _ in _placements(edges, shape, "lying", _FINE_STEP_M)
    }
    return np.array(sorted(found), dtype=np.float64)


def _placements(
    edges: FloatArray, shape: tuple[Segment, ...], posture: Posture, step_m: float = _STEP_M
) -> list[tuple[FloatArray, float, float]]:
    length_m = float(edges[-1])
    spec = np.array([s[:3] for s in shape], dtype=np.float64)
    carriers = [i for i, s in enumerate(shape) if s[3] in _CARRIERS[posture]]
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
