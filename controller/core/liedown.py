"""The way onto the mat: has the person just lain back? (pure)

From standing, through sitting, a person lies back: the pelvis stays where the seat was and the
upper body, about half the weight, lands 0.3–0.6 m towards the head end, so the centre of
pressure moves towards the head end (0.05–0.4 m on the simulator's lying stories, every posture,
body, placement and layout; the tiles' rows blur it) while the total stays put. Sitting keeps
the load where it is: leaning back on the hands, shifting weight or stretching the legs moves
the centre of pressure by under 6 cm.

``LieBack`` follows the still stretches of a visit (the controller's stillness, frame by frame;
frames half a second or more apart are still when the shares and the total hardly changed
(``liedown_pause.SlowFrames``); and within a few
seconds of load carried between rows, a pause in the rows' shares: a landing's bounce scales
every zone alike, so a seat held 1-2 s is a pause before the controller, which sees the bounce in
kg, says still; a jump in the shares ends a stretch whatever stillness says). When a stretch of
``MIN_STRETCH_S`` or more ends, its load before the move began (stillness is lost
``MOVE_BEGUN_S`` after it) is the anchor, unless it swayed like a standing body (load moving
between zones or a bobbing total: standing keeps correcting its balance, sitting is calm). The
next still stretch is a lie-back when, within ``_ANCHOR_S`` of the anchor, its centre of pressure
lies ``MOVE_M`` or more nearer the head end (after a seat held longer than a pause on the way
down, ``PASSING_SEAT_S``, ``SECOND_MOVE_M``; after one over ``_LONG_STRETCH_S``,
``_LONG_MOVE_M``: someone who has sat a while shifts their weight, and scooting back across a
tile border shifts it up to ~0.2 m on coarse tiles) at a total within ``_TOTAL_RATIO``; ``seen``
holds until the body moves again. After an anchor, load laid down a row ahead of every row it
loaded is a lie-back too, however little the centre of pressure moved (the legs stretching out
carry load the other way; ``liedown_stretch.landed_ahead``). The reverse, ``MOVE_M`` towards
the feet, is ``sat_up``. ``two_step`` says more: the anchor was a seat on the way down, reached
head-wards (``came_m``: ``MOVE_M`` or more head-wards of where the load stood in the ``_CAME_S``
before it) or by swinging the legs onto the mat ahead of a seat taken on a long side edge
(``liedown_stretch.legs_swung_on``: the total grows as the feet leave the floor, the seat keeps
its load), and the move from it is ``SECOND_MOVE_M`` or more, or laid load down a row ahead:
feet (or the edge seat), the seat, then the upper body behind the seat. Sitting down makes the
first step only, stepping about on the feet sways at every pause (no anchor), and leaning back
on the hands moves the load 2–6 cm. A body found there with no way to see (a restart, a load
grown in place) is ``controller.core.arrival``'s to judge. The head end is y = 0; lying the
other way round is left to the shape alone.

Sitting down straight from standing moves the centre of pressure as lying back does: a stand
that sways or does not pause tells it apart, and so does where the load lands (``sat_down``),
unless the anchor was reached head-wards from the still pose before it (``Anchor.down``: a seat
behind still feet, a hip beside the heels after a kneel): the body is down already, and load
landing beyond it is the legs stretching out (a kneel's folded shanks lay 0.08-0.11 of the load
beyond the hip seat's rows).
Until the body has lain in this visit, a moved centre counts only with load carried past the
seat (``no_lie_back``): legs drawn in and a seat's weight shifts carry little or nothing past it.
A stand paused too briefly to judge its sway is still told by how its load came to be still, and
any stand by how its pause ended: a stance stood at its place, not still, longer than a landing
takes to ring out, before its pause or after it, and sitting down from it keeps the centre
across the mat between the feet (``liedown_across.sat_from_stance``).
"""

from __future__ import annotations

from collections import deque
from operator import mul

from controller.core.arrival import Arrival, SessionOpen, nothing_known
from controller.core.liedown_across import sat_from_stance, stayed_s, stood_s
from controller.core.liedown_pause import SharePause, SlowFrames
from controller.core.liedown_stretch import (
    MIN_STRETCH_S,
    MOVE_M,
    SECOND_MOVE_M,
    Anchor,
    Sample,
    Stretch,
    landed_ahead,
    legs_swung_on,
    no_lie_back,
    share_ahead,
)

