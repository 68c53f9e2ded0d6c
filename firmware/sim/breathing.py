"""Breathing as the load cells see it: a head-to-foot shift of the centre of pressure (pure).

Each breath is a fast inspiration (a half-cosine rise over ~38 % of the cycle) and a slower
exponential expiration. The rate moves linearly from ``bpm_start`` to ``bpm_end`` (people
relax and slow down over a session), with breath-to-breath variability. Head-end and foot-end
zones move in anti-phase, so the total load does not change; the most loaded side swings by
``pp_kg`` peak to peak (~30–120 g per cell for a 70 kg adult, FACTS.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from firmware.layout import MatLayout
from firmware.sim.body import FloatArray

INSPIRATION_FRACTION = 0.38
EXPIRATION_TAU_FRACTION = 0.15  # of the cycle: the exhale has mostly decayed by the next breath
MIN_BPM, MAX_BPM = 4.0, 40.0


@dataclass(frozen=True, slots=True)
class Breathing:
    """Rate at the start and end of a stretch of breathing, variability and amplitude."""

    bpm_start: float
    bpm_end: float
    pp_kg: float
    variability: float = 0.08  # coefficient of variation of the breath-to-breath interval

    def __post_init__(self) -> None:
        for bpm in (self.bpm_start, self.bpm_end):
            if not MIN_BPM <= bpm <= MAX_BPM:
                raise ValueError(f"breathing rate {bpm} is outside {MIN_BPM}-{MAX_BPM} per minute")


def breath_onsets(duration_s: float, breathing: Breathing, rng: np.random.Generator) -> FloatArray:
    """Times at which each inspiration starts, from before 0 until after ``duration_s``."""
    onsets = [-rng.uniform(0.0, 60.0 / breathing.bpm_start)]
    while onsets[-1] <= duration_s:
        progress = min(max(onsets[-1] / max(duration_s, 1e-9), 0.0), 1.0)
        bpm = breathing.bpm_start + (breathing.bpm_end - breathing.bpm_start) * progress
        jitter = float(np.clip(rng.normal(1.0, breathing.variability), 0.7, 1.3))
        onsets.append(onsets[-1] + 60.0 / bpm * jitter)
    return np.array(onsets, dtype=np.float64)


def waveform(t_s: FloatArray, onsets_s: FloatArray) -> FloatArray:
    """Lung volume in [0, 1] at each time: fast half-cosine rise, exponential fall to zero."""
    index = np.clip(np.searchsorted(onsets_s, t_s, side="right") - 1, 0, len(onsets_s) - 2)
    start = onsets_s[index]
    phase = np.clip((t_s - start) / (onsets_s[index + 1] - start), 0.0, 1.0)
    fi, tau = INSPIRATION_FRACTION, EXPIRATION_TAU_FRACTION
    rise = (1 - np.cos(np.pi * np.minimum(phase, fi) / fi)) / 2
    floor = np.exp(-(1 - fi) / tau)
    fall = (np.exp(-(phase - fi) / tau) - floor) / (1 - floor)
    result: FloatArray = np.where(phase < fi, rise, fall)
    return result


def pattern(layout: MatLayout, loads_kg: FloatArray) -> FloatArray:
    """Per zone, its share of the swing: + at the foot end, − at the head end, sum 0, max 1.

    Inspiration pushes the abdomen's contents towards the feet, so the centre of pressure moves
    footwards as the lungs fill. Zones without load do not move.
    """
    y = np.array([z.y_m for z in layout.zones])
    load = np.clip(loads_kg, 0.0, None)
    total = float(load.sum())
    if total <= 0:
        return np.zeros(len(y))
    cop = float((y * load).sum() / total)
    head = np.where(y < cop, load, 0.0)
    foot = np.where(y > cop, load, 0.0)
    if head.sum() <= 0 or foot.sum() <= 0:
        return np.zeros(len(y))
    swing = foot / foot.sum() - head / head.sum()
    result: FloatArray = swing / np.abs(swing).max()
    return result


@dataclass(frozen=True, slots=True)
class Wander:
    """A slow artefact moving load head to foot like breathing does, but not periodic: noise
    band-limited to ``bpm_low``–``bpm_high`` (a slow sway of the body, a bed's creak, a 4–8 /min
    wander seen on real under-mattress signals), ``pp_kg`` its typical peak to peak."""

    bpm_low: float
    bpm_high: float
    pp_kg: float


def render_wander(
    layout: MatLayout,
    base_kg: FloatArray,
    t_s: FloatArray,
    wander: Wander,
    rng: np.random.Generator,
) -> FloatArray:
    """The artefact's component (len(t) × Z), to add to the still load ``base_kg``."""
    n = len(t_s)
    if n < 4:
        return np.zeros((n, len(base_kg)))
    rate_hz = 1.0 / float(t_s[1] - t_s[0])
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f_per_min = np.fft.rfftfreq(n, d=1.0 / rate_hz) * 60.0
    spectrum[(f_per_min < wander.bpm_low) | (f_per_min > wander.bpm_high)] = 0.0
    wave = np.fft.irfft(spectrum, n)
    std = float(wave.std())
    wave = wave / std if std > 0 else wave
    # peak to peak of a Gaussian wave is about four standard deviations
    result: FloatArray = np.outer(wave * wander.pp_kg / 4.0, pattern(layout, base_kg))
    return result


def render(
    layout: MatLayout,
    base_kg: FloatArray,
    t_s: FloatArray,
    breathing: Breathing,
    rng: np.random.Generator,
) -> FloatArray:
    """The breathing component (len(t) × Z), to add to the still load ``base_kg``."""
    if len(t_s) == 0:
        return np.zeros((0, len(base_kg)))
    local = t_s - t_s[0]
    onsets = breath_onsets(float(local[-1]), breathing, rng)
    wave = waveform(local, onsets) - 0.5
    result: FloatArray = np.outer(wave * breathing.pp_kg, pattern(layout, base_kg))
    return result
