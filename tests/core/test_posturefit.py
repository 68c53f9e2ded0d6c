"""The column-by-column posture fits equal numpy's row sums to the last bit, on layouts with
few bands (summed in order) and many (numpy's own sum), and the median of three equals the
sorted middle value, ties included."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from controller.core.bodymodel import CLASSES, build_templates
from controller.core.faults import median_of_three
from controller.core.geometry import FloatArray, build_geometry
from controller.core.posturefit import TemplateFitter
from firmware.layout import MatLayout


@pytest.mark.parametrize("columns_rows", [(2, 3), (3, 3), (2, 4), (1, 7), (2, 9)])
def test_fits_are_those_of_the_row_sums(columns_rows: tuple[int, int]) -> None:
    templates = build_templates(build_geometry(MatLayout.grid(*columns_rows, 0.6, 1.6)))
    fitter = TemplateFitter(templates)
    rng = np.random.default_rng(7)
    bands = templates.profiles.shape[1]
    for _ in range(200):
        loads = np.asarray(rng.gamma(0.5, 1.0, bands) * (rng.random(bands) > 0.2), dtype=np.float64)
        total = float(np.sum(loads))
        shares: FloatArray = loads / total if total > 0 else np.full(bands, 1.0 / bands)
        whole = np.abs(templates.profiles - shares).sum(axis=1)
        assert np.array_equal(fitter.distances(shares), whole)
        want = {
            c: float(whole[rows].min())
            for c, rows in zip(CLASSES, templates.class_slices, strict=True)
        }
        assert fitter.fits(shares) == want


values = st.sampled_from([-1.0, -0.0, 0.0, 0.5, 1.0, 2.0]) | st.floats(-1e3, 1e3)


@given(values, values, values)
def test_median_of_three_is_the_sorted_middle(a: float, b: float, c: float) -> None:
    got = median_of_three(a, b, c)
    want = sorted([a, b, c])[1]
    assert got == want and str(got) == str(want)  # the same zero, signed alike
