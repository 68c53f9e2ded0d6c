"""``acumat check-config FILE``: every problem in a configuration file, with its field path.

Validates the file exactly as ``acumat run`` would (``load_config``), then checks that the
files it names can be read by the service (password, TLS, frame file), since a typo there
only shows at the first connection. Prints one ``FILE: field.path: reason`` line per problem
and exits 1, or one ``FILE: ok`` summary and exits 0. Reads files; changes nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from controller.service.config import AppConfig, ConfigError, load_config

# Filled in by systemd from LoadCredential= only while the service runs: nothing to check.
_CREDENTIALS_PREFIX = "/run/credentials/"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "check-config", help="check a configuration file and list every problem"
    )
    p.add_argument("file", type=Path, help="TOML configuration file")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    return check(args.file, sys.stdout, sys.stderr)


def check(path: Path, out: TextIO, err: TextIO) -> int:
    try:
        config = load_config(path)
    except ConfigError as exc:
        problems = exc.problems
    else:
        problems = file_problems(config)
        if not problems:
            print(f"{path}: ok ({summary(config)})", file=out)
            return 0
    for line in problems:  # file-level problems already start with the path
        print(f"{path}: {line.removeprefix(f'{path}: ')}", file=err)
    print(f"{path}: {len(problems)} problem(s)", file=err)
    return 1


def summary(config: AppConfig) -> str:
    zones = len(config.mat.layout().zones)
    mqtt = "off" if config.mqtt is None else f"{config.mqtt.host}:{config.mqtt.port}"
    return f"mat {config.mat.id}, {zones} zones, source {config.source.kind}, mqtt {mqtt}"


def file_problems(config: AppConfig) -> list[str]:
    """Named files the service will need that are missing or unreadable."""
    named: list[tuple[str, Path | None]] = []
    if config.source.kind == "file":
        named.append(("source.file", config.source.file))
    if config.mqtt is not None:
        named += [
            ("mqtt.password_file", config.mqtt.password_file),
            ("mqtt.tls_ca", config.mqtt.tls_ca),
            ("mqtt.tls_cert", config.mqtt.tls_cert),
            ("mqtt.tls_key", config.mqtt.tls_key),
        ]
    return [
        problem
        for field, file in named
        if file is not None
        for problem in [_unreadable(field, Path(file))]
        if problem
    ]


def _unreadable(field: str, path: Path) -> str | None:
    if str(path).startswith(_CREDENTIALS_PREFIX):
        return None
    if not path.is_file():
        return f"{field}: no such file: {path}"
    if not os.access(path, os.R_OK):
        return f"{field}: cannot read {path} (as this user)"
    return None
