"""Sitting and standing where coarse tiles are ambiguous: stories that must start nothing (pure).

People sit down the way they do on a floor: they stand where their feet will be, lower the
seat behind them (knees up), and, for long-sitting, stretch the legs along the mat; they get up
the same way. ``long_sitting_at`` puts the seat anywhere (row borders included, where two rows
share it) and leans back on the hands now and then (a weight shift); ``knees_up_at`` stands still
where the feet will be, sits down behind them with the knees up, as a lie-down begins, and stays
for minutes, shifting its weight; ``edge_sitting`` sits on an edge with the feet on the floor
beyond it, arriving from off the mat; ``cross_legged_at`` and
``standing_at`` sit or stand at a given place. ``UPRIGHT_SPECS`` are their library scenarios.
"""

from __future__ import annotations

from firmware.layout import MatLayout
from firmware.sim.bodies import BODIES, BodySpec
from firmware.sim.body import Body
from firmware.sim.posture import Placement
from firmware.sim.routines import Person
from firmware.sim.shapes import KNEES_UP_FEET_V
from firmware.sim.timeline import ScenarioSpec, Story, Timeline, Told

EDGES = ("head", "foot", "left", "right")


def _person(tl: Timeline, told: Told, body: BodySpec, dx_m: float = 0.0) -> Person:
    rng = tl.rng
    bpm = float(rng.uniform(10.0, 16.0))
    p = Person(tl.layout, Body(body.mass_kg, body.height_m), 0.0, dx_m, bpm, bpm)
    told.person(body.mass_kg, body.height_m)
    tl.hold(tl.empty, float(rng.uniform(10.0, 20.0)))
    return p


def _step_off(tl: Timeline) -> None:
    tl.move(tl.empty, float(tl.rng.uniform(0.8, 1.2)))
    tl.mark_left()
    tl.hold(tl.empty, 10.0)


def row_borders(layout: MatLayout) -> list[float]:
    """The y of every border between rows of zones (not the platform's ends)."""
    edges = {round(v, 4) for z in layout.zones for v in (z.y0_m, z.y1_m)}
    return sorted(e for e in edges if 1e-3 < e < layout.length_m - 1e-3)


def long_sitting_at(
    body: BodySpec, seat_y_m: float, direction: int, hold_s: float = 150.0
) -> Story:
    """Sits down at ``seat_y_m`` facing ``direction`` (half the time straight from standing
    0.15–0.45 m ahead, half through a knees-up pause), stretches the legs, leans back on the
    hands twice and once scoots back 8–12 cm."""

    def story(tl: Timeline, told: Told) -> None:
        p = _person(tl, told, body)
        rng, h = tl.rng, p.body.height_m
        seat = Placement(p.centre_x, seat_y_m, direction)
        legs = p.sitting("long_sitting", seat)
        if rng.random() < 0.5:
            ahead = float(rng.uniform(0.15, 0.45))
            feet = Placement(p.centre_x, seat_y_m + direction * ahead, direction)
            tl.move(p.standing(feet), 1.0, land=0.08)
            tl.hold(p.standing(feet), float(rng.uniform(2.0, 4.0)))
            tl.move(legs, float(rng.uniform(1.5, 3.0)), land=0.12)
        else:
            feet = Placement(p.centre_x, seat_y_m + direction * KNEES_UP_FEET_V * h, direction)
            knees = p.sitting("knees_up", seat)
            tl.move(p.standing(feet), 1.0, land=0.08)
            tl.hold(p.standing(feet), float(rng.uniform(2.0, 4.0)))
            tl.move(knees, float(rng.uniform(1.5, 2.5)), land=0.12)
            tl.hold(knees, float(rng.uniform(1.0, 3.0)))
            tl.move(legs, float(rng.uniform(1.5, 2.5)))
        lean = p.sitting("long_sitting_leaning", seat)
        back = Placement(seat.x_m, seat_y_m - direction * float(rng.uniform(0.08, 0.12)), direction)
        scooted = p.sitting("long_sitting", back)
        for _ in range(2):
            tl.hold(legs, hold_s / 4)
            tl.move(lean, float(rng.uniform(1.0, 2.0)))
            tl.hold(lean, float(rng.uniform(5.0, 15.0)))
            tl.move(legs, float(rng.uniform(1.0, 2.0)))
        tl.hold(legs, hold_s / 4)
        tl.move(scooted, float(rng.uniform(1.0, 2.0)))
        tl.hold(scooted, hold_s / 4)
        tl.move(p.standing(feet), float(rng.uniform(1.5, 2.5)), land=0.05)
        tl.hold(p.standing(feet), 1.0)
        _step_off(tl)

    return story


def knees_up_at(body: BodySpec, seat_y_m: float, direction: int, hold_s: float = 150.0) -> Story:
    """Stands still where the feet will be, sits down behind them with the knees up (as a
    lie-down begins) and stays: hugging the knees, propped on the hands, leaning back on them,
    a weight shift every 15-40 s; gets up the same way."""

    def story(tl: Timeline, told: Told) -> None:
        p = _person(tl, told, body)
        rng, h = tl.rng, p.body.height_m
        seat = Placement(p.centre_x, seat_y_m, direction)
        feet = Placement(p.centre_x, seat_y_m + direction * KNEES_UP_FEET_V * h, direction)
        knees = p.sitting("knees_up", seat)
        tl.move(p.standing(feet), 1.0, land=0.08)
        tl.hold(p.standing(feet), float(rng.uniform(2.0, 4.0)))
        tl.move(knees, float(rng.uniform(1.5, 2.5)), land=0.12)
        held_s = 0.0
        while held_s < hold_s:
            shape = ("knees_up", "knees_up_hugging", "knees_up_leaning")[int(rng.integers(3))]
            stay_s = float(rng.uniform(15.0, 40.0))
            tl.move(p.sitting(shape, seat), float(rng.uniform(1.0, 2.0)))
            tl.hold(p.sitting(shape, seat), stay_s)
            held_s += stay_s
        tl.move(p.standing(feet), float(rng.uniform(1.5, 2.5)), land=0.05)
        tl.hold(p.standing(feet), 1.0)
        _step_off(tl)

    return story


