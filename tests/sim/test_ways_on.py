"""The side-edge and kneeling ways onto the mat make physical sense: wholly on the mat they carry
the body, the edge seat loads only that edge, a kneel loads a strip the length of the shins;
and the benchmark's cases and report count what they say."""

from __future__ import annotations

import numpy as np
import pytest

from evaluation.sweep import LAYOUTS
from evaluation.ways_on import KINDS, WayOutcome, cases, report
from firmware.layout import MatLayout
from firmware.sim.bodies import BODIES, BodySpec
from firmware.sim.body import FOOT_LENGTH, HIP_WIDTH, Body, FloatArray
from firmware.sim.posture import TEXTBOOK, Placement
from firmware.sim.posture_stories import Spot, arrive
from firmware.sim.routines import Person
from firmware.sim.timeline import Timeline, Told
from firmware.sim.ways_on import (
    SHIN_V,
    Way,
    kneel,
    kneeling_states,
    kneeling_stay,
    side_edge_states,
    way_story,
)

LONG = MatLayout.grid(2, 6, 1.0, 3.0)  # a floor-sized mat: a whole body fits on it
# mid_man's size with the textbook pressure map: lying wholly on the mat, the mat reads it all
MID = BodySpec("mid_man_textbook", 85.0, 1.76, TEXTBOOK)


def _person(layout: MatLayout, head_y_m: float = 0.0, mass_kg: float = 85.0) -> Person:
    return Person(layout, Body(mass_kg, 1.76), head_y_m, 0.0, 12.0, 12.0)


def _timeline(layout: MatLayout, seed: int = 1) -> Timeline:
    return Timeline(layout, 10.0, np.random.default_rng(seed))


@pytest.mark.parametrize("shape", ["kneeling", "kneeling_on_heels", "all_fours"])
@pytest.mark.parametrize("toes", [1, -1])
def test_a_kneel_wholly_on_the_mat_carries_the_body(shape: str, toes: int) -> None:
    p = _person(LONG)
    state = kneel(p, shape, Placement(0.5, 1.5, toes), shape)
    assert state.loads_kg.sum() == pytest.approx(85.0)


@pytest.mark.parametrize("toes", [1, -1])
def test_a_kneel_loads_a_strip_the_length_of_the_shins_behind_the_knees(toes: int) -> None:
    strips = MatLayout.grid(1, 120, 0.6, 3.0)  # 2.5 cm rows
    p = _person(strips)
    knees_y = 1.5
    for shape in ("kneeling", "kneeling_on_heels"):
        loads = kneel(p, shape, Placement(0.3, knees_y, toes), shape).loads_kg
        ys = np.array([z.y_m for z in strips.zones])[loads > 1e-6]
        behind = (ys - knees_y) * toes
        # knee contact 2 % of height ahead of the knees' middle; shin and instep behind them
        strip_m = (SHIN_V + FOOT_LENGTH) * 1.76
        assert behind.min() == pytest.approx(-0.02 * 1.76, abs=0.025)
        assert behind.max() == pytest.approx(strip_m, abs=0.025)
        assert 0.6 < strip_m < 0.8
    across = MatLayout.grid(40, 1, 1.0, 3.0)  # 2.5 cm columns
    loads = kneel(_person(across), "kneeling", Placement(0.5, 1.5, toes), "k").loads_kg
    xs = np.array([z.x_m for z in across.zones])[loads > 1e-6]
    # two knees side by side under the hips (Drillis & Contini: hip width 0.191 H), not a body
    assert xs.max() - xs.min() <= HIP_WIDTH * 1.76


def test_tall_kneeling_rests_on_the_knees_and_kneeling_back_on_the_heels() -> None:
    strips = MatLayout.grid(1, 120, 0.6, 3.0)
    p = _person(strips)
    ys = np.array([z.y_m for z in strips.zones])
    tall = kneel(p, "kneeling", Placement(0.3, 1.5, 1), "k").loads_kg
    heels = kneel(p, "kneeling_on_heels", Placement(0.3, 1.5, 1), "k").loads_kg
    near_knees = np.abs(ys - 1.5) < 0.05
    instep = ys > 1.5 + SHIN_V * 1.76
    # Winter: all but the shanks and feet (87.8 %) over the knees; seiza: head, trunk and arms
    # (67.8 %) with the feet over the insteps
    assert tall[near_knees].sum() / 85.0 == pytest.approx(0.878, abs=0.02)
    assert heels[instep].sum() / 85.0 == pytest.approx(0.678 + 0.029, abs=0.03)


@pytest.mark.parametrize("edge", ["left", "right"])
def test_the_edge_seat_loads_only_that_edge(edge: str) -> None:
    wide = MatLayout.grid(40, 1, 1.0, 3.0)  # 2.5 cm columns
    xs = np.array([z.x_m for z in wide.zones])
    from_edge = xs if edge == "left" else 1.0 - xs
    for seed in range(5):
        on_edge, turned = side_edge_states(_timeline(wide, seed), _person(wide, 0.1), edge)
        loads: FloatArray = on_edge.loads_kg
        # the seat and the propping hands (72 + 4 %), the feet on the floor beyond the edge
        assert loads.sum() / 85.0 == pytest.approx(0.76, abs=0.01)
        # seat 10-18 cm in, 0.12 H deep, hands up to 0.10 H further in: nothing beyond 0.4 m
        assert from_edge[loads > 1e-6].max() < 0.4
        # legs swung on, facing the foot end: the feet are on the mat (a hand may be off it)
        assert turned.loads_kg.sum() / 85.0 >= 0.97


