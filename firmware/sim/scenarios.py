"""The scenario library and ``build``: named stories with their ground truth (pure).

``build`` runs the story with a seeded
generator, passes the true loads through the sensor model and returns a ``SimRun`` whose
truth follows the schema in docs/simulator.md. The stories live in ``lying_stories`` and
``other_stories``.
"""

from __future__ import annotations

import zlib
from typing import Any

import numpy as np

from firmware.errors import FirmwareError
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.sim import sensor
from firmware.sim.fault_stories import FAULT_SPECS
from firmware.sim.lying_stories import LYING_SPECS
from firmware.sim.other_stories import OTHER_SPECS
from firmware.sim.timeline import ScenarioSpec, SimRun, Timeline, Told

RATE_HZ = 10.0


class UnknownScenarioError(FirmwareError, KeyError):
    """No scenario by that name."""


def default_seed(name: str) -> int:
    """A scenario's own seed, stable across Python runs (unlike ``hash``)."""
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def build(name: str, layout: MatLayout | None = None, seed: int | None = None) -> SimRun:
    """Runs scenario ``name`` on ``layout`` (default: the scenario's own) with ``seed``."""
    if name not in SCENARIOS:
        raise UnknownScenarioError(name)
    return build_spec(SCENARIOS[name], layout, seed)


def build_spec(
    spec: ScenarioSpec,
    layout: MatLayout | None = None,
    seed: int | None = None,
    rate_hz: float | None = None,
) -> SimRun:
    """Runs any scenario spec (a library one, or one the detection sweep makes), sampled at
    ``rate_hz`` frames a second (None: ``RATE_HZ``, the boards' 10; 80 SPS boards, relays)."""
    rate_hz = RATE_HZ if rate_hz is None else rate_hz
    name = spec.name
    mat = layout or spec.layout or DEFAULT_LAYOUT
    seed = default_seed(name) if seed is None else seed
    rng = np.random.default_rng(seed)
    tl = Timeline(mat, rate_hz, rng)
    told = Told()
    spec.story(tl, told)
    true_kg = tl.loads()
    t = np.arange(len(true_kg)) / rate_hz
    dropouts = sensor.resolve_dropouts(spec.sensor.dropouts, true_kg, t)
    measured = sensor.apply(true_kg, t, spec.sensor, dropouts, rng)
    truth = _truth(spec, seed, tl, told, dropouts)
    return SimRun(name=name, layout=mat, rate_hz=rate_hz, truth=truth, loads_kg=measured)


def _r(x: float) -> float:
    return round(x, 3)


def _truth(
    spec: ScenarioSpec, seed: int, tl: Timeline, told: Told, dropouts: list[sensor.Dropout]
) -> dict[str, Any]:
    names = tl.layout.names
    return {
        "scenario": spec.name,
        "description": spec.description,
        "seed": seed,
        "duration_s": _r(tl.t),
        "subjects": told.subjects,
        "segments": [
            {**s, "from_t": _r(s["from_t"]), "to_t": _r(s["to_t"])} for s in _merged(tl.segments)
        ],
        "settled_t": [_r(x) for x in tl.settled_t],
        "left_t": [_r(x) for x in tl.left_t],
        "expected_sessions": spec.expected_sessions,
        "program": spec.program,
        "uneven": _spans(tl.uneven),
        "uneven_optional": _spans(tl.uneven_optional),
        "breathing_spans": _spans(tl.breathing),
        "faults": [
            {"zone": names[d.zone or 0], "from_t": _r(d.from_t), "to_t": _r(d.to_t)}
            for d in dropouts
        ],
        "breathing_bpm": None if told.breathing_bpm is None else _r(told.breathing_bpm),
        "breathing_bpm_end": None if told.breathing_bpm_end is None else _r(told.breathing_bpm_end),
        "lying_expected": spec.lying_expected,
    }


def _spans(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**u, "from_t": _r(u["from_t"]), "to_t": _r(u["to_t"])} for u in spans]


def _merged(segments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Joins neighbours with the same posture and detail (a hold split by the story)."""
    out: list[dict[str, Any]] = []
    for s in segments:
        last = out[-1] if out else None
        if last and (last["posture"], last["detail"]) == (s["posture"], s["detail"]):
            last["to_t"] = s["to_t"]
        else:
            out.append(dict(s))
    return out


SCENARIOS: dict[str, ScenarioSpec] = {
    spec.name: spec for spec in (*LYING_SPECS, *OTHER_SPECS, *FAULT_SPECS)
}
"""Every scenario by name."""
