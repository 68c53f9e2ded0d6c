"""``acumat check-config FILE``: every problem ``acumat run`` would meet, with its field path.

Validates the file as ``acumat run`` does (``load_config``), then makes the checks ``run``
makes before it reads a frame (``source_problems``: the scenario, the frame file, hardware
zones against the mat's layout, calibration.json) and checks that the MQTT files can be read,
since a typo there only shows at the first connection. All problems come at once: when one
section is wrong, the sections that are right are still checked against each other. Prints
the state directory and calibration file the config resolves (and a simulated source's own
folder under it), then one ``FILE: ok`` summary
(exit 0) or one ``FILE: field.path: reason`` line per problem (exit 1). Reads files; changes
nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from controller.service.paths import StatePaths
from firmware.calibration import CalibrationError, load_calibration

# The config's sections and the source's checks are imported where they are used:
# `acumat check-config --help` loads neither (tests/contract/test_lazy_imports.py).
if TYPE_CHECKING:
    from controller.service.config import AppConfig, MatConfig

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
    from controller.service.config import ConfigError, load_config
    from controller.service.sources import source_problems

    try:
        config = load_config(path)
    except ConfigError as exc:
        problems = exc.problems + _problems_between_good_sections(path)
    else:
        problems = source_problems(config.source, config.mat, config.storage.dir)
        problems += file_problems(config)
        for line in resolved_paths(config):
            print(line, file=out)
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


def resolved_paths(config: AppConfig) -> list[str]:
    """Where the service given this config keeps its state, and where from."""
    state_dir = config.storage.dir
    if config.given("storage.dir"):
        origin = "[storage] dir"
    elif os.environ.get("STATE_DIRECTORY"):
        origin = "$STATE_DIRECTORY"
    else:
        origin = "not in the file: this user's default; set [storage] dir to share it"
    lines = [f"state directory: {state_dir} ({origin})"]
    calibration = StatePaths(state_dir).calibration
    lines.append(f"calibration file: {calibration} ({_calibration_note(config, calibration)})")
    if config.source.simulated:  # `acumat run` says this folder as it starts: say it here too
        own = StatePaths.for_source(state_dir, simulated=True).root
        lines.append(f"simulated runs keep their history and recordings in {own} (--simulated)")
    return lines


def _calibration_note(config: AppConfig, path: Path) -> str:
    from firmware.hwconfig import HARDWARE_KINDS

    hardware = config.source.hardware
    used = config.source.kind in HARDWARE_KINDS and hardware is not None
    try:
        written = load_calibration(path)
    except (CalibrationError, OSError):
        return "cannot be used: see below" if used else "unreadable; this source does not use it"
    state = f"{len(written.zones)} zone(s)" if path.exists() else "not written yet"
    if not used or hardware is None:
        return f"{state}; not used by source {config.source.kind}"
    current = written.over(hardware.calibration())
    names = config.mat.layout().names
    missing = [n for n in names if current.zone(n).scale_counts_per_kg is None]
    if len(missing) == len(names):
        return f"{state}; no zone has a scale yet: run acumat calibrate"
    if missing:
        return f"{state}; no scale yet for {', '.join(missing)}: run acumat calibrate"
    return state


def _problems_between_good_sections(path: Path) -> list[str]:
    """The source's checks against the mat, when the sections they need are right
    themselves (the file's other problems are already listed)."""
    import tomllib

    from controller.service.config import MatConfig, SourceConfig, StorageConfig
    from controller.service.sources import source_problems
    from firmware.schema import SchemaError, parse

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        mat = parse(MatConfig, data.get("mat", {}))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, SchemaError):
        return []
    try:
        source = parse(SourceConfig, data.get("source", {}))
        storage = parse(StorageConfig, data.get("storage", {}))
    except SchemaError:  # the zones' names can still be held against the mat's
        return _zone_names_problems(data.get("source", {}), mat)
    return source_problems(source, mat, storage.dir)


def _zone_names_problems(source: Any, mat: MatConfig) -> list[str]:
    """A misspelt zone of a hardware table that has other problems: named all the same."""
    from firmware.boards import zone_problems
    from firmware.hwconfig import HARDWARE_KINDS

    if not isinstance(source, dict) or source.get("kind") not in HARDWARE_KINDS:
        return []
    hardware = source.get("hardware")
    zones = hardware.get("zones") if isinstance(hardware, dict) else None
    if not isinstance(zones, dict):
        return []
    return zone_problems(list(zones), mat.layout())


def file_problems(config: AppConfig) -> list[str]:
    """MQTT's and the web page's files the service will need that are missing or unreadable."""
    named: list[tuple[str, Path | None]] = []
    if config.web is not None:
        named.append(("web.token_file", config.web.token_file))
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
