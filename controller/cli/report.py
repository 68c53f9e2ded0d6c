"""``acumat report SESSION [--out FILE.svg|.png] [--state-dir DIR]``: a picture of a session.

SESSION is ``last`` (the newest recording), a recording uid (``mat1:1767000000.000``, as in
``acumat history``) or the path of any acumat-frames/1 file, which is then replayed through
the core. Writes ``<uid>.png`` in the working directory unless ``--out`` says otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from controller.service.paths import StatePaths
from firmware.framefile import FrameFileError


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "report", help="draw a session (load per zone, balance, breathing, events) as PNG/SVG"
    )
    p.add_argument("session", help="'last', a recording uid, or an acumat-frames/1 file")
    p.add_argument("--out", type=Path, help="output .png or .svg (default: <session>.png)")
    p.add_argument("--state-dir", type=Path, help="where the recordings live")
    p.add_argument("--config", type=Path, help="TOML config (state dir and thresholds)")
    p.add_argument(
        "--simulated", action="store_true", help="the simulated runs' recordings (kept apart)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # The config, the core (numpy) and the plot (matplotlib): not for `--help`.
    from controller.cli.config_arg import load_or_say
    from controller.core.settings import CoreSettings
    from controller.service.config import default_state_dir
    from controller.views.report import SessionNotFoundError, find_session, load_trace
    from controller.views.report_plot import ReportError, render

    config = load_or_say(args.config) if args.config else None
    if args.config and config is None:
        return 2
    state_dir = args.state_dir or (config.storage.dir if config else default_state_dir())
    settings = config.core() if config else CoreSettings()
    try:
        path = find_session(
            args.session, StatePaths.for_source(state_dir, args.simulated).recordings
        )
        trace = load_trace(path, settings)
        out = args.out or Path(_default_name(path))
        render(trace, out)
    except (SessionNotFoundError, ReportError, FrameFileError) as exc:
        print(f"acumat report: {exc}{_simulated_hint(args, state_dir, exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"acumat report: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return 2
    print(done_line(trace.title, len(trace.t_s), len(trace.marks), out))
    return 0


def done_line(title: str, frames: int, marks: int, out: Path) -> str:
    """What was drawn, and where (a short recording has one session event, not '1 ... events')."""
    events = "1 session event" if marks == 1 else f"{marks} session events"
    return f"{title}: {frames} frames, {events} -> {out}"


def _simulated_hint(args: argparse.Namespace, state_dir: Path, exc: Exception) -> str:
    """`./dev simulate` then `acumat report last`: the demo's recordings are kept apart."""
    from controller.views.report import SessionNotFoundError

    if args.simulated or not isinstance(exc, SessionNotFoundError):
        return ""
    simulated = StatePaths.for_source(state_dir, True).recordings
    if not any(simulated.glob("*.jsonl")):
        return ""
    return " (simulated runs keep theirs apart: add --simulated)"


def _default_name(path: Path) -> str:
    # A uid holds ':'; keep file names portable.
    return path.stem.replace(":", "_") + ".png"
