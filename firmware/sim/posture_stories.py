"""Lying in each posture the issue names, anywhere on the mat, for any body: stories (pure).

``lying_story(kind, body, spot)`` tells one visit: the person steps on where their feet will be
when sitting, sits down with the knees up, lies back into ``kind`` (the pelvis stays where the
seat was, the upper body lands towards the head end: the load moves head-wards at a constant
total), stays, and gets up the same way. ``rolls`` turns from one posture to another
mid-session, each roll 2–5 s at a constant total, once straight from the left side to the
right. The head is placed from 10 cm beyond the head end to 15 cm inside it, the body's axis up
to ±12 cm off the centre line (``Spot``). ``POSTURE_SPECS`` holds one library scenario per kind
(a mid-size body, one spot).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from firmware.sim.bodies import BODIES, BodySpec
from firmware.sim.body import HIP_FROM_VERTEX, Body, Pose
from firmware.sim.motion import Still, still_pose
from firmware.sim.posture import Placement, place, rolled
from firmware.sim.routines import Person
from firmware.sim.shapes import KNEES_UP_FEET_V
from firmware.sim.timeline import ScenarioSpec, Story, Timeline, Told

LYING_KINDS: tuple[str, ...] = (
    "supine",
    "knees_up",
    "one_knee_up",
    "hands_on_chest",
    "prone",
    "side_left",
    "side_right",
    "curled_left",
    "curled_right",
    "roll_30",
    "roll_60",
    "rolls",
)
# The postures ``rolls`` turns through, each held a share of the lying time, and how far the
# body's contact moves across as it rolls there (onto a side: ~8 cm that way).
ROLL_SEQUENCE = (
    ("supine", 0.0),
    ("side_left", -0.08),
    ("curled_left", -0.08),
    ("side_right", 0.08),  # straight over from the left side to the right
    ("supine", 0.0),
)


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a person lies: the vertex's distance from the head end (negative: beyond it) and
    the body's axis from the mat's centre line (+: towards the right)."""

    head_y_m: float
    dx_m: float


def _pose(kind: str) -> Callable[[Body, Placement, Person], Pose]:
    shapes = {
        "supine": ("supine", False),
        "knees_up": ("supine_knees_up", False),
        "one_knee_up": ("supine_one_knee_up", False),
        "hands_on_chest": ("supine_hands_on_chest", False),
        "prone": ("prone", False),
        "side_left": ("side", False),
        "side_right": ("side", True),
        "curled_left": ("curled", False),
        "curled_right": ("curled", True),
    }
    if kind in shapes:
        shape, mirror = shapes[kind]
        return lambda body, at, p: place(
            body, shape, Placement(at.x_m, at.y_m, mirror=mirror), p.style
        )
    degrees, mirror = {"roll_30": (30.0, False), "roll_60": (60.0, True)}[kind]
    return lambda body, at, p: rolled(
        body, Placement(at.x_m, at.y_m, mirror=mirror), degrees, p.style
    )


def lying_state(p: Person, kind: str) -> Still:
    """The person lying in ``kind`` where they are placed, breathing."""
    pose = _pose(kind)(p.body, Placement(p.centre_x, p.head_y_m), p)
    detail = "lying " + kind.replace("_", " ")
    return still_pose(p.layout, pose, "lying", detail, breathing=p.breathing())


def arrive(tl: Timeline, told: Told, body: BodySpec, spot: Spot) -> Person:
    """Picks breathing and a pressure style for ``body`` at ``spot``; a little empty mat first."""
    rng = tl.rng
    style = body.style_for(rng)
    bpm = float(rng.uniform(10.0, 16.0))
    p = Person(
        tl.layout,
        Body(body.mass_kg, body.height_m),
        spot.head_y_m,
        spot.dx_m,
        bpm,
        bpm * float(rng.uniform(0.75, 0.9)),
        style,
    )
    told.person(body.mass_kg, body.height_m)
    told.breathing_bpm, told.breathing_bpm_end = p.bpm, p.bpm_end
    tl.hold(tl.empty, float(rng.uniform(10.0, 20.0)))
    return p


def _seat(p: Person) -> Placement:
    return Placement(p.centre_x, p.head_y_m + HIP_FROM_VERTEX * p.body.height_m)


def _feet(p: Person) -> Placement:
    seat = _seat(p)
    return Placement(seat.x_m, seat.y_m + KNEES_UP_FEET_V * p.body.height_m)


