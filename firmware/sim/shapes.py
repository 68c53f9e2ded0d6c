"""Where a body's weight rests in each posture: tables of parts in body coordinates (pure data).

A part is a rectangle ``u0, u1, v0, v1`` in units of height: ``u`` across (towards the
person's right lying supine; for a body on its side, towards its back), ``v`` along (from the
vertex lying, from the seat sitting, from the middle of the feet standing). Each carries a share
of body mass in percent, is mirrored to the left side or not, has a centre-of-mass fraction
(thighs and shanks lying are split in two so their centre of mass sits 43 % down the segment,
Winter) and a tag that says what it is (``head``, ``upper``, ``mid``, ``pelvis``, ``arm``,
``thigh``, ``calf``, ``foot``, ``seat``): a pressure style (posture.py) reads soft parts low and
moves the lumbar load to the shoulders by these tags. Every table sums to 100 % of the body:
what rests off the platform simply carries nothing on it.

Segment masses are Winter's; lengths Drillis & Contini's (body.py). The lying tables beyond
supine follow FACTS.md, "The body and the mat": knees up moves the thigh and shank load onto the
feet and shortens the loaded length; lying on the side puts the load in a strip ~25 cm wide;
curling shortens the loaded length to ~1.1 m for a 1.75 m adult (0.64 of height).
"""

from __future__ import annotations

from firmware.sim.body import (
    ANKLE_FROM_VERTEX,
    FOOT_LENGTH,
    HIP_FROM_VERTEX,
    KNEE_FROM_VERTEX,
    LIMB_COM_FRACTION,
    SEGMENT_MASS_PCT,
    SHOULDER_FROM_VERTEX,
)

# u0, u1, v0, v1 (× height), mass %, mirrored to the left too, centre-of-mass fraction or 0, tag.
Part = tuple[float, float, float, float, float, bool, float, str]
PCT = SEGMENT_MASS_PCT
_ARM = 2 * (PCT["upper_arm"] + PCT["forearm"] + PCT["hand"])
_C = LIMB_COM_FRACTION
SHOULDER, HIP, KNEE, ANKLE = (
    SHOULDER_FROM_VERTEX,
    HIP_FROM_VERTEX,
    KNEE_FROM_VERTEX,
    ANKLE_FROM_VERTEX,
)
# A bent leg's foot, flat on the mat: the thigh's distal half and the shank rest on it.
_BENT_FOOT_PCT = PCT["thigh"] / 2 + PCT["shank"] + PCT["foot"]
_BENT_FOOT_V = (0.62, 0.62 + FOOT_LENGTH)

_HEAD: tuple[Part, ...] = (
    (-0.045, 0.045, 0.0, 0.13, 6.9, False, 0, "head"),
    (-0.03, 0.03, 0.13, SHOULDER, 1.2, False, 0, "head"),
)
_TRUNK: tuple[Part, ...] = (
    (-0.095, 0.095, SHOULDER, 0.32, PCT["thorax"], False, 0, "upper"),
    (-0.085, 0.085, 0.32, 0.40, PCT["abdomen"], False, 0, "mid"),
    (-0.095, 0.095, 0.40, 0.50, PCT["pelvis"], False, 0, "pelvis"),
)
_ARMS: tuple[Part, ...] = (
    (0.105, 0.135, SHOULDER, 0.368, PCT["upper_arm"], True, 0, "arm"),
    (0.11, 0.14, 0.368, 0.514, PCT["forearm"], True, 0, "arm"),
    (0.105, 0.145, 0.514, 0.60, PCT["hand"], True, 0, "arm"),
)
_STRAIGHT_LEG: tuple[Part, ...] = (
    (0.01, 0.09, HIP, KNEE, PCT["thigh"], True, _C, "thigh"),
    (0.02, 0.07, KNEE, ANKLE, PCT["shank"], True, _C, "calf"),
    (0.02, 0.07, ANKLE, 1.0, PCT["foot"], True, 0, "foot"),  # heels
)
_BENT_LEG: tuple[Part, ...] = (
    (0.01, 0.09, 0.47, 0.53, PCT["thigh"] / 2, True, 0, "thigh"),  # on the buttocks
    (0.03, 0.09, *_BENT_FOOT_V, _BENT_FOOT_PCT, True, 0, "foot"),
)

