"""What the load cells add to the true load: noise, spikes, zero drift and dropouts (pure).

White noise of ~10–30 g per zone; rare single-sample spikes of several kg (a bit error, a
knock); a slow temperature-like zero drift per zone (a shared component plus each cell's own,
up to a few kg per hour); dropped zones, which read ``NaN`` (``null`` in a frame file)
for a while and then come back; and failing cells (moisture in the gauge, a cracked bond, a
loose mounting) that drift by kg per minute, in range, then stay where they got. All random
parts from the run's seeded generator (a failing cell's ramp draws nothing from it, so adding
one leaves the rest of a run as it was).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from firmware.sim.body import FloatArray

_DRIFT_KNOT_S = 120.0


@dataclass(frozen=True, slots=True)
class Dropout:
    """A zone with no reading from ``from_t`` to ``to_t``; ``zone`` None = the most loaded one."""

    from_t: float
    to_t: float
    zone: int | None = None


@dataclass(frozen=True, slots=True)
class CellDrift:
    """Zone ``zone`` reads ``kg_per_min`` more each minute (negative: less) from ``from_t`` to
    ``to_t``, then keeps the offset it reached: a failing cell, not temperature."""

    zone: int
    from_t: float
    to_t: float
    kg_per_min: float


@dataclass(frozen=True, slots=True)
class SensorSpec:
    noise_kg: float = 0.02
    spikes_per_hour: float = 1.0  # over the whole mat
    spike_kg: tuple[float, float] = (3.0, 8.0)
    drift_kg_per_h: float = 0.4
    dropouts: tuple[Dropout, ...] = ()
    cell_drifts: tuple[CellDrift, ...] = ()


def drift(t_s: FloatArray, zones: int, rate_kg_h: float, rng: np.random.Generator) -> FloatArray:
    """len(t) × Z zero drift: a slope per zone plus a random walk, half of it shared."""
    if rate_kg_h <= 0 or len(t_s) == 0:
        return np.zeros((len(t_s), zones))
    knots = np.arange(0.0, float(t_s[-1]) + 2 * _DRIFT_KNOT_S, _DRIFT_KNOT_S)
    step_kg = rate_kg_h * _DRIFT_KNOT_S / 3600.0
    shared = np.cumsum(rng.normal(0.0, step_kg / 2, len(knots)))
    own = np.cumsum(rng.normal(0.0, step_kg / 2, (len(knots), zones)), axis=0)
    slope_kg_s = rng.uniform(-0.5, 0.5, zones) * rate_kg_h / 3600.0
    walk = shared[:, None] + own
    walk -= walk[0]
    out = np.column_stack([np.interp(t_s, knots, walk[:, z]) for z in range(zones)])
    result: FloatArray = out + np.outer(t_s - t_s[0], slope_kg_s)
    return result


def spikes(t_s: FloatArray, zones: int, spec: SensorSpec, rng: np.random.Generator) -> FloatArray:
    """len(t) × Z with a few single-sample spikes of several kg, either sign."""
    out = np.zeros((len(t_s), zones))
    hours = (float(t_s[-1] - t_s[0]) if len(t_s) else 0.0) / 3600.0
    count = int(rng.poisson(spec.spikes_per_hour * hours))
    rows = rng.integers(0, max(len(t_s), 1), count)
    cols = rng.integers(0, zones, count)
    sign = rng.choice(np.array([-1.0, 1.0]), count, p=[0.3, 0.7])
    out[rows, cols] = sign * rng.uniform(*spec.spike_kg, count)
    return out


def resolve_dropouts(
    dropouts: tuple[Dropout, ...], true_kg: FloatArray, t_s: FloatArray
) -> list[Dropout]:
    """Fills in ``zone`` for dropouts that name none: the zone carrying most when it starts."""
    resolved = []
    for d in dropouts:
        zone = d.zone
        if zone is None:
            row = int(np.clip(np.searchsorted(t_s, d.from_t), 0, len(t_s) - 1))
            zone = int(np.argmax(true_kg[row]))
        resolved.append(Dropout(d.from_t, d.to_t, zone))
    return resolved


def apply(
    true_kg: FloatArray,
    t_s: FloatArray,
    spec: SensorSpec,
    dropouts: list[Dropout],
    rng: np.random.Generator,
) -> FloatArray:
    """Measured kg (len(t) × Z, NaN where a zone has no reading)."""
    n, zones = true_kg.shape
    out = true_kg + rng.normal(0.0, spec.noise_kg, (n, zones))
    out += drift(t_s, zones, spec.drift_kg_per_h, rng)
    out += spikes(t_s, zones, spec, rng)
    for c in spec.cell_drifts:
        out[:, c.zone] += np.clip(t_s - c.from_t, 0.0, c.to_t - c.from_t) * c.kg_per_min / 60.0
    for d in dropouts:
        out[(t_s >= d.from_t) & (t_s < d.to_t), d.zone] = np.nan
    result: FloatArray = out
    return result