SEAT_PAUSE_S = (1.0, 3.0)  # a pause on the seat on the way down (drawn uniformly)


def lie_down_into(
    tl: Timeline, p: Person, lying: Still, seat_s: tuple[float, float] = SEAT_PAUSE_S
) -> None:
    """Steps on where the feet will be, sits down behind them (for ``seat_s``, drawn), lies
    back; marks settling."""
    rng = tl.rng
    sit = p.sitting("knees_up", _seat(p))
    tl.move(p.standing(_feet(p)), float(rng.uniform(0.8, 1.2)), land=0.08)
    tl.hold(p.standing(_feet(p)), float(rng.uniform(2.0, 4.0)))
    tl.move(sit, float(rng.uniform(1.5, 2.5)), land=0.12)
    tl.hold(sit, float(rng.uniform(*seat_s)))
    tl.move(lying, float(rng.uniform(2.0, 3.5)), land=0.06)
    tl.mark_settled()


def get_up_from(tl: Timeline, p: Person) -> None:
    """Sits up, stands on the feet's spot, steps off; marks leaving."""
    rng = tl.rng
    sit = p.sitting("knees_up", _seat(p))
    tl.move(sit, float(rng.uniform(2.0, 3.0)), land=0.05)
    tl.hold(sit, float(rng.uniform(1.0, 2.0)))
    tl.move(p.standing(_feet(p)), float(rng.uniform(1.5, 2.5)), land=0.05)
    tl.hold(p.standing(_feet(p)), float(rng.uniform(1.0, 2.0)))
    tl.move(tl.empty, float(rng.uniform(0.8, 1.2)))
    tl.mark_left()


def lying_story(
    kind: str,
    body: BodySpec,
    spot: Spot,
    lie_s: float = 75.0,
    seat_s: tuple[float, float] = SEAT_PAUSE_S,
) -> Story:
    """One visit lying in ``kind`` (``rolls``: through ROLL_SEQUENCE) for about ``lie_s``,
    after sitting on the way down for ``seat_s`` (drawn)."""
    sequence = ROLL_SEQUENCE if kind == "rolls" else ((kind, 0.0),)

    def story(tl: Timeline, told: Told) -> None:
        p = arrive(tl, told, body, spot)
        states = [lying_state(replace(p, dx_m=p.dx_m + dx), k) for k, dx in sequence]
        lie_down_into(tl, p, states[0], seat_s)
        tl.hold(states[0], lie_s / len(states))
        for state in states[1:]:
            tl.move(state, float(tl.rng.uniform(2.0, 5.0)))
            tl.hold(state, lie_s / len(states))
        get_up_from(tl, p)
        tl.hold(tl.empty, 10.0)

    return story


# The library's spots: the extremes, one per kind (the sweep covers the rest).
_LIBRARY_SPOTS: dict[str, Spot] = {
    "supine": Spot(-0.10, 0.0),
    "knees_up": Spot(0.0, 0.12),
    "one_knee_up": Spot(0.15, -0.12),
    "hands_on_chest": Spot(0.05, 0.06),
    "prone": Spot(-0.05, 0.0),
    "side_left": Spot(0.0, -0.10),
    "side_right": Spot(0.10, 0.10),
    "curled_left": Spot(0.15, 0.05),
    "curled_right": Spot(-0.10, -0.05),
    "roll_30": Spot(0.0, 0.0),
    "roll_60": Spot(0.05, 0.0),
    "rolls": Spot(0.0, 0.0),
}
_LIBRARY_BODIES = ("mid_man", "heavy_upper", "p5_woman", "mid_woman")


def _spec(i: int, kind: str) -> ScenarioSpec:
    body = BODIES[_LIBRARY_BODIES[i % len(_LIBRARY_BODIES)]]
    spot = _LIBRARY_SPOTS[kind]
    where = f"head {spot.head_y_m * 100:+.0f} cm, axis {spot.dx_m * 100:+.0f} cm"
    return ScenarioSpec(
        f"lie_{kind}",
        f"{body.name} ({body.mass_kg:.0f} kg, {body.height_m} m) lies {kind.replace('_', ' ')}"
        f" for 4 min ({where})",
        lying_story(kind, body, spot, lie_s=240.0),
        1,
    )


POSTURE_SPECS: tuple[ScenarioSpec, ...] = tuple(_spec(i, k) for i, k in enumerate(LYING_KINDS))
