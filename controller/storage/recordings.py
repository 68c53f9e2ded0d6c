"""The recordings folder: which files a recording is, and files written whole (I/O).

A recording is ``<uid>.jsonl`` (acumat-frames/1) and its ``<uid>.events.jsonl``; ``recordings``
lists them oldest first. ``RecordingFiles`` buffers a recording's lines and writes them with
``os.write``, cutting the file back to its last whole line when a write fails (a full disk
never leaves half a line), in files created 0600 (controller.storage.files).
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from controller.storage.files import private_fd
from firmware.framefile import parse_header

EVENTS_SUFFIX = ".events.jsonl"


def recordings(folder: Path) -> list[Path]:
    """Frame files of the recordings in ``folder``, oldest first (by modification time)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.jsonl") if not p.name.endswith(EVENTS_SUFFIX)]
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def events_path(frames_path: Path) -> Path:
    return frames_path.with_name(frames_path.name.removesuffix(".jsonl") + EVENTS_SUFFIX)


def dumps(data: Any) -> str:
    return json.dumps(_clean(data), separators=(",", ":"), allow_nan=False)


def _clean(value: Any) -> Any:
    # JSON has no NaN or infinity; an unknown number is null.
    if isinstance(value, float):
        return round(value, 4) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


class _File:
    """One file of a recording: lines buffered, written whole, or not at all."""

    def __init__(self, path: Path, append: bool) -> None:
        flags = os.O_WRONLY | os.O_APPEND | (0 if append else os.O_TRUNC)
        self.fd = private_fd(path, flags)
        self.size = os.fstat(self.fd).st_size
        self._lines: list[str] = []

    def write(self, line: str) -> None:
        self._lines.append(line)

    def flush(self) -> None:
        data = "".join(self._lines).encode("utf-8")
        self._lines.clear()
        done = 0
        try:
            while done < len(data):
                done += os.write(self.fd, data[done:])
        except OSError:
            os.ftruncate(self.fd, self.size)  # never half a line: the file stays readable
            raise
        self.size += done

    def close(self) -> None:
        os.close(self.fd)


class RecordingFiles:
    """One recording being written: its two files and the shift onto its own clock."""

    def __init__(self, path: Path, shift_s: float, append: bool) -> None:
        self.path = path
        self.shift_s = shift_s
        self.frames = _File(path, append)
        try:
            self.events = _File(events_path(path), append)
        except OSError:
            self.frames.close()
            raise

    def flush(self) -> None:
        self.frames.flush()
        self.events.flush()

    def close(self) -> None:
        self.frames.close()
        self.events.close()


def delete(frames_path: Path) -> int:
    """Removes a recording's two files; the bytes freed."""
    freed = 0
    for path in (frames_path, events_path(frames_path)):
        try:
            freed += path.stat().st_size
            path.unlink()
        except FileNotFoundError:
            pass
    return freed


def unfinished(folder: Path, session: int | None) -> tuple[Path, float] | None:
    """The newest recording, with its wall offset, if it is of ``session`` and unfinished."""
    newest = recordings(folder)[-1:]
    if not newest:
        return None
    path = newest[0]
    try:
        with path.open(encoding="utf-8") as handle:
            info = parse_header(handle.readline()).extra.get("recording", {})
        ended = '"session_ended"' in events_path(path).read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    if ended or info.get("session") != session:
        return None
    return path, float(info.get("wall_offset_s", 0.0))
