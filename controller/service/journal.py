"""The running session on disk, so a crash, a power cut or a restart loses none of it (I/O).

An ``Adapter`` that rewrites ``StatePaths.journal`` (write, fsync, rename: a power cut
leaves the old or the new file, never half of one) whenever a session event happens and every
``every_s`` of frame time while a session is open, and removes it when the session ends.
Times are stored as wall time; on start ``load`` moves them onto the new run's frame time.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from controller.core.commands import CommandRequest
from controller.core.controller import MatController
from controller.core.events import Event, SessionEnded
from controller.core.session import SavedSession
from controller.core.state import MatState
from firmware.clock import WallAt
from firmware.frame import ZoneFrame

log = logging.getLogger("acumat.journal")
_VERSION = 1


class SessionJournal:
    def __init__(
        self, path: Path, core: MatController, wall_at: WallAt, every_s: float = 5.0
    ) -> None:
        self.path = path
        self._core = core
        self._wall_at = wall_at
        self._every_s = every_s
        self._next_t = 0.0

    def start(self) -> None:
        return None

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        if any(isinstance(e, SessionEnded) for e in events) and state.session.state == "idle":
            self._remove()
            return
        session_event = any(e.type.startswith("session_") for e in events)
        if state.session.state != "idle" and (session_event or frame.t >= self._next_t):
            self._write()
            self._next_t = frame.t + self._every_s

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        """On a clean stop the open session is saved, to be resumed at the next start."""
        if self._core.save_session() is not None:
            self._write()

    def _write(self) -> None:
        saved = self._core.save_session()
        if saved is None:
            return
        data: dict[str, Any] = {"version": _VERSION, **asdict(saved)}
        data["started_wall_s"] = self._wall_at(saved.started_t)
        data["last_seen_wall_s"] = self._wall_at(saved.last_seen_t)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, self.path)

    def _remove(self) -> None:
        self.path.unlink(missing_ok=True)


def load(path: Path, first_t: float, now_wall_s: float) -> SavedSession | None:
    """The saved session with its times moved onto this run's frame time, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.pop("version") != _VERSION:
            raise ValueError("unknown version")
        started_wall, seen_wall = data.pop("started_wall_s"), data.pop("last_seen_wall_s")
        saved = SavedSession(**data)
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("ignoring a damaged %s (%s)", path, exc)
        return None
    return replace(
        saved,
        started_t=first_t - (now_wall_s - float(started_wall)),
        last_seen_t=first_t - max(0.0, now_wall_s - float(seen_wall)),
    )
