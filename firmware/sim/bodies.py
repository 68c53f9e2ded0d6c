"""The people of the posture scenarios and the detection sweep: sizes and pressure styles (pure).

Sizes span the US Army's ANSUR II survey (Gordon et al., *2012 Anthropometric Survey of U.S.
Army Personnel*, NATICK/TR-15/007, 2014; FACTS.md, approximate): stature from ≈1.52 m (5th
percentile women) to ≈1.87 m (95th percentile men), mass from ≈50 to ≈110 kg. The two middle
bodies are interpolated between those ends, not percentiles; ``light_short`` is the 1.55 m,
46 kg person the issue names. Each body either has a pressure style of its own (``heavy_upper``:
half the on-mat load in the head-end third, light legs) or draws a typical one per run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from firmware.sim.posture import PressureStyle

# A heavy upper body on a pressure mat: the upper third of the mat carries ~50 % of the on-mat
# load and the lower third 10–14 % (the two such people); thighs and calves read half.
HEAVY_UPPER = PressureStyle(soft_read=0.5, thigh_read=0.5, upper_bias=1.0)


@dataclass(frozen=True, slots=True)
class BodySpec:
    """A person's size and, if fixed, the pressure style their body shows on a mat."""

    name: str
    mass_kg: float
    height_m: float
    style: PressureStyle | None = None  # None: a typical style drawn per run

    def style_for(self, rng: np.random.Generator) -> PressureStyle:
        return self.style if self.style is not None else typical_style(rng)


def typical_style(rng: np.random.Generator) -> PressureStyle:
    """A pressure map between the textbook and a heavy upper body: arms and calves read
    60–100 % of their weight, thighs 75–100 %, up to 60 % of the lumbar load at the shoulders."""
    return PressureStyle(
        soft_read=float(rng.uniform(0.6, 1.0)),
        thigh_read=float(rng.uniform(0.75, 1.0)),
        upper_bias=float(rng.uniform(0.0, 0.6)),
    )


BODIES: dict[str, BodySpec] = {
    b.name: b
    for b in (
        BodySpec("p5_woman", 50.0, 1.52),
        BodySpec("light_short", 46.0, 1.55),
        BodySpec("mid_woman", 65.0, 1.63),
        BodySpec("mid_man", 85.0, 1.76),
        BodySpec("p95_man", 110.0, 1.87),
        BodySpec("heavy_upper", 95.0, 1.80, HEAVY_UPPER),
    )
}
