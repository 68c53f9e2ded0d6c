"""The way onto the mat: has the person just lain back? (pure)

From standing, through sitting, a person lies back: the pelvis stays where the seat was and the
upper body, about half the weight, lands 0.3–0.6 m towards the head end, so the centre of
pressure moves towards the head end (0.05–0.4 m on the simulator's lying stories, every posture,
body, placement and layout; the tiles' rows blur it) while the total stays put. Sitting keeps
the load where it is: leaning back on the hands, shifting weight or stretching the legs moves
the centre of pressure by under 6 cm.

``LieBack`` follows the still stretches of a visit (the controller's stillness, frame by frame;
frames half a second or more apart are still when the shares hardly changed). When a stretch of
``MIN_STRETCH_S`` or more ends, its load before the move began (stillness is lost
``_MOVE_BEGUN_S`` after it) is the anchor, unless it swayed like a standing body (load moving
between zones or a bobbing total: standing keeps correcting its balance, sitting is calm). The
next still stretch is a lie-back when, within ``_ANCHOR_S`` of the anchor, its centre of pressure
lies ``_MOVE_M`` or more nearer the head end (``_LONG_MOVE_M`` after a stretch over
``_LONG_STRETCH_S``: someone who has sat a while and scoots back across a tile border shifts it
up to ~0.2 m on coarse tiles) at a total within ``_TOTAL_RATIO``; ``seen`` holds until the body
moves again. The reverse, ``_MOVE_M`` towards the feet, is ``sat_up``. A body already there,
whole, at the visit's first frame (the controller restarted under it) had no way there to see:
its first still stretch counts as a lie-back. The head end is y = 0; lying the other way round
is left to the shape alone.

Sitting down straight from standing, the weight leaves the feet for a seat behind them: on
coarse tiles that moves the centre of pressure as lying back does. Only a stand that sways
visibly, or does not pause at all, tells it apart (docs/controller.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from controller.core.geometry import FloatArray

_MOVE_M = 0.05
_LONG_STRETCH_S = 20.0
_LONG_MOVE_M = 0.22
_ANCHOR_S = 15.0
_TOTAL_RATIO = (0.7, 1.5)  # parts hanging off the mat sitting may land on it lying
_RINGING_S = 0.3
_MOVE_BEGUN_S = 0.6  # the controller's stillness ends this long after a move began
MIN_STRETCH_S = 0.5
_SWAY_SAMPLES = 4
_RING_S = 1.2  # a landing's ring (~10 %, τ 0.35 s) is under 0.4 % by then
_SWAY_SHARE = 0.01  # sim standing: 0.5-7 % (Santos & Duarte sway); sitting: ~0.3 %
_SWAY_TOTAL = 0.004
_WHOLE_AT_ONCE = 0.85  # the visit's first frame held this much of the load: no arrival seen
_SLOW_FRAME_S = 0.5
_SLOW_STILL_SHARE = 0.03


@dataclass(frozen=True, slots=True)
class Anchor:
    """The load of a still stretch: when it ended, how long it lasted, its mean centre of
    pressure along the mat and its mean total."""

    t: float
    duration_s: float
    cop_m: float
    total_kg: float


@dataclass(slots=True)
class _Stretch:
    start_t: float
    samples: list[
        tuple[float, float, float, FloatArray]
    ]  # t, centre of pressure, total, zone shares


class LieBack:
    def __init__(self, band_centres_m: FloatArray) -> None:
        self._centres = band_centres_m
        self.seen = False
        self.sat_up = False  # the reverse: the load moved towards the feet since the last stretch
        self.anchor: Anchor | None = None
        self._stretch: _Stretch | None = None
        self._last: tuple[float, FloatArray] | None = None
        self._first_total_kg: float | None = None  # at the visit's first frame
        self._stretches = 0

    def reset(self) -> None:
        """The person left: forget the way they came."""
        self.seen = self.sat_up = False
        self.anchor = None
        self._stretch = None
        self._last = None
        self._first_total_kg = None
        self._stretches = 0

    def frame(
        self,
        t: float,
        band_shares: FloatArray,
        zone_shares: FloatArray,
        total_kg: float,
        still: bool,
    ) -> None:
        """Every frame while someone is on the mat: follows the still stretches. Frames half a
        second or more apart are still when the shares hardly changed since the last one (the
        controller's stillness needs a few frames, which a slow source takes seconds to give)."""
        if self._first_total_kg is None:
            self._first_total_kg = total_kg
        last = self._last
        slow = last is not None and t - last[0] >= _SLOW_FRAME_S
        if slow and last is not None:
            still = still or float(abs(band_shares - last[1]).sum()) < _SLOW_STILL_SHARE
        self._last = (t, band_shares)
        stretch = self._stretch
        if not still:
            if stretch is not None:
                self._end(stretch, t, slow)
                self.seen = self.sat_up = False
            self._stretch = None
            return
        if stretch is None:
            stretch = self._stretch = _Stretch(t, [])
            self._stretches += 1
        stretch.samples.append((t, float(band_shares @ self._centres), total_kg, zone_shares))
        if self._stretches == 1 and self._appeared(total_kg):
            self.seen = True  # already there, whole, when the visit began: a restart
        moved_m = self._moved_m(stretch)
        if moved_m is not None:
            self.seen = self.seen or moved_m >= self._need_m()
            self.sat_up = self.sat_up or -moved_m >= _MOVE_M

    def _end(self, stretch: _Stretch, t: float, slow: bool) -> None:
        """The anchor: the stretch's load before its end (stillness is lost a while after a
        move begins), unless it swayed like standing or was too short to be a pause."""
        if t - stretch.start_t < MIN_STRETCH_S and not slow:
            return
        settled = [s for s in stretch.samples if s[0] >= stretch.start_t + _RINGING_S]
        before = [s for s in settled if s[0] <= t - _MOVE_BEGUN_S]
        kept = before or settled[:1] or stretch.samples[-1:]
        cop = sum(s[1] for s in kept) / len(kept)
        total = sum(s[2] for s in kept) / len(kept)
        rung = [s for s in before if s[0] >= stretch.start_t + _RING_S]
        swayed = _swayed(before, rung)
        self.anchor = None if swayed else Anchor(t, t - stretch.start_t, cop, total)

    def _appeared(self, total_kg: float) -> bool:
        first = self._first_total_kg
        return first is not None and first >= _WHOLE_AT_ONCE * total_kg

    def _moved_m(self, stretch: _Stretch) -> float | None:
        """How far the centre of pressure now lies nearer the head end than the anchor's, at
        a total within ``_TOTAL_RATIO`` of it (None: no anchor to compare with)."""
        a = self.anchor
        t, cop_m, total_kg, _ = stretch.samples[-1]
        if a is None or t - a.t > _ANCHOR_S or a.total_kg <= 0.0:
            return None
        low, high = _TOTAL_RATIO
        return a.cop_m - cop_m if low <= total_kg / a.total_kg <= high else None

    def _need_m(self) -> float:
        a = self.anchor
        return _LONG_MOVE_M if a is not None and a.duration_s > _LONG_STRETCH_S else _MOVE_M


Sample = tuple[float, float, float, FloatArray]


def _swayed(samples: list[Sample], rung: list[Sample]) -> bool:
    """A standing body keeps correcting its balance: its load moves between bands (shares
    spread ``_SWAY_SHARE`` or more) or its total bobs (``_SWAY_TOTAL`` of it, judged once a
    landing's ring has died: ``rung``). A seated one is calm. Too few looks: not swayed."""
    spread = bob = 0.0
    if len(samples) >= _SWAY_SAMPLES:
        spread = float(np.array([s[3] for s in samples]).std(axis=0).max())
    if len(rung) >= _SWAY_SAMPLES:
        totals = np.array([s[2] for s in rung])
        bob = float(totals.std() / totals.mean()) if totals.mean() > 0 else 0.0
    return spread >= _SWAY_SHARE or bob >= _SWAY_TOTAL
