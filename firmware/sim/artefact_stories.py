"""A lying person whose breathing signal is not always breathing: the abstention scenario (pure).

Real under-mattress and load-cell signals carry slow artefacts (a body's slow sway, a 4–8 /min
wander) that move load head to foot as breathing does, posture shifts that leave a step in the
window, and stretches where breathing is too shallow to see. Where one of them is the signal,
no rate is right: the truth's ``breathing_spans`` carry ``bpm_start: null`` there.
"""

from __future__ import annotations

from dataclasses import replace

from firmware.sim.bodies import BODIES
from firmware.sim.breathing import Wander
from firmware.sim.motion import Still
from firmware.sim.posture_stories import Spot, arrive, get_up_from, lie_down_into, lying_state
from firmware.sim.timeline import ScenarioSpec, Timeline, Told


def breathing_artefacts(tl: Timeline, told: Told) -> None:
    p = arrive(tl, told, BODIES["mid_man"], Spot(0.05, 0.0))
    clean = lying_state(p, "supine")
    swing_kg = p.breathing().pp_kg

    def variant(detail: str, *, breathing: bool = True, wander: Wander | None = None) -> Still:
        return replace(
            clean,
            detail=f"lying supine, {detail}",
            breathing=clean.breathing if breathing else None,
            wander=wander,
        )

    shifted = replace(
        lying_state(replace(p, head_y_m=p.head_y_m + 0.03, dx_m=p.dx_m + 0.02), "supine"),
        detail="lying supine, shifted 3 cm",
    )
    lie_down_into(tl, p, clean)
    tl.hold(clean, 100.0)
    tl.hold(variant("a 4-8 /min wander", wander=Wander(4.0, 8.0, 4 * swing_kg)), 120.0)
    tl.hold(clean, 60.0)
    tl.move(shifted, 2.0)  # a posture shift, small enough to pass for stillness
    tl.hold(shifted, 90.0)
    tl.hold(variant("breathing too shallow to see", breathing=False), 120.0)
    tl.hold(variant("slow sway, no breathing seen", breathing=False,
                    wander=Wander(1.0, 3.0, 6 * swing_kg)), 120.0)  # fmt: skip
    tl.hold(clean, 90.0)
    get_up_from(tl, p)
    tl.hold(tl.empty, 10.0)


ARTEFACT_SPECS: tuple[ScenarioSpec, ...] = (
    ScenarioSpec(
        "breathing_artefacts",
        "lies 12 min: clean breathing, a 4-8 /min wander, a posture shift, breathing too shallow"
        " to see, a slow sway",
        breathing_artefacts,
        1,
    ),
)
