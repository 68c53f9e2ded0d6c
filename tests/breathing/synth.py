"""A small synthetic lying person for the breathing tests, independent of firmware.sim (pure).

A body-shaped static load over the zones; per breath a fast inspiration (a sine rise over
30–45 % of the cycle) and an exponential expiration, with breath-to-breath variability in
interval (CV ~8 %), depth and shape. Head-end and foot-end zones move in anti-phase in
proportion to their load and their distance from the centre of pressure. On top: white noise
per zone, a slow zero drift, optional spikes, dropped zones, irregular frame times and a
movement (a roll to one side) during which the person is not lying still.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Subject:
    """What to synthesise: rate, depth, sensor noise, timing and accidents."""

    bpm: float
    duration_s: float = 150.0
    rate_hz: float = 10.0
    mass_on_mat_kg: float = 48.0
    pp_kg: float = 0.075  # swing of the most moving cell, peak to peak
    noise_kg: float = 0.02
    drift_kg_per_h: float = 0.5
    variability: float = 0.08
    timing_jitter: float = 0.0  # fraction of a frame interval
    frame_loss: float = 0.0  # fraction of frames that never arrive
    spikes: int = 0
    dropout: tuple[float, float, int] | None = None  # from_s, to_s, zone
    movement: tuple[float, float] | None = None  # from_s, to_s
    seed: int = 0
    extra: dict[str, float] = field(default_factory=dict)


def frame_times(s: Subject, rng: np.random.Generator) -> FloatArray:
    n = int(s.duration_s * s.rate_hz)
    t = np.arange(n) / s.rate_hz
    t = t + rng.uniform(-s.timing_jitter, s.timing_jitter, n) / (2 * s.rate_hz)
    keep = rng.random(n) >= s.frame_loss
    result: FloatArray = np.sort(t[keep]) + 100.0
    return result


def lung_volume(t_s: FloatArray, s: Subject, rng: np.random.Generator) -> FloatArray:
    """Volume in about [0, 1] per time: breaths with jittered length, depth and shape."""
    start, stop = float(t_s[0]), float(t_s[-1])
    onset = start - rng.uniform(0.0, 60.0 / s.bpm)
    out = np.zeros_like(t_s)
    while onset <= stop:
        period = 60.0 / s.bpm * float(np.clip(rng.normal(1.0, s.variability), 0.7, 1.3))
        depth = float(rng.uniform(0.85, 1.15))
        rise = float(rng.uniform(0.30, 0.45))
        tau = float(rng.uniform(0.10, 0.20))
        phase = (t_s - onset) / period
        mine = (phase >= 0) & (phase < 1)
        p = phase[mine]
        out[mine] = depth * np.where(
            p < rise, np.sin(np.pi / 2 * p / rise) ** 2, np.exp(-(p - rise) / tau)
        )
        onset += period
    return out


def base_loads(layout: MatLayout, mass_kg: float) -> FloatArray:
    """A lying body's load per zone: trunk-heavy, centred a little above the mat's middle."""
    y = np.array([z.y_m for z in layout.zones])
    x = np.array([z.x_m for z in layout.zones])
    along = np.exp(-(((y - 0.45 * layout.length_m) / (0.4 * layout.length_m)) ** 2))
    across = np.exp(-(((x - layout.width_m / 2) / (0.6 * layout.width_m)) ** 2))
    share = along * across
    result: FloatArray = mass_kg * share / share.sum()
    return result


def swing(layout: MatLayout, base_kg: FloatArray) -> FloatArray:
    """Per zone, its share of a breath: anti-phase about the centre of pressure, sum 0."""
    y = np.array([z.y_m for z in layout.zones])
    cop = float((y * base_kg).sum() / base_kg.sum())
    raw = (y - cop) * base_kg
    raw -= base_kg * raw.sum() / base_kg.sum()
    result: FloatArray = raw / np.abs(raw).max()
    return result


def drift(t_s: FloatArray, zones: int, s: Subject, rng: np.random.Generator) -> FloatArray:
    rate_kg_s = s.drift_kg_per_h / 3600.0
    slope = rng.uniform(-1, 1, zones) * rate_kg_s
    walk = np.cumsum(rng.normal(0, rate_kg_s * 3, (len(t_s), zones)), axis=0) / np.sqrt(
        max(s.rate_hz, 1.0)
    )
    result: FloatArray = np.outer(t_s - t_s[0], slope) + walk
    return result


def synthesise(layout: MatLayout, s: Subject) -> list[tuple[ZoneFrame, bool]]:
    """Frames with the ``lying_still`` flag the core would give for each."""
    rng = np.random.default_rng(s.seed)
    t = frame_times(s, rng)
    base = base_loads(layout, s.mass_on_mat_kg)
    volume = lung_volume(t, s, rng)
    loads = base[None, :] + np.outer(volume - 0.5, swing(layout, base) * s.pp_kg)
    loads += rng.normal(0, s.noise_kg, loads.shape) + drift(t, len(base), s, rng)
    still = np.ones(len(t), dtype=bool)
    if s.movement is not None:
        moving = (t - t[0] >= s.movement[0]) & (t - t[0] < s.movement[1])
        roll = np.sin(np.pi * (t[moving] - t[moving][0]) / max(s.movement[1] - s.movement[0], 1))
        loads[moving] += np.outer(roll, rng.normal(0, 3.0, len(base)))
        still[moving] = False
    for _ in range(s.spikes):
        loads[rng.integers(len(t)), rng.integers(len(base))] += rng.choice([-1, 1]) * 5.0
    out: list[tuple[ZoneFrame, bool]] = []
    for i, ti in enumerate(t.tolist()):
        row: list[float | None] = list(loads[i].tolist())
        if s.dropout is not None and s.dropout[0] <= ti - t[0] < s.dropout[1]:
            row[s.dropout[2]] = None
        out.append((ZoneFrame(t=ti, load_kg=tuple(row)), bool(still[i])))
    return out