_ANCHOR_S = 15.0
# A seat passed through on the way down pauses 1-4 s; one held longer is someone sitting, whose
# next still stretch (a weight shift) is no reason to let the shape alone say lying, and whose
# weight shifts (hugging the knees, leaning back on the hands: 5-6 cm, carrying 0.06-0.08 of the
# load past the seat) are no lie-back: after it the centre must move ``SECOND_MOVE_M`` (a small
# body lying back from such a seat moves it 11-15 cm), or the trunk be laid ahead of the seat.
# In the sweep that took false sessions 21 -> 8 (knees-up sitters 14 -> 1), and lie-downs after
# a 12-18 s seat missed 38 of 1,944 instead of 30.
PASSING_SEAT_S = 12.0
_LONG_STRETCH_S = 20.0
_LONG_MOVE_M = 0.22
_TOTAL_RATIO = (0.7, 1.6)  # a sitter's feet on the floor bear up to ~0.37 of the body: 1/0.63
# At 10 frames a second a stretch measures a whole number of frames: 0.5 s is any stillness from
# 0.45 s to 0.55 s long. Finer frames (80 a second) measure it as it is, and a seat that paused
# 0.49 s before lying back fell short of the anchor it makes at 10 (8 of the 80 Hz sweep's 12
# missed lie-downs): the bar is the step's middle, the same at 10 frames a second.
_MIN_STRETCH_SEEN_S = MIN_STRETCH_S - 0.05
_SWAY_SHARE = 0.01  # sim standing: 0.5-7 % (Santos & Duarte sway); sitting: ~0.3 %
_SWAY_TOTAL = 0.004
# Where the anchor's load came from: the place the body stood before it settled there.
_CAME_S = 10.0  # looked back this far before the anchor's stretch began
_CAME_EVERY_S = 0.25
_CAME_MIN_RATIO = 0.3  # standing partly beyond the foot end, a 35 % share of the body was seen


