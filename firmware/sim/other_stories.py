"""Scenarios without a lying session: sitting, standing, feet, a cat, a bag, drift, a day (pure).

None of these may start a lying session (except ``feet``, whose program starts one on
standing, and ``day``, which holds one real session among the distractions). People sit and
stand anywhere along the mat, facing either way.
"""

from __future__ import annotations

from firmware.sim.breathing import Breathing
from firmware.sim.motion import Still, Walking, still_pose
from firmware.sim.posture import Placement, lump
from firmware.sim.routines import Person, get_up, lie, lie_down
from firmware.sim.sensor import SensorSpec
from firmware.sim.timeline import ScenarioSpec, Story, Timeline, Told
from firmware.sim.upright_stories import UPRIGHT_SPECS


def _person(tl: Timeline, told: Told) -> tuple[Person, Placement]:
    """A 60-90 kg person and a spot on the mat's middle half, facing either way."""
    rng = tl.rng
    p = Person.pick(tl.layout, rng, float(rng.uniform(60, 90)), float(rng.uniform(1.6, 1.9)))
    told.person(round(p.body.mass_kg, 1), round(p.body.height_m, 3))
    length = tl.layout.length_m
    spot = Placement(p.centre_x, float(rng.uniform(0.4, 0.6)) * length, int(rng.choice([-1, 1])))
    tl.hold(tl.empty, float(rng.uniform(15.0, 25.0)))
    return p, spot


def _step_off(tl: Timeline) -> None:
    tl.move(tl.empty, 1.0)
    tl.mark_left()
    tl.hold(tl.empty, 20.0)


def sitting(tl: Timeline, told: Told) -> None:
    p, spot = _person(tl, told)
    ahead = Placement(spot.x_m, spot.y_m + spot.direction * 0.12, spot.direction)
    tl.move(p.standing(ahead), 1.0, land=0.08)
    tl.hold(p.standing(ahead), 3.0)
    tl.move(p.sitting("cross_legged", spot), 2.0, land=0.12)
    tl.hold(p.sitting("cross_legged", spot), 180.0)
    tl.move(p.sitting("knees_up", spot), 2.5)
    tl.hold(p.sitting("knees_up", spot), 120.0)
    tl.move(p.standing(ahead), 2.0, land=0.05)
    tl.hold(p.standing(ahead), 2.0)
    _step_off(tl)


def long_sitting(tl: Timeline, told: Told) -> None:
    p, spot = _person(tl, told)
    from_end = float(tl.rng.uniform(0.15, 0.3))
    y = from_end if spot.direction > 0 else tl.layout.length_m - from_end
    seat = Placement(spot.x_m, y, spot.direction)
    ahead = Placement(seat.x_m, y + seat.direction * 0.12, seat.direction)
    tl.move(p.standing(ahead), 1.0, land=0.08)
    tl.hold(p.standing(ahead), 3.0)
    tl.move(p.sitting("long_sitting", seat), 3.0, land=0.12)
    tl.hold(p.sitting("long_sitting", seat), 300.0)
    tl.move(p.standing(ahead), 2.5, land=0.05)
    _step_off(tl)


def standing(tl: Timeline, told: Told) -> None:
    p, spot = _person(tl, told)
    tl.move(p.standing(spot), 1.0, land=0.08)
    tl.hold(p.standing(spot), 180.0)
    _step_off(tl)


def _feet(tl: Timeline, p: Person, spot: Placement, both_s: tuple[float, ...]) -> None:
    """Both feet, then alternately one foot for a minute and both feet again."""
    reach = 0.06 * p.body.height_m * spot.direction
    tl.hold(p.standing(spot), both_s[0])
    for side, rest_s in zip((1, -1), both_s[1:], strict=True):
        over = Placement(spot.x_m + side * reach, spot.y_m, spot.direction)
        tl.move(p.standing(over, one_foot=True), 1.0)
        tl.hold(p.standing(over, one_foot=True), 60.0)
        tl.move(p.standing(spot), 1.0, land=0.05)
        tl.hold(p.standing(spot), rest_s)


def one_foot(tl: Timeline, told: Told) -> None:
    p, spot = _person(tl, told)
    tl.move(p.standing(spot), 1.0, land=0.08)
    _feet(tl, p, spot, (10.0, 5.0, 10.0))
    _step_off(tl)


def feet(tl: Timeline, told: Told) -> None:
    p, spot = _person(tl, told)
    tl.move(p.standing(spot), 1.0, land=0.08)
    tl.mark_settled()
    _feet(tl, p, spot, (180.0, 10.0, 50.0))
    _step_off(tl)


