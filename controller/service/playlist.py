"""Simulator scenarios one after another as one frame source: the demo that never ends (shell).

``kind = "simulate"`` with ``scenario = "all"`` plays every library scenario in turn, and
with ``loop = true`` starts again after the last. Each scenario is built when its turn comes
(a few tens of ms), on the first one's layout so the service sees one mat throughout; its
frames are moved on by the length of everything played before, so frame time only grows
(the core, the journal and the recordings never see time go back). Each round after the
first uses the next seed, so a day-long demo does not repeat itself exactly. Pacing is
``paced`` over the injected clock, as for a frame file: tests play hours in milliseconds.

Between two scenarios the mat stays empty for ``between_s`` (the next scenario's own empty
first second, played over and over): the caller makes it longer than the session's
``grace_s``, or each scenario's person, arriving within it, would resume the last one's session
and the demo's history would hold a few sessions of hours instead of the library's.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from firmware.clock import Clock
from firmware.filesource import paced
from firmware.frame import ZoneFrame
from firmware.layout import MatLayout
from firmware.sim.names import EVERY_SCENARIO
from firmware.sim.scenarios import SCENARIOS, build, default_seed
from firmware.sim.timeline import SimRun


def scenario_names(scenario: str) -> list[str]:
    """What ``[source] scenario`` plays: one name, or ``all`` (the library, in its order)."""
    return list(SCENARIOS) if scenario == EVERY_SCENARIO else [scenario]


class ScenarioPlaylist:
    """Plays ``names`` in turn at ``speed`` × real time; with ``loop``, for ever."""

    def __init__(
        self,
        names: Sequence[str],
        clock: Clock,
        *,
        speed: float = 1.0,
        loop: bool = False,
        layout: MatLayout | None = None,
        between_s: float = 0.0,
    ) -> None:
        if not names:
            raise ValueError("a playlist needs at least one scenario")
        if not speed > 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self._names = list(names)
        self._clock, self._speed, self._loop = clock, speed, loop
        self._between_s = between_s
        self._first: SimRun | None = build(self._names[0], layout=layout)
        self._layout = self._first.layout
        self._closed = False

    @property
    def layout(self) -> MatLayout:
        return self._layout

    def frames(self) -> Iterator[ZoneFrame]:
        return paced(self._timeline(), self._clock, self._speed)

    def close(self) -> None:
        self._closed = True

    def _timeline(self) -> Iterator[ZoneFrame]:
        offset_s = 0.0
        for round_no in itertools.count():
            for name in self._names:
                run = self._run(name, round_no)
                frames: Iterable[ZoneFrame] = run.frames()
                if offset_s > 0.0 and self._between_s > 0.0:  # after a scenario: empty first
                    offset_s += self._between_s
                    frames = itertools.chain(_empty_mat(run, self._between_s), frames)
                for frame in frames:
                    if self._closed:
                        return
                    yield replace(frame, t=round(frame.t + offset_s, 6))
                offset_s += len(run.loads_kg) / run.rate_hz
            if not self._loop:
                return

    def _run(self, name: str, round_no: int) -> SimRun:
        if self._first is not None:  # built in __init__ to learn the layout: play it once
            run, self._first = self._first, None
            return run
        seed = None if round_no == 0 else default_seed(name) + round_no
        return build(name, layout=self._layout, seed=seed)


def _empty_mat(run: SimRun, pause_s: float) -> Iterator[ZoneFrame]:
    """``pause_s`` of ``run``'s first second (an empty mat: every library scenario begins so),
    over and over, timed to end where its first frame begins."""
    second = list(itertools.islice(run.frames(), max(1, round(run.rate_hz))))
    count = round(pause_s * run.rate_hz)
    for i in range(count):
        yield replace(second[i % len(second)], t=(i - count) / run.rate_hz)