class LieBack:
    def __init__(
        self,
        zone_y_m: tuple[float, ...],
        session_open: SessionOpen = nothing_known,
        zone_x_m: tuple[float, ...] = (),
    ) -> None:
        self._y = zone_y_m
        self._x = zone_x_m  # none given: a stance is not told across (``sat_from_stance``)
        self.arrival = Arrival(session_open)  # a body found there: asked at the first pause
        self._pause = SharePause(zone_y_m)  # pauses and jumps in the shares, rows' shares
        self.seen = False
        self.sat_up = False  # the reverse: the load moved towards the feet since the last stretch
        self.lain = False  # lying was reported in this visit (told by the posture classifier)
        self.anchor: Anchor | None = None
        self._stretch: Stretch | None = None
        self._stretches = 0
        # a second step: the anchor was itself reached by a move head-wards (see ``_came_m``)
        self.two_step = False
        self._trail: deque[tuple[float, float, float]] = deque(
            maxlen=int(_CAME_S / _CAME_EVERY_S) + 8
        )  # t, centre of pressure, total: a sample every ``_CAME_EVERY_S``
        # the trail as the still stretch going on began: a seat held longer than the trail
        # reaches (12 s) has pushed the way it came out of it by the time it ends
        self._trail_at_start: tuple[tuple[float, float, float], ...] = ()
        # the move to this stretch was no lie-back (``no_lie_back``), and it laid load down a row
        # head-wards of the anchor's (``landed_ahead``) (None: not judged yet)
        self._sat_move: bool | None = None
        self._landed: bool | None = None
        self._ahead: float | None = None  # the share laid ahead of the anchor's rows
        self._slow = SlowFrames()  # what frames half a second apart show of a stretch
        # the frame before's total and shares (``SlowFrames`` reads them on slow frames)
        self._last_kg = 0.0
        self._last_shares: list[float] = []

    @property
    def stretch_start_t(self) -> float | None:
        """When the still stretch going on began (None: the body moves)."""
        return None if self._stretch is None else self._stretch.start_t

    def from_seat(self, t: float) -> bool:
        """The still stretch came from a fresh anchor that was a seat on the way down (reached
        head-wards, behind the feet, or the legs swung on): what follows it, not the seat."""
        a = self.anchor
        return (
            a is not None
            and t - a.t <= _ANCHOR_S
            and _on_the_way_down(a)
            and a.duration_s <= PASSING_SEAT_S
        )

    def reset(self) -> None:
        """The person left: forget the way they came."""
        self.seen = self.sat_up = self.two_step = self.lain = False
        self._sat_move = self._landed = self._ahead = None
        self.anchor = None
        self._stretch = None
        self.arrival.reset()
        self._stretches = 0
        self._trail.clear()
        self._trail_at_start = ()
        self._pause.reset()
        self._slow = SlowFrames()
        self._last_kg, self._last_shares = 0.0, []

    def frame(
        self, t: float, positive_kg: list[float], still: bool, total_kg: float | None = None
    ) -> None:
        """Every frame while someone is on the mat (loads with negatives read as 0, and their
        total when known): follows the still stretches. Frames half a second or more apart are
        still when the shares and the total hardly changed since the last one (the controller's
        stillness needs a few frames, which a slow source takes seconds to give)."""
        if total_kg is None:
            total_kg = sum(positive_kg)
        if total_kg <= 0.0:
            return
        shares = [kg / total_kg for kg in positive_kg]
        arrival = self.arrival
        if arrival.in_place and not self._stretches:
            arrival.frame(t, shares, total_kg)
        last_kg, before, self._last_kg, self._last_shares = (
            self._last_kg, self._last_shares, total_kg, shares
        )  # fmt: skip
        still, slow, jumped = self._pause.stillness(t, shares, still)
        # a slow frame whose total moved is no pause (``SlowFrames``; asked on slow frames only)
        still = still and not (slow and SlowFrames.total_moved(last_kg, total_kg))
        cop_m = sum(map(mul, shares, self._y))
        trail = self._trail
        if not trail or t - trail[-1][0] >= _CAME_EVERY_S:
            trail.append((t, cop_m, total_kg))
        stretch = self._stretch
        if stretch is not None and (jumped or not still):
            self._end(stretch, t, slow)
            self.seen = self.sat_up = self.two_step = False
            self._sat_move = self._landed = self._ahead = None
            stretch = self._stretch = None
        if not still:
            return
        sample = (t, cop_m, total_kg, shares)
        if stretch is None:
            stretch = self._begin(sample, slow, before)
        stretch.add(sample)
        if (n := self._stretches) <= 2:  # the first pauses: a seat landed, a body found there
            at_start = (stretch.start_t, self._pause.row_shares, self._trail_at_start)
            judged = self._anchors_itself(stretch, t, slow)
            self.anchor = arrival.landed_anchor(
                n, sample, self.anchor, at_start, self._x, judged=judged
            )
            # found there, no way there seen: it may have lain there (``arrival``)
            self.seen = self.seen or (n == 1 and arrival.found_there(stretch.start_t, total_kg))
        # an anchor over ``_ANCHOR_S`` old (or none) is nothing to compare with (``_moved_m``)
        anchor = self.anchor
        if anchor is not None and t - anchor.t <= _ANCHOR_S:
            self._judge_move(stretch, anchor)

    def _begin(self, sample: Sample, slow: bool, before: list[float]) -> Stretch:
        """A still stretch begins at this frame (``sample``; ``before``: the frame before's
        shares, none on the visit's first)."""
        t = sample[0]
        stretch = self._stretch = Stretch(t, sample)
        pause = self._pause
        self._slow.begin(slow, pause.gap_s, pause.carried_lately(t), (sample[3], before))
        self._trail_at_start = tuple(self._trail)
        self._stretches += 1
        return stretch

    def _anchors_itself(self, stretch: Stretch, t: float, slow: bool) -> bool:
        """The still stretch, were it to end at the next frame (as far on as this one came
        after the last), would be long enough to make an anchor of its own (``_end``): at 10
        frames a second from its fifth frame, at 80 from its 36th, at 2 from its second."""
        if slow:
            return self._slow.seen_enough(t - stretch.start_t)
        return t + self._pause.gap_s - stretch.start_t >= _MIN_STRETCH_SEEN_S

    def _judge_move(self, stretch: Stretch, anchor: Anchor) -> None:
        """Compares the still stretch with a fresh anchor: a lie-back, the whole way down, or a
        move towards the feet (sitting up)."""
        moved_m = self._moved_m(stretch)
        if moved_m is None:
            return
        need_m = self._need_m()
        self.sat_up = self.sat_up or -moved_m >= MOVE_M
        if moved_m < need_m:  # unless the trunk was laid a row ahead of the seat
            if self._ahead is None:  # judged once a stretch
                self._ahead = share_ahead(
                    anchor.row_shares, self._pause.row_shares(stretch.last[3])
                )
            self._landed = landed_ahead(self._ahead, moved_m, need_m > MOVE_M)
            if not self._landed:
                return
        if self._sat_move is None:  # judged once a stretch, when it has moved far enough
            rows = self._pause.row_shares(stretch.last[3])
            past_seat_asked = not self._landed and not self.lain  # before lying, the centre moved
            self._sat_move = no_lie_back(anchor, rows, past_seat_asked) or self._from_stance(
                anchor, stretch
            )
        if self._sat_move:  # sat down from the feet, or nothing carried past the seat
            return
        self.seen = True
        far = moved_m >= max(need_m, SECOND_MOVE_M) or bool(self._landed)
        self.two_step = self.two_step or (far and _on_the_way_down(anchor))

    def _from_stance(self, anchor: Anchor, stretch: Stretch) -> bool:
        """Sat down from a stance to the still stretch (``liedown_across``; needs the x)."""
        if not self._x or anchor.down:
            return False
        _, cop_m, total_kg, shares = stretch.last
        stayed = stayed_s(self._trail_at_start, anchor, anchor.cop_m - cop_m)
        x_m = sum(map(mul, shares, self._x))
        return sat_from_stance(anchor, x_m, total_kg, stayed, _on_the_way_down(anchor))

    def _end(self, stretch: Stretch, t: float, slow: bool) -> None:
        """The anchor: the stretch's load before its end (stillness is lost a while after a
        move begins), unless it swayed like standing or was too short to be a pause."""
        if t - stretch.start_t < _MIN_STRETCH_SEEN_S and not slow:
            return
        if slow and not self._slow.seen_enough(stretch.last[0] - stretch.start_t):
            return
        stretch.fold()
        before, rung = stretch.before, stretch.rung
        if before.n:
            cop, total = before.cop / before.n, before.total / before.n
        else:
            _, cop, total, _ = stretch.first_settled or stretch.last
        swayed = (before.judged() and before.share_spread() >= _SWAY_SHARE) or (
            rung.judged() and rung.total_bob() >= _SWAY_TOTAL
        )
        if swayed:
            self.anchor = None
            return
        came_m = self._came_m(stretch.start_t, cop, total)
        settled = stretch.settled_shares()
        rows = tuple(self._pause.row_shares(settled))
        seat = self.anchor if self.anchor and stretch.start_t - self.anchor.t <= _CAME_S else None
        legs_on = legs_swung_on(seat, total, rows)  # the legs swung on from a side edge
        down = seat is not None and came_m >= MOVE_M
        x_m = sum(map(mul, settled, self._x))
        # a stretch long enough to show a stance's sway that showed none was a calm seat; frames
        # half a second or more apart show neither a landing's ring nor a stance's unrest
        stood = 0.0
        if not (before.judged() or slow):
            calm_t = float("-inf") if self.anchor is None else self.anchor.t  # calm there before
            stood = stood_s(self._trail_at_start, stretch.start_t, cop, total, calm_t)
        self.anchor = Anchor(
            t, t - stretch.start_t, cop, total, came_m, rows, legs_on, down, x_m, stood
        )

    def _came_m(self, start_t: float, cop_m: float, total_kg: float) -> float:
        """How far head-wards of the foot-most place the load stood in the ``_CAME_S`` before
        the stretch began (while at least ``_CAME_MIN_RATIO`` of its total was on the mat) the
        stretch lies. Sitting down carries the weight from the feet to the seat behind them,
        so a seat was reached head-wards; a standing body reached its place from nowhere (it
        stepped on) or by a step it sways after."""
        low_t, low_kg = start_t - _CAME_S, _CAME_MIN_RATIO * total_kg
        trail = self._trail_at_start
        before = [c for s_t, c, kg in trail if low_t <= s_t < start_t and kg >= low_kg]
        return max(before) - cop_m if before else 0.0

    def _moved_m(self, stretch: Stretch) -> float | None:
        """How far the centre of pressure now lies nearer the head end than the anchor's, at
        a total within ``_TOTAL_RATIO`` of it (None: no anchor to compare with)."""
        a = self.anchor
        t, cop_m, total_kg, _ = stretch.last
        if a is None or t - a.t > _ANCHOR_S or a.total_kg <= 0.0:
            return None
        low, high = _TOTAL_RATIO
        return a.cop_m - cop_m if low <= total_kg / a.total_kg <= high else None

    def _need_m(self) -> float:
        a = self.anchor
        if a is None or a.duration_s <= PASSING_SEAT_S:
            return MOVE_M
        if a.duration_s > _LONG_STRETCH_S:
            return _LONG_MOVE_M
        return MOVE_M if self.lain else SECOND_MOVE_M  # a pose held after lying: no sitter's


def _on_the_way_down(anchor: Anchor) -> bool:
    """The anchor was a seat on the way down: reached head-wards (behind the feet), or by
    swinging the legs onto the mat ahead of a seat on a side edge."""
    return anchor.came_m >= MOVE_M or anchor.legs_on
