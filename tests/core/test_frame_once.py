"""The per-frame figures the controller makes once for every stage give what each stage made
on its own: bit for bit, against the stages' former own computations (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from controller.core.balance import BalanceReading, measure
from controller.core.faults import ZoneConditioner
from controller.core.geometry import Geometry, build_geometry
from controller.core.occupancy import ZeroTracker
from controller.core.settings import DetectionSettings, FaultSettings
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout

GEOMETRIES = {
    "2x3": build_geometry(DEFAULT_LAYOUT),
    "3x3": build_geometry(MatLayout.grid(3, 3, 0.6, 1.3)),  # a centre column: straddlers
}
KG = st.floats(min_value=-2.0, max_value=80.0, allow_nan=False)


def textbook(geometry: Geometry, loads_kg: list[float]) -> BalanceReading:
    """The balance reading as ``measure`` made it on its own: non-positive zones skipped."""
    total = side = x_sum = y_sum = 0.0
    for kg, (weight, x, y) in zip(loads_kg, geometry.zone_terms, strict=True):
        if kg > 0.0:
            total += kg
            side += kg * weight
            x_sum += kg * x
            y_sum += kg * y
    if total <= 0.0:
        return BalanceReading(None, None, None)
    if geometry.straddlers:
        shift = 0.0
        for i, left, right in geometry.straddlers:
            kg = loads_kg[i]
            left_kg = sum(max(0.0, loads_kg[j]) for j in left)
            right_kg = sum(max(0.0, loads_kg[j]) for j in right)
            if kg > 0.0 and left_kg + right_kg > 0.0:
                w = geometry.side_weight[i]
                reach = min(1.0, (right_kg + left_kg) / kg)  # as far as the neighbours carry
                lean = (right_kg - left_kg) / (right_kg + left_kg) * reach
                shift += 0.5 * kg * (lean - w) * (1.0 - abs(w))
        side += shift
    cop_x = x_sum / total
    offset = cop_x - geometry.layout.width_m / 2
    return BalanceReading(max(-1.0, min(1.0, side / total)), cop_x, y_sum / total, offset)


@given(st.sampled_from(sorted(GEOMETRIES)), st.data())
def test_balance_from_the_shared_positive_loads_is_the_textbook_reading(
    name: str, data: st.DataObject
) -> None:
    geometry = GEOMETRIES[name]
    loads = data.draw(st.lists(KG, min_size=len(geometry.y_m), max_size=len(geometry.y_m)))
    assert measure(geometry, loads) == textbook(geometry, loads)


@pytest.mark.parametrize(
    "loads",
    [[0.0, 5.0] * 3, [5.0, 0.0] * 3, [7.0, -1.0] * 3, [-0.5, 3.0] * 3, [0.0, 0.0] * 3],
)
def test_balance_all_on_one_side_is_the_textbook_reading(loads: list[float]) -> None:
    """The imbalance at its ends (exactly -1 and 1: everything on one side) and none at all."""
    geometry = GEOMETRIES["2x3"]
    assert measure(geometry, loads) == textbook(geometry, loads)


@given(
    st.lists(
        st.tuples(st.floats(-0.3, 0.5), st.floats(-1.0, 3.0), st.booleans()),  # time may go back
        min_size=1,
        max_size=60,
    )
)
def test_zeros_followed_only_where_they_may_move_are_the_zeros_tracked_every_frame(
    steps: list[tuple[float, float, bool]],
) -> None:
    """The controller calls ``follow`` only on frames where the zeros may move (or are not
    primed yet), with the step from the frame before: the zeros are those of ``track`` called
    on every frame."""
    every, some = ZeroTracker(2, DetectionSettings()), ZeroTracker(2, DetectionSettings())
    t, previous_t, fed = 0.0, 0.0, False
    for dt_s, kg, may_track in steps:
        t += dt_s
        loads = [kg, 0.5 * kg]
        every.track(t, loads, may_track)
        if may_track or not some.primed:
            some.follow(t - previous_t if fed else 0.0, loads, may_track)
        previous_t, fed = t, True
        assert some.offsets_kg == every.offsets_kg


READING = st.one_of(
    st.none(),
    st.just(math.nan),
    st.floats(min_value=-30.0, max_value=250.0, allow_nan=False),
    st.floats(min_value=0.0, max_value=60.0),  # mostly good readings: the steady path runs
)


@given(
    st.lists(st.tuples(st.tuples(READING, READING), st.integers(1, 15)), min_size=1, max_size=20)
)
@example([((10.0, 10.0), 5), ((230.0, 10.0), 12)])  # above max_zone_kg, after steady frames
@example([((10.0, 10.0), 5), ((-25.0, 10.0), 12)])  # below min_zone_kg
@example([((10.0, 10.0), 5), ((None, 10.0), 12), ((10.0, 10.0), 25)])  # and back
@example([((10.0, 10.0), 5), ((math.nan, 10.0), 12)])
def test_the_steady_frame_conditions_as_the_zone_by_zone_path(
    runs: list[tuple[tuple[float | None, float | None], int]],
) -> None:
    """A missing, NaN or out-of-range reading after steady frames leaves the short path to the
    zone-by-zone one, which conditions every frame the same (loads and fault events)."""
    usual = ZoneConditioner(("a", "b"), FaultSettings())
    slow = ZoneConditioner(("a", "b"), FaultSettings())
    rows = [row for row, repeat in runs for _ in range(repeat)]
    for i, row in enumerate(rows):
        frame = ZoneFrame(t=i / 10, load_kg=row)
        slow._steady = False  # always the zone-by-zone path
        assert usual.update(frame) == slow.update(frame)
        assert usual.loads_kg == slow.loads_kg
