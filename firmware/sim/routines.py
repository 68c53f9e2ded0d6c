"""A person on the mat and the moves scenarios are made of: lie down, get up, shift, stand (pure).

``Person`` picks where it lies (head 0–0.3 m from the head end, up to 2 cm off-centre) and how
it breathes, from the run's generator, and hands out its states on a given layout. The
routines append to a ``Timeline`` the way people do it: stepping on, standing, sitting down,
lying back over 4–10 s, weight landing with a small overshoot; getting up in reverse.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from firmware.layout import MatLayout
from firmware.sim.body import HIP_FROM_VERTEX, Body, Pose, pose_imbalance
from firmware.sim.breathing import Breathing
from firmware.sim.motion import Still, Swaying, still_pose
from firmware.sim.posture import TEXTBOOK, Placement, PressureStyle, place
from firmware.sim.timeline import Timeline

# Standing on foam: centre-of-pressure speed 2.2–4.2 cm/s (Santos & Duarte); one foot: more.
STAND_SPEED_M_S = 0.03
ONE_FOOT_SPEED_M_S = 0.06


@dataclass(frozen=True)
class Person:
    layout: MatLayout
    body: Body
    head_y_m: float
    dx_m: float
    bpm: float
    bpm_end: float
    style: PressureStyle = TEXTBOOK

    @classmethod
    def pick(
        cls, layout: MatLayout, rng: np.random.Generator, mass_kg: float, height_m: float
    ) -> Person:
        bpm = float(rng.uniform(10.0, 16.0))
        return cls(
            layout,
            Body(mass_kg, height_m),
            head_y_m=float(rng.uniform(0.0, 0.3)),
            dx_m=float(rng.uniform(-0.02, 0.02)),
            bpm=bpm,
            bpm_end=bpm * float(rng.uniform(0.75, 0.9)),
        )

    def moved(self, rng: np.random.Generator) -> Person:
        """The same person lying down again, a little elsewhere."""
        return replace(
            self, head_y_m=float(rng.uniform(0.0, 0.3)), dx_m=float(rng.uniform(-0.02, 0.02))
        )

    @property
    def _seat(self) -> Placement:
        return Placement(self.centre_x, self.head_y_m + HIP_FROM_VERTEX * self.body.height_m)

    @property
    def centre_x(self) -> float:
        return self.layout.width_m / 2 + self.dx_m

    def breathing(self, bpm: float | None = None, bpm_end: float | None = None) -> Breathing:
        start = self.bpm if bpm is None else bpm
        end = self.bpm_end if bpm_end is None else bpm_end
        return Breathing(start, end, pp_kg=0.075 * self.body.mass_kg / 70.0)

    def supine(self, shift_m: float = 0.0) -> Pose:
        at = Placement(self.centre_x + shift_m, self.head_y_m)
        return place(self.body, "supine", at, self.style)

    def lying(
        self, breathing: Breathing | None = None, shift_m: float = 0.0, detail: str = "lying supine"
    ) -> Still:
        b = breathing or self.breathing()
        return still_pose(self.layout, self.supine(shift_m), "lying", detail, breathing=b)

    def bridge(self) -> Still:
        pose = place(self.body, "bridge", Placement(self.centre_x, self.head_y_m))
        return still_pose(self.layout, pose, "lying", "hips lifted", wobble=0.01)

    def sitting(self, shape: str = "knees_up", at: Placement | None = None) -> Still:
        pose = place(self.body, shape, at or self._seat)
        detail = "sitting " + shape.replace("_", " ")
        b = self.breathing(self.bpm, self.bpm) if shape == "long_sitting" else None
        return still_pose(self.layout, pose, "sitting", detail, breathing=b, wobble=0.006)

    def standing(self, at: Placement | None = None, one_foot: bool = False) -> Swaying:
        spot = at or Placement(self.centre_x, self._seat.y_m + 0.05)
        pose = place(self.body, "one_foot" if one_foot else "standing", spot)
        if one_foot:
            return Swaying(
                self.layout, pose, ONE_FOOT_SPEED_M_S, 0.015, detail="standing on one foot"
            )
        return Swaying(self.layout, pose, STAND_SPEED_M_S)

    def shift_for(self, target: float) -> float:
        """The sideways shift (m) that gives imbalance ``target`` on this layout (or the most)."""
        sign = 1.0 if target > 0 else -1.0
        lo, hi = 0.0, self.layout.width_m / 2
        for _ in range(40):
            mid = (lo + hi) / 2
            imb = pose_imbalance(self.layout, self.supine(sign * mid))
            lo, hi = (mid, hi) if sign * imb < abs(target) else (lo, mid)
        return sign * lo


def lie_down(tl: Timeline, p: Person, lying: Still | None = None) -> None:
    """Step on, stand, sit down, lie back; marks the moment the person is lying still."""
    rng = tl.rng
    tl.move(p.standing(), float(rng.uniform(0.8, 1.2)), land=0.08)
    tl.hold(p.standing(), float(rng.uniform(2.0, 4.0)))
    tl.move(p.sitting(), float(rng.uniform(1.5, 2.5)), land=0.12)
    tl.hold(p.sitting(), float(rng.uniform(1.0, 2.0)))
    tl.move(lying or p.lying(), float(rng.uniform(2.0, 3.5)), land=0.06)
    tl.mark_settled()


def get_up(tl: Timeline, p: Person) -> None:
    """Sit up, stand up, step off; marks the moment the weight left the mat."""
    rng = tl.rng
    tl.move(p.sitting(), float(rng.uniform(2.0, 3.0)), land=0.05)
    tl.hold(p.sitting(), float(rng.uniform(1.0, 2.0)))
    tl.move(p.standing(), float(rng.uniform(1.5, 2.5)), land=0.05)
    tl.hold(p.standing(), float(rng.uniform(1.0, 3.0)))
    tl.move(tl.empty, float(rng.uniform(0.8, 1.2)))
    tl.mark_left()


def lie(tl: Timeline, p: Person, duration_s: float, lying: Still | None = None) -> None:
    """A whole visit: lie down, stay ``duration_s``, get up."""
    lie_down(tl, p, lying)
    tl.hold(lying or p.lying(), duration_s)
    get_up(tl, p)


def shifted(tl: Timeline, p: Person, target: float, duration_s: float, side: str) -> None:
    """Slides sideways to imbalance ``target``, stays, slides back (an uneven interval)."""
    shift = p.shift_for(target)
    aside = p.lying(shift_m=shift, detail=f"lying shifted to the {side}")
    tl.move(aside, 3.0)
    tl.hold(aside, duration_s)  # marks itself uneven
    tl.move(p.lying(), 3.0)
