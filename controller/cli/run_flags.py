"""``acumat run``'s source, speed, state-dir and web flags merged over the config file's
keys, and a flag's bad value said naming the flag (I/O: stderr).

The merged keys are validated by the config schema itself, so a flag obeys the same rule
as the file's field (``--speed 0`` is refused as ``source.speed`` would be).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from controller.cli.config_arg import say_problems

if TYPE_CHECKING:
    from controller.service.config import AppConfig

# The config fields the flags set. The file was valid on its own, so a problem with one of
# them once the flags are merged is the flag's value, judged by the field's own rule: say it.
_FLAG_OF_FIELD = {
    "source.speed": "--speed",
    "source.scenario": "--simulate",
    "source.file": "--file",
    "storage.dir": "--state-dir",
    "web.listen": "--web",
}


def say_flag_problems(problems: list[str]) -> None:
    for line in problems:
        field, _, reason = line.partition(": ")
        flag = _FLAG_OF_FIELD.get(field)
        if flag is None:
            say_problems([line])
        else:
            print(f"acumat run: {flag}: {reason}", file=sys.stderr)


def with_flags(config: AppConfig, args: argparse.Namespace) -> AppConfig:
    """The flags merged over the keys the file gave, validated as the file's would be."""
    from controller.service.config import parse_config
    from firmware.schema import as_data

    data = as_data(config)  # the file's keys only: defaults stay defaults
    source: dict[str, Any] = {}
    if args.simulate is not None:
        source.update(kind="simulate", scenario=args.simulate)
    if args.file is not None:
        source.update(kind="file", file=args.file)
    if args.speed is not None:
        source["speed"] = args.speed
    if not (source or args.state_dir is not None or getattr(args, "web", None) is not None):
        return config
    if source:
        data["source"] = {**data.get("source", {}), **source}
    if args.state_dir is not None:  # the file's other [storage] settings stay
        # Typed by a person who is watching: a directory that cannot be used is a typo to
        # report (exit 2), unless the config says to run without storing.
        data["storage"] = {"unusable": "exit", **data.get("storage", {}), "dir": args.state_dir}
    listen = getattr(args, "web", None)  # callers that build the namespace may leave it out
    if listen is not None:
        data["web"] = {**(data.get("web") or {}), "listen": listen}
    return parse_config(data)
