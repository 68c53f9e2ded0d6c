"""The story builder and its result: states held and moved between, sampled at a fixed rate.

``Timeline`` appends samples as a scenario tells its story (``hold`` a state, ``move`` to the
next one, mark when a person settled or left, when the load was uneven) and keeps the true
posture timeline as it goes. ``SimRun`` is the finished run: measured loads, the truth, and the
frames and header to write. A ``ScenarioSpec`` names a story (a function of a ``Timeline`` and
a ``Told``, where it reports its cast and breathing rates) with its layout, sensor faults and
the outcome a correct controller should reach. Pure: all randomness comes from the
generator it is given.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from firmware.faults import NOT_READY, FaultReason
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileHeader
from firmware.layout import MatLayout
from firmware.sim.body import FloatArray
from firmware.sim.motion import State, Still, blend, landing
from firmware.sim.sensor import SensorSpec

_LANDING_S = 2.0  # the ring after a landing has died away by then
# A lying hold whose true imbalance reaches this is uneven: an alert is due (the alert's own
# threshold is 0.20, with smoothing and noise on top); below EVEN_BELOW none may come; in
# between either is right ("uneven_optional"), but only for that side.
UNEVEN_FROM = 0.25
EVEN_BELOW = 0.15


class Timeline:
    """Samples in order; ``t`` is where the story has got to (seconds from 0)."""

    def __init__(self, layout: MatLayout, rate_hz: float, rng: np.random.Generator) -> None:
        self.layout = layout
        self.rate_hz = rate_hz
        self.rng = rng
        self.segments: list[dict[str, Any]] = []
        self.settled_t: list[float] = []
        self.left_t: list[float] = []
        self.uneven: list[dict[str, Any]] = []
        self.uneven_optional: list[dict[str, Any]] = []
        self.breathing: list[dict[str, Any]] = []
        self._chunks: list[FloatArray] = []
        self._n = 0
        self._landing = 0.0
        self.empty = Still(layout, np.zeros(len(layout.zones)), "empty", "nothing on the mat")
        self.state: State = self.empty

    @property
    def t(self) -> float:
        return self._n / self.rate_hz

    def _times(self, duration_s: float) -> FloatArray:
        count = max(1, round(duration_s * self.rate_hz))
        return np.arange(self._n, self._n + count, dtype=np.float64) / self.rate_hz

    def _append(self, rows: FloatArray, posture: str, detail: str) -> None:
        start = self.t
        if self._landing:
            ring = np.arange(min(len(rows), round(_LANDING_S * self.rate_hz))) / self.rate_hz
            rows = rows.copy()
            rows[: len(ring)] *= landing(ring, self._landing)[:, None]
            self._landing = 0.0
        self._chunks.append(rows)
        self._n += len(rows)
        self.segments.append(
            {"from_t": start, "to_t": self.t, "posture": posture, "detail": detail}
        )

    def hold(self, state: State, duration_s: float) -> None:
        """Stays in ``state`` for ``duration_s``; a lying hold marks itself uneven (or not) from
        its true loads and says what its breathing is."""
        self.state = state
        start = self.t
        self._append(state.render(self._times(duration_s), self.rng), state.posture, state.detail)
        if state.posture == "lying" and isinstance(state, Still):
            self._mark_lying(start, state)

    def _mark_lying(self, start: float, state: Still) -> None:
        value = state.true_imbalance
        side = "right" if value > 0 else "left"
        if abs(value) >= UNEVEN_FROM:
            _add_span(self.uneven, start, self.t, side)
        elif abs(value) >= EVEN_BELOW:
            _add_span(self.uneven_optional, start, self.t, side)
        # A rate is right only where breathing is the signal: not with no breathing, nor
        # where a slow artefact swamps it.
        b = None if state.wander is not None else state.breathing
        self.breathing.append(
            {
                "from_t": start,
                "to_t": self.t,
                "bpm_start": None if b is None else b.bpm_start,
                "bpm_end": None if b is None else b.bpm_end,
            }
        )

    def move(self, to: State, duration_s: float, land: float = 0.0) -> None:
        """Blends from the last sample to ``to`` over ``duration_s``; ``land`` rings after it."""
        start = self._chunks[-1][-1] if self._chunks else self.state.mean_kg()
        t = self._times(duration_s)
        rows = blend(start, to.mean_kg(), t - t[0] + 1.0 / self.rate_hz, len(t) / self.rate_hz)
        # A transition is labelled with the posture it is heading for (schema: detail says so).
        self._append(rows, to.posture, "transition")
        self.state = to
        self._landing = land

    def mark_settled(self) -> None:
        self.settled_t.append(self.t)

    def mark_left(self) -> None:
        self.left_t.append(self.t)

    def loads(self) -> FloatArray:
        return np.vstack(self._chunks) if self._chunks else np.zeros((0, len(self.layout.zones)))


def _add_span(spans: list[dict[str, Any]], from_t: float, to_t: float, side: str) -> None:
    """Appends a span, joining it to the last one when they touch and agree."""
    if spans and spans[-1]["side"] == side and abs(spans[-1]["to_t"] - from_t) < 1e-9:
        spans[-1]["to_t"] = to_t
    else:
        spans.append({"from_t": from_t, "to_t": to_t, "side": side})


_ROWS_PER_CHUNK = 600  # a minute at 10 Hz


@dataclass(frozen=True)
class SimRun:
    """A finished run: measured kg per sample (NaN = no reading), at ``rate_hz`` from t = 0."""

    name: str
    layout: MatLayout
    rate_hz: float
    truth: dict[str, Any]
    loads_kg: FloatArray

    def frames(self) -> Iterator[ZoneFrame]:
        # Python floats a chunk at a time: the whole run's as one list held ~3.4 MB for a
        # 20-minute scenario, for as long as the run played (the service's --simulate).
        for start in range(0, len(self.loads_kg), _ROWS_PER_CHUNK):
            chunk = self.loads_kg[start : start + _ROWS_PER_CHUNK].tolist()
            yield from self._chunk_frames(chunk, start)

    def _chunk_frames(self, rows: list[list[float]], first: int) -> Iterator[ZoneFrame]:
        for i, row in enumerate(rows, first):
            loads = tuple(None if math.isnan(v) else v for v in row)
            faults: tuple[FaultReason | None, ...] = ()
            if None in loads:  # a simulated dropout is a board that stopped answering
                faults = tuple(NOT_READY if v is None else None for v in loads)
            yield ZoneFrame(t=round(i / self.rate_hz, 6), load_kg=loads, faults=faults)

    def repeated_frames(self, count: int) -> Iterator[ZoneFrame]:
        """The run played back to back, time running on, up to ``count`` frames (a long,
        realistic session for the benchmarks)."""
        offset_s, done = 0.0, 0
        while True:
            last_t = 0.0
            for frame in self.frames():
                if done == count:
                    return
                yield ZoneFrame(frame.t + offset_s, frame.load_kg, frame.faults)
                last_t, done = frame.t, done + 1
            offset_s += last_t + 1.0 / self.rate_hz

    def header(self) -> FrameFileHeader:
        return FrameFileHeader(
            layout=self.layout,
            rate_hz=self.rate_hz,
            extra={"scenario": self.name, "truth": self.truth},
        )


@dataclass
class Told:
    """What a story reports back besides samples: its cast and breathing rates."""

    subjects: list[dict[str, Any]] = field(default_factory=list)
    breathing_bpm: float | None = None
    breathing_bpm_end: float | None = None

    def person(self, mass_kg: float, height_m: float) -> None:
        self.subjects.append({"kind": "person", "mass_kg": mass_kg, "height_m": height_m})

    def thing(self, kind: str, mass_kg: float) -> None:
        self.subjects.append({"kind": kind, "mass_kg": round(mass_kg, 2), "height_m": None})


Story = Callable[[Timeline, Told], None]


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    description: str
    story: Story
    expected_sessions: int
    lying_expected: bool = True
    program: str = "relax"
    layout: MatLayout | None = None
    sensor: SensorSpec = field(default_factory=SensorSpec)
