"""Breathing rate from the head-to-foot shift of load while a person lies still (pure).

Owns ``BreathingSettings`` and ``BreathingEstimator``. Breathing moves load between the head
end and the foot end of the mat (anti-phase, ~30–120 g per cell, FACTS.md), so the signal is
the load moment about the window's centre of pressure, ``Σ (y_i − cop_y) · load_i``, built
from zone geometry only. Each frame is appended to a ring buffer (a few µs); every
``emit_every_s`` of frame time the window is analysed with numpy (``controller.core.breathing_dsp``)
and a ``Breathing`` event comes out. No I/O, no clock: time comes on the frames.

Quality 0 with bpm 0 means "no estimate" (signal too weak, too little data, or a rate that
the frame rate cannot tell from its alias); a real estimate has ``quality >= min_quality``.
"""

from __future__ import annotations

from collections import deque

from pydantic import BaseModel, ConfigDict, Field, model_validator

from controller.core.breathing_dsp import Estimate, Window, estimate
from controller.core.events import Breathing
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

NO_ESTIMATE_BPM = 0.0


class BreathingSettings(BaseModel):
    """How the breathing estimator listens: window, cadence, band and what counts as sure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    window_s: float = Field(
        60.0,
        ge=20.0,
        le=300.0,
        description="Sliding window analysed per estimate; 60 s holds four breaths at 4/min.",
    )
    min_span_s: float = Field(
        20.0,
        ge=5.0,
        description="Still data needed before the first estimate after lying down or moving.",
    )
    emit_every_s: float = Field(
        15.0,
        gt=0.0,
        le=30.0,
        description="Frame time between estimates while the person lies still (at most 30 s).",
    )
    min_quality: float = Field(
        0.5,
        gt=0.0,
        le=1.0,
        description="Quality (0–1) below which an estimate is reported as none (bpm 0).",
    )
    band_bpm: tuple[float, float] = Field(
        (4.0, 40.0),
        description="Breathing rates to support, per minute (adults: 4–40, FACTS.md).",
    )
    spike_kg: float = Field(
        0.5,
        gt=0.0,
        description="A single reading this far from its neighbours is a spike, not breathing "
        "(breathing moves a cell by at most ~0.2 kg).",
    )
    gap_s: float = Field(
        5.0,
        gt=0.0,
        description="A pause in frames longer than this starts the window again.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> BreathingSettings:
        low, high = self.band_bpm
        if not 0.0 < low < high:
            raise ValueError("band_bpm must be (low, high) with 0 < low < high")
        if self.min_span_s > self.window_s:
            raise ValueError("min_span_s must not exceed window_s")
        return self


class BreathingEstimator:
    """Feeds on frames; emits a ``Breathing`` event every ``emit_every_s`` while lying still."""

    def __init__(self, layout: MatLayout, settings: BreathingSettings | None = None) -> None:
        self.layout = layout
        self.settings = settings or BreathingSettings()
        self._y_m = tuple(zone.y_m for zone in layout.zones)
        # Enough room for the window at 100 Hz plus slack; old frames fall out by time.
        self._frames: deque[tuple[float, tuple[float | None, ...]]] = deque(
            maxlen=int(self.settings.window_s * 110) + 16
        )
        self._due_t: float | None = None
        self._last_t: float | None = None
        self.latest: Breathing | None = None

    def reset(self) -> None:
        """Forgets the window and the latest estimate (the person left or changed posture)."""
        self._frames.clear()
        self._due_t = None
        self._last_t = None
        self.latest = None

    def feed(self, frame: ZoneFrame, lying_still: bool) -> Breathing | None:
        """Takes one frame; returns an event when one is due, else ``None``."""
        t = frame.t
        last = self._last_t
        self._last_t = t
        if not lying_still:
            return self._interrupted(t)
        if self._due_t is None or last is None or t <= last or t - last > self.settings.gap_s:
            self._restart(t)
        self._frames.append((t, frame.load_kg))
        if self._due_t is None or t < self._due_t:
            return None
        self._due_t = t + self.settings.emit_every_s
        return self._emit(t)

    def _restart(self, t: float) -> None:
        self._frames.clear()
        self._due_t = t + self.settings.min_span_s

    def _interrupted(self, t: float) -> Breathing | None:
        """Movement: drop the window; say once that the last estimate no longer holds."""
        self._frames.clear()
        self._due_t = None
        if self.latest is not None and self.latest.quality > 0.0:
            self.latest = Breathing(t=t, bpm=NO_ESTIMATE_BPM, quality=0.0)
            return self.latest
        return None

    def _emit(self, t: float) -> Breathing:
        found = self.analyse(t)
        s = self.settings
        if found is None or found.quality < s.min_quality:
            event = Breathing(t=t, bpm=NO_ESTIMATE_BPM, quality=0.0)
        else:
            low, high = s.band_bpm
            bpm = min(max(found.bpm, low), high)
            event = Breathing(t=t, bpm=round(bpm, 2), quality=round(found.quality, 3))
        self.latest = event
        return event

    def analyse(self, t: float) -> Estimate | None:
        """The raw estimate over the window ending at ``t`` (``None``: nothing to go on)."""
        s = self.settings
        start = t - s.window_s
        while self._frames and self._frames[0][0] < start:
            self._frames.popleft()
        if len(self._frames) < 8:
            return None
        window = Window.from_frames(list(self._frames), self._y_m)
        return estimate(window, s.band_bpm, s.spike_kg)
