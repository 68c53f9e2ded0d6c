"""What moves: body states rendered over time, postural sway, transitions and landings (pure).

A state renders ``len(t) × Z`` kg for a stretch of time: ``Still`` (lying, sitting, a bag,
a napping cat; with breathing and a little wobble), ``Swaying`` (standing: the centre of
pressure wanders at 2–4 cm/s over the footprint, Santos & Duarte) and ``Walking`` (a cat
crossing the mat). Transitions blend two load distributions with a smoothstep; when weight
lands, the total force overshoots by ~10 % and rings down at a few hertz.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from firmware.layout import MatLayout
from firmware.sim import breathing as breath
from firmware.sim.body import FloatArray, Pose, pose_imbalance, zone_fractions, zone_loads

LANDING_FREQ_HZ = 2.5
LANDING_TAU_S = 0.35


class State(Protocol):
    """Something on the mat for a while; ``posture`` and ``detail`` are its ground truth."""

    @property
    def posture(self) -> str: ...

    @property
    def detail(self) -> str: ...

    def mean_kg(self) -> FloatArray: ...

    def render(self, t_s: FloatArray, rng: np.random.Generator) -> FloatArray: ...


def smooth_noise(n: int, rate_hz: float, tau_s: float, rng: np.random.Generator) -> FloatArray:
    """Unit-variance noise low-passed at 1/(2π τ), by shaping a white spectrum (vectorised)."""
    if n < 2:
        return np.zeros(n)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, d=1.0 / rate_hz)
    spectrum *= 1.0 / (1.0 + (2 * np.pi * f * tau_s) ** 2)
    spectrum[0] = 0.0
    out = np.fft.irfft(spectrum, n)
    std = float(out.std())
    result: FloatArray = out / std if std > 0 else out
    return result


def landing(t_s: FloatArray, amplitude: float) -> FloatArray:
    """Multiplier on the total force after weight lands: a damped ring starting upwards."""
    ring = np.exp(-t_s / LANDING_TAU_S) * np.sin(2 * np.pi * LANDING_FREQ_HZ * t_s)
    result: FloatArray = 1.0 + amplitude * ring
    return result


def blend(
    start_kg: FloatArray, end_kg: FloatArray, t_s: FloatArray, duration_s: float
) -> FloatArray:
    """A smoothstep from one load distribution to another over ``duration_s``."""
    x = np.clip(t_s / max(duration_s, 1e-9), 0.0, 1.0)
    s = x * x * (3 - 2 * x)
    result: FloatArray = start_kg[None, :] + s[:, None] * (end_kg - start_kg)[None, :]
    return result


def _path_speed(path_m: FloatArray, rate_hz: float) -> float:
    return float(np.hypot(*np.diff(path_m, axis=0).T).mean() * rate_hz)


def sway_path(
    n: int, rate_hz: float, spread_m: float, speed_m_s: float, rng: np.random.Generator
) -> FloatArray:
    """n × 2 centre-of-pressure offsets (across, along): a slow drift of ``spread_m`` plus a
    fast jitter sized so the mean path speed is ``speed_m_s`` (a slow wander alone would need
    centimetres of travel to reach 2–4 cm/s; real sway is small and busy)."""
    slow = np.column_stack([smooth_noise(n, rate_hz, 2.0, rng) for _ in range(2)]) * spread_m
    fast = np.column_stack([smooth_noise(n, rate_hz, 0.1, rng) for _ in range(2)])
    if n < 3:
        return slow
    lo, hi = 0.0, speed_m_s
    for _ in range(30):  # speed grows with the jitter's size: bisect for the target
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _path_speed(slow + mid * fast, rate_hz) < speed_m_s else (lo, mid)
    result: FloatArray = slow + lo * fast
    return result


def _rate(t_s: FloatArray) -> float:
    return 1.0 / float(t_s[1] - t_s[0]) if len(t_s) > 1 else 10.0


@dataclass(frozen=True)
class Still:
    """A load that stays put, with optional breathing and wobble (load moving between zones)."""

    layout: MatLayout
    loads_kg: FloatArray
    posture: str
    detail: str
    breathing: breath.Breathing | None = None
    wobble: float = 0.0
    wander: breath.Wander | None = None
    true_imbalance: float = 0.0  # the pose's own left/right split (``body.pose_imbalance``)

    def mean_kg(self) -> FloatArray:
        return self.loads_kg

    def render(self, t_s: FloatArray, rng: np.random.Generator) -> FloatArray:
        out = np.tile(self.loads_kg, (len(t_s), 1))
        if self.wobble > 0 and len(t_s) > 1:
            rate = _rate(t_s)
            noise = np.column_stack(
                [smooth_noise(len(t_s), rate, 0.8, rng) for _ in range(out.shape[1])]
            )
            moved = out * (1 + self.wobble * noise)
            total = moved.sum(axis=1, keepdims=True)
            out = moved * (out.sum(axis=1, keepdims=True) / np.where(total == 0, 1, total))
        if self.breathing is not None:
            out = out + breath.render(self.layout, self.loads_kg, t_s, self.breathing, rng)
        if self.wander is not None:
            out = out + breath.render_wander(self.layout, self.loads_kg, t_s, self.wander, rng)
        result: FloatArray = out
        return result


def still_pose(
    layout: MatLayout,
    pose: Pose,
    posture: str,
    detail: str,
    *,
    breathing: breath.Breathing | None = None,
    wobble: float = 0.0,
    wander: breath.Wander | None = None,
) -> Still:
    """A ``Still`` state from a pose's loads on this layout."""
    loads_kg = zone_loads(layout, pose)
    balance = pose_imbalance(layout, pose)
    return Still(layout, loads_kg, posture, detail, breathing, wobble, wander, balance)