def _cat_visit(tl: Timeline, mass_kg: float, nap_s: float) -> None:
    """Walks on from the head end, curls up for ``nap_s`` (if any), walks off the foot end."""
    rng, mat = tl.rng, tl.layout
    x = float(rng.uniform(0.15, mat.width_m - 0.15))
    y = float(rng.uniform(0.25, mat.length_m - 0.25))
    come = Walking(mat, mass_kg, ((x, -0.4), (x, y)))
    go = Walking(mat, mass_kg, ((x, y), (x, mat.length_m + 0.4)))
    tl.hold(come, come.duration_s)
    if nap_s > 0:
        curled = lump(mass_kg, x, y, 0.3, 0.4)
        nap = still_pose(mat, curled, "empty", "cat napping", breathing=Breathing(25, 25, 0.004))
        tl.move(nap, 2.0)
        tl.hold(nap, nap_s)
        tl.move(go, 1.5)
    tl.hold(go, go.duration_s)


def cat_nap(tl: Timeline, told: Told) -> None:
    mass = float(tl.rng.uniform(3.0, 6.0))
    told.thing("cat", mass)
    tl.hold(tl.empty, 20.0)
    _cat_visit(tl, mass, 1200.0)
    tl.hold(tl.empty, 20.0)


def _bag(tl: Timeline, mass_kg: float) -> Still:
    zone = tl.layout.zones[int(tl.rng.integers(len(tl.layout.zones)))]
    w, length = min(0.22, 0.8 * zone.width_m), min(0.3, 0.8 * zone.length_m)
    pose = lump(mass_kg, zone.x_m, zone.y_m, w, length)
    return still_pose(tl.layout, pose, "empty", "bag on one zone")


def bag_left(tl: Timeline, told: Told) -> None:
    mass = float(tl.rng.uniform(2.0, 15.0))
    told.thing("bag", mass)
    tl.hold(tl.empty, 20.0)
    bag = _bag(tl, mass)
    tl.move(bag, 0.6, land=0.15)
    tl.hold(bag, 1200.0)


def empty_drift_hour(tl: Timeline, told: Told) -> None:
    tl.hold(tl.empty, 3600.0)


def day(tl: Timeline, told: Told) -> None:
    """A cat passes, a person sits then lies (one session with a short absence), stands, a bag."""
    cat_kg, bag_kg = float(tl.rng.uniform(3.0, 6.0)), float(tl.rng.uniform(4.0, 10.0))
    p = Person.pick(tl.layout, tl.rng, 75.0, 1.8)
    told.person(75.0, 1.8)
    told.thing("cat", cat_kg)
    told.thing("bag", bag_kg)
    told.breathing_bpm, told.breathing_bpm_end = p.bpm, p.bpm_end
    tl.hold(tl.empty, 30.0)
    _cat_visit(tl, cat_kg, 0.0)
    tl.hold(tl.empty, 60.0)
    lie_down(tl, p)
    tl.hold(p.lying(), 360.0)
    get_up(tl, p)
    tl.hold(tl.empty, 25.0)
    lie(tl, p.moved(tl.rng), 300.0)
    tl.hold(tl.empty, 180.0)
    standing(tl, Told())
    bag = _bag(tl, bag_kg)
    tl.move(bag, 0.6, land=0.15)
    tl.hold(bag, 300.0)
    tl.move(tl.empty, 0.5)
    tl.hold(tl.empty, 60.0)


def _spec(
    name: str, description: str, story: Story, sensor: SensorSpec | None = None
) -> ScenarioSpec:
    return ScenarioSpec(
        name, description, story, 0, lying_expected=False, sensor=sensor or SensorSpec()
    )


OTHER_SPECS: tuple[ScenarioSpec, ...] = (
    _spec("sitting", "sits cross-legged 3 min, then knees up 2 min", sitting),
    _spec("long_sitting", "sits 5 min with legs stretched along the mat", long_sitting),
    _spec("standing", "stands on both feet for 3 min", standing),
    _spec("one_foot", "stands on one foot, then the other, a minute each", one_foot),
    ScenarioSpec(
        "feet",
        "feet program: stands ~6 min, a minute on each foot",
        feet,
        1,
        lying_expected=False,
        program="feet",
    ),
    _spec("cat_nap", "a 3-6 kg cat walks on, naps curled up 20 min, walks off", cat_nap),
    _spec("bag_left", "a 2-15 kg bag put on one zone and left for 20 min", bag_left),
    _spec(
        "empty_drift_hour",
        "an empty mat for an hour while the zeros drift",
        empty_drift_hour,
        sensor=SensorSpec(drift_kg_per_h=2.5),
    ),
    ScenarioSpec(
        "day",
        "a cat passes, a person sits, lies (short absence), stands; a bag is left",
        day,
        1,
    ),
    *UPRIGHT_SPECS,
)
