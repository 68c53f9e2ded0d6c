"""The running session on disk, so a crash, a power cut or a restart loses none of it (I/O).

The service loop hands ``SessionJournal.keep`` the core's saved session after every frame (None
when no session is open). The journal rewrites ``StatePaths.journal`` (write, fsync, rename: a
power cut leaves the old or the new file, never half of one) whenever a session event happens
and every ``every_s`` of frame time while a session is open, and removes it when the session
ends. It never sees the core. Times are stored as wall time; on start ``load`` moves them onto
the new run's frame time. The saved session carries the session's tally, so the figures
measured before a restart (breathing, stillness, balance) are in its summary.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from controller.core.events import Event, SessionEnded
from controller.core.session import SavedSession
from controller.core.summary import Tally
from firmware.clock import WallAt

log = logging.getLogger("acumat.journal")
# 2: the target the session started with and its tally. A version-1 file (written before
# them) is ignored with a warning: its session cannot be resumed.
_VERSION = 2


class SessionJournal:
    def __init__(self, path: Path, wall_at: WallAt, every_s: float = 5.0) -> None:
        self.path = path
        self._wall_at = wall_at
        self._every_s = every_s
        self._next_t = 0.0

    def keep(self, t: float, events: Sequence[Event], saved: SavedSession | None) -> None:
        """After a frame at ``t`` (or a command applied then): ``saved`` is the open session."""
        if saved is None:
            if any(isinstance(e, SessionEnded) for e in events):
                self._remove()
            return
        session_event = any(e.type.startswith("session_") for e in events)
        if session_event or t >= self._next_t:
            self._write(saved)
            self._next_t = t + self._every_s

    def close(self, saved: SavedSession | None) -> None:
        """On a clean stop the open session is saved, to be resumed at the next start."""
        if saved is not None:
            self._write(saved)

    def _write(self, saved: SavedSession) -> None:
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
        version = data.pop("version")
        if version != _VERSION:
            raise ValueError(f"version {version}; this acumat reads version {_VERSION}")
        started_wall, seen_wall = data.pop("started_wall_s"), data.pop("last_seen_wall_s")
        tally = _tally(data.pop("tally"))
        saved = SavedSession(**data, tally=tally)
        if not _number_or_none(saved.target_s):  # the program's rules compare it on restore
            raise ValueError(f"target_s {saved.target_s!r}")
    except FileNotFoundError:
        return None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("ignoring a damaged %s (%s)", path, exc)
        return None
    return replace(
        saved,
        started_t=first_t - (now_wall_s - float(started_wall)),
        last_seen_t=first_t - max(0.0, now_wall_s - float(seen_wall)),
    )


def _number_or_none(value: object) -> bool:
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _tally(data: dict[str, Any]) -> Tally:
    points = tuple((float(s), float(bpm)) for s, bpm in data.pop("breathing"))
    return Tally(**data, breathing=points)
