"""Posture from the shape of the load along the mat and the way the body got there (pure).

Every half second of frame time the measured head-to-foot profile is compared with the body
templates of ``bodymodel`` (L1 distance on the bands' shares of the load; ``posturefit``). The
profile and its shares are a few sums in plain Python (cheaper than numpy's calls on arrays of
three to nine values); the fits, over thousands of templates, are numpy's. On coarse tiles
many profiles fit lying and sitting alike: a seat across a row border with the legs stretched
puts about half the load in each of two rows, as a lying body does. So lying is decided on two
kinds of evidence:

* **shape**: lying fits at least ``_CLEAR`` better than any upright posture; or
* **the lie-back** (``liedown.LieBack``): since the last still stretch the load moved towards
  the head end at a constant total, into a profile that lying explains about as well as
  sitting (within ``_AMBIGUOUS``; placed finely, after a calm seat the body was not seen to
  reach, ``calmseat``) and clearly better than two feet (``_NOT_FEET``). Sitting
  keeps the load where it is; lying back carries half of it 0.3–0.6 m towards the head. Where
  two feet across a row border explain the profile as well (curled up, the head beyond the
  head end: nearly all the load in two rows), the whole way down decides (``two_step``: feet,
  seat, lying, each head-wards of the last, or a seat on a side edge, the legs swung onto the
  mat ahead of it, lying); a sitter who sat down made the first step only.

Lying is entered only when the body is still, and left only when an upright posture fits
clearly better (lifting the hips, rolling or shifting changes nothing); a lying not reported
yet is kept only while still (it may be the start of sitting up). Where sitting and
standing fit alike (both fill one tile), sway decides: a standing body keeps correcting its
balance. The zones see sway only as load crossing tile borders, so less is asked of a load
held mostly within one tile (``_sway_seen``), and a stance seen swaying stays standing while
one of its tiles carries the whole load (one foot). A new posture must hold for ``posture_s``
before it is reported; leaving the mat reports ``empty`` at once.
"""

from __future__ import annotations

import math
from operator import mul, sub

import numpy as np

from controller.core.arrival import SessionOpen, nothing_known
from controller.core.bodymodel import build_templates, fine_lying_profiles
from controller.core.calmseat import calm_seat_unseen_way
from controller.core.events import Posture, PostureChanged
from controller.core.geometry import Geometry
from controller.core.lain_pose import LainPose
from controller.core.liedown import LieBack
from controller.core.posturefit import NearestProfile, TemplateFitter
from controller.core.settings import DetectionSettings

