"""The ``acumat`` command: one module per subcommand, each with ``register(subparsers)``.

A subcommand's module sets ``func`` on its parser; ``func(args)`` returns the exit code.
Start-up stays short (issue 13): a subcommand's module imports numpy, paho, matplotlib and
the config inside the functions that use them, never at the top, and ``main`` imports only
the module of the command it runs. ``acumat --help``, a bare ``acumat`` (its help and exit 2)
and an unknown command build the whole parser. tests/contract/test_lazy_imports.py holds both to it.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

# Each command, in the order `acumat --help` lists them, and its module (controller/cli/<name>.py)
# that registers it.
_COMMANDS: dict[str, str] = {
    "run": "run",
    "replay": "replay",
    "simulate": "simulate",
    "check-config": "check_config",
    "tare": "calibrate",
    "calibrate": "calibrate",
    "report": "report",
    "monitor": "monitor",
    "history": "history",
}
_SUBCOMMANDS: tuple[str, ...] = tuple(dict.fromkeys(_COMMANDS.values()))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``acumat`` parser; given a known ``command``, with that command's module only."""
    parser = argparse.ArgumentParser(
        prog="acumat",
        description="acumat: a smart acupressure mat (load cells → posture, sessions, MQTT).",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    chosen = _COMMANDS.get(command or "")
    for name in _SUBCOMMANDS if chosen is None else (chosen,):
        module = importlib.import_module(f"controller.cli.{name}")
        module.register(sub)
    # Kept so that a wrong flag is answered with its command's usage, not acumat's.
    parser.set_defaults(command_parsers=sub.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    # The command comes first (acumat has no options of its own but --help).
    parser = build_parser(argv[0] if argv else None)
    if not argv:  # a first try: the list of commands says more than "COMMAND is required"
        parser.print_help(sys.stderr)
        print("\nacumat: error: name a command (acumat COMMAND --help)", file=sys.stderr)
        return 2
    args, extra = parser.parse_known_args(argv)
    if extra:  # the command's usage lists the flags it does take
        args.command_parsers[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
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
