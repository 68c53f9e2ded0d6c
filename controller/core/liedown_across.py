"""Sitting down from a stance, told by where the anchor's load had stood before and after its
pause and by the centre of pressure across the mat (pure).

A stand paused still for 0.5-1.2 s shows too few settled samples to judge its sway
(``liedown_stretch.SWAY_SPAN_S``), and the seat a sitter lands on right behind the feet, across a
row border with the legs stretched, puts the load in the rows as a body lying down from the feet
does (0/0.89/0.11 → 0.36/0.53/0.11 on 2 × 3, against 0.40/0.51/0.08): the rows cannot tell them
apart. Two things the body does can.

* **How the anchor's load came to be still.** A stance keeps correcting its balance: it stands
  at its place, not still, for seconds and pauses still now and then. A seat is still as soon as
  its landing has rung out (``RING_S``) and the controller's stillness caught up
  (``MOVE_BEGUN_S``); before that its load was arriving (growing as the feet leave the floor, or
  moving from the feet). So a load that stood at its place, at its total, longer than that before
  its still stretch began (``stood_s``) was a stance. In the detection sweep the seats lie-backs
  start from stood there 0.5-1.4 s before their stretch, the sitters' stances 2.7-3 s; after a
  12-18 s seat (``benchmarks/long_seat.py``) the stances that took the seat for lying 1.5-3 s.
* **How its still pause ended.** A seat's pause ends as the move away from it begins (stillness
  is lost ``MOVE_BEGUN_S`` into it) and the move carries the load off its place within a second
  or so; a stance's can end in its own unrest, the body standing on at its place before it sits
  down. So a load that stayed at its place ``STOOD_S`` or more after its pause ended
  (``stayed_s``) was a stance, whatever came before the pause: one paused right after stepping
  on, one long enough to judge and calm, or one that looks reached head-wards because the first
  foot landed foot-wards as the person stepped on. In the detection sweep the anchors lie-downs
  start a session from stayed at most 1.1 s, the two stances it told apart 2.2-2.3 s.
* **Where the seat lands across.** Sitting down from both feet puts the seat centred between
  them: the centre of pressure across the mat moved 0.5-1.2 cm in the sweep's sitters (a stance
  rests a little more on one foot). Lying down curled, on a side or rolled from the feet turns the
  body's length onto a hip and moves it 2-7 cm.

A move from such a stance (told by the time before its pause only where the anchor was not
reached head-wards, no seat on the way down), at the same total (the whole body on the mat
before and after; swinging the legs on from a side edge adds ``_TOTAL_KEPT`` or more), whose
centre across stayed within ``_ACROSS_M``, is sitting down however far the centre moved along
the mat. A stretch long enough to judge that showed no sway was calm, a seat (``Anchor.stood_s``
0): on coarse tiles a seat taken in the row the feet stood in looks like the stance itself, and
the lie-back from it must still count. The time at the place counts from the end of the calm
pause before it, if any (a seat on a side edge that turned a little within its place was seated
there, not standing), and frames half a second or more apart show neither a landing's ring nor
a stance's unrest (``stood_s`` 0 too: at 1 frame/s a seat's landing took 2 s to show still,
and a lie-back of the library's ``relax_2x4`` was read as sitting down from a stance).
"""

from __future__ import annotations

import math

from controller.core.liedown_stretch import LEGS_ON_SHARE, MOVE_BEGUN_S, RING_S, Anchor

# A seat is still this long after its load arrived: its landing's ring and the controller's
# stillness catching up. A load that stood at its place longer, not still, was a stance.
STOOD_S = RING_S + MOVE_BEGUN_S
_PLACE_M = 0.05  # at its place: the centre of pressure along within this of the anchor's...
_PLACE_TOTAL = 0.10  # ...and the total within this share of the anchor's
# The total kept within the share that legs swung onto the mat from a side edge add at least
# (``liedown_stretch.LEGS_ON_SHARE``): the whole body was on the mat before and after.
_TOTAL_KEPT = LEGS_ON_SHARE
# Both feet to a seat centred between them: the centre across moved 0.5-1.2 cm in the sweep's
# sitters (a stance rests a little more on one foot); a curled or side lie-down 2-7 cm.
_ACROSS_M = 0.015

Trail = tuple[tuple[float, float, float], ...]  # t, centre of pressure along, total


def stood_s(
    trail: Trail, start_t: float, cop_m: float, total_kg: float, after_t: float = -math.inf
) -> float:
    """How long before ``start_t`` (a still stretch's start) the load stood at the stretch's
    place: the samples of ``trail`` just before it and after ``after_t`` (a calm pause there
    before), back to the first that lay ``_PLACE_M`` or more along, or ``_PLACE_TOTAL`` of the
    total, from ``cop_m`` and ``total_kg``."""
    since = start_t
    for t, cop, kg in reversed(trail):
        if t >= start_t:
            continue
        if t <= after_t:  # the calm pause before: the load was seated there
            break
        if not _at_place(cop, kg, cop_m, total_kg, _PLACE_M):
            break
        since = t
    return start_t - since


def stayed_s(trail: Trail, anchor: Anchor, moved_m: float) -> float:
    """How long after ``anchor`` ended (its stillness lost) its load stayed at its place, by
    the samples of ``trail``: back within ``_PLACE_M`` along, or half the ``moved_m`` the load
    then moved if less (a short move leaves a 5 cm place late), and ``_PLACE_TOTAL``."""
    place_m = min(_PLACE_M, abs(moved_m) / 2)
    since = anchor.t
    for t, cop, kg in trail:
        if t < anchor.t:
            continue
        if not _at_place(cop, kg, anchor.cop_m, anchor.total_kg, place_m):
            break
        since = t
    return since - anchor.t


def _at_place(cop_m: float, kg: float, place_cop_m: float, place_kg: float, near_m: float) -> bool:
    """A sample (centre along, total) is at a load's place: within ``near_m`` along and
    ``_PLACE_TOTAL`` of its total."""
    return abs(cop_m - place_cop_m) < near_m and abs(kg - place_kg) < _PLACE_TOTAL * place_kg


def sat_from_stance(
    anchor: Anchor, x_m: float, total_kg: float, stayed: float = 0.0, way_down: bool = False
) -> bool:
    """The move from ``anchor`` to a still load whose centre across is ``x_m`` at ``total_kg``
    was sitting down from the feet: the anchor was a stance (its load stood at its place, not
    still, ``STOOD_S`` or more before its still stretch, unless reached head-wards, ``way_down``:
    a seat on the way down; or ``stayed`` that long after it), the total kept, the centre across
    stayed put."""
    if (way_down or anchor.stood_s < STOOD_S) and stayed < STOOD_S:
        return False
    kept = abs(total_kg - anchor.total_kg) < _TOTAL_KEPT * anchor.total_kg
    return kept and abs(x_m - anchor.x_m) <= _ACROSS_M