def edge_seat(layout: MatLayout, edge: str, inside_m: float, along_m: float) -> Placement:
    """A seat ``inside_m`` in from ``edge``, facing out (the feet beyond the edge), ``along_m``
    along that edge from its start."""
    w, length = layout.width_m, layout.length_m
    return {
        "head": Placement(along_m, inside_m, -1),
        "foot": Placement(along_m, length - inside_m, 1),
        "left": Placement(inside_m, along_m, -1, across=True),
        "right": Placement(w - inside_m, along_m, 1, across=True),
    }[edge]


def edge_sitting(body: BodySpec, edge: str, hold_s: float = 150.0) -> Story:
    """Sits down on ``edge`` from off the mat, knees up, feet on the floor; gets up off it."""

    def story(tl: Timeline, told: Told) -> None:
        p = _person(tl, told, body)
        rng, mat = tl.rng, tl.layout
        span = mat.width_m if edge in ("head", "foot") else mat.length_m
        along = float(rng.uniform(0.35, 0.65)) * span
        sit_on_edge(tl, p, edge, along, hold_s)

    return story


def sit_on_edge(tl: Timeline, p: Person, edge: str, along_m: float, hold_s: float) -> None:
    """Sits down on ``edge`` 10-18 cm in from it, ``along_m`` along it, knees up, the feet on
    the floor beyond it, for ``hold_s``; gets up off the mat and leaves."""
    rng = tl.rng
    sit = p.sitting("knees_up", edge_seat(tl.layout, edge, float(rng.uniform(0.10, 0.18)), along_m))
    tl.move(sit, float(rng.uniform(1.5, 2.5)), land=0.12)
    tl.hold(sit, hold_s)
    tl.move(tl.empty, float(rng.uniform(1.0, 2.0)))
    tl.mark_left()
    tl.hold(tl.empty, 10.0)


def cross_legged_at(
    body: BodySpec, seat_y_m: float, direction: int, hold_s: float = 150.0
) -> Story:
    def story(tl: Timeline, told: Told) -> None:
        p = _person(tl, told, body)
        rng = tl.rng
        seat = Placement(p.centre_x, seat_y_m, direction)
        feet = Placement(p.centre_x, seat_y_m + direction * 0.15, direction)
        tl.move(p.standing(feet), 1.0, land=0.08)
        tl.hold(p.standing(feet), float(rng.uniform(2.0, 4.0)))
        tl.move(p.sitting("cross_legged", seat), float(rng.uniform(1.5, 2.5)), land=0.12)
        tl.hold(p.sitting("cross_legged", seat), hold_s)
        tl.move(p.standing(feet), float(rng.uniform(1.5, 2.5)), land=0.05)
        tl.hold(p.standing(feet), 1.0)
        _step_off(tl)

    return story


def standing_at(body: BodySpec, y_m: float, dx_m: float = 0.0, hold_s: float = 120.0) -> Story:
    """Stands with the middle of the feet at ``y_m`` (a row border: both rows share them)."""

    def story(tl: Timeline, told: Told) -> None:
        p = _person(tl, told, body, dx_m)
        spot = Placement(p.centre_x, y_m, int(tl.rng.choice([-1, 1])))
        tl.move(p.standing(spot), 1.0, land=0.08)
        tl.hold(p.standing(spot), hold_s)
        _step_off(tl)

    return story


def _border_story(kind: str, body: BodySpec) -> Story:
    """The first row border of the default mat (0.433 m); the library's fixed placement."""
    border = 1.3 / 3
    if kind == "long_sitting":
        return long_sitting_at(body, border, 1)
    if kind == "cross_legged":
        return cross_legged_at(body, border, -1)
    return standing_at(body, 2 * border)


def _spec(name: str, description: str, story: Story) -> ScenarioSpec:
    return ScenarioSpec(name, description, story, 0, lying_expected=False)


UPRIGHT_SPECS: tuple[ScenarioSpec, ...] = (
    _spec(
        "long_sitting_border",
        "mid_man long-sits 2.5 min, the seat on the first row border, leaning back twice",
        _border_story("long_sitting", BODIES["mid_man"]),
    ),
    _spec(
        "long_sitting_border_light",
        "p5_woman long-sits on the first row border (the light end of the range)",
        _border_story("long_sitting", BODIES["p5_woman"]),
    ),
    _spec(
        "cross_legged_border",
        "mid_woman sits cross-legged 2.5 min across the first row border",
        _border_story("cross_legged", BODIES["mid_woman"]),
    ),
    _spec(
        "standing_border",
        "p95_man stands 2 min with the feet across the second row border",
        _border_story("standing", BODIES["p95_man"]),
    ),
    *(
        _spec(
            f"edge_sitting_{edge}",
            f"mid_man sits 2.5 min on the {edge} edge, feet on the floor beyond it",
            edge_sitting(BODIES["mid_man"], edge),
        )
        for edge in EDGES
    ),
)