SUPINE: tuple[Part, ...] = (*_HEAD, *_TRUNK, *_ARMS, *_STRAIGHT_LEG)
SUPINE_KNEES_UP: tuple[Part, ...] = (*_HEAD, *_TRUNK, *_ARMS, *_BENT_LEG)
# The right leg straight, the left knee up (parts written per side, not mirrored).
SUPINE_ONE_KNEE_UP: tuple[Part, ...] = (
    *_HEAD,
    *_TRUNK,
    *_ARMS,
    *((u0, u1, v0, v1, pct, False, com, tag) for u0, u1, v0, v1, pct, _, com, tag in _STRAIGHT_LEG),
    *((-u1, -u0, v0, v1, pct, False, com, tag) for u0, u1, v0, v1, pct, _, com, tag in _BENT_LEG),
)
# Hands crossed on the chest: the elbows rest beside the trunk, forearms and hands press on the
# chest (their load reaches the mat through the back).
SUPINE_HANDS_ON_CHEST: tuple[Part, ...] = (
    *_HEAD,
    *_TRUNK,
    (0.095, 0.125, 0.26, 0.36, PCT["upper_arm"], True, 0, "arm"),
    (-0.07, 0.07, 0.22, 0.34, 2 * (PCT["forearm"] + PCT["hand"]), False, 0, "upper"),
    *_STRAIGHT_LEG,
)
# Face down: the head turned aside, chest, belly (prone, it rests on the mat), the front of the
# pelvis, thighs, knees and shins, the backs of the feet with the toes pointing away.
PRONE: tuple[Part, ...] = (
    (-0.05, 0.05, 0.02, 0.13, 6.9, False, 0, "head"),
    (-0.03, 0.03, 0.13, SHOULDER, 1.2, False, 0, "head"),
    (-0.095, 0.095, SHOULDER, 0.33, PCT["thorax"], False, 0, "upper"),
    (-0.085, 0.085, 0.33, 0.42, PCT["abdomen"], False, 0, "mid"),
    (-0.09, 0.09, 0.42, 0.50, PCT["pelvis"], False, 0, "pelvis"),
    *_ARMS,
    (0.01, 0.09, HIP, KNEE, PCT["thigh"], True, _C, "thigh"),
    (0.02, 0.07, KNEE, ANKLE, PCT["shank"], True, _C, "calf"),
    (0.02, 0.07, ANKLE, ANKLE + 0.10, PCT["foot"], True, 0, "foot"),
)
# On the left side, straight: a strip ~0.13 of height wide (~25 cm at 1.75 m) under the lower
# shoulder, ribs, hip and stacked legs; the waist carries little; +u is the back, −u the front.
_SIDE_TRUNK: tuple[Part, ...] = (
    (-0.04, 0.04, 0.0, 0.13, 6.9, False, 0, "head"),  # on the lower arm or a pillow
    (-0.02, 0.02, 0.13, SHOULDER, 1.2, False, 0, "head"),
    (-0.065, 0.065, SHOULDER - 0.02, 0.26, 13.0, False, 0, "upper"),  # the lower shoulder
    (-0.06, 0.06, 0.26, 0.33, 8.6 + 2 * PCT["upper_arm"] - 0.6, False, 0, "upper"),
    (-0.05, 0.05, 0.33, 0.41, 4.0, False, 0, "mid"),  # the waist arches over the mat
    (-0.065, 0.065, 0.41, 0.53, PCT["pelvis"] + PCT["abdomen"] - 4.0, False, 0, "pelvis"),
    (-0.12, -0.06, 0.22, 0.40, 2 * (PCT["forearm"] + PCT["hand"]) + 0.6, False, 0, "arm"),
)
SIDE: tuple[Part, ...] = (
    *_SIDE_TRUNK,
    (-0.05, 0.05, 0.53, KNEE, 2 * PCT["thigh"], False, _C, "thigh"),  # stacked legs
    (-0.04, 0.04, KNEE, ANKLE, 2 * PCT["shank"], False, _C, "calf"),
    (-0.04, 0.04, ANKLE, 1.0, 2 * PCT["foot"], False, 0, "foot"),
)
# Curled on the left side (fetal): hips and knees bent, thighs forward (−u), shanks folded
# back under them; the loaded length is 0.64 of height.
CURLED: tuple[Part, ...] = (
    (-0.04, 0.04, 0.03, 0.15, 6.9, False, 0, "head"),
    (-0.02, 0.02, 0.15, 0.19, 1.2, False, 0, "head"),
    *((u0, u1, v0, v1, pct, m, c, tag) for u0, u1, v0, v1, pct, m, c, tag in _SIDE_TRUNK[2:]),
    (-0.20, -0.04, 0.46, 0.60, 2 * PCT["thigh"], False, 0, "thigh"),
    (-0.20, -0.08, 0.55, 0.63, 2 * PCT["shank"], False, 0, "calf"),
    (-0.12, -0.04, 0.58, 0.64, 2 * PCT["foot"], False, 0, "foot"),
)

