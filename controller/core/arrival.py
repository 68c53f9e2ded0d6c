"""A body found on the mat with no way there seen: judged by what is known of a session (pure).

The lie-back (``controller.core.liedown``) reads lying from the way onto the mat. A body that
was already there, whole, at the visit's first frame (the controller restarted under it, or
readings came back at a jump), or whose load grew in place (put there at once or faded in, as a
test harness may do), had no way there to see. Its first still stretch counts as a lie-back
when it may have lain there through a session: one is open, or nothing says none was (a frame
file, a recording begun at its session's start). When the service's journal held none, a seat
across a row border fits as well, and only the shape may say lying. Someone who stepped on
briskly is whole at once too, but moves for seconds before the first pause.

A load that grew in place is also what a seat makes that lands from off the mat: a tall body
whose feet stand on the floor beyond the foot end sits down onto it, and its seat is the first
load the mat carries. The landing's bounce keeps the controller from calling it still for a
second or more, so a seat held 1-2 s before lying back leaves a still stretch too short to be an
anchor (``liedown.MIN_STRETCH_S``), and the lie-back from it went unseen: 12 of the detection
sweep's 19 missed lie-downs. ``landed_anchor`` takes that stretch's first still frame as the
lie-back's anchor until the stretch proves long enough to be judged on its own, and keeps it for
the next still stretch only where the body moved from it. A stance that landed in place (both
feet in one tile) is still told by how long it stood there before its pause, and when it pauses
again at its place, by that pause.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import mul, sub

from controller.core.liedown_across import Trail, stood_s
from controller.core.liedown_stretch import MOVE_M, Anchor, Sample

SessionOpen = Callable[[], bool]  # may a session have been open? (asked, not told every frame)

_WHOLE_AT_ONCE = 0.85  # the visit's first frame held this much of the load: no arrival seen
# ...and the body was still within this long of it: a body already there is still as soon as
# the motion averages (slow one τ 0.5 s) have settled on its load, ~1.5 s after readings came
# back at a jump (a board back after a loss); one who stepped on moved (stepping, turning,
# sitting down) for 4 s or more before its first pause
_RESTART_STILL_S = 2.5
# A load that grew in place: from the visit's first frame to its first still stretch the zones'
# shares never moved further than this (L1) from the first frame's, and the stretch began
# within ``_IN_PLACE_S``. No real way onto the mat does that: feet land first, a second foot,
# a seat behind them and a trunk behind the seat each move the shares by 0.3-1.0. A body put
# there at once or faded in (a harness, a restart while readings came back) is what does.
_IN_PLACE_L1 = 0.12
_IN_PLACE_S = 12.0


def nothing_known() -> bool:
    """Nothing says whether a session was open (a classifier built on its own, a frame file):
    a body found whole and still at the first frame is taken as having lain there."""
    return True


class Arrival:
    """The visit's first frame, and whether the shape moved from it before the first pause."""

    __slots__ = (
        "_first_shares",
        "_first_t",
        "_first_total_kg",
        "_found_t",
        "_landed",
        "_session_open",
        "in_place",
    )

    def __init__(self, session_open: SessionOpen = nothing_known) -> None:
        self._session_open = session_open  # asked by ``found_there`` only
        self.in_place = True  # the shares stayed near the first frame's (so far)
        self._first_total_kg: float | None = None  # at the visit's first frame
        self._first_t = 0.0
        self._first_shares: list[float] = []
        self._found_t: float | None = None  # the start of the still stretch found there
        self._landed: Anchor | None = None  # a seat landed in place: ``landed_anchor``

    def reset(self) -> None:
        """The person left: the next visit's first frame is to come."""
        self.in_place = True
        self._first_total_kg = None
        self._found_t = None
        self._landed = None

    def frame(self, t: float, shares: list[float], total_kg: float) -> None:
        """A frame before the visit's first still stretch (while ``in_place``)."""
        if self._first_total_kg is None:
            self._first_total_kg, self._first_t, self._first_shares = total_kg, t, shares
        else:
            self.in_place = sum(map(abs, map(sub, shares, self._first_shares))) <= _IN_PLACE_L1

    def found_there(self, start_t: float, total_kg: float) -> bool:
        """The visit's first still stretch, begun at ``start_t``: was the body there, whole,
        from the first frame, or did its load grow in place, and may it have lain there?"""
        first = self._first_total_kg
        if first is None:
            return False
        waited_s = start_t - self._first_t
        whole = waited_s <= _RESTART_STILL_S and first >= _WHOLE_AT_ONCE * total_kg
        found = (whole or self.grew_in_place(start_t)) and self._session_open()
        self._found_t = start_t if found else None
        return found

    def landed_anchor(
        self,
        pause: int,
        sample: Sample,
        current: Anchor | None,
        pause_start: tuple[float, Callable[[list[float]], list[float]], Trail],
        zone_x_m: tuple[float, ...],
        *,
        judged: bool,
    ) -> Anchor | None:
        """The lie-back's anchor at this frame (``sample``) of the visit's first or second
        still stretch (``pause``), ``current`` as it stands: a seat landed from off the mat
        (``_landing``) anchors the first until that stretch is long enough to judge on its own
        (``judged``: ending at the next frame, it would make an anchor of its own; at 10 frames
        a second from its fifth), and the second only where the body moved from it
        (``MOVE_M``): a load that paused again at its place judges itself, as a stance that
        stepped on in place and pauses now and then must (``liedown._end`` reads the anchor
        before a pause as a calm pause there). ``pause_start``: the stretch's start, the rows'
        shares, and the lie-back's trail as the stretch began."""
        t, cop_m, _, _ = sample
        start_t, row_shares, trail = pause_start
        if pause == 1 and t == start_t:
            self._landed = self._landing(sample, row_shares, zone_x_m, trail)
        landed = self._landed
        if landed is None:
            return current
        judged = pause == 1 and judged
        again = pause == 2 and (current is not landed or abs(cop_m - landed.cop_m) < MOVE_M)
        if judged or again:
            self._landed = None
            return None if current is landed else current
        return landed

    def _landing(
        self,
        sample: Sample,
        row_shares: Callable[[list[float]], list[float]],
        zone_x_m: tuple[float, ...],
        trail: Trail,
    ) -> Anchor | None:
        """The load of the first still frame (``sample``), as an anchor, when it grew in place
        from the visit's first frame (``_IN_PLACE_L1``, within ``_IN_PLACE_S``), whatever is
        known of sessions, with how long it stood at its place before (``trail``), which tells
        a stance that stepped on in place and paused briefly (``liedown_across.stood_s``)."""
        t, cop_m, total_kg, shares = sample
        if not self.grew_in_place(t):
            return None
        x_m = sum(map(mul, shares, zone_x_m))
        rows = tuple(row_shares(shares))
        stood = stood_s(trail, t, cop_m, total_kg)  # a stance stands there for seconds
        return Anchor(t, 0.0, cop_m, total_kg, row_shares=rows, x_m=x_m, stood_s=stood)

    def grew_in_place(self, start_t: float) -> bool:
        """The load of the visit's first still stretch, begun at ``start_t``, grew in place from
        the visit's first frame (``_IN_PLACE_L1``, within ``_IN_PLACE_S``)."""
        first_seen = self._first_total_kg is not None
        return first_seen and self.in_place and start_t - self._first_t <= _IN_PLACE_S

    def found_for(self, stretch_start_t: float | None) -> bool:
        """The still stretch begun at ``stretch_start_t`` (None: the body moves) is the one
        judged found there: no way there was seen, not even a step."""
        return stretch_start_t is not None and stretch_start_t == self._found_t
