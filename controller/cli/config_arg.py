"""The config a command was given: loaded, or its problems said the one way every command
says them, ``acumat: config: <field>: <reason>`` on stderr, one line each (I/O).

``check-config`` says more (every problem, the file's name, what would be used); the others
stop at the first broken file with exit status 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from controller.service.config import AppConfig


def load_or_say(path: Path | None) -> AppConfig | None:
    """The config at ``path`` (the defaults for ``None``), or None once its problems are said
    (the caller returns 2)."""
    from controller.service.config import ConfigError, load_config  # light: no numpy, no paho

    try:
        return load_config(path)
    except ConfigError as exc:
        say_problems(exc.problems)
        return None


def say_problems(problems: list[str]) -> None:
    for line in problems:
        print(f"acumat: config: {line}", file=sys.stderr)
