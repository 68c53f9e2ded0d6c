"""``acumat simulate SCENARIO --out FILE``: writes a scenario as an acumat-frames/1 file.

The header carries the scenario's name and its ground truth (under ``"truth"``), so a file
can be replayed and scored later. ``--list`` prints the library; ``--out -`` writes to
stdout; ``--layout 2x4:0.6x1.8`` runs the scenario on a grid of columns × rows of that size.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import IO, Any

from firmware.framefile import write_frames
from firmware.layout import LayoutError, MatLayout

_LAYOUT = re.compile(r"^(\d+)x(\d+):(\d*\.?\d+)x(\d*\.?\d+)$")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "simulate", help="write a simulated scenario (with its ground truth) as a frame file"
    )
    p.add_argument("scenario", nargs="?", help="scenario name (see --list)")
    p.add_argument("--out", help="output file, or - for stdout")
    p.add_argument("--seed", type=int, help="random seed (default: the scenario's own)")
    p.add_argument(
        "--layout",
        help="grid COLUMNSxROWS:WIDTHxLENGTH in metres, e.g. 2x4:0.6x1.8 "
        "(default: the scenario's own layout)",
    )
    p.add_argument("--list", action="store_true", help="list the scenarios and exit")
    p.set_defaults(func=run)


def parse_layout(text: str) -> MatLayout:
    """``2x4:0.6x1.8`` → a 2-column, 4-row grid on a 0.6 × 1.8 m platform."""
    match = _LAYOUT.match(text.strip())
    if match is None:
        raise LayoutError(f"expected COLUMNSxROWS:WIDTHxLENGTH such as 2x4:0.6x1.8, got {text!r}")
    columns, rows, width, length = match.groups()
    return MatLayout.grid(int(columns), int(rows), float(width), float(length))


def run(args: argparse.Namespace) -> int:
    from firmware.sim.scenarios import SCENARIOS, build  # numpy: not for `simulate --help`

    if args.list:
        width = max(len(name) for name in SCENARIOS)
        for name, spec in SCENARIOS.items():
            print(f"{name:<{width}}  {spec.description}")
        return 0
    problem = _problem(args)
    if problem:
        print(f"acumat simulate: {problem}", file=sys.stderr)
        return 2
    try:
        layout = parse_layout(args.layout) if args.layout else None
    except LayoutError as exc:
        print(f"acumat simulate: --layout: {exc}", file=sys.stderr)
        return 2
    sim = build(args.scenario, layout=layout, seed=args.seed)
    if args.out == "-":
        _write(sys.stdout, sim)
        return 0
    try:
        with Path(args.out).open("w", encoding="utf-8") as out:
            count = _write(out, sim)
    except OSError as exc:
        print(f"acumat simulate: {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"{args.scenario}: {count} frames, {sim.truth['duration_s']:.0f} s -> {args.out}")
    return 0


def _problem(args: argparse.Namespace) -> str | None:
    from controller.service.sources import scenario_problem

    if not args.scenario:
        return "name a scenario (acumat simulate --list shows them)"
    unknown = scenario_problem(args.scenario, every=False)
    if unknown:
        return unknown
    if not args.out:
        return "--out FILE is required (- for stdout)"
    return None


def _write(out: IO[str], sim: Any) -> int:
    return write_frames(out, sim.header(), sim.frames())
