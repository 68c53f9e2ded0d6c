"""MatLayout: default grid, geometry checks, JSON round trip."""

from __future__ import annotations

import pytest

from firmware.layout import DEFAULT_LAYOUT, LayoutError, MatLayout, Zone


def test_default_layout_is_two_by_three_on_half_by_1_3_m() -> None:
    assert DEFAULT_LAYOUT.names == (
        "upper_left",
        "upper_right",
        "middle_left",
        "middle_right",
        "lower_left",
        "lower_right",
    )
    first = DEFAULT_LAYOUT.zones[0]
    assert (first.x_m, first.width_m) == (0.125, 0.25)
    assert first.y_m == pytest.approx(0.2167, abs=1e-4)
    assert DEFAULT_LAYOUT.zones[-1].y1_m == pytest.approx(1.3)


@pytest.mark.parametrize(
    ("cols", "rows", "w", "length"), [(2, 4, 0.6, 1.8), (3, 3, 0.6, 1.3), (1, 1, 1, 2)]
)
def test_grids_cover_the_mat_exactly(cols: int, rows: int, w: float, length: float) -> None:
    layout = MatLayout.grid(cols, rows, w, length)
    assert len(layout.zones) == cols * rows
    assert sum(z.area_m2 for z in layout.zones) == pytest.approx(w * length, rel=1e-4)


def test_round_trip_through_json_form() -> None:
    layout = MatLayout.grid(3, 3, 0.6, 1.3)
    assert MatLayout.from_dict(layout.to_dict()) == layout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"width_m": 0.5, "length_m": 1.3, "zones": []}, "at least one zone"),
        ({"width_m": 0.5, "length_m": 1.3}, "missing 'zones'"),
        (
            {
                "width_m": 0.5,
                "length_m": 1.3,
                "zones": [{"name": "a", "x_m": 0.4, "y_m": 0.2, "width_m": 0.3, "length_m": 0.2}],
            },
            "outside",
        ),
        (
            {
                "width_m": 0.5,
                "length_m": 1.3,
                "zones": [{"name": "a", "x_m": 0.1, "y_m": 0.1, "width_m": 0.1, "length_m": 0.1}]
                * 2,
            },
            "used twice",
        ),
        (
            {
                "width_m": "wide",
                "length_m": 1.3,
                "zones": [{"name": "a", "x_m": 0.1, "y_m": 0.1, "width_m": 0.1, "length_m": 0.1}],
            },
            "must be a number",
        ),
        ({"width_m": 0.5, "length_m": 1.3, "zones": [{"name": "a", "x_m": 0.1}]}, "missing"),
    ],
)
def test_bad_layouts_say_why(data: dict[str, object], message: str) -> None:
    with pytest.raises(LayoutError, match=message):
        MatLayout.from_dict(data)


def test_zone_edges() -> None:
    zone = Zone("z", x_m=0.25, y_m=0.5, width_m=0.1, length_m=0.2)
    assert (zone.x0_m, zone.x1_m, zone.y0_m, zone.y1_m) == pytest.approx((0.2, 0.3, 0.4, 0.6))


def _zone(name: str, x_m: float, y_m: float) -> dict[str, object]:
    return {"name": name, "x_m": x_m, "y_m": y_m, "width_m": 0.25, "length_m": 0.4}


def test_overlapping_zones_are_refused_touching_ones_are_not() -> None:
    mat = {"width_m": 0.5, "length_m": 1.3}
    with pytest.raises(LayoutError, match=r"'a' and 'b' overlap \(5 x 40 cm\)"):
        MatLayout.from_dict({**mat, "zones": [_zone("a", 0.125, 0.2), _zone("b", 0.325, 0.2)]})
    touching = MatLayout.from_dict(
        {**mat, "zones": [_zone("a", 0.125, 0.2), _zone("b", 0.375, 0.2), _zone("c", 0.125, 0.6)]}
    )
    assert touching.names == ("a", "b", "c")
