"""Scenarios in which a person lies down for a session: the library's lying half (pure).

Each story waits a little on an empty mat, brings a person on, and tells what happens; the
spec says how many sessions a correct controller records. Body sizes stay inside the issue's
range (40–150 kg, 1.45–2.0 m).
"""

from __future__ import annotations

from firmware.layout import MatLayout
from firmware.sim.artefact_stories import ARTEFACT_SPECS
from firmware.sim.posture_stories import POSTURE_SPECS
from firmware.sim.routines import Person, get_up, lie, lie_down, shifted
from firmware.sim.sensor import Dropout, SensorSpec
from firmware.sim.timeline import ScenarioSpec, Story, Timeline, Told

GRID_2X4 = MatLayout.grid(2, 4, 0.6, 1.8)
GRID_3X3 = MatLayout.grid(3, 3, 0.5, 1.3)
UNEVEN = 0.38  # clearly over the 0.20 alert threshold, inside the 0.3–0.5


def _arrive(tl: Timeline, told: Told, mass_kg: float, height_m: float, fixed: bool) -> Person:
    p = Person.pick(tl.layout, tl.rng, mass_kg, height_m)
    if fixed:  # a stated breathing rate stays put
        p = Person(p.layout, p.body, p.head_y_m, p.dx_m, p.bpm, p.bpm)
    told.person(round(mass_kg, 1), round(height_m, 3))
    told.breathing_bpm, told.breathing_bpm_end = p.bpm, p.bpm_end
    tl.hold(tl.empty, float(tl.rng.uniform(15.0, 25.0)))
    return p


def session(
    mass_kg: tuple[float, float], height_m: float, lie_s: float, bpm: float | None = None
) -> Story:
    """One visit: lie down, stay ``lie_s``, get up, and a little empty mat after."""

    def story(tl: Timeline, told: Told) -> None:
        p = _arrive(tl, told, float(tl.rng.uniform(*mass_kg)), height_m, bpm is not None)
        if bpm is not None:
            p = Person(p.layout, p.body, p.head_y_m, p.dx_m, bpm, bpm)
            told.breathing_bpm = told.breathing_bpm_end = bpm
        lie(tl, p, lie_s)
        tl.hold(tl.empty, 20.0)

    return story


def hips_lift(tl: Timeline, told: Told) -> None:
    p = _arrive(tl, told, 70.0, 1.75, fixed=True)
    lie_down(tl, p)
    for stay_s in (180.0, 120.0):
        tl.hold(p.lying(), stay_s)
        tl.move(p.bridge(), 1.2)
        tl.hold(p.bridge(), float(tl.rng.uniform(4.0, 6.0)))
        tl.move(p.lying(), 1.2, land=0.05)
    tl.hold(p.lying(), 150.0)
    get_up(tl, p)
    tl.hold(tl.empty, 20.0)


def absence(away_s: float) -> Story:
    """Lies 5 min, leaves for ``away_s``, comes back and lies 5 min more."""

    def story(tl: Timeline, told: Told) -> None:
        p = _arrive(tl, told, 70.0, 1.75, fixed=True)
        lie(tl, p, 300.0)
        tl.hold(tl.empty, away_s)
        lie(tl, p.moved(tl.rng), 300.0)
        tl.hold(tl.empty, 20.0)

    return story


def shift(side: str) -> Story:
    def story(tl: Timeline, told: Told) -> None:
        p = _arrive(tl, told, 70.0, 1.75, fixed=False)
        lie_down(tl, p)
        tl.hold(p.lying(), 120.0)
        shifted(tl, p, UNEVEN if side == "right" else -UNEVEN, 240.0, side)
        tl.hold(p.lying(), 180.0)
        get_up(tl, p)
        tl.hold(tl.empty, 20.0)

    return story


