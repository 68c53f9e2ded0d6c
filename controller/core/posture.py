"""Posture from the shape of the load along the mat, debounced (pure).

Every half second of frame time the measured head-to-foot profile is compared with the body
templates of ``bodymodel`` (L1 distance); the posture whose templates come closest wins. Lying
needs to fit better than sitting and standing by a margin to be entered and loses only when an
upright posture fits clearly better (hysteresis), so lifting the hips or shifting changes
nothing. Sitting and standing can look alike on coarse tiles: then sway decides (a standing
body keeps correcting its balance; a sitting one is steadier). A new posture must hold for
``posture_s`` before it is reported; leaving the mat reports ``empty`` at once.
"""

from __future__ import annotations

import math

import numpy as np

from controller.core.bodymodel import CLASSES, build_templates
from controller.core.events import Posture, PostureChanged
from controller.core.geometry import Geometry
from controller.core.settings import DetectionSettings

_EVAL_EVERY_S = 0.5
# A profile that lying explains about as well as sitting is taken as lying: a body sitting
# concentrates two thirds of its load under the pelvis, which lying templates cannot mimic
# (they fit sitting profiles worse by 0.15 and more), while coarse tiles let some sitting
# templates mimic a lying body closely.
_ENTER_LYING_MARGIN = -0.02  # lying may fit this much worse than upright and still be entered
_KEEP_LYING_MARGIN = 0.10  # an upright posture must fit this much better to leave lying
_LYING_FIT_MAX = 0.15  # and lying must fit at least this well
_UPRIGHT_TIE = 0.08  # sitting and standing fits closer than this: let sway decide


class PostureClassifier:
    def __init__(self, geometry: Geometry, settings: DetectionSettings) -> None:
        self._s = settings
        self._templates = build_templates(geometry)
        self._to_bands = geometry.zone_to_band
        self.posture: Posture = "empty"
        self.fits: dict[Posture, float] = {}
        self._raw: Posture = "empty"
        self._next_eval_t = -math.inf
        self._candidate: Posture = "empty"
        self._candidate_since = 0.0
        self._since = 0.0

    def update(
        self,
        t: float,
        loads_kg: list[float],
        occupied: bool,
        sway_ratio: float,
        still: bool = True,
    ) -> PostureChanged | None:
        if not occupied:
            self._next_eval_t = -math.inf
            return self._report(t, "empty") if self.posture != "empty" else None
        if t >= self._next_eval_t:
            self._raw = self._classify(loads_kg, sway_ratio, still)
            self._next_eval_t = t + _EVAL_EVERY_S
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
        self.posture = self._candidate = posture
        self._candidate_since = self._since = t
        return event

    def _classify(self, loads_kg: list[float], sway_ratio: float, still: bool) -> Posture:
        positive = np.maximum(np.asarray(loads_kg, dtype=np.float64), 0.0)
        profile = self._to_bands @ positive
        total = float(profile.sum())
        if total <= 0.0:
            return self.posture if self.posture != "empty" else "sitting"
        distances = np.abs(self._templates.profiles - profile / total).sum(axis=1)
        fits = {
            c: float(distances[s].min())
            for c, s in zip(CLASSES, self._templates.class_slices, strict=True)
        }
        self.fits = fits
        return self._decide(fits, sway_ratio, still)

    def _decide(self, fits: dict[Posture, float], sway_ratio: float, still: bool) -> Posture:
        upright = self._upright(fits, sway_ratio)
        if self.posture == "lying":
            margin = -_KEEP_LYING_MARGIN
        elif still:
            margin = _ENTER_LYING_MARGIN
        else:  # a body that moves like a standing one is not lying down (yet)
            return upright
        if fits["lying"] + margin < fits[upright] and fits["lying"] < _LYING_FIT_MAX:
            return "lying"
        return upright

    def _upright(self, fits: dict[Posture, float], sway_ratio: float) -> Posture:
        if abs(fits["sitting"] - fits["standing"]) < _UPRIGHT_TIE:
            return "standing" if sway_ratio > self._s.stand_sway_ratio else "sitting"
        return "sitting" if fits["sitting"] < fits["standing"] else "standing"
