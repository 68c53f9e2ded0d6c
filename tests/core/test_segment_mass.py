"""The posture templates' arithmetic: every placement at once gives what one at a time does."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from controller.core.geometry import segment_mass_in_bands

EDGES = np.array([0.0, 0.433, 0.867, 1.3])


def _one_at_a_time(starts: list[float], ends: list[float], masses: list[float]) -> list[float]:
    """The textbook sum: each segment's overlap with each band, times its mass over its length."""
    out = []
    for lo_edge, hi_edge in itertools.pairwise(EDGES):
        acc = 0.0
        for start, end, mass in zip(starts, ends, masses, strict=True):
            overlap = max(0.0, min(float(hi_edge), end) - max(float(lo_edge), start))
            acc += overlap / (end - start) * mass
        out.append(acc)
    return out


segment = st.tuples(st.floats(-0.5, 1.5), st.floats(0.01, 0.6), st.floats(0.01, 0.5))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(segment, min_size=1, max_size=9), min_size=1, max_size=6))
def test_every_placement_at_once_matches_the_textbook_sum(
    placements: list[list[tuple[float, float, float]]],
) -> None:
    width = max(len(p) for p in placements)
    # pad every placement to the same segments with massless ones (they add exactly 0)
    rows = [p + [(0.0, 0.1, 0.0)] * (width - len(p)) for p in placements]
    starts = np.array([[s for s, _, _ in r] for r in rows])
    ends = starts + np.array([[n for _, n, _ in r] for r in rows])
    masses = np.array([m for _, _, m in rows[0]])
    got = segment_mass_in_bands(EDGES, starts, ends, masses)
    for i in range(len(rows)):
        want = _one_at_a_time(list(starts[i]), list(ends[i]), list(masses))
        assert np.allclose(got[i], want, rtol=1e-12, atol=1e-15)
