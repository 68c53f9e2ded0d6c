"""The calibration wizard as a pure step machine: rows of counts in, prompts and results out.

Steps: tare the empty, still mat; then for each zone, wait until a known weight makes that
zone rise and settle, average it into a scale and wait for the weight to come off; then
verify (the weight anywhere: kg per zone and the total against the known weight); then
``Finished`` with the new calibration for the shell to save. Each ``feed(t, row)`` takes
one read of every board (signs applied, ``None`` where a board gave no good word) and its
time, and returns outputs; time travels on the data, so a timeout is a difference of ``t``.
Failures are ``Failed`` outputs with a readable reason, never exceptions; ``retry()``
restarts the failed step. What the steps found and the arithmetic on the reads (noise, load,
stillness, kg) are ``controller.calibration.judge``'s. Pure: no I/O, no clock, no logging.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from controller.calibration.judge import Judge, Row, column_means
from controller.calibration.steps import (
    Failed,
    Finished,
    Output,
    Progress,
    Prompt,
    WizardSettings,
    ZoneScaled,
    prompt_text,
    silent_board_text,
    tare_unstable_text,
    timeout_text,
    too_light_text,
    wrong_zone_text,
)
from firmware.calibration import Calibration, CalibrationError, scale_from_known_weight, tare

StepKind = Literal["tare", "weigh", "remove", "verify"]


@dataclass(frozen=True, slots=True)
class _Step:
    kind: StepKind
    zone: str | None = None


class CalibrationWizard:
    """One run of the wizard over the zones ``names`` (the order of every row)."""

    def __init__(
        self,
        names: Sequence[str],
        current: Calibration,
        settings: WizardSettings,
        zones: Sequence[str] | None = None,
        *,
        with_tare: bool = True,
        with_verify: bool = True,
    ) -> None:
        self.names, self.settings = tuple(names), settings
        chosen = list(zones if zones is not None else names)
        unknown = [z for z in chosen if z not in self.names]
        if unknown:
            raise CalibrationError(f"no zone {unknown[0]!r} (zones: {', '.join(self.names)})")
        self._steps = [_Step("tare")] if with_tare else []
        for zone in chosen:
            self._steps += [_Step("weigh", zone), _Step("remove", zone)]
        self._steps += [_Step("verify")] if with_verify else []
        self._index = 0
        self.failure: Failed | None = None
        self._judge = Judge(self.names, current, settings)
        self._start_s: float | None = None
        self._tare_rows: list[Row] = []
        self._rows: list[tuple[float, ...]] = []
        self._reset_step()

    # -- the shell's view -----------------------------------------------------------------
    @property
    def done(self) -> bool:
        return self._index >= len(self._steps)

    @property
    def failed(self) -> bool:
        return self.failure is not None

    @property
    def calibration(self) -> Calibration:
        return self._judge.calibration

    @property
    def step(self) -> _Step:
        return self._steps[min(self._index, len(self._steps) - 1)]

    def start(self) -> list[Output]:
        """The first step's prompt (or ``Finished`` when there is nothing to do)."""
        return self._enter_step()

    def retry(self) -> list[Output]:
        """Start the failed step again, from its prompt."""
        self.failure = None
        self._reset_step()
        return self._enter_step()

    def feed(self, t: float, row: Row) -> list[Output]:
        """One read of every board at time ``t``."""
        if self.done or self.failed:
            return []
        if len(row) != len(self.names):
            return self._fail("io", f"got {len(row)} readings for {len(self.names)} zones")
        self._start_s = t if self._start_s is None else self._start_s
        silent = self._count_missing(row)
        if silent is not None:
            return self._fail("no_readings", silent_board_text(silent, self.settings.missing_limit))
        if self.step.kind == "tare":
            return self._feed_tare(row)
        return self._feed_loaded(t, row)

    # -- steps ----------------------------------------------------------------------------
    def _reset_step(self) -> None:
        self._start_s = None
        self._tare_rows = []
        self._rows = []
        self._window: deque[tuple[float, ...]] = deque(maxlen=self.settings.settle_samples)
        self._measuring = False
        self._missing = [0] * len(self.names)

    def _enter_step(self) -> list[Output]:
        if self.done:
            return [Finished(self.calibration)]
        if self.step.kind == "verify" and not self._judge.scaled():
            return self._fail("invalid", "no zone has a scale yet: calibrate the zones first")
        step, zones = self.step, [s.zone for s in self._steps if s.kind == "weigh"]
        where = (zones.index(step.zone) + 1, len(zones)) if step.kind == "weigh" else (0, 0)
        text = prompt_text(step.kind, step.zone, where, self.settings.weight_kg)
        return [Prompt(text, confirm=step.kind != "remove")]

    def _next_step(self, outputs: list[Output]) -> list[Output]:
        self._index += 1
        self._reset_step()
        return outputs + self._enter_step()

    def _fail(self, kind: str, reason: str) -> list[Output]:
        self.failure = Failed(self.step.kind, self.step.zone, kind, reason)
        return [self.failure]

    # -- tare -------------------------------------------------------------------------------
    def _feed_tare(self, row: Row) -> list[Output]:
        rows = self._tare_rows
        rows.append(row)
        total = self.settings.samples
        outputs: list[Output] = [Progress("tare", None, len(rows), total, "measuring")]
        if len(rows) < total:
            return outputs
        try:
            new = tare(rows, self.names, self.calibration, empty_kg=self.settings.empty_kg)
        except CalibrationError as exc:
            return self._fail("invalid", str(exc))
        unstable = self._judge.learn_tare(rows, new)
        if unstable is not None:
            return self._fail("unstable", tare_unstable_text(*unstable, self.settings.still_counts))
        return self._next_step([*outputs, self._judge.tared()])

    # -- a weight on the mat (weigh, remove, verify) ----------------------------------------
    def _feed_loaded(self, t: float, row: Row) -> list[Output]:
        if any(v is None for v in row):
            return []  # the missing-reading count above judges a silent board
        deltas = self._judge.deltas(row)
        self._window.append(deltas)
        kind = self.step.kind
        outputs = self._feed_remove() if kind == "remove" else self._feed_measure(deltas)
        if outputs or self.done:
            return outputs
        if t - (self._start_s or t) > self.settings.timeout_s:
            return self._timed_out()
        return [self._progress(deltas)]

    def _timed_out(self) -> list[Output]:
        kind, zone = self.step.kind, self.step.zone
        detected = self._detected()
        if kind == "weigh" and zone is not None and not detected:
            # A load that shows in the mean but not above the cell's noise limit: say so, and
            # how heavy a weight would do, rather than "no weight detected".
            light = self._judge.too_light(self._window, zone)
            if light is not None:
                return self._fail("too_light", too_light_text(zone, *light, self.settings))
        return self._fail(*timeout_text(kind, zone, self.settings.timeout_s, detected))

    def _feed_measure(self, deltas: tuple[float, ...]) -> list[Output]:
        if not self._measuring:
            self._measuring = self._detected() and self._judge.still(self._window)
            self._rows = [deltas] if self._measuring else []  # measured from the judged row on
            return []
        self._rows.append(deltas)
        if not self._judge.still(self._rows):  # moved while measuring: settle again
            self._rows, self._measuring = [], False
            return []
        if len(self._rows) < self.settings.samples:
            return []
        return self._finish_weigh() if self.step.kind == "weigh" else self._finish_verify()

    def _feed_remove(self) -> list[Output]:
        zone = self.step.zone
        assert zone is not None
        return self._next_step([]) if self._judge.off(self._window, zone) else []

    def _finish_weigh(self) -> list[Output]:
        zone = self.step.zone
        assert zone is not None
        means = column_means(self._rows)
        leader = max(range(len(means)), key=lambda i: abs(means[i]))
        if self.names[leader] != zone:
            return self._fail("wrong_zone", wrong_zone_text(self.names, zone, leader, means))
        offset = self.calibration.zone(zone).offset_counts
        column: list[int | None] = [round(r[leader] + offset) for r in self._rows]
        try:
            scale = scale_from_known_weight(zone, column, offset, self.settings.weight_kg)
            self._judge.weighed(zone, scale, means[leader])
        except CalibrationError as exc:
            return self._fail("invalid", str(exc))
        return self._next_step([ZoneScaled(zone, scale, means[leader])])

    def _finish_verify(self) -> list[Output]:
        return self._next_step([self._judge.verified(self._rows)])

    # -- judging a window -----------------------------------------------------------------
    def _detected(self) -> bool:
        if len(self._window) < self.settings.settle_samples:
            return False
        last = self._window[-1]
        if self.step.kind == "verify":
            return self._judge.total_kg(last) >= 0.5 * self.settings.weight_kg
        return self._judge.loaded(last)

    def _progress(self, deltas: Sequence[float]) -> Progress:
        step, done, total = self.step, len(self._rows), self.settings.samples
        status = "measuring" if self._measuring else "settling" if self._detected() else "waiting"
        status = "removing" if step.kind == "remove" else status
        if step.zone is None:
            total_kg = self._judge.total_kg(deltas)
            return Progress(step.kind, None, done, total, status, None, total_kg)
        counts = deltas[self.names.index(step.zone)]
        kg = self._judge.kg(step.zone, counts)
        return Progress(step.kind, step.zone, done, total, status, counts, kg)

    def _count_missing(self, row: Row) -> str | None:
        for i, value in enumerate(row):
            self._missing[i] = 0 if value is not None else self._missing[i] + 1
            if self._missing[i] >= self.settings.missing_limit:
                return self.names[i]
        return None
