"""``acumat tare`` and ``acumat calibrate``: per-zone zero and scale from the real boards.

``acumat calibrate --config FILE`` is the wizard (tare, the known weight on each zone in
turn, verify; ``controller.calibration.wizard`` decides, ``calibrate_wizard`` talks);
``acumat tare --config FILE`` averages readings of the empty, still mat into each zone's
offset; ``acumat calibrate --config FILE --zone NAME --kg 10`` turns readings with a known
weight on one zone into that zone's counts per kg. All read the boards named in
``[source.hardware]`` (the service must not be running: the pins are not shared), validate
the result (firmware.calibration) and write ``calibration.json`` in the state directory,
which a running service would pick up by itself. Not pure: reads pins, writes a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from controller.calibration.shell import Ask, Terminal, add_wizard_flags, build_wizard, drive
from controller.service.config import AppConfig, ConfigError, load_config
from controller.service.paths import StatePaths
from firmware.calibration import (
    Calibration,
    CalibrationError,
    checked_zone,
    load_calibration,
    save_calibration,
    scale_from_known_weight,
    tare,
)
from firmware.clock import Clock, SystemClock
from firmware.hwconfig import HARDWARE_KINDS
from firmware.sampling import CountsReader, HardwareSetupError, open_reader

Rows = list[list[int | None]]


def register(sub: Any) -> None:
    t: argparse.ArgumentParser = sub.add_parser(
        "tare", help="zero every zone from readings of the empty, still mat"
    )
    _common(t)
    t.add_argument("--force", action="store_true", help="accept a large shift from the old zero")
    t.set_defaults(func=run_tare)
    c: argparse.ArgumentParser = sub.add_parser(
        "calibrate",
        help="the calibration wizard (tare, a known weight on each zone, verify)",
        description="Without --zone: the wizard. With --zone NAME --kg X: that zone only.",
    )
    _common(c)
    c.add_argument("--zone", help="calibrate this zone only, from the weight resting on it now")
    c.add_argument("--kg", "--weight-kg", dest="weight_kg", type=float, help="known weight, kg")
    add_wizard_flags(c)
    c.set_defaults(func=run_calibrate)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, required=True, help="TOML configuration file")
    p.add_argument(
        "--samples", type=int, default=50, help="readings to average (50 = 5 s at 10 SPS)"
    )


def run_tare(args: argparse.Namespace, clock: Clock | None = None) -> int:
    clock = clock or SystemClock()
    return with_boards(
        args, clock, lambda cfg, reader: tare_zones(cfg, reader, args, sys.stdout, clock)
    )


def run_calibrate(args: argparse.Namespace, clock: Clock | None = None, ask: Ask = input) -> int:
    clock = clock or SystemClock()
    if args.zone is None:
        return run_wizard(args, clock, ask)
    if args.weight_kg is None:
        print("acumat: --zone needs --kg (the known weight)", file=sys.stderr)
        return 2
    return with_boards(
        args, clock, lambda cfg, reader: calibrate_zone(cfg, reader, args, sys.stdout, clock)
    )


def run_wizard(args: argparse.Namespace, clock: Clock, ask: Ask = input) -> int:
    term = Terminal(sys.stdout, sys.stderr, ask, args.yes)
    return with_boards(
        args, clock, lambda cfg, reader: wizard_session(cfg, reader, args, term, clock)
    )


def wizard_session(
    config: AppConfig,
    reader: CountsReader,
    args: argparse.Namespace,
    term: Terminal,
    clock: Clock,
) -> int:
    """Tare, each zone, verify; saves unless the run failed or verification was off."""
    path, current = _paths(config)
    wizard = build_wizard(args, config.mat.layout().names, current, term.ask)
    signs = _signs(config)
    new = drive(wizard, lambda: collect(reader, 1, signs)[0], clock, term)
    verified = term.verified
    if new is None:
        print("nothing saved", file=term.out)
        return 1
    if args.verify:
        return 0 if verified is not None and verified.ok else 1
    if verified is not None and not verified.ok and not term.confirm("Save it anyway?"):
        limit_pct = wizard.settings.verify_tolerance_pct
        print(f"nothing saved (off by more than {limit_pct:g} %)", file=term.out)
        return 1
    save_calibration(path, new, clock.wall())
    print(f"saved {path}", file=term.out)
    return 0


def with_boards(args: argparse.Namespace, clock: Clock, action: Any) -> int:
    try:
        config = load_config(args.config)
        reader = open_boards(config, clock)
    except ConfigError as exc:
        for line in exc.problems:
            print(f"{args.config}: {line}", file=sys.stderr)
        return 2
    except (HardwareSetupError, CalibrationError) as exc:
        print(f"acumat: {exc}", file=sys.stderr)
        return 2
    try:
        code: int = action(config, reader)
    except CalibrationError as exc:
        print(f"acumat: {exc}", file=sys.stderr)
        return 1
    finally:
        reader.close()
    return code


def open_boards(config: AppConfig, clock: Clock) -> CountsReader:
    src = config.source
    if src.kind not in HARDWARE_KINDS or src.hardware is None:
        raise HardwareSetupError(
            f"source.kind is {src.kind!r}: tare and calibrate need a hardware source"
            f" ({', '.join(HARDWARE_KINDS)}) with a [source.hardware] table"
        )
    return open_reader(src.kind, src.hardware, config.mat.layout(), clock)


def collect(reader: CountsReader, samples: int, signs: Sequence[int]) -> Rows:
    """``samples`` reads, one row each; a zone without a good reading is ``None``."""
    rows: Rows = []
    for _ in range(max(samples, 1)):
        rows.append(
            [
                r.counts * sign if r.status == "ok" and r.counts is not None else None
                for r, sign in zip(reader.read_detailed(), signs, strict=True)
            ]
        )
    return rows


def _signs(config: AppConfig) -> list[int]:
    hw = config.source.hardware
    assert hw is not None  # open_boards made sure
    return [-1 if hw.zones[n].invert else 1 for n in config.mat.layout().names]


def _paths(config: AppConfig) -> tuple[Path, Calibration]:
    hw = config.source.hardware
    assert hw is not None
    path = StatePaths(config.storage.dir).calibration
    return path, load_calibration(path).over(hw.calibration())


def tare_zones(
    config: AppConfig, reader: CountsReader, args: argparse.Namespace, out: TextIO, clock: Clock
) -> int:
    names = config.mat.layout().names
    path, current = _paths(config)
    rows = collect(reader, args.samples, _signs(config))
    empty_kg = None if args.force else 15.0
    new = tare(rows, names, current, empty_kg=empty_kg)
    save_calibration(path, new, clock.wall())
    for name in names:
        print(f"{name}: offset_counts {new.zone(name).offset_counts:.1f}", file=out)
    print(f"saved {path}", file=out)
    return 0


def calibrate_zone(
    config: AppConfig, reader: CountsReader, args: argparse.Namespace, out: TextIO, clock: Clock
) -> int:
    names = config.mat.layout().names
    if args.zone not in names:
        raise CalibrationError(f"no zone {args.zone!r} (zones: {', '.join(names)})")
    path, current = _paths(config)
    column = names.index(args.zone)
    rows = collect(reader, args.samples, _signs(config))
    offset = current.zone(args.zone).offset_counts
    known_kg = args.weight_kg
    scale = scale_from_known_weight(args.zone, [row[column] for row in rows], offset, known_kg)
    new = current.with_zone(args.zone, checked_zone(args.zone, offset, scale))
    save_calibration(path, new, clock.wall())
    print(f"{args.zone}: scale_counts_per_kg {scale:.2f} (offset {offset:.1f})", file=out)
    print(f"saved {path}", file=out)
    return 0
