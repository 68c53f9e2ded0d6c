"""acumat's installed version, as Home Assistant's device page shows it (I/O: lists the
folders on ``sys.path`` and reads one metadata file).

What ``importlib.metadata.version("acumat")`` answers, found the same way: the first
``acumat-<version>.dist-info`` (its ``METADATA``) or ``acumat*.egg-info`` (its ``PKG-INFO``)
in the first folder of the path that has one, its ``Version:`` header. Read here directly
because importlib.metadata, for this one string, kept 0.85 MB resident in the service (it
imports zipfile, csv and seven modules of its own; benchmarks/memory.py, issue 13).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

UNKNOWN = "0"  # run from a checkout that was never installed
_METADATA_FILE = {"dist-info": "METADATA", "egg-info": "PKG-INFO"}


def installed_version(name: str = "acumat", path: Sequence[str] | None = None) -> str:
    """``name``'s version from the first metadata folder on ``path`` (``sys.path``), or
    ``UNKNOWN``."""
    for entry in sys.path if path is None else path:
        folder = Path(entry or ".")
        for child in _metadata_folders(folder, name):
            version = _header(folder / child / _METADATA_FILE[child.rpartition(".")[2]])
            if version is not None:
                return version
    return UNKNOWN


def _metadata_folders(folder: Path, name: str) -> list[str]:
    try:
        children = os.listdir(folder)
    except OSError:  # not a folder (a zip file), or gone
        return []
    wanted = name.lower().replace("-", "_")
    found = []
    for child in children:
        stem, _, suffix = child.rpartition(".")
        if suffix in _METADATA_FILE and stem.split("-")[0].lower() == wanted:
            found.append(child)
    return sorted(found)


def _header(path: Path) -> str | None:
    """The ``Version`` of a core-metadata file (its headers end at the first empty line)."""
    try:
        with path.open(encoding="utf-8") as lines:
            for line in lines:
                if not line.strip():
                    return None
                key, sep, value = line.partition(":")
                if sep and key.strip().lower() == "version":
                    return value.strip()
    except (OSError, UnicodeDecodeError):
        return None
    return None