def natural_asymmetry(tl: Timeline, told: Told) -> None:
    p = _arrive(tl, told, 70.0, 1.75, fixed=False)
    target = float(tl.rng.uniform(0.03, 0.06)) * float(tl.rng.choice([-1.0, 1.0]))
    lying = p.lying(shift_m=p.shift_for(target), detail="lying supine, a little asymmetric")
    lie(tl, p, 600.0, lying=lying)
    tl.hold(tl.empty, 20.0)


def sit_then_lie(tl: Timeline, told: Told) -> None:
    p = _arrive(tl, told, 70.0, 1.75, fixed=False)
    tl.move(p.standing(), 1.0, land=0.08)
    tl.hold(p.standing(), 3.0)
    tl.move(p.sitting("cross_legged"), 2.0, land=0.12)
    tl.hold(p.sitting("cross_legged"), 120.0)
    tl.move(p.sitting(), 2.0)
    tl.move(p.lying(), 3.0, land=0.06)
    tl.mark_settled()
    tl.hold(p.lying(), 480.0)
    get_up(tl, p)
    tl.hold(tl.empty, 20.0)


def _spec(
    name: str,
    description: str,
    story: Story,
    sessions: int = 1,
    *,
    layout: MatLayout | None = None,
    sensor: SensorSpec | None = None,
) -> ScenarioSpec:
    return ScenarioSpec(
        name, description, story, sessions, layout=layout, sensor=sensor or SensorSpec()
    )


LYING_SPECS: tuple[ScenarioSpec, ...] = (
    _spec("relax_session", "70 kg, 1.75 m lies 21 min and gets up", session((70, 70), 1.75, 1260)),
    _spec("heavy_tall", "130-150 kg, 1.95 m lies 10 min", session((130, 150), 1.95, 600)),
    _spec("light_short", "40-45 kg, 1.50 m lies 10 min", session((40, 45), 1.50, 600)),
    _spec("hips_lift", "lies 8 min, lifts the hips (bridge) ~5 s twice", hips_lift),
    _spec("short_absence", "lies 5 min, away ~30 s, lies 5 min: one session", absence(30.0)),
    _spec("long_absence", "lies 5 min, away 150 s, lies 5 min: two sessions", absence(150.0), 2),
    _spec("shift_left", "lies, shifts to the left for 4 min, centres", shift("left")),
    _spec("shift_right", "lies, shifts to the right for 4 min, centres", shift("right")),
    _spec("natural_asymmetry", "lies 10 min with 3-6 % left/right asymmetry", natural_asymmetry),
    _spec(
        "zone_dropout",
        "lies 6 min; the most loaded zone reads nothing for 20 s",
        session((70, 70), 1.75, 360),
        sensor=SensorSpec(dropouts=(Dropout(200.0, 220.0),)),
    ),
    _spec("sit_then_lie", "sits cross-legged 2 min, then lies 8 min", sit_then_lie),
    _spec("breathing_slow", "lies 6 min breathing 6 per minute", session((70, 70), 1.75, 360, 6)),
    _spec("breathing_fast", "lies 6 min breathing 30 per minute", session((70, 70), 1.75, 360, 30)),
    _spec(
        "spikes",
        "lies 8 min while the cells throw ~2 single-sample spikes a minute",
        session((70, 70), 1.75, 480),
        sensor=SensorSpec(spikes_per_hour=120.0),
    ),
    _spec(
        "relax_2x4",
        "relax_session (10 min) on a 2 x 4 grid, 0.6 x 1.8 m",
        session((70, 70), 1.75, 600),
        layout=GRID_2X4,
    ),
    _spec(
        "short_absence_3x3",
        "short_absence on a 3 x 3 grid, 0.5 x 1.3 m",
        absence(30.0),
        layout=GRID_3X3,
    ),
    _spec(
        "shift_left_2x4", "shift_left on a 2 x 4 grid, 0.6 x 1.8 m", shift("left"), layout=GRID_2X4
    ),
    *POSTURE_SPECS,
    *ARTEFACT_SPECS,
)
