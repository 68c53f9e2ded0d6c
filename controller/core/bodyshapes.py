"""The body's head-to-foot segments in each posture, and how a pressure map reads them (pure
data and one small class).

Each posture is a list of 1-D segments along the mat (start and end as fractions of body
height from an anchor, share of body mass, and what the segment is), from Winter's segment
masses: head+neck 8.1 %, thorax 21.6, abdomen 13.9, pelvis 14.2, upper arms 5.6, forearms 3.2,
hands 1.2, thighs 20.0, shanks 9.3, feet 2.9; lengths from two sets of proportions (the
textbook supine with a longer trunk, and Drillis & Contini's: shoulder 0.182, hip 0.47, knee
0.715, ankle 0.961 of height from the vertex). Lying, a body also shows as a pressure map does
(FACTS.md, "The body and the mat"): soft parts (arms, calves) and thighs read low, a heavy
upper body carries the lumbar load at the shoulders (up to half the on-mat load in the head-end
third), knees up puts the legs' load on the feet, curling up on the side shortens the loaded
length to ~0.63 of height, lying on the side straight the waist arches over the mat (shoulder
and hip carry the trunk), and face down the toes point away (the loaded length ends at ~0.92
of height). ``bodymodel`` places these on the mat.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from controller.core.events import Posture

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
# Drillis & Contini's lengths (hip 0.47 of height from the vertex, knee 0.715, ankle 0.961;
# the thorax from the shoulder at 0.182 to 0.32): the trunk sits higher than in ``_SUPINE`` and
# the thighs begin over the pelvis. Thighs and shanks carry their centre of mass 43 % down
# (Winter), so their proximal halves carry 63 % of them.
_SUPINE_DC: tuple[Segment, ...] = (
    (0.00, 0.13, 6.9, "head"),
    (0.13, 0.182, 1.2, "head"),  # neck
    (0.182, 0.32, 21.6, "upper"),
    (0.182, 0.368, 5.6, "arm"),
    (0.32, 0.40, 13.9, "mid"),
    (0.368, 0.514, 3.2, "arm"),
    (0.514, 0.60, 1.2, "arm"),
    (0.40, 0.50, 14.2, "pelvis"),
    (0.47, 0.5925, 12.7, "thigh"),
    (0.5925, 0.715, 7.3, "thigh"),
    (0.715, 0.838, 5.9, "calf"),
    (0.838, 0.961, 3.4, "calf"),
    (0.961, 1.00, 2.9, "foot"),  # heels
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
# Real pressure maps lie anywhere between these three (the simulator draws arms and calves read
# 60-100 %, thighs 75-100 %, up to 60 % of the lumbar load at the shoulders; FACTS.md). Where a
# row border cuts the trunk, the upper bias alone moves up to ~0.2 of the load across it (curled
# on a side with the head beyond the end: about half the load in each of two rows), so the three
# leave gaps of ~0.06 in a row's share that a body between them fits by 0.03-0.05 only. The fine
# profiles (``bodymodel.fine_lying_profiles``) take the styles on the way from each to the next
# as well, in ``_STYLE_STEPS`` steps (~0.015 apart in that share).
_STYLE_STEPS = 4


def _between(styles: tuple[Style, ...], steps: int) -> tuple[Style, ...]:
    """``styles`` and ``steps - 1`` evenly spaced styles between each one and the next."""
    out = []
    for a, b in pairwise(styles):
        for i in range(steps):
            f = i / steps
            out.append(
                Style(
                    a.soft_read + (b.soft_read - a.soft_read) * f,
                    a.thigh_read + (b.thigh_read - a.thigh_read) * f,
                    a.upper_bias + (b.upper_bias - a.upper_bias) * f,
                )
            )
    return (*out, styles[-1])


FINE_LYING_STYLES = _between(LYING_STYLES, _STYLE_STEPS)

# Which segments carry the posture and so must lie on the platform: back and pelvis for lying
# (it is a mat for the back; the head may rest beyond it), the pelvis for sitting, the feet for
# standing.
CARRIERS: dict[Posture, tuple[str, ...]] = {
    "lying": ("upper", "pelvis"),
    "sitting": ("seat",),
    "standing": ("foot",),
}

_LYING_BASE = (
    _SUPINE,
    _SUPINE_SHORT_TRUNK,
    _SUPINE_KNEES_UP,
    _PRONE,
    _SIDE,
    _CURLED,
    _BRIDGE,
)
# Drillis & Contini's trunk (short and high) with a heavy upper body's style would put ~45 % of
# the load in 0.14 of height: a seat's profile. Textbook and moderate styles only.
_DC_UPPER_BIAS_MAX = 0.5


def lying_shapes(styles: tuple[Style, ...]) -> tuple[tuple[Segment, ...], ...]:
    """Every lying shape as each of ``styles`` reads it."""
    return tuple(style.apply(shape) for shape in _LYING_BASE for style in styles) + tuple(
        style.apply(_SUPINE_DC) for style in styles if style.upper_bias <= _DC_UPPER_BIAS_MAX
    )


POSTURE_SHAPES: dict[Posture, tuple[tuple[Segment, ...], ...]] = {
    "lying": lying_shapes(LYING_STYLES),
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