_EVAL_EVERY_S = 0.5
_REFIT_SHARE = 0.002  # a body lying still changes its shares less: keep the last fits...
_REFIT_S = 2.0  # ...for up to this long
_LYING_FIT_MAX = 0.15  # lying must fit at least this well (L1 distance of the band shares)
_CLEAR = 0.08  # lying fits this much better than upright: lying by its shape alone
_AMBIGUOUS = 0.02  # after a lie-back, lying may fit this much worse than upright
_KEEP_LYING_MARGIN = 0.10  # an upright posture must fit this much better to leave lying
_UPRIGHT_TIE = 0.08  # sitting and standing fits closer than this: let sway decide
_NOT_FEET = 0.10  # after a lie-back, lying must fit this much better than standing
# ...and after none, for a body found there (``arrival``): no step was seen to end in the pose.
# A body curled on its side with the head beyond the head end puts about half its load in each
# of two rows, as two feet across a row border do, and lying fits it 0.03-0.10 better than
# them. But a way there with no step seen is not only a harness's fade: kneeling down beside
# the mat lands knees and shins at once (the load grows in place), and a tall kneel across a
# row border fits lying 0.04-0.065 better than two feet in the simulator (at 0.05, 12 of 204
# kneels that stay started a session). So half-way, with that margin kept.
_NOT_FEET_FOUND = 0.07
# From a seat, a body found there is told by the lie-back's ``_AMBIGUOUS``: a long seat or a
# knees-up seat across a row border and a lying body fit alike on coarse rows (on 2 × 3, half
# the sweep's sitters that fade in as lying lie within 0.03 of a lying body's zone shares), and
# asking lying to fit better trades lying missed for sitters started, with no setting that
# spares both (docs/controller.md, "A body already on the mat", has the curve). A lying miss is
# the dearer error.
# Sway shows only as load crossing tile borders: a foot (0.10 × 0.25 m) or a narrow stance can
# stand inside one tile (a 2×3 tile is 0.25 × 0.43 m), where its centre of pressure moves
# unseen. The sway asked of a stander shrinks with the load outside the busiest tile (half of
# it there: fully seen), down to what the total's own ripple shows (a body balancing on its
# feet bobs its vertical force; a seat carries its load passively).
_SEEN_SWAY_OUTSIDE = 0.5
_SWAY_FLOOR = 0.25  # of ``stand_sway_ratio``: asked of a load held within one tile
# Lifting a foot keeps the load on tiles the feet stood on; sitting down puts a seat (0.35 m or
# more across the hips) behind the heels, over more than one tile. So a standing seen swaying
# across a border stays standing while one of its tiles carries (nearly) the whole load.
_FOOTPRINT_SHARE = 0.10  # a tile with this share of the load was under a foot
_FOOTPRINT_SEEN = 0.5  # sway seen at least this well: the footprint is a stander's