@dataclass(frozen=True)
class Swaying:
    """Standing: the footprint's load tilts as the centre of pressure wanders."""

    layout: MatLayout
    footprint: Pose
    speed_m_s: float
    spread_m: float = 0.008  # slow drift of the centre of pressure (sway area 11–23 cm²)
    posture: str = "standing"
    detail: str = "standing on both feet"
    force_ripple: float = 0.01  # vertical force fluctuation, fraction of body weight
    _fractions: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_fractions", zone_fractions(self.layout, self.footprint.rects_m))

    def mean_kg(self) -> FloatArray:
        loads: FloatArray = self.footprint.masses_kg @ self._fractions
        return loads

    def render(self, t_s: FloatArray, rng: np.random.Generator) -> FloatArray:
        n, rate = len(t_s), _rate(t_s)
        cop = sway_path(n, rate, self.spread_m, self.speed_m_s, rng)
        m = self.footprint.masses_kg
        cx, cy = self.footprint.centre_m()
        rects = self.footprint.rects_m
        u = (rects[:, 0] + rects[:, 2]) / 2 - cx
        v = (rects[:, 1] + rects[:, 3]) / 2 - cy
        # Tilt each part's share linearly so the centre of pressure lands on the sway path.
        ax = cop[:, 0] * m.sum() / max(float((m * u * u).sum()), 1e-12)
        ay = cop[:, 1] * m.sum() / max(float((m * v * v).sum()), 1e-12)
        w = np.clip(m[None, :] * (1 + ax[:, None] * u[None, :] + ay[:, None] * v[None, :]), 0, None)
        w *= (m.sum() / w.sum(axis=1))[:, None]
        w *= (1 + self.force_ripple * smooth_noise(n, rate, 0.3, rng))[:, None]
        result: FloatArray = w @ self._fractions
        return result


@dataclass(frozen=True)
class Walking:
    """A small animal walking through waypoints (metres) at a steady pace; off-mat is free."""

    layout: MatLayout
    mass_kg: float
    path_m: tuple[tuple[float, float], ...]
    speed_m_s: float = 0.35
    size_m: tuple[float, float] = (0.14, 0.45)
    posture: str = "empty"
    detail: str = "cat walking"

    @property
    def duration_s(self) -> float:
        steps = np.diff(np.array(self.path_m), axis=0)
        return float(np.hypot(steps[:, 0], steps[:, 1]).sum() / self.speed_m_s)

    def mean_kg(self) -> FloatArray:
        """The load where the walk starts (what a transition into walking blends to)."""
        (x, y), (w, length) = self.path_m[0], self.size_m
        rect = np.array([x - w / 2, y - length / 2, x + w / 2, y + length / 2])
        loads: FloatArray = self.mass_kg * zone_fractions(self.layout, rect)
        return loads

    def render(self, t_s: FloatArray, rng: np.random.Generator) -> FloatArray:
        path = np.array(self.path_m)
        dist = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(path, axis=0).T))])
        travelled = np.clip((t_s - t_s[0]) * self.speed_m_s, 0.0, dist[-1])
        x, y = np.interp(travelled, dist, path[:, 0]), np.interp(travelled, dist, path[:, 1])
        w, length = self.size_m
        rects = np.column_stack([x - w / 2, y - length / 2, x + w / 2, y + length / 2])
        gait = 1 + 0.12 * np.sin(2 * np.pi * 1.8 * (t_s - t_s[0]) + rng.uniform(0, 2 * np.pi))
        result: FloatArray = self.mass_kg * gait[:, None] * zone_fractions(self.layout, rects)
        return result