# Hips lifted: pelvis, abdomen and thighs hang between the shoulders and the (bent) feet.
BRIDGE: tuple[Part, ...] = (
    (-0.045, 0.045, 0.0, SHOULDER, PCT["head_neck"], False, 0, "head"),
    (-0.095, 0.095, SHOULDER, 0.28, 43.0, False, 0, "upper"),
    (0.105, 0.135, SHOULDER, 0.368, _ARM / 2, True, 0, "arm"),
    (0.03, 0.09, 0.62, 0.62 + FOOT_LENGTH, (100 - 8.1 - 43.0 - _ARM) / 2, True, 0, "foot"),
)
# Long-sitting: trunk upright over the seat (~65 %), legs stretched along the mat.
LONG_SITTING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 65.0, False, 0, "seat"),
    (0.12, 0.15, -0.03, 0.03, 2.5, True, 0, "arm"),  # hands beside the hips
    (0.01, 0.09, 0.06, 0.245, 8.5, True, 0, "thigh"),
    (0.02, 0.07, 0.245, 0.49, 5.0, True, 0, "calf"),
    (0.02, 0.07, 0.49, 0.53, 1.5, True, 0, "foot"),
)
# Leaning back on the hands (a weight shift while long-sitting): they carry a tenth.
LONG_SITTING_LEANING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 60.0, False, 0, "seat"),
    (0.10, 0.14, -0.20, -0.14, 5.0, True, 0, "arm"),  # hands behind the hips
    *LONG_SITTING[2:],
)
CROSS_LEGGED: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 60.0, False, 0, "seat"),
    (-0.15, 0.15, 0.02, 0.10, 10.0, False, 0, "thigh"),  # thighs, hands on the knees
    (-0.20, 0.20, 0.06, 0.20, 30.0, False, 0, "calf"),  # crossed shanks and feet
)
# Knees up, feet flat ahead of the seat (also: sitting on an edge with the feet on the floor
# beyond it, where the feet's share rests off the mat).
KNEES_UP: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 72.0, False, 0, "seat"),
    (0.12, 0.15, -0.10, -0.04, 2.0, True, 0, "arm"),  # hands behind, propping
    (0.03, 0.09, 0.28, 0.28 + FOOT_LENGTH, 12.0, True, 0, "foot"),
)
KNEES_UP_FEET_V = 0.28 + FOOT_LENGTH / 2  # where the feet of KNEES_UP stand, from the seat
# Knees up, hugging them: the hands clasp the shins, so the arms' weight reaches the mat through
# the feet with the shanks' and half the thighs' (Winter: 5.0 + 4.65 + 1.45 = 11.1 % a leg, plus
# about half an arm's 5 %: ~14 % a foot); the trunk upright over the seat carries the rest.
KNEES_UP_HUGGING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 72.0, False, 0, "seat"),
    (0.03, 0.09, 0.28, 0.28 + FOOT_LENGTH, 14.0, True, 0, "foot"),
)
# Knees up, leaning back on the hands (a weight shift): they carry ~8 %, the feet a little less.
KNEES_UP_LEANING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 70.0, False, 0, "seat"),
    (0.10, 0.14, -0.20, -0.14, 4.0, True, 0, "arm"),  # hands behind the hips
    (0.03, 0.09, 0.28, 0.28 + FOOT_LENGTH, 11.0, True, 0, "foot"),
)