class PostureClassifier:
    def __init__(
        self,
        geometry: Geometry,
        settings: DetectionSettings,
        session_open: SessionOpen = nothing_known,
    ) -> None:
        self._s = settings
        self._fitter = TemplateFitter(build_templates(geometry))
        self._to_bands: list[list[float]] = geometry.zone_to_band.tolist()  # bands × zones
        self._geometry = geometry
        self._foot_end_m = float(geometry.band_edges_m[-1])
        self._shares: list[float] = []  # the bands' shares last classified
        self.posture: Posture = "empty"
        self.fits: dict[Posture, float] = {}
        self._fitted_shares: list[float] | None = None  # the shares the fits were made for
        self._fitted_t = -math.inf
        self._fine: NearestProfile | None = None  # the fine lying profiles, made on first use
        self._fine_fit: float | None = None  # their fit to the shares ``fits`` were made for
        # a body found there: see ``controller.core.arrival``
        self.lie_back = LieBack(geometry.y_m, session_open, geometry.x_m)
        self._lain = LainPose()  # the pose last lain in still, to know it again
        self._raw: Posture = "empty"
        self._next_eval_t = -math.inf
        self._candidate: Posture = "empty"
        self._candidate_since = 0.0
        self._since = 0.0
        self._stood: frozenset[int] = frozenset()  # tiles under the feet when sway was seen
        self._visit_forgotten = False  # the last visit forgotten (the empty mat's frames)

    def update(
        self,
        t: float,
        loads_kg: list[float],
        occupied: bool,
        sway_ratio: float,
        still: bool = True,
    ) -> PostureChanged | None:
        positive = [kg if kg > 0.0 else 0.0 for kg in loads_kg]  # lifted tiles read ~0, not less
        return self.judge(t, positive, sum(positive), occupied, sway_ratio, still=still)

    def judge(
        self,
        t: float,
        positive_kg: list[float],
        total_kg: float,
        occupied: bool,
        sway_ratio: float,
        *,
        still: bool,
    ) -> PostureChanged | None:
        """``update`` on loads already clamped at 0 and their total (the controller makes
        both once per frame for every stage)."""
        if not occupied:
            if not self._visit_forgotten:  # once: the empty mat, most of a day, then costs nothing
                self._next_eval_t = -math.inf
                self._stood = frozenset()
                self.lie_back.reset()
                self._lain.forget()
                self._visit_forgotten = True
            return self._report(t, "empty") if self.posture != "empty" else None
        self._visit_forgotten = False
        positive = positive_kg
        self.lie_back.frame(t, positive, still, total_kg)
        if t >= self._next_eval_t:
            self._raw = self._classify(t, positive, sway_ratio, still)
            self._next_eval_t = t + _EVAL_EVERY_S
        if self._raw == self.posture:  # the usual frame: nothing to debounce
            self._candidate = self._raw
            return None
        return self._debounce(t, self._raw)

    def held_s(self, t: float) -> float:
        """How long the reported posture has been reported."""
        return t - self._since

    def _debounce(self, t: float, candidate: Posture) -> PostureChanged | None:
        if candidate == self.posture:
            self._candidate = candidate
            return None
        if candidate != self._candidate:
            self._candidate, self._candidate_since = candidate, t
        if t - self._candidate_since >= self._s.posture_s:
            return self._report(t, candidate)
        return None

    def _report(self, t: float, posture: Posture) -> PostureChanged:
        event = PostureChanged(t=t, posture=posture, previous=self.posture)
        self.lie_back.lain = self.lie_back.lain or posture == "lying"
        self.posture = self._candidate = posture
        self._candidate_since = self._since = t
        return event

    def _classify(self, t: float, positive: list[float], sway_ratio: float, still: bool) -> Posture:
        # the head-to-foot profile: each band's share of each zone's load, summed in order
        profile = [sum(map(mul, row, positive)) for row in self._to_bands]
        total = sum(profile)
        if total <= 0.0:
            return self.posture if self.posture != "empty" else "sitting"
        shares = self._shares = [kg / total for kg in profile]
        last = self._fitted_shares if still else None  # fits made while still, for a still body
        if last is None or t - self._fitted_t >= _REFIT_S or _moved(shares, last):
            self.fits = self._fitter.fits(np.array(shares, dtype=np.float64))
            self._fine_fit = None
            self._fitted_shares, self._fitted_t = (shares if still else None), t
        return self._decide(t, self.fits, positive, sway_ratio, still)

    def _swaying(self, positive: list[float], sway_ratio: float) -> bool:
        """Sways as a stander does, as far as the tiles can show it."""
        peak, total = max(positive), sum(positive)
        seen = _sway_seen(1.0 - peak / total)  # from the load beyond the busiest tile
        if sway_ratio > seen * self._s.stand_sway_ratio:
            if seen >= _FOOTPRINT_SEEN:
                limit = _FOOTPRINT_SHARE * total
                self._stood = frozenset(i for i, kg in enumerate(positive) if kg >= limit)
            return True
        kept = self.posture == "standing" and positive.index(peak) in self._stood
        return kept and seen <= _SWAY_FLOOR

    def _decide(
        self,
        t: float,
        fits: dict[Posture, float],
        positive: list[float],
        sway_ratio: float,
        still: bool,
    ) -> Posture:
        upright = self._upright(fits, positive, sway_ratio)
        lying, other = fits["lying"], min(fits["sitting"], fits["standing"])
        if lying > _LYING_FIT_MAX:
            return upright
        # Kept lying: the reported posture, or a raw one not reported yet while the body is still.
        # A body that moves before its lying was reported may be sitting up: stillness is lost
        # only ~0.6 s after a move begins, so the first moments of sitting up (a profile passing
        # through lying's) are classified as still; keeping that through the move would start a
        # session as the person gets up.
        if self.posture == "lying" or (self._raw == "lying" and still):
            # Sitting up moves the load towards the feet: then upright needs only to fit better.
            keep = 0.0 if self.lie_back.sat_up else _KEEP_LYING_MARGIN
            if lying >= other + keep:
                return upright
            if still and self.posture == "lying":
                self._lain.keep(positive)
            return "lying"
        if not still:  # a body that moves is not lying down (yet)
            return upright
        if self._lain.back_in(positive):  # a load that lay on it went again
            return "lying"
        if lying + _CLEAR <= other and self._shape_decides(t):
            return "lying"
        return "lying" if self._lain_back(fits) else upright

    def _lain_back(self, fits: dict[Posture, float]) -> bool:
        """The way there says lying: a lie-back into a profile lying explains about as well as
        upright and clearly better than two feet (a lie-back ends spread out: where two feet
        explain the load, it was a step), or the whole way down (feet, seat, lying), where two
        feet explaining the profile as well is no objection and lying may be placed finer and
        read between the pressure styles (``bodymodel.fine_lying_profiles``): a body lies
        anywhere, not on a 4 cm grid, and reads as its own pressure map does. After one step
        the coarse fit decides: a sitter who sat down from the feet made that step too, and
        the fine profiles fit a seat with its legs ahead within 0.02 as well, unless the step
        came from a calm seat not reached head-wards (``calmseat``). A body found
        there (``arrival``: no way there seen, not even a step) is told from two feet by
        ``_NOT_FEET_FOUND``."""
        lying, other = fits["lying"], min(fits["sitting"], fits["standing"])
        lie_back = self.lie_back
        found = lie_back.arrival.found_for(lie_back.stretch_start_t)
        spread = lying + (_NOT_FEET_FOUND if found else _NOT_FEET) <= fits["standing"]
        if lie_back.seen and spread:
            # from a calm seat not reached head-wards lying is placed finely too (``calmseat``)
            calm = calm_seat_unseen_way(lie_back.anchor, self._foot_end_m)
            if calm and lying > other + _AMBIGUOUS:
                lying = min(lying, self._fine_lying())
            if lying <= other + _AMBIGUOUS:
                return True
        return lie_back.two_step and min(lying, self._fine_lying()) <= other + _AMBIGUOUS

    def _shape_decides(self, t: float) -> bool:
        """Shape alone may say lying, unless the body is seen sitting where it sat. Lying back
        from a seat carries the trunk's half 0.3-0.6 m head-wards; a seat shifting its weight
        (hugging the knees, leaning on the hands) moves a tenth of it a few cm, yet on coarse
        tiles a knees-up seat across a row border, its feet two rows on, fits lying better by
        shape alone. So once sitting is reported, shape decides only for the stretch after a
        seat that was itself reached head-wards (``LieBack.from_seat``: the body lay back from
        it); otherwise lying needs the lie-back seen."""
        return self.posture != "sitting" or self.lie_back.from_seat(t)

    def _fine_lying(self) -> float:
        """Lying's fit among the fine profiles (``bodymodel.fine_lying_profiles``): made once
        per fit of the coarse templates, and kept with them while the body lies still."""
        if self._fine_fit is None:
            if self._fine is None:
                self._fine = NearestProfile(fine_lying_profiles(self._geometry))
            self._fine_fit = self._fine.nearest(np.array(self._shares, dtype=np.float64))
        return self._fine_fit

    def _upright(
        self, fits: dict[Posture, float], positive: list[float], sway_ratio: float
    ) -> Posture:
        if abs(fits["sitting"] - fits["standing"]) < _UPRIGHT_TIE:
            return "standing" if self._swaying(positive, sway_ratio) else "sitting"
        return "sitting" if fits["sitting"] < fits["standing"] else "standing"


def _sway_seen(outside: float) -> float:
    """How much of a stander's sway the zones show, given the share of the load outside the
    busiest tile (1: all of it; never below ``_SWAY_FLOOR``)."""
    return max(_SWAY_FLOOR, min(1.0, outside / _SEEN_SWAY_OUTSIDE))


def _moved(shares: list[float], last: list[float]) -> bool:
    """A band's share changed by more than ``_REFIT_SHARE`` since the fits were made."""
    change: float = max(map(abs, map(sub, shares, last)))
    return change > _REFIT_SHARE
