"""Balance, presence, auto-zero and faults: each part alone, table-driven (see test_posture)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from controller.core.balance import BalanceMonitor, measure
from controller.core.events import SensorFault, UnevenLoad
from controller.core.faults import ZoneConditioner
from controller.core.geometry import build_geometry
from controller.core.occupancy import Presence, ZeroTracker
from controller.core.settings import BalanceSettings, DetectionSettings, FaultSettings
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.schema import SchemaError, parse

GEOMETRY = build_geometry(DEFAULT_LAYOUT)


@pytest.mark.parametrize(
    ("loads", "imbalance"),
    [
        ([10, 10, 20, 20, 5, 5], 0.0),
        ([0, 10, 0, 20, 0, 5], 1.0),
        ([10, 0, 20, 0, 5, 0], -1.0),
        ([6, 4, 12, 8, 3, 2], -0.2),
        ([-1, 10, 0, 0, 0, 0], 1.0),  # negative noise on an empty tile counts as zero
    ],
)
def test_imbalance_is_right_minus_left_over_total(loads: list[float], imbalance: float) -> None:
    assert measure(GEOMETRY, loads).imbalance == pytest.approx(imbalance)


def test_a_centre_column_counts_for_both_sides() -> None:
    geometry = build_geometry(MatLayout.grid(3, 3, 0.6, 1.3))
    loads = [0.0] * 9
    loads[1] = 30.0  # upper centre only
    assert measure(geometry, loads).imbalance == pytest.approx(0.0)


def run_balance(values: list[tuple[float, float]]) -> list[UnevenLoad]:
    monitor, out = BalanceMonitor(BalanceSettings()), []
    for t, value in values:
        out += monitor.update(t, value, evaluate=True)
    return out


def steps(start: float, end: float, value: float, dt: float = 0.1) -> list[tuple[float, float]]:
    n = round((end - start) / dt)
    return [(start + i * dt, value) for i in range(n)]


def test_uneven_alert_needs_the_dwell_and_clears_below_the_lower_threshold() -> None:
    events = run_balance(
        steps(0, 10, 0.0) + steps(10, 30, -0.35) + steps(30, 40, 0.15) + steps(40, 60, 0.05)
    )
    assert [(e.active, e.side) for e in events] == [(True, "left"), (False, "left")]
    assert 15 <= events[0].t <= 18  # smoothing (2 s) + dwell (5 s)
    assert events[1].t >= 45  # 0.15 is between the thresholds: the alert holds


def test_a_roll_to_the_other_side_moves_the_alert_without_a_clear_dwell() -> None:
    # The case: an alert for the left (-0.24), then the person rolls to +0.45.
    events = run_balance(steps(0, 20, -0.24) + steps(20, 40, 0.45))
    assert [(e.active, e.side) for e in events] == [
        (True, "left"),
        (False, "left"),
        (True, "right"),
    ]
    clear, raised = events[1], events[2]
    assert clear.t == raised.t  # same frame: no dwell with the alert off in between
    assert 25.0 <= raised.t <= 29.0  # smoothing (2 s) + the new side's dwell (5 s)


def test_the_event_says_how_far_off_centre_the_load_is() -> None:
    monitor, out = BalanceMonitor(BalanceSettings()), []
    for t, value in steps(0, 20, 0.4):
        out += monitor.update(t, value, evaluate=True, offset_m=0.11)
    assert out[0].active and out[0].side == "right"
    assert out[0].offset_cm == pytest.approx(11.0, abs=0.2)
    assert out[0].to_dict()["offset_cm"] == out[0].offset_cm


def test_the_centre_of_pressure_offset_comes_from_the_geometry() -> None:
    reading = measure(GEOMETRY, [0, 10, 0, 20, 0, 5])  # all in the right column
    assert reading.offset_m == pytest.approx(0.125)  # the right column's centre
    assert measure(GEOMETRY, [10, 10, 20, 20, 5, 5]).offset_m == pytest.approx(0.0)


@pytest.mark.parametrize("columns,rows", [(2, 3), (3, 3), (2, 4), (4, 2)])
def test_the_offset_is_from_half_the_width_made_once(columns: int, rows: int) -> None:
    layout = MatLayout.grid(columns, rows, 0.53, 1.31)
    geometry = build_geometry(layout)
    assert geometry.centre_x_m == layout.width_m / 2
    loads = [float(i % 3) + 0.5 for i in range(len(layout.zones))]
    reading = measure(geometry, loads)
    assert reading.cop_x_m is not None
    assert reading.offset_m == reading.cop_x_m - layout.width_m / 2


def test_natural_asymmetry_and_short_leans_never_alert() -> None:
    wobble = [(i * 0.1, 0.06 if (i // 20) % 2 else -0.04) for i in range(3000)]
    short = steps(300, 303, 0.5) + steps(303, 320, 0.05)
    assert run_balance(wobble + short) == []


def test_presence_hysteresis_and_backdated_leaving() -> None:
    presence = Presence(DetectionSettings())
    changes = [
        c
        for t, kg in [
            (0, 0),
            (1, 25),
            (1.5, 25),
            (1.7, 25),
            (5, 15),
            (6, 10),
            (6.5, 10),
            (7, 10),
            (7.6, 10),
        ]
        if (c := presence.update(t, kg)) is not None
    ]
    assert changes == [(True, 1), (False, 6)]


def test_zero_tracks_slow_drift_only_while_empty() -> None:
    s = DetectionSettings()
    zero = ZeroTracker(2, s)
    zero.track(0, [0.0, 0.0], True)
    t = 0.0
    for _ in range(36000):  # an hour at 10 Hz, drifting 3 kg per hour on one cell
        t += 0.1
        zero.track(t, [3.0 * t / 3600, 0.0], may_track=True)
    assert zero.correct([3.0, 0.0])[0] == pytest.approx(0.0, abs=0.15)
    zero.track(t + 0.1, [60.0, 0.0], may_track=False)  # a person: nothing moves
    assert zero.offsets_kg[0] == pytest.approx(3.0, abs=0.15)


def conditioner_run(
    rows: Sequence[Sequence[float | None]], dt: float = 0.1
) -> tuple[list[list[float]], list[SensorFault]]:
    cond = ZoneConditioner(("a", "b"), FaultSettings())
    loads: list[list[float]] = []
    events: list[SensorFault] = []
    for i, row in enumerate(rows):
        events += cond.update(ZoneFrame(t=i * dt, load_kg=tuple(row)))
        loads.append(list(cond.loads_kg))
    return loads, events


def test_a_single_sample_spike_changes_nothing() -> None:
    rows = [[10.0, 5.0]] * 10 + [[90.0, 5.0]] + [[10.0, 5.0]] * 10
    loads, events = conditioner_run(rows)
    assert max(row[0] for row in loads) == 10.0 and events == []


def test_a_missing_zone_holds_its_last_value_raises_and_clears_a_fault() -> None:
    rows: list[list[float | None]] = [[10.0, 5.0] for _ in range(10)]
    rows += [[None, 5.0] for _ in range(30)]
    rows += [[10.5, 5.0] for _ in range(40)]
    loads, events = conditioner_run(rows)
    assert [(e.zone, e.active, e.fault) for e in events] == [
        ("a", True, "no_reading"),
        ("a", False, "no_reading"),
    ]
    assert loads[25][0] == 10.0  # held while missing
    assert events[0].t == pytest.approx(2.0)  # after missing_s = 1 s


@pytest.mark.parametrize(("value", "fault"), [(500.0, "out_of_range"), (-80.0, "out_of_range")])
def test_absurd_values_are_faults_not_weight(value: float, fault: str) -> None:
    loads, events = conditioner_run([[10.0, 5.0]] * 5 + [[value, 5.0]] * 20)
    assert events and events[0].fault == fault
    assert max(abs(row[0]) for row in loads) == 10.0


def test_a_spike_right_after_a_missed_read_changes_nothing() -> None:
    # The median keeps its three good values across a bad sample (the firmware's own
    # 5-sample median, which used to catch this, is gone).
    good: list[float | None] = [10.0, 5.0]
    rows = [good] * 10 + [[None, 5.0], [90.0, 5.0]] + [good] * 10
    loads, events = conditioner_run(rows)
    assert max(row[0] for row in loads) == 10.0 and events == []


def test_a_lasting_step_is_followed_after_one_frame() -> None:
    loads, _ = conditioner_run([[10.0, 5.0]] * 5 + [[40.0, 5.0]] * 5)
    assert [row[0] for row in loads[4:]] == [10.0, 10.0, 40.0, 40.0, 40.0, 40.0]


def test_a_frozen_loaded_zone_is_not_judged_here() -> None:
    # Stuck words are the firmware's judgement (it sees the counts); in kg a frozen value
    # may be a thresholded source's honest reading.
    rows = [[12.345, 5.0 + i * 0.01] for i in range(400)]
    loads, events = conditioner_run(rows)
    assert events == [] and loads[-1][0] == 12.345


def test_the_removed_stuck_setting_is_refused() -> None:
    with pytest.raises(SchemaError, match="stuck_s: unknown field"):
        parse(FaultSettings, {"stuck_s": 30.0})


def test_source_reported_reasons_are_kept() -> None:
    cond = ZoneConditioner(("a",), FaultSettings())
    events = []
    for i in range(20):
        events += cond.update(ZoneFrame(i * 0.1, (None,), ("saturated",)))
    assert [e.fault for e in events] == ["saturated"]


def test_a_centre_tile_leans_with_its_neighbours() -> None:
    geometry = build_geometry(MatLayout.grid(3, 3, 0.6, 1.3))
    loads = [0.0] * 9
    loads[3], loads[4], loads[5] = 20.0, 30.0, 2.0  # middle row: left heavy
    centred = measure(geometry, [0, 0, 0, 10, 30, 10, 0, 0, 0]).imbalance
    leaning = measure(geometry, loads).imbalance
    assert centred == pytest.approx(0.0)
    assert leaning is not None and leaning < -0.5  # the centre tile counts mostly left
    assert -1.0 <= leaning <= 1.0


def test_a_centre_tile_leans_only_as_far_as_its_neighbours_carry() -> None:
    """A body on its side centred on the middle column of three spills a little past both
    edges, the back further than the front: that is its shape, not its place. The middle
    tile is split by the neighbours' lean only in the measure they carry as much as it."""
    geometry = build_geometry(MatLayout.grid(3, 3, 0.5, 1.3))
    centred_on_side = [1.4, 12.1, 0.6, 2.4, 18.5, 1.1, 0.0, 9.7, 0.0]  # 50 kg, 1.52 m, left side
    reading = measure(geometry, centred_on_side).imbalance
    assert reading is not None and abs(reading) < 0.12  # under the alert's clear threshold
    # The same spills under a lighter middle (the body reaches past it): split in full.
    reaching = [14.0, 12.1, 6.0, 24.0, 18.5, 11.0, 0.0, 9.7, 0.0]
    full = measure(geometry, reaching).imbalance
    left, right, total = 38.0, 17.0, sum(reaching)
    middle_lean = sum(
        0.5 * mid * (rk - lk) / (rk + lk) for lk, mid, rk in ((14.0, 12.1, 6.0), (24.0, 18.5, 11.0))
    )
    assert full == pytest.approx((right - left + middle_lean) / total)
