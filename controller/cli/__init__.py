"""The ``acumat`` command: one module per subcommand, each with ``register(subparsers)``.

A subcommand's module sets ``func`` on its parser; ``func(args)`` returns the exit code.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# One line per subcommand module (controller/cli/<name>.py).
_SUBCOMMANDS: tuple[str, ...] = (
    "run",
    "replay",
    "simulate",
    "check_config",
    "calibrate",
    "report",
    "monitor",
    "history",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="acumat",
        description="acumat: a smart acupressure mat (load cells → posture, sessions, MQTT).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _SUBCOMMANDS:
        module = importlib.import_module(f"controller.cli.{name}")
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `acumat replay big.jsonl | head` closes our stdout early: not an error.
        sys.stderr.close()
        return 0
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
