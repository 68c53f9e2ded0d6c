"""``acumat tare`` and ``acumat calibrate``: per-zone zero and scale from the real boards.

``acumat calibrate --config FILE`` is the wizard (tare, the known weight on each zone in
turn, verify; ``controller.calibration.wizard`` decides, ``controller.calibration.shell``
talks);
``acumat tare --config FILE`` averages readings of the empty, still mat into each zone's
offset; ``acumat calibrate --config FILE --zone NAME --kg 10`` turns readings with a known
weight on one zone into that zone's counts per kg; ``acumat calibrate --watch`` shows each
zone live (raw counts, the change since it started, kg once calibrated) for the build guide's
tile check. This module owns the arguments and each command's steps; all of them run inside
``controller.cli.boards.with_boards``, which loads the config, opens the boards named in
``[source.hardware]`` and frees the pins (when ``acumat.service`` runs it says so, offers to
stop it, and starts it again at the end). They validate the result (firmware.calibration) and
write ``calibration.json`` in the state directory, which a running service would pick up by
itself. Not pure: reads pins, writes a file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from controller.calibration.shell import Ask, Terminal, add_wizard_flags, build_wizard, drive
from controller.cli.boards import collect, collect_row, with_boards, zone_signs
from controller.service.paths import StatePaths
from controller.service.unit import ServiceUnit
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

# The config's sections and the boards' readers are imported where they are used:
# `acumat calibrate --help` loads neither (tests/contract/test_lazy_imports.py).
if TYPE_CHECKING:
    from controller.service.config import AppConfig
    from firmware.boards import CountsReader


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
    c.add_argument(
        "--watch",
        action="store_true",
        help="show each zone live (raw counts before calibration); Ctrl-C ends it",
    )
    c.add_argument("--for-s", type=float, help="with --watch: stop after this many seconds")
    add_wizard_flags(c)
    c.set_defaults(func=run_calibrate)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, required=True, help="TOML configuration file")
    p.add_argument(
        "--samples", type=int, default=50, help="readings to average (50 = 5 s at 10 SPS)"
    )


def run_tare(
    args: argparse.Namespace, clock: Clock | None = None, unit: ServiceUnit | None = None
) -> int:
    clock = clock or SystemClock()
    return with_boards(
        args,
        clock,
        lambda cfg, reader: tare_zones(cfg, reader, args, sys.stdout, clock),
        unit=unit,
    )


def run_calibrate(
    args: argparse.Namespace,
    clock: Clock | None = None,
    ask: Ask = input,
    unit: ServiceUnit | None = None,
) -> int:
    clock = clock or SystemClock()
    if args.watch:
        watch = partial(watch_zones, args=args, out=sys.stdout, clock=clock)
        return with_boards(args, clock, watch, unit=unit, ask=ask)
    if args.zone is None:
        return run_wizard(args, clock, ask, unit)
    if args.weight_kg is None:
        print("acumat: --zone needs --kg (the known weight)", file=sys.stderr)
        return 2
    return with_boards(
        args,
        clock,
        lambda cfg, reader: calibrate_zone(cfg, reader, args, sys.stdout, clock),
        unit=unit,
        ask=ask,
    )


def run_wizard(
    args: argparse.Namespace, clock: Clock, ask: Ask = input, unit: ServiceUnit | None = None
) -> int:
    term = Terminal(sys.stdout, sys.stderr, ask, args.yes)
    return with_boards(
        args,
        clock,
        lambda cfg, reader: wizard_session(cfg, reader, args, term, clock),
        unit=unit,
        ask=ask,
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
    signs = zone_signs(config)
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
    rows = collect(reader, args.samples, zone_signs(config))
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
    rows = collect(reader, args.samples, zone_signs(config))
    offset = current.zone(args.zone).offset_counts
    known_kg = args.weight_kg
    scale = scale_from_known_weight(args.zone, [row[column] for row in rows], offset, known_kg)
    new = current.with_zone(args.zone, checked_zone(args.zone, offset, scale))
    save_calibration(path, new, clock.wall())
    print(f"{args.zone}: scale_counts_per_kg {scale:.2f} (offset {offset:.1f})", file=out)
    print(f"saved {path}", file=out)
    return 0


def watch_zones(
    config: AppConfig, reader: CountsReader, *, args: argparse.Namespace, out: TextIO, clock: Clock
) -> int:
    """Each zone live: raw counts, the change since the watch began, kg when calibrated.

    Pressing a tile must raise its zone's change (a fall means ``invert = true``; ``not_ready``
    means its DAT wire is on another pin). On a terminal the block is redrawn in place."""
    names = config.mat.layout().names
    _, current = _paths(config)
    signs, live = zone_signs(config), out.isatty()
    start_s, first = clock.monotonic(), collect(reader, 1, signs)[0]
    shown = False
    while args.for_s is None or clock.monotonic() - start_s < args.for_s:
        row, statuses = _read_once(reader, signs)
        if live and shown:
            out.write(f"\x1b[{len(names)}F")
        for name, counts, base, status in zip(names, row, first, statuses, strict=True):
            out.write(_watch_line(name, counts, base, current.zone(name).to_kg, status) + "\n")
        out.flush()
        shown = True
    return 0


def _read_once(reader: CountsReader, signs: Sequence[int]) -> tuple[list[int | None], list[str]]:
    readings = reader.read_detailed()
    row = collect_row(readings, signs)
    return row, [str(r.status) for r in readings]


def _watch_line(name: str, counts: int | None, base: int | None, to_kg: Any, status: str) -> str:
    if counts is None:
        return f"{name:<14} {'-':>10}  {'':>9}  {'':>9}  {status}"
    change = "" if base is None else f"{counts - base:+9d}"
    kg = to_kg(counts)
    kg_text = "uncalib." if kg is None else f"{max(kg, 0.0):6.2f} kg"
    return f"{name:<14} {counts:>10d}  {change:>9}  {kg_text:>9}  {status}"
