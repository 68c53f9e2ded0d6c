"""The terminal side of the ``acumat calibrate`` wizard: flags, the read loop, the display.

``drive`` feeds one read of every board at a time into the pure
``controller.calibration.wizard`` machine and shows what it says: prompts (waiting for
Enter unless ``--yes``), a progress bar (redrawn in place on a terminal, one line per change
of state otherwise), each step's results, and failures as one readable line on stderr with
an offer to try the step again. Not pure: reads the boards through a callable, prints, asks.
Helper of ``controller/cli/calibrate.py`` (not a subcommand of its own).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from controller.calibration.steps import (
    Failed,
    Finished,
    Output,
    Progress,
    Prompt,
    Tared,
    Verified,
    WizardSettings,
    ZoneScaled,
    progress_line,
    result_lines,
)
from controller.calibration.wizard import CalibrationWizard
from firmware.calibration import Calibration, CalibrationError
from firmware.clock import Clock

Ask = Callable[[str], str]
ReadRow = Callable[[], Sequence[int | None]]


def add_wizard_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--zones", default="all", help="wizard: 'all' or a comma-separated list of zones"
    )
    p.add_argument("-y", "--yes", action="store_true", help="wizard: no prompts (needs --kg)")
    p.add_argument(
        "--verify", action="store_true", help="only check the saved calibration with the weight"
    )
    p.add_argument("--no-verify", action="store_true", help="wizard: save without step 3")
    p.add_argument(
        "--timeout-s", type=float, default=120.0, help="wizard: time allowed for each step"
    )
    p.add_argument("--force", action="store_true", help="tare even far from the old zero")


def wizard_settings(args: argparse.Namespace, ask: Ask) -> WizardSettings:
    """The settings from the flags; without ``--kg`` (and without ``--yes``) ask for it."""
    weight_kg = args.weight_kg
    if weight_kg is None and not args.yes:
        answer = _answer(ask, "Known weight in kg (a 10 kg dumbbell, say): ")
        try:
            weight_kg = float(answer or "nan")
        except ValueError:
            raise CalibrationError(f"not a weight in kg: {answer!r}") from None
    if weight_kg is None or not weight_kg > 0:
        raise CalibrationError("the wizard needs the known weight: --kg X (more than 0)")
    return WizardSettings(
        weight_kg=weight_kg,
        samples=max(args.samples, 5),
        timeout_s=args.timeout_s,
        empty_kg=None if args.force else 15.0,
    )


def build_wizard(
    args: argparse.Namespace, names: Sequence[str], current: Calibration, ask: Ask
) -> CalibrationWizard:
    """The machine the flags ask for (``--verify``: the verify step alone)."""
    settings = wizard_settings(args, ask)
    if args.verify:
        return CalibrationWizard(names, current, settings, [], with_tare=False)
    zones = None if args.zones == "all" else [z.strip() for z in args.zones.split(",")]
    return CalibrationWizard(names, current, settings, zones, with_verify=not args.no_verify)


@dataclass
class Terminal:
    """Where the wizard talks: ``out`` for the person, ``err`` for failures."""

    out: TextIO
    err: TextIO
    ask: Ask
    yes: bool
    verified: Verified | None = None
    _last_status: tuple[str, str | None, str] | None = field(default=None, repr=False)
    _bar_open: bool = field(default=False, repr=False)

    def show(self, outputs: Sequence[Output]) -> None:
        for output in outputs:
            if isinstance(output, Progress):
                self._progress(output)
                continue
            self._end_bar()
            if isinstance(output, Prompt):
                self._prompt(output)
            elif isinstance(output, Tared | ZoneScaled | Verified):
                self.verified = output if isinstance(output, Verified) else self.verified
                print("\n".join(result_lines(output)), file=self.out)
            elif isinstance(output, Failed):
                print(f"acumat: {output.reason}", file=self.err)

    def offer_retry(self) -> bool:
        if self.yes:
            return False
        answer = _answer(self.ask, "Try this step again? [Y/n] ")
        return answer is not None and answer.strip().lower() in ("", "y", "yes")

    def confirm(self, question: str) -> bool:
        answer = None if self.yes else _answer(self.ask, f"{question} [y/N] ")
        return answer is not None and answer.strip().lower() in ("y", "yes")

    def _prompt(self, prompt: Prompt) -> None:
        print(prompt.text, file=self.out)
        if prompt.confirm and not self.yes:
            _answer(self.ask, "Press Enter when ready. ")

    def _progress(self, p: Progress) -> None:
        if self.out.isatty():
            print(f"\r{progress_line(p)}\x1b[K", end="", file=self.out, flush=True)
            self._bar_open = True
            return
        key = (p.step, p.zone, p.status)
        if key != self._last_status or p.done == p.total:
            print(progress_line(p), file=self.out)
        self._last_status = key

    def _end_bar(self) -> None:
        if self._bar_open:
            print(file=self.out)
            self._bar_open = False


def drive(
    wizard: CalibrationWizard, read_row: ReadRow, clock: Clock, term: Terminal
) -> Calibration | None:
    """Runs the wizard to its end; the new calibration, or ``None`` when it gave up."""
    outputs = wizard.start()
    while True:
        term.show(outputs)
        if wizard.failure is not None:
            if not term.offer_retry():
                return None
            outputs = wizard.retry()
            continue
        finished = [o for o in outputs if isinstance(o, Finished)]
        if finished:
            return finished[0].calibration
        row = read_row()
        outputs = wizard.feed(clock.monotonic(), row)


def _answer(ask: Ask, question: str) -> str | None:
    """The person's answer; ``None`` when input has ended (no terminal, Ctrl-D)."""
    try:
        return ask(question)
    except EOFError:
        print(file=sys.stdout)
        return None
