"""A lie-back from a calm seat the body was not seen to reach head-wards (pure).

After a single step onto the lying shape (``posture._lain_back``: the lie-back seen, the whole
way down not) lying is judged on the coarse templates only, which place a body every 4 cm:
where a row border cuts the trunk, 4 cm of body moves ~6 % of the load across it, so a body
lying between two placements fits neither by up to ~0.04. The finer profiles
(``bodymodel.fine_lying_profiles``: every 1 cm, between the pressure styles) are kept for the
whole way down because a sitter who sat down from the feet made one step too, and those
profiles fit such a seat, its legs ahead, within 0.02 as well.

A move from a seat held still and calm is no sitting down from the feet: the body is down
already. That is the way a tall body lies down when its feet stand beyond the foot end (the head
near or beyond the head end): the seat is the first load the mat carries, reached from off it,
so nothing was seen to come head-wards (``Anchor.came_m`` under ``liedown_stretch.MOVE_M``) and the
lie-back from it is the only step. In the detection sweep all three starts over 10 s and four
misses were this: a heavy upper body prone with the head 10 cm beyond the head end on 2 × 3 and
3 × 3 (rows ~0.55/0.33/0.12; the coarse lying fit 0.036-0.040, a seat 0.011-0.017, the fine
profiles 0.007-0.02) and a 1.52 m body supine with the head 15 cm in on 2 × 3 (0.12/0.61/0.28,
coarse 0.029-0.031 against a seat's 0.004-0.007). So after such a seat lying is read on the
fine profiles as well. A stance is told from a seat by its sway, which needs the stretch long enough
to judge: ``_JUDGED_S``, the stillness' lag (``MOVE_BEGUN_S``) and the lie-back's four settled
samples at 10 frames a second; a stance paused for less (the sitters' anchors that the fine
profiles would take for lying in the sweep stood 0.5-0.7 s) and a seat held longer than a pause
on the way down (``liedown.PASSING_SEAT_S``: someone sitting, whose weight shifts are no
lie-back) keep the coarse fit. A stance within one tile sways unseen, though: in the ways onto
the mat (``benchmarks/ways_on.py``) a body stood calm 3.6 s in the foot-end row of 2 × 3 and 3 × 3
before kneeling down ahead of it, which the fine profiles took for lying (2 false sessions). So
the seat must also lie far enough from the foot end for its feet to have stood beyond it.
"""

from __future__ import annotations

from controller.core.liedown import PASSING_SEAT_S
from controller.core.liedown_stretch import MOVE_BEGUN_S, MOVE_M, Anchor

_JUDGED_S = MOVE_BEGUN_S + 0.4  # four settled samples at 10 frames a second: sway judged
# A seat whose feet stand beyond the foot end lies a shank and the heel's part of a foot from
# it at least (0.28 of height: 0.41 m at 1.45 m); the rows blur its centre by up to ~0.1 m.
_FROM_FOOT_END_M = 0.30


def calm_seat_unseen_way(anchor: Anchor | None, foot_end_m: float) -> bool:
    """The lie-back came from a still stretch long enough to judge its sway (and calm: one that
    swayed is no anchor), no longer than a pause on the way down, not reached head-wards, and
    far enough from the foot end (``foot_end_m``) for the feet to have stood beyond it."""
    return (
        anchor is not None
        and _JUDGED_S <= anchor.duration_s <= PASSING_SEAT_S
        and anchor.came_m < MOVE_M
        and anchor.cop_m <= foot_end_m - _FROM_FOOT_END_M
    )