# Kneeling (ways_on.py): the anchor is the middle of the knees, +v runs along the shins to the
# toes behind them (instep down, toes pointing away). The shin strip is Drillis & Contini's
# knee-to-ankle 0.246 H plus a foot 0.152 H: ~0.40 H, 0.70 m at 1.75 m. What rests where follows
# Winter's masses: each shank and foot lies on the mat; the rest of the body rests on what it
# stands over.
_SHIN_V = (0.02, ANKLE - KNEE)
_INSTEP_V = (ANKLE - KNEE, ANKLE - KNEE + FOOT_LENGTH)
_KNEE_V = (-0.02, 0.02)
_HAT = PCT["head_neck"] + PCT["thorax"] + PCT["abdomen"] + PCT["pelvis"] + _ARM  # 67.8 %
# Tall kneeling (thighs upright): head, trunk, arms and thighs stand on the knees (87.8 %).
KNEELING: tuple[Part, ...] = (
    (0.03, 0.09, *_KNEE_V, (100.0 - 2 * (PCT["shank"] + PCT["foot"])) / 2, True, 0, "seat"),
    (0.03, 0.08, *_SHIN_V, PCT["shank"], True, 0, "calf"),
    (0.03, 0.08, *_INSTEP_V, PCT["foot"], True, 0, "foot"),
)
# Sitting back on the heels (seiza, a praying or yoga kneel): head, trunk and arms sit on the
# heels over the insteps (67.8 % + the feet), the thighs lie along the shins (half at the knees,
# half along the shins), the shanks on their own strip.
KNEELING_ON_HEELS: tuple[Part, ...] = (
    (0.03, 0.09, *_KNEE_V, PCT["thigh"] / 2, True, 0, "thigh"),
    (0.03, 0.08, *_SHIN_V, PCT["thigh"] / 2 + PCT["shank"], True, 0, "calf"),
    (0.03, 0.09, *_INSTEP_V, _HAT / 2 + PCT["foot"], True, 0, "seat"),
)
# On all fours, the trunk level: the hands under the shoulders, (HIP − SHOULDER) H = 0.29 H ahead
# of the knees, carry what is ahead of the trunk's middle (head, arms, thorax, half the abdomen:
# 46.65 %); the knees the other half of the abdomen, the pelvis and the thighs (41.15 %); shanks
# and feet lie behind. A lever split at shoulders and hips over Winter's masses.
_FOURS_HANDS_PCT = (PCT["head_neck"] + _ARM + PCT["thorax"] + PCT["abdomen"] / 2) / 2
_FOURS_HANDS_V = (-(HIP - SHOULDER) - 0.05, -(HIP - SHOULDER) + 0.03)
ALL_FOURS: tuple[Part, ...] = (
    (0.09, 0.15, *_FOURS_HANDS_V, _FOURS_HANDS_PCT, True, 0, "arm"),
    (0.03, 0.09, *_KNEE_V, 50.0 - _FOURS_HANDS_PCT - PCT["shank"] - PCT["foot"], True, 0, "seat"),
    (0.03, 0.08, *_SHIN_V, PCT["shank"], True, 0, "calf"),
    (0.03, 0.08, *_INSTEP_V, PCT["foot"], True, 0, "foot"),
)
# Sitting to one hip from kneeling (a side sit): anchored at the seat like the other sitting
# shapes, +v towards the knees; the legs fold to +u, the seat is on the −u hip and that hand
# props beside it. The seat carries head, trunk, the free arm, the thighs' near halves and a
# little of the propping arm (73.8 %); the hand 4 %; the knees the thighs' far halves (10 %);
# the folded shanks and feet lie beside the seat (12.2 %).
HIP_SITTING: tuple[Part, ...] = (
    (-0.095, 0.095, -0.06, 0.06, 73.8, False, 0, "seat"),
    (-0.20, -0.16, -0.04, 0.02, 4.0, False, 0, "arm"),
    (0.0, 0.12, 0.18, 0.26, 2 * PCT["thigh"] / 2, False, 0, "thigh"),
    (0.10, 0.22, -0.06, 0.22, 2 * (PCT["shank"] + PCT["foot"]), False, 0, "calf"),
)


def _foot(u_centre: float, share_pct: float) -> tuple[Part, ...]:
    """A foot as four quarters (inner/outer × heel/toe), so sway can tilt its load."""
    half_w, half_l = 0.0275, FOOT_LENGTH / 2
    q = share_pct / 4
    return tuple(
        (u0, u0 + half_w, v0, v0 + half_l, q, False, 0, "foot")
        for u0 in (u_centre - half_w, u_centre)
        for v0 in (-half_l, 0.0)
    )


STANDING: tuple[Part, ...] = (*_foot(-0.06, 50.0), *_foot(0.06, 50.0))
ONE_FOOT: tuple[Part, ...] = _foot(0.0, 100.0)

SHAPES: dict[str, tuple[Part, ...]] = {
    "supine": SUPINE,
    "supine_knees_up": SUPINE_KNEES_UP,
    "supine_one_knee_up": SUPINE_ONE_KNEE_UP,
    "supine_hands_on_chest": SUPINE_HANDS_ON_CHEST,
    "prone": PRONE,
    "side": SIDE,
    "curled": CURLED,
    "bridge": BRIDGE,
    "long_sitting": LONG_SITTING,
    "long_sitting_leaning": LONG_SITTING_LEANING,
    "cross_legged": CROSS_LEGGED,
    "knees_up": KNEES_UP,
    "knees_up_hugging": KNEES_UP_HUGGING,
    "knees_up_leaning": KNEES_UP_LEANING,
    "standing": STANDING,
    "one_foot": ONE_FOOT,
    "kneeling": KNEELING,
    "kneeling_on_heels": KNEELING_ON_HEELS,
    "all_fours": ALL_FOURS,
    "hip_sitting": HIP_SITTING,
}
LYING_SHAPES = (
    "supine",
    "supine_knees_up",
    "supine_one_knee_up",
    "supine_hands_on_chest",
    "prone",
    "side",
    "curled",
)
