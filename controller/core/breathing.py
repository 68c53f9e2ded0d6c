"""Breathing rate from the head-to-foot shift of load while a person lies still (pure).

Owns ``BreathingEstimator``; its settings are ``BreathingSettings`` (controller.core.settings).
Breathing moves load between the head end and the foot end of the mat (anti-phase, ~30–120 g
per cell, FACTS.md), so the signal is the load moment about the window's centre of pressure,
``Σ (y_i − cop_y) · load_i``, built from zone geometry only. Each frame's time and loads are
appended to two flat float buffers (``array``, no object per frame; a missing reading is NaN);
every ``emit_every_s`` of frame time the buffers are cut to the window and handed to numpy
without a copy per frame (``controller.core.breathing_dsp``), and a ``Breathing`` event comes
out. No I/O, no clock: time comes on the frames.

Quality 0 with bpm 0 means "no estimate" (signal too weak, too little data, or a rate that
the frame rate cannot tell from its alias); a real estimate has ``quality >= min_quality``.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left

import numpy as np

from controller.core.breathing_dsp import Estimate, Window, estimate
from controller.core.events import Breathing
from controller.core.settings import BreathingSettings
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout

NO_ESTIMATE_BPM = 0.0


class BreathingEstimator:
    """Feeds on frames; emits a ``Breathing`` event every ``emit_every_s`` while lying still."""

    def __init__(self, layout: MatLayout, settings: BreathingSettings | None = None) -> None:
        self.layout = layout
        self.settings = settings or BreathingSettings()
        self._y_m = np.array([zone.y_m for zone in layout.zones], dtype=np.float64)
        self._zones = len(layout.zones)
        # At most the newest ``_keep`` frames count (room for the window at 100 Hz plus slack);
        # older ones fall out by time when the window is analysed.
        self._keep = int(self.settings.window_s * 110) + 16
        self._most = 2 * self._keep  # frames kept at most between analyses
        self._gap_s = self.settings.gap_s
        self._t_s = array("d")
        self._kg = array("d")  # frames × zones, row after row
        self._due_t = math.inf
        # -inf: no frame to follow (a frame after it is a gap, so the window starts again)
        self._last_t = -math.inf
        self.latest: Breathing | None = None

    def reset(self) -> None:
        """Forgets the window and the latest estimate (the person left or changed posture)."""
        self._clear()
        self._last_t = -math.inf
        self.latest = None

    def _clear(self) -> None:
        del self._t_s[:]
        del self._kg[:]

    def feed(self, frame: ZoneFrame, lying_still: bool) -> Breathing | None:
        """Takes one frame; returns an event when one is due, else ``None``."""
        t = frame.t
        last = self._last_t
        self._last_t = t
        if not lying_still:
            return self._interrupted(t)
        if t <= last or t - last > self._gap_s:
            self._restart(t)
        times = self._t_s
        times.append(t)
        try:
            self._kg.extend(frame.load_kg)  # type: ignore[arg-type]  # None raises
        except TypeError:  # a missing reading: NaN, after the readings the extend took
            del self._kg[(len(times) - 1) * self._zones :]
            self._kg.extend([math.nan if kg is None else kg for kg in frame.load_kg])
        if len(times) > self._most:  # bounded memory between analyses
            self._drop(len(times) - self._keep)
        if t < self._due_t:
            return None
        self._due_t = t + self.settings.emit_every_s
        return self._emit(t)

    def _drop(self, frames: int) -> None:
        """Forgets the oldest ``frames`` frames."""
        del self._t_s[:frames]
        del self._kg[: frames * self._zones]

    def _restart(self, t: float) -> None:
        """A new window from ``t``; its first estimate is due once it spans ``min_span_s``."""
        self._clear()
        self._due_t = t + self.settings.min_span_s

    def _interrupted(self, t: float) -> Breathing | None:
        """Movement: drop the window; say once that the last estimate no longer holds."""
        self._clear()
        self._last_t = -math.inf
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
        times = self._t_s
        # the newest ``_keep`` frames, and of those the ones inside the window (times increase)
        self._drop(bisect_left(times, start, max(0, len(times) - self._keep)))
        if len(times) < 8:
            return None
        t_s = np.frombuffer(times, dtype=np.float64).copy()
        loads = np.frombuffer(self._kg, dtype=np.float64).reshape(len(t_s), self._zones).copy()
        return estimate(Window(t_s, loads, self._y_m), s.band_bpm, s.spike_kg)
