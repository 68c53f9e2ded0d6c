"""The issue's postures and bodies: shapes conserve mass, pressure styles and placements give
the load distributions FACTS.md describes, and the upright stories make the ambiguous cases."""

from __future__ import annotations

import numpy as np
import pytest

from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sim.bodies import BODIES, HEAVY_UPPER
from firmware.sim.body import Body, zone_loads
from firmware.sim.breathing import Wander, render_wander
from firmware.sim.posture import TEXTBOOK, Placement, place, rolled
from firmware.sim.posture_stories import LYING_KINDS, lying_state
from firmware.sim.routines import Person
from firmware.sim.shapes import SHAPES
from firmware.sim.upright_stories import edge_seat, row_borders

BIG = MatLayout.grid(2, 2, 4.0, 5.0)
BODY = Body(75.0, 1.75)


def rows_of(layout: MatLayout, loads: np.ndarray) -> np.ndarray:
    per_row = loads.reshape(-1, len(layout.zones) // 3 if len(layout.zones) % 3 == 0 else 2)
    result: np.ndarray = per_row.sum(axis=1) / loads.sum()
    return result


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_carries_the_whole_body(shape: str) -> None:
    pose = place(BODY, shape, Placement(2.0, 2.5))
    assert pose.total_kg == pytest.approx(75.0)
    assert zone_loads(BIG, pose).sum() == pytest.approx(75.0)


def test_a_pressure_style_only_loses_what_it_under_reads() -> None:
    textbook = place(BODY, "supine", Placement(2.0, 2.0))
    heavy = place(BODY, "supine", Placement(2.0, 2.0), HEAVY_UPPER)
    assert textbook.total_kg == pytest.approx(75.0)
    # arms and calves read half, thighs half: 10 + 9.3 + 20 % of the body, halved
    assert heavy.total_kg == pytest.approx(75.0 * (1 - (10.0 + 9.3 + 20.0) / 200), rel=1e-3)


def test_a_heavy_upper_body_puts_half_the_load_in_the_head_end_third() -> None:
    # The issue: upper third ~50 % of the on-mat load, lower third 10-14 %, head 6 cm beyond.
    p = Person(DEFAULT_LAYOUT, Body(95.0, 1.80), -0.06, 0.0, 12.0, 12.0, HEAVY_UPPER)
    shares = rows_of(DEFAULT_LAYOUT, lying_state(p, "supine").loads_kg)
    assert 0.45 <= shares[0] <= 0.60 and 0.08 <= shares[2] <= 0.16


def test_side_lying_is_a_strip_about_25_cm_wide() -> None:
    pose = place(BODY, "side", Placement(2.0, 2.0))
    trunk = pose.rects_m[pose.masses_kg > 0.05 * 75.0]
    assert 0.2 <= float(trunk[:, 2].max() - trunk[:, 0].min()) <= 0.3


def test_curling_up_shortens_the_loaded_length_to_about_1_1_m() -> None:
    pose = place(BODY, "curled", Placement(2.0, 2.0))
    assert float(pose.rects_m[:, 3].max() - pose.rects_m[:, 1].min()) == pytest.approx(
        1.1, abs=0.06
    )
    supine = place(BODY, "supine", Placement(2.0, 2.0))
    assert float(supine.rects_m[:, 3].max() - supine.rects_m[:, 1].min()) == pytest.approx(1.75)


def test_knees_up_moves_the_legs_load_onto_the_feet() -> None:
    knees = place(BODY, "supine_knees_up", Placement(2.0, 2.0))
    _, cy = knees.centre_m()
    _, cy_flat = place(BODY, "supine", Placement(2.0, 2.0)).centre_m()
    assert cy < cy_flat  # the loaded length shortens
    feet = knees.masses_kg[knees.rects_m[:, 1] >= 2.0 + 0.6 * 1.75 - 1e-9].sum()
    assert feet / 75.0 == pytest.approx(2 * (5.0 + 4.65 + 1.45) / 100, rel=1e-6)


@pytest.mark.parametrize("degrees", [0.0, 30.0, 60.0, 90.0])
def test_a_roll_keeps_the_mass_and_moves_it_towards_the_side(degrees: float) -> None:
    pose = rolled(BODY, Placement(2.0, 2.0), degrees)
    assert pose.total_kg == pytest.approx(75.0)
    cx, _ = pose.centre_m()
    assert cx <= 2.0 + 1e-9  # towards the left side
    mirrored = rolled(BODY, Placement(2.0, 2.0, mirror=True), degrees)
    assert mirrored.centre_m()[0] == pytest.approx(4.0 - cx)


@pytest.mark.parametrize("kind", LYING_KINDS[:-1])
def test_every_lying_kind_loads_the_default_mat_like_a_lying_body(kind: str) -> None:
    for body in BODIES.values():
        p = Person(DEFAULT_LAYOUT, Body(body.mass_kg, body.height_m), 0.0, 0.0, 12, 12, TEXTBOOK)
        loads = lying_state(p, kind).loads_kg
        assert 0.55 * body.mass_kg <= loads.sum() <= body.mass_kg + 1e-9
        assert (rows_of(DEFAULT_LAYOUT, loads) > 0.05).all()  # head end to legs: all rows


def test_the_bodies_span_the_ansur_ii_range() -> None:
    heights = [b.height_m for b in BODIES.values()]
    masses = [b.mass_kg for b in BODIES.values()]
    assert min(heights) == pytest.approx(1.52) and max(heights) == pytest.approx(1.87)
    assert min(masses) <= 50.0 and max(masses) == pytest.approx(110.0)


@pytest.mark.parametrize("edge", ["head", "foot", "left", "right"])
def test_sitting_on_an_edge_keeps_the_feet_off_the_mat(edge: str) -> None:
    seat = edge_seat(DEFAULT_LAYOUT, edge, 0.14, 0.25 if edge in ("head", "foot") else 0.65)
    pose = place(BODY, "knees_up", seat)
    on_mat = zone_loads(DEFAULT_LAYOUT, pose).sum() / 75.0
    assert 0.6 <= on_mat <= 0.85  # the feet rest on the floor beyond the edge


def test_long_sitting_on_a_row_border_splits_the_seat_between_two_rows() -> None:
    (border, _) = row_borders(DEFAULT_LAYOUT)
    pose = place(BODY, "long_sitting", Placement(0.25, border, 1))
    shares = rows_of(DEFAULT_LAYOUT, zone_loads(DEFAULT_LAYOUT, pose))
    assert 0.3 <= shares[0] <= 0.45 and 0.45 <= shares[1] <= 0.6  # as a lying body can


def test_a_wander_moves_load_head_to_foot_and_keeps_the_total() -> None:
    base = zone_loads(DEFAULT_LAYOUT, place(BODY, "supine", Placement(0.25, 0.0)))
    t = np.arange(1200) / 10.0
    extra = render_wander(DEFAULT_LAYOUT, base, t, Wander(4.0, 8.0, 0.3), np.random.default_rng(1))
    assert np.abs(extra.sum(axis=1)).max() < 1e-9
    head, foot = extra[:, :2].sum(axis=1), extra[:, 4:].sum(axis=1)
    assert np.corrcoef(head, foot)[0, 1] < -0.9
    spectrum = np.abs(np.fft.rfft(extra[:, 4]))
    per_min = np.fft.rfftfreq(len(t), 0.1) * 60
    assert spectrum[(per_min < 3.9) | (per_min > 8.1)].max() < 1e-9


@pytest.mark.parametrize("shape", ["knees_up", "knees_up_hugging", "knees_up_leaning"])
def test_a_knees_up_seat_keeps_most_of_the_weight_and_the_feet_ahead(shape: str) -> None:
    pose = place(BODY, shape, Placement(2.0, 2.0))
    assert pose.masses_kg.sum() == pytest.approx(75.0)
    ahead = pose.rects_m[:, 1] >= 2.0 + 0.25 * 1.75
    feet = pose.masses_kg[ahead].sum() / 75.0
    seat = pose.masses_kg[np.abs(pose.rects_m[:, 1] - 2.0) < 0.2].sum() / 75.0
    assert 0.20 <= feet <= 0.30  # shanks, half the thighs and the feet (and hugging arms)
    assert 0.70 <= seat <= 0.80
    toes_m = float(pose.rects_m[ahead][:, 3].max()) - 2.0
    assert 0.45 <= toes_m <= 0.8  # the feet end 0.5-0.75 m ahead of the seat
