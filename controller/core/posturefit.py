"""The posture fits: how far the measured head-to-foot shares lie from each posture's nearest
body template (pure; numpy, the classifier's one heavy step).

A fit is the smallest L1 distance between the bands' shares of the load and the templates of
a class (``bodymodel``): ``min over rows of sum_b |template[b] - share[b]|`` over a few
thousand rows. A row sum over so short an axis (a band per row of tiles: 3 on a 2×3 mat) is
numpy's slowest case (~50 µs: a call of the reduction's inner loop per row), so the terms are
taken in one pass over a bands × templates array and summed band after band, in preallocated
arrays (~10 µs). Below 8 bands numpy
adds a row's terms one after the other, which is the order used here, so the fits are the same
to the last bit as ``np.abs(profiles - shares).sum(axis=1)`` (tests/core/test_posturefit.py
holds that); with 8 bands or more numpy's own row sum is used.
"""

from __future__ import annotations

import numpy as np

from controller.core.bodymodel import CLASSES, Templates
from controller.core.events import Posture
from controller.core.geometry import FloatArray

_SEQUENTIAL_BELOW = 8  # numpy's row sum adds terms in order below 8 of them (pairwise above)


class NearestProfile:
    """The L1 distance from some shares to the nearest of a set of profiles (K × B), with its
    working arrays allocated once: the terms in one pass over a bands × profiles array, summed
    band after band (the same sums, to the last bit, as numpy's row sum below 8 bands)."""

    def __init__(self, profiles: FloatArray) -> None:
        self._profiles = profiles
        self._by_band = np.ascontiguousarray(profiles.T)  # bands × profiles
        self._terms = np.empty_like(self._by_band)
        self._distance = np.empty(profiles.shape[0], dtype=np.float64)

    def distances(self, shares: FloatArray) -> FloatArray:
        """Each profile's L1 distance from ``shares`` (a view on a reused array)."""
        bands = len(self._by_band)
        if not 0 < bands < _SEQUENTIAL_BELOW:
            whole: FloatArray = np.abs(self._profiles - shares).sum(axis=1)
            return whole
        terms, out = self._terms, self._distance
        np.subtract(self._by_band, shares[:, np.newaxis], out=terms)
        np.abs(terms, out=terms)
        if bands == 1:
            out[:] = terms[0]
            return out
        np.add(terms[0], terms[1], out=out)
        for b in range(2, bands):
            np.add(out, terms[b], out=out)
        return out

    def nearest(self, shares: FloatArray) -> float:
        """The distance of the nearest profile."""
        return float(self.distances(shares).min())


class TemplateFitter:
    """The fits of one set of templates, with its working arrays allocated once."""

    def __init__(self, templates: Templates) -> None:
        profiles = templates.profiles
        self._nearest = NearestProfile(profiles)
        self._slices = templates.class_slices
        # where each class's rows start, for one ``minimum.reduceat`` (every class has rows)
        self._starts = np.array([rows.start for rows in self._slices], dtype=np.intp)
        self._one_pass = all(rows.stop > rows.start for rows in self._slices) and (
            self._slices[-1].stop == profiles.shape[0]
        )

    def distances(self, shares: FloatArray) -> FloatArray:
        """Each template's L1 distance from ``shares`` (a view on a reused array)."""
        return self._nearest.distances(shares)

    def fits(self, shares: FloatArray) -> dict[Posture, float]:
        """Per class, the distance of its nearest template."""
        distances = self.distances(shares)
        if self._one_pass:
            nearest = np.minimum.reduceat(distances, self._starts).tolist()
            return dict(zip(CLASSES, nearest, strict=True))
        return {
            c: float(distances[rows].min()) for c, rows in zip(CLASSES, self._slices, strict=True)
        }
