"""The mat's boards for one CLI command: config, the pins, a reader, rows of counts (I/O).

``with_boards(args, clock, action)`` loads ``--config`` (each problem one line, exit 2), frees
the GPIO pins (when ``acumat.service`` holds them, ``pins_freed`` says so and offers to stop
it; it is started again when the command ends), opens the boards named in
``[source.hardware]`` (``open_boards``), runs ``action(config, reader)`` and closes the reader.
A setup or calibration failure is one ``acumat: ...`` line on stderr, never a traceback.
``collect`` turns reads into rows of signed counts (``None`` where a zone has no good
reading). Helper of ``controller/cli/calibrate.py`` (``acumat tare`` / ``calibrate``), not a
subcommand of its own. Not pure: reads pins, asks, starts and stops a systemd unit.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from controller.calibration.shell import Ask
from controller.service.unit import ServiceUnit, SystemdUnit
from firmware.calibration import CalibrationError
from firmware.clock import Clock

# The config's sections and the boards' readers are imported where they are used:
# `acumat calibrate --help` loads neither (tests/contract/test_lazy_imports.py).
if TYPE_CHECKING:
    from controller.service.config import AppConfig
    from firmware.boards import CountsReader

Rows = list[list[int | None]]


def with_boards(
    args: argparse.Namespace,
    clock: Clock,
    action: Any,
    *,
    unit: ServiceUnit | None = None,
    ask: Ask = input,
) -> int:
    from controller.cli.config_arg import load_or_say

    config = load_or_say(args.config)
    if config is None:
        return 2
    unit = unit or SystemdUnit()
    stopped = pins_freed(unit, ask, getattr(args, "yes", False))
    if stopped is None:
        return 2
    try:
        return _with_reader(config, clock, action)
    finally:
        if stopped:
            why = unit.start()
            print(f"started {unit.name} again" if why is None else
                  f"acumat: cannot start {unit.name}: {why}", file=sys.stderr)  # fmt: skip


def _with_reader(config: AppConfig, clock: Clock, action: Any) -> int:
    from firmware.boards import HardwareSetupError

    try:
        reader = open_boards(config, clock)
    except (HardwareSetupError, CalibrationError) as exc:
        print(f"acumat: {exc}", file=sys.stderr)
        return 2
    try:
        code: int = action(config, reader)
    except CalibrationError as exc:
        print(f"acumat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        reader.close()
    return code


def pins_freed(unit: ServiceUnit, ask: Ask, yes: bool) -> bool | None:
    """Whether the service was stopped for this command (start it again after); None: it
    runs and holds the pins, so the command must not."""
    if not unit.active():
        return False
    print(f"acumat: {unit.name} is running and holds the GPIO pins.", file=sys.stderr)
    if not yes:
        try:
            answer = ask(f"Stop {unit.name} while this runs (it starts again after)? [y/N] ")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in {"y", "yes"}:
            print(f"acumat: stop it first: sudo systemctl stop {unit.name}", file=sys.stderr)
            return None
    why = unit.stop()
    if why is not None:
        print(f"acumat: cannot stop {unit.name} ({why}); run: sudo systemctl stop {unit.name}",
              file=sys.stderr)  # fmt: skip
        return None
    print(f"stopped {unit.name}; it starts again when this ends", file=sys.stderr)
    return True


def open_boards(config: AppConfig, clock: Clock) -> CountsReader:
    from firmware.boards import HardwareSetupError, open_reader
    from firmware.hwconfig import HARDWARE_KINDS

    src = config.source
    if src.kind not in HARDWARE_KINDS or src.hardware is None:
        raise HardwareSetupError(
            f"source.kind is {src.kind!r}: tare and calibrate need a hardware source"
            f" ({', '.join(HARDWARE_KINDS)}) with a [source.hardware] table"
        )
    return open_reader(src.kind, src.hardware, config.mat.layout(), clock)


def collect(reader: CountsReader, samples: int, signs: Sequence[int]) -> Rows:
    """``samples`` reads, one row each; a zone without a good reading is ``None``."""
    return [collect_row(reader.read_detailed(), signs) for _ in range(max(samples, 1))]


def collect_row(readings: Sequence[Any], signs: Sequence[int]) -> list[int | None]:
    return [
        r.counts * sign if r.status == "ok" and r.counts is not None else None
        for r, sign in zip(readings, signs, strict=True)
    ]


def zone_signs(config: AppConfig) -> list[int]:
    """Each zone's sign: -1 where ``invert = true`` (a cell wired the other way round)."""
    hw = config.source.hardware
    assert hw is not None  # open_boards made sure
    return [-1 if hw.zones[n].invert else 1 for n in config.mat.layout().names]
