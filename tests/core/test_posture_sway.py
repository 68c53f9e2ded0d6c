"""Sway where the zones cannot show it: a load held within one tile (pure classifier).

A foot (0.10 × 0.25 m) fits inside a 2 × 3 tile (0.25 × 0.43 m), so its centre of pressure
moves without load crossing a tile border: the sway asked of a stander shrinks with the load
outside the busiest tile, down to the total's own ripple. Loads are the busiest zone's share
of ``kg`` with the rest in its neighbour; sway ratios are those the controller would pass.
"""

from __future__ import annotations

import pytest

from controller.core.geometry import build_geometry
from controller.core.posture import PostureClassifier
from controller.core.settings import DetectionSettings
from firmware.layout import MatLayout

LAYOUTS = {
    "2x3": MatLayout.grid(2, 3, 0.5, 1.3),
    "2x4": MatLayout.grid(2, 4, 0.6, 1.8),
    "3x3": MatLayout.grid(3, 3, 0.5, 1.3),
}
RIPPLE = 0.004  # one foot in one tile: the total's bob only (under stand_sway_ratio, 0.012)
SEATED = 0.0015  # a still seat: breathing and a little wobble


def settle(layout: MatLayout, busiest_share: float, sway_ratio: float, kg: float = 70.0) -> str:
    """The posture reported after 6 s of one row's load: ``busiest_share`` of it in one zone,
    the rest in the zone beside it (same row)."""
    classifier = PostureClassifier(build_geometry(layout), DetectionSettings())
    loads = [0.0] * len(layout.zones)
    first, beside = _row_pair(layout)
    loads[first], loads[beside] = busiest_share * kg, (1.0 - busiest_share) * kg
    for i in range(60):
        classifier.update(i / 10, loads, occupied=True, sway_ratio=sway_ratio, still=True)
    return classifier.posture


def _row_pair(layout: MatLayout) -> tuple[int, int]:
    """Two zones side by side in a middle row."""
    middle = sorted({z.y_m for z in layout.zones})[len({z.y_m for z in layout.zones}) // 2]
    row = sorted((z.x_m, i) for i, z in enumerate(layout.zones) if z.y_m == middle)
    return row[0][1], row[1][1]


@pytest.mark.parametrize("name", LAYOUTS)
def test_one_foot_inside_a_tile_is_standing_by_its_ripple(name: str) -> None:
    assert settle(LAYOUTS[name], 1.0, RIPPLE) == "standing"


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_still_seat_inside_a_tile_is_sitting(name: str) -> None:
    assert settle(LAYOUTS[name], 1.0, SEATED) == "sitting"


@pytest.mark.parametrize("name", LAYOUTS)
def test_a_load_across_a_border_still_needs_the_full_sway(name: str) -> None:
    # Half the load beyond the busiest tile: sway is seen whole, so the ripple alone is a seat.
    layout = LAYOUTS[name]
    assert settle(layout, 0.5, RIPPLE) == "sitting"
    assert settle(layout, 0.5, 0.02) == "standing"


def test_the_sway_asked_shrinks_with_the_load_outside_the_busiest_tile() -> None:
    # Feet off the centre line, a fifth of the load over the border: sway 0.006 is a stander's.
    layout = LAYOUTS["2x3"]
    assert settle(layout, 0.8, 0.006) == "standing"
    assert settle(layout, 0.6, 0.006) == "sitting"


def play(layout: MatLayout, steps: list[tuple[list[float], float, float]]) -> list[str]:
    """Loads held for seconds at a sway ratio each, 10 Hz; the postures reported."""
    classifier = PostureClassifier(build_geometry(layout), DetectionSettings())
    reported: list[str] = []
    t = 0.0
    for loads, seconds, sway_ratio in steps:
        for _ in range(round(seconds * 10)):
            event = classifier.update(t, loads, occupied=True, sway_ratio=sway_ratio, still=True)
            if event is not None:
                reported.append(event.posture)
            t += 0.1
    return reported


def _feet(layout: MatLayout, left: float, right: float, kg: float = 70.0) -> list[float]:
    loads = [0.0] * len(layout.zones)
    first, beside = _row_pair(layout)
    loads[first], loads[beside] = left * kg, right * kg
    return loads


@pytest.mark.parametrize("name", LAYOUTS)
def test_lifting_a_foot_seen_standing_stays_standing_without_any_ripple(name: str) -> None:
    # Both feet across the border, swaying visibly; then one foot inside one tile whose total
    # does not bob at all: the feet's tiles still carry the load, so no one sat down.
    layout = LAYOUTS[name]
    both, one = _feet(layout, 0.5, 0.5), _feet(layout, 1.0, 0.0)
    assert play(layout, [(both, 4.0, 0.03), (one, 30.0, 0.0)]) == ["standing"]
    # The same tile reached without a stance seen first: nothing says standing.
    assert play(layout, [(one, 30.0, 0.0)]) == ["sitting"]


def test_a_load_moved_off_the_feet_tiles_is_judged_afresh() -> None:
    layout = LAYOUTS["3x3"]
    stance = [0.0] * 9
    stance[3], stance[4] = 35.0, 35.0  # middle row, left and centre columns
    elsewhere = [0.0] * 9
    elsewhere[5] = 70.0  # the right column: no foot stood there
    assert play(layout, [(stance, 4.0, 0.03), (elsewhere, 30.0, 0.0)]) == ["standing", "sitting"]
