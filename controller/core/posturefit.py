"""The posture fits: how far the measured head-to-foot shares lie from each posture's nearest
body template (pure; numpy, the classifier's one heavy step).

A fit is the smallest L1 distance between the bands' shares of the load and the templates of
a class (``bodymodel``): ``min over rows of sum_b |template[b] - share[b]|`` over a few
thousand rows. A row sum over so short an axis (a band per row of tiles: 3 on a 2×3 mat) is
numpy's slowest case (~50 µs: a call of the reduction's inner loop per row), so the distances
are summed column by column over preallocated arrays instead (~15 µs). Below 8 bands numpy
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


class TemplateFitter:
    """The fits of one set of templates, with its working arrays allocated once."""

    def __init__(self, templates: Templates) -> None:
        profiles = templates.profiles
        self._profiles = profiles
        self._columns = [np.ascontiguousarray(profiles[:, b]) for b in range(profiles.shape[1])]
        self._slices = templates.class_slices
        self._distance = np.empty(profiles.shape[0], dtype=np.float64)
        self._term = np.empty(profiles.shape[0], dtype=np.float64)

    def distances(self, shares: FloatArray) -> FloatArray:
        """Each template's L1 distance from ``shares`` (a view on a reused array)."""
        columns = self._columns
        if not 0 < len(columns) < _SEQUENTIAL_BELOW:
            whole: FloatArray = np.abs(self._profiles - shares).sum(axis=1)
            return whole
        out, term = self._distance, self._term
        np.subtract(columns[0], shares[0], out=out)
        np.abs(out, out=out)
        for column, share in zip(columns[1:], shares[1:], strict=True):
            np.subtract(column, share, out=term)
            np.abs(term, out=term)
            np.add(out, term, out=out)
        return out

    def fits(self, shares: FloatArray) -> dict[Posture, float]:
        """Per class, the distance of its nearest template."""
        distances = self.distances(shares)
        return {
            c: float(distances[rows].min()) for c, rows in zip(CLASSES, self._slices, strict=True)
        }
