"""Two more ways onto the mat, from a long side edge and kneeling, as stories (pure).

The sweep's lie-downs (``posture_stories``) all arrive from the foot end: standing where the
feet will be, sitting behind them, lying back head-wards. Here the same lying postures are
reached two other ways, and two upright stays go with them that must start nothing:

* ``side_edge``: the person sits down from off the mat on a long side edge (``edge_seat``: the
  seat 10-18 cm inside the edge, level with where the pelvis will lie, the feet on the floor
  beyond the edge, so only the seat and the propping hands are on the mat), stays 1-3 s, swings
  the legs onto the mat while turning to face the foot end (knees up, the seat shuffled
  wholly onto the mat, 1.5-2.5 s), pauses 1-3 s and lies back (2-3.5 s); the sideways shuffle
  to the lying axis happens during the lie-back.
* ``kneeling``: lowered onto the mat from standing off it, both knees and shins on the mat, the
  toes behind (``shapes.KNEELING``; half the time the hands go down ahead, on all fours). For
  prone lying the person faces the head end with the knees where they will lie, goes onto all
  fours and stretches out. For the other postures the person faces the foot end with the heels
  under where the pelvis will lie, sits to one hip (``shapes.HIP_SITTING``, either side) and
  lies back head-wards; each step takes 1.5-2.5 s and is held 1-3 s. The knees stay at least
  5 cm inside the foot end (a tall body's knees-to-be beyond it kneel just inside). Getting up
  is the reverse of each way.
* ``kneeling_stay``: kneels 3-8 s, sits back on the heels for ~2 min, rising once to kneel
  upright for 5-10 s on the way, and gets up (a praying or yoga kneel).
* ``edge_stay``: sits on a long side edge, feet on the floor, for 2.5 min, and leaves.

The truth calls kneeling ``sitting`` (the truth's postures are empty, standing, sitting and
lying; kneeling is upright), with a detail saying which kneel it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from firmware.sim.bodies import BodySpec
from firmware.sim.body import ANKLE_FROM_VERTEX, HIP_FROM_VERTEX, KNEE_FROM_VERTEX
from firmware.sim.motion import Still, still_pose
from firmware.sim.posture import Placement, place
from firmware.sim.posture_stories import SEAT_PAUSE_S, Spot, arrive, lying_state
from firmware.sim.routines import Person
from firmware.sim.timeline import Story, Timeline, Told
from firmware.sim.upright_stories import edge_seat, sit_on_edge

WAYS = ("side_edge", "kneeling")
SIDE_EDGES = ("left", "right")
# The kneeling shapes' shin from the knees to the ankle (the heels), 0.246 H.
SHIN_V = ANKLE_FROM_VERTEX - KNEE_FROM_VERTEX
SEAT_HALF_WIDTH = 0.095  # of height: the sitting shapes' seat, across the hips
KNEES_INSIDE_M = 0.05  # the knees' middle at least this far inside the foot end


@dataclass(frozen=True, slots=True)
class Way:
    """How a person gets onto the mat: ``side_edge`` (from ``edge``) or ``kneeling``."""

    name: str
    edge: str = "left"


def kneel(p: Person, shape: str, at: Placement, detail: str) -> Still:
    """A kneeling shape (``kneeling``, ``kneeling_on_heels``, ``all_fours``) anchored at the
    knees, the toes pointing ``at.direction``."""
    pose = place(p.body, shape, at)
    return still_pose(p.layout, pose, "sitting", detail, wobble=0.006)


def _seat_y(p: Person) -> float:
    return p.head_y_m + HIP_FROM_VERTEX * p.body.height_m


def _on_mat(p: Person, knees_y_m: float) -> float:
    """Knees kneel on the mat: a tall body's knees-to-be beyond the foot end kneel just inside
    it (and shuffle back as the body stretches out)."""
    return min(knees_y_m, p.layout.length_m - KNEES_INSIDE_M)


def _edge_x(p: Person, edge: str, inside_m: float) -> float:
    return inside_m if edge == "left" else p.layout.width_m - inside_m


def side_edge_states(tl: Timeline, p: Person, edge: str) -> tuple[Still, Still]:
    """Sitting on ``edge`` level with the pelvis-to-be, feet off the mat; then turned, knees up
    on the mat, facing the foot end."""
    inside = float(tl.rng.uniform(0.10, 0.18))
    on_edge = p.sitting("knees_up", edge_seat(tl.layout, edge, inside, _seat_y(p)))
    # turning, the seat (0.19 H across the hips) shuffles wholly onto the mat
    inside_turned = max(inside, SEAT_HALF_WIDTH * p.body.height_m + 0.01)
    turned = p.sitting("knees_up", Placement(_edge_x(p, edge, inside_turned), _seat_y(p)))
    return on_edge, turned


def kneeling_states(tl: Timeline, p: Person, prone: bool) -> list[Still]:
    """The kneel, all fours (always before prone, else half the time) and, unless prone, the
    hip sit, in the order they are taken."""
    rng, h = tl.rng, p.body.height_m
    if prone:  # facing the head end, the knees where they will lie, toes to the foot end
        at = Placement(p.centre_x, _on_mat(p, p.head_y_m + KNEE_FROM_VERTEX * h), 1)
        return [kneel(p, "kneeling", at, "kneeling"), kneel(p, "all_fours", at, "on all fours")]
    # facing the foot end, the heels under the pelvis-to-be, toes to the head end
    at = Placement(p.centre_x, _on_mat(p, _seat_y(p) + SHIN_V * h), -1)
    states = [kneel(p, "kneeling", at, "kneeling")]
    if rng.random() < 0.5:
        states.append(kneel(p, "all_fours", at, "on all fours"))
    side = bool(rng.random() < 0.5)
    hip = place(p.body, "hip_sitting", Placement(p.centre_x, _seat_y(p), 1, mirror=side))
    states.append(still_pose(p.layout, hip, "sitting", "sitting on one hip", wobble=0.006))
    return states


def _down(tl: Timeline, steps: list[Still], lying: Still) -> None:
    """From off the mat through ``steps`` (the first lands, each held a moment) to ``lying``."""
    rng = tl.rng
    for i, state in enumerate(steps):
        tl.move(state, float(rng.uniform(1.5, 2.5)), land=0.12 if i == 0 else 0.0)
        tl.hold(state, float(rng.uniform(*SEAT_PAUSE_S)))
    tl.move(lying, float(rng.uniform(2.0, 3.5)), land=0.06)
    tl.mark_settled()


def _up(tl: Timeline, steps: list[Still]) -> None:
    rng = tl.rng
    for state in reversed(steps):
        tl.move(state, float(rng.uniform(1.5, 2.5)), land=0.05)
        tl.hold(state, float(rng.uniform(1.0, 2.0)))
    tl.move(tl.empty, float(rng.uniform(1.0, 2.0)))
    tl.mark_left()


def way_story(way: Way, kind: str, body: BodySpec, spot: Spot, lie_s: float = 75.0) -> Story:
    """One visit lying in ``kind`` for ``lie_s``, reached ``way``; leaves the same way."""

    def story(tl: Timeline, told: Told) -> None:
        p = arrive(tl, told, body, spot)
        if way.name == "side_edge":
            on_edge, turned = side_edge_states(tl, p, way.edge)
            steps = [on_edge, turned]
        else:
            steps = kneeling_states(tl, p, prone=kind == "prone")
        lying = lying_state(p, kind)
        _down(tl, steps, lying)
        tl.hold(lying, lie_s)
        _up(tl, steps)
        tl.hold(tl.empty, 10.0)

    return story


def kneeling_stay(body: BodySpec, knees_y_m: float, toes: int, hold_s: float = 120.0) -> Story:
    """Kneels with the knees at ``knees_y_m``, toes pointing ``toes`` (+1: to the foot end),
    sits back on the heels for ``hold_s`` (rising once to kneel upright), gets up."""

    def story(tl: Timeline, told: Told) -> None:
        p = arrive(tl, told, body, Spot(0.0, 0.0))
        rng = tl.rng
        at = Placement(p.centre_x, knees_y_m, toes)
        tall = kneel(p, "kneeling", at, "kneeling")
        heels = kneel(p, "kneeling_on_heels", at, "kneeling on the heels")
        tl.move(tall, float(rng.uniform(1.5, 2.5)), land=0.12)
        tl.hold(tall, float(rng.uniform(3.0, 8.0)))
        first_s = float(rng.uniform(0.3, 0.7)) * hold_s
        tl.move(heels, float(rng.uniform(1.5, 2.5)), land=0.05)
        tl.hold(heels, first_s)
        tl.move(tall, float(rng.uniform(1.0, 2.0)))
        tl.hold(tall, float(rng.uniform(5.0, 10.0)))
        tl.move(heels, float(rng.uniform(1.0, 2.0)), land=0.05)
        tl.hold(heels, hold_s - first_s)
        tl.move(tall, float(rng.uniform(1.0, 2.0)))
        tl.hold(tall, float(rng.uniform(1.0, 3.0)))
        tl.move(tl.empty, float(rng.uniform(1.0, 2.0)))
        tl.mark_left()
        tl.hold(tl.empty, 10.0)

    return story


def edge_stay(body: BodySpec, edge: str, along_m: float, hold_s: float = 150.0) -> Story:
    """Sits on the long ``edge`` with the seat ``along_m`` from the head end, the feet on the
    floor beyond it, for ``hold_s``; leaves."""

    def story(tl: Timeline, told: Told) -> None:
        p = arrive(tl, told, body, Spot(0.0, 0.0))
        sit_on_edge(tl, p, edge, along_m, hold_s)

    return story
