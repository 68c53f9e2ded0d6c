"""``acumat replay FILE [--json]``: the core over a frame file as fast as it goes."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from firmware.framefile import FrameFileError, open_frames

# The core (numpy), the config and the console's wording are imported where they are used:
# `acumat replay --help` loads none of them (tests/contract/test_lazy_imports.py), and a replay
# without --config does not load the service's config.
if TYPE_CHECKING:
    from controller.core.events import Event
    from controller.core.settings import CoreSettings


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "replay", help="run the controller over an acumat-frames/1 file and print its events"
    )
    p.add_argument("file", type=Path, help="frame file (JSON Lines, acumat-frames/1)")
    p.add_argument("--json", action="store_true", help="one JSON object per event per line")
    p.add_argument("--config", type=Path, help="TOML config whose thresholds to use")
    p.add_argument("--program", help="program selected before the first frame")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from controller.core.settings import CoreSettings

    settings = CoreSettings()
    if args.config:
        from controller.cli.config_arg import load_or_say

        config = load_or_say(args.config)
        if config is None:
            return 2
        settings = config.core()
    if args.program is not None and args.program not in settings.session.programs:
        known = ", ".join(sorted(settings.session.programs))
        print(f"acumat: unknown program {args.program!r}; one of {known}", file=sys.stderr)
        return 2
    try:
        replay(args.file, settings, args.program, args.json)
    except FrameFileError as exc:
        print(f"acumat: {args.file}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # our stdout's reader left (`| head`): not the file's fault
        raise
    except OSError as exc:
        print(f"acumat: {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    return 0


def replay(path: Path, settings: CoreSettings, program: str | None, as_json: bool) -> int:
    from controller.core.factory import build_controller

    header, frames = open_frames(path)
    if program is not None:
        settings = settings.with_program(program)
    core = build_controller(header.layout, settings)
    emit = _json_line if as_json else _text_line
    write, feed = sys.stdout.write, core.feed
    count = 0
    for frame in frames:
        events = feed(frame)
        if events:  # most frames say nothing: then a frame costs the parse and the core only
            for event in events:
                write(emit(event))  # one write per event: a reader of the pipe gets whole lines
            count += len(events)
    for event in core.finish():
        write(emit(event))
        count += 1
    sys.stdout.flush()
    return count


def _json_line(event: Event) -> str:
    return json.dumps(event.to_dict(), separators=(",", ":")) + "\n"


def _text_line(event: Event) -> str:
    from controller.service.console import format_event

    return format_event(event) + "\n"
