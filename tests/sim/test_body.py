"""The segment model: mass conservation, geometry, sign convention, centre of mass."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sim.body import Body, Pose, imbalance, pose_imbalance, zone_fractions, zone_loads
from firmware.sim.posture import SHAPES, Placement, lump, place

# A platform big enough to hold any body in any posture, split four ways.
BIG = MatLayout.grid(2, 2, 3.0, 5.0)
LAYOUTS = [DEFAULT_LAYOUT, MatLayout.grid(2, 4, 0.6, 1.8), MatLayout.grid(3, 3, 0.5, 1.3), BIG]

masses = st.floats(40.0, 150.0)
heights = st.floats(1.45, 2.0)


@settings(max_examples=60, deadline=None)
@given(masses, heights, st.sampled_from(sorted(SHAPES)), st.sampled_from([1, -1]))
def test_all_parts_on_the_platform_carry_the_whole_body(
    mass: float, height: float, shape: str, direction: int
) -> None:
    pose = place(Body(mass, height), shape, Placement(1.5, 2.5, direction))
    assert pose.total_kg == pytest.approx(mass)
    assert zone_loads(BIG, pose).sum() == pytest.approx(mass)


@settings(max_examples=40, deadline=None)
@given(masses, heights, st.floats(-0.3, 0.3), st.floats(0.0, 0.3))
def test_the_mat_never_carries_more_than_the_body(
    mass: float, height: float, dx: float, head_y: float
) -> None:
    pose = place(Body(mass, height), "supine", Placement(0.25 + dx, head_y))
    for layout in LAYOUTS[:3]:
        loads = zone_loads(layout, pose)
        assert (loads >= 0).all()
        assert loads.sum() <= mass + 1e-9


def test_a_part_wholly_outside_carries_nothing() -> None:
    outside = lump(10.0, -1.0, 0.5, 0.2, 0.2)
    assert zone_loads(DEFAULT_LAYOUT, outside).sum() == 0.0
    half = lump(10.0, 0.0, 0.5, 0.2, 0.2)  # straddles the left edge: half its area is on
    assert zone_loads(DEFAULT_LAYOUT, half).sum() == pytest.approx(5.0)


def test_overlap_fraction_is_area_share() -> None:
    rects = np.array([[0.0, 0.0, 0.5, 1.3], [0.2, 0.4, 0.3, 0.5]])
    fractions = zone_fractions(DEFAULT_LAYOUT, rects)
    assert fractions[0] == pytest.approx([1 / 6] * 6)
    # The small square straddles x = 0.25 and y = 0.433: four quarters.
    assert fractions[1, :4] == pytest.approx([0.1667, 0.1667, 0.3333, 0.3333], abs=1e-3)


def test_a_body_shifted_to_its_left_loads_the_small_x_zones() -> None:
    body = Body(70.0, 1.75)
    for layout in LAYOUTS[:3]:
        mid = layout.width_m / 2
        left = place(body, "supine", Placement(mid - 0.08, 0.1))
        right = place(body, "supine", Placement(mid + 0.08, 0.1))
        assert imbalance(layout, zone_loads(layout, left)) < -0.2
        assert imbalance(layout, zone_loads(layout, right)) > 0.2
        small_x = [i for i, z in enumerate(layout.zones) if z.x_m < mid]
        assert zone_loads(layout, left)[small_x].sum() > zone_loads(layout, right)[small_x].sum()


def test_a_centred_body_is_balanced() -> None:
    pose = place(Body(70.0, 1.75), "supine", Placement(0.25, 0.1))
    assert abs(imbalance(DEFAULT_LAYOUT, zone_loads(DEFAULT_LAYOUT, pose))) < 1e-9


@settings(max_examples=40, deadline=None)
@given(masses, heights, st.sampled_from(sorted(SHAPES)), st.floats(-0.2, 0.2), st.booleans())
def test_on_two_columns_the_body_own_balance_is_the_zones(
    mass: float, height: float, shape: str, dx: float, mirror: bool
) -> None:
    for layout in (DEFAULT_LAYOUT, LAYOUTS[1]):
        at = Placement(layout.width_m / 2 + dx, 0.05, mirror=mirror)
        pose = place(Body(mass, height), shape, at)
        want = imbalance(layout, zone_loads(layout, pose))
        assert pose_imbalance(layout, pose) == pytest.approx(want, abs=1e-5)  # zones: 6 digits


def test_a_middle_column_hides_which_half_carries_its_load() -> None:
    """On three columns the zones can only leave the middle one out: a side-lying body centred
    on it reads uneven by its zones (its back spills a little further than its front) while
    its own split is even; the truth an alert is judged by is the body's own."""
    layout = LAYOUTS[2]
    pose = place(Body(50.0, 1.52), "side", Placement(layout.width_m / 2, 0.0))
    assert abs(imbalance(layout, zone_loads(layout, pose))) >= 0.25
    assert abs(pose_imbalance(layout, pose)) < 0.10
    off = place(Body(50.0, 1.52), "side", Placement(layout.width_m / 2 - 0.12, 0.0))
    assert pose_imbalance(layout, off) < -0.9


@given(heights)
def test_supine_centre_of_mass_is_about_43_percent_from_the_head(height: float) -> None:
    pose = place(Body(70.0, height), "supine", Placement(0.0, 0.0))
    assert 0.41 <= pose.centre_m()[1] / height <= 0.45


def test_a_lying_adult_overhangs_the_default_mat() -> None:
    body = Body(70.0, 1.75)
    on_mat = zone_loads(DEFAULT_LAYOUT, place(body, "supine", Placement(0.25, 0.3))).sum()
    assert 0.55 * 70 < on_mat < 0.9 * 70  # FACTS.md: ~69 % on a back-sized mat


def test_long_sitting_puts_most_weight_on_the_seat() -> None:
    pose = place(Body(70.0, 1.75), "long_sitting", Placement(0.25, 0.3))
    seat = pose.masses_kg[0] / pose.total_kg
    assert 0.6 <= seat <= 0.7


def test_direction_mirrors_a_shape() -> None:
    body = Body(70.0, 1.75)
    ahead = place(body, "knees_up", Placement(0.25, 0.65, 1)).centre_m()[1]
    behind = place(body, "knees_up", Placement(0.25, 0.65, -1)).centre_m()[1]
    assert ahead - 0.65 == pytest.approx(0.65 - behind)
    assert ahead > 0.65


def test_pose_shift_moves_every_part() -> None:
    pose = Pose(np.array([[0.0, 0.0, 0.1, 0.1]]), np.array([2.0]))
    assert pose.shifted(0.1, 0.2).centre_m() == pytest.approx((0.15, 0.25))