@pytest.mark.parametrize("layout", ["2x3", "2x4"])
@pytest.mark.parametrize("edge", ["left", "right"])
def test_on_the_sweep_layouts_the_edge_seat_sits_on_that_edges_column(
    layout: str, edge: str
) -> None:
    mat = LAYOUTS[layout]
    xs = np.array([z.x_m for z in mat.zones])
    near = xs < mat.width_m / 2 if edge == "left" else xs > mat.width_m / 2
    for seed in range(5):
        on_edge, _ = side_edge_states(_timeline(mat, seed), _person(mat, 0.1), edge)
        # a seat 18 cm in reaches 29 cm: over the centre line of a 0.5 m mat, not much
        assert on_edge.loads_kg[near].sum() / on_edge.loads_kg.sum() > 0.75


def _hold_totals(tl: Timeline, detail: str) -> list[float]:
    loads = tl.loads()
    out = []
    for seg in tl.segments:
        if seg["detail"] == detail:
            lo, hi = round(seg["from_t"] * tl.rate_hz), round(seg["to_t"] * tl.rate_hz)
            out.append(float(np.median(loads[lo:hi].sum(axis=1))))
    return out


@pytest.mark.parametrize("kind", ["supine", "prone", "side_left"])
def test_a_kneeling_way_on_a_big_mat_carries_the_body_throughout(kind: str) -> None:
    tl, told = _timeline(LONG), Told()
    way_story(Way("kneeling"), kind, MID, Spot(0.3, 0.0))(tl, told)
    for detail in ("kneeling", f"lying {kind.replace('_', ' ')}"):
        totals = _hold_totals(tl, detail)
        assert totals and all(t == pytest.approx(85.0, rel=0.01) for t in totals)
    settled = round(tl.settled_t[0] * tl.rate_hz)
    assert tl.loads()[settled + 30].sum() == pytest.approx(85.0, rel=0.02)


def test_a_side_edge_way_sits_with_the_feet_off_then_lies_wholly_on() -> None:
    tl, told = _timeline(LONG), Told()
    way_story(Way("side_edge", "right"), "supine", MID, Spot(0.3, 0.0))(tl, told)
    on_edge, turned = _hold_totals(tl, "sitting knees up")[:2]
    assert on_edge == pytest.approx(0.76 * 85.0, rel=0.01)
    # the seat 10-18 cm in from the edge: the hand propping on that side may rest beyond it
    assert 0.97 * 85.0 <= turned <= 85.0 + 1e-6
    assert _hold_totals(tl, "lying supine")[0] == pytest.approx(85.0, rel=0.01)
    assert len(tl.settled_t) == 1 and len(tl.left_t) == 1


def test_a_kneeling_stay_sits_back_on_the_heels_for_two_minutes() -> None:
    tl, told = _timeline(LONG), Told()
    kneeling_stay(MID, 1.5, 1)(tl, told)
    held = [s["to_t"] - s["from_t"] for s in tl.segments if s["detail"] == "kneeling on the heels"]
    assert sum(held) == pytest.approx(120.0, abs=0.2)
    assert not tl.settled_t and len(tl.left_t) == 1
    assert all(s["posture"] != "lying" for s in tl.segments)


def test_a_tall_body_kneels_on_the_mat_not_beyond_it() -> None:
    mat = LAYOUTS["2x3"]
    tl, told = _timeline(mat), Told()
    p = arrive(tl, told, BODIES["p95_man"], Spot(0.15, 0.0))
    for prone in (True, False):
        first = kneeling_states(tl, p, prone)[0]
        # the knees (87.8 %) are on the mat, whatever the shins do
        assert first.loads_kg.sum() > 0.85 * p.body.mass_kg


def test_the_cases_cover_ways_kinds_and_stays() -> None:
    chosen = cases(("2x3",))
    lying = [c for c in chosen if c.group == "lying"]
    upright = [c for c in chosen if c.group == "upright"]
    per_way = len(KINDS) * len(BODIES) * 9
    assert len(lying) == 3 * per_way  # the reference and two ways
    assert {c.kind.partition(":")[0] for c in lying if ":" in c.kind} == {"side_edge", "kneeling"}
    assert {c.kind for c in upright} == {"kneeling_stay", "edge_stay"}
    assert all(c.expected_sessions == 0 for c in upright)
    assert len({c.name for c in chosen}) == len(chosen)


def test_the_report_counts_missed_by_way_kind_and_layout_and_false_stays() -> None:
    def o(way: str, kind: str, layout: str, missed: int, lat: tuple[float, ...]) -> WayOutcome:
        return WayOutcome(way, kind, layout, "lying", missed, 0, True, lat)

    outcomes = [
        o("foot_end", "supine", "2x3", 0, (2.0,)),
        o("kneeling", "prone", "2x3", 1, ()),
        o("kneeling", "prone", "3x3", 1, ()),
        o("kneeling", "supine", "3x3", 0, (3.0,)),
        WayOutcome("stay", "kneeling_stay", "2x3", "upright", 0, 2, True, ()),
    ]
    lines = report(outcomes)
    assert lines[0].startswith("foot_end (reference): lying missed 0 of 1; start latency")
    assert (
        "kneeling: lying missed 2 of 3; start latency s: median 3.00, max 3.00, over 10 s 0"
        in lines
    )
    assert "  prone              1     1  2" in lines
    assert any(x.startswith("kneeling_stay: false sessions 2 in 1 runs") for x in lines)
