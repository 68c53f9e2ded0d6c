"""The running session on disk, so a crash, a power cut or a restart loses none of it (I/O).

The service loop hands ``SessionJournal.keep`` the core's saved session after every frame (None
when no session is open). The journal rewrites ``StatePaths.journal`` (write, fsync, rename: a
power cut leaves the old or the new file, never half of one) whenever a session event happens
and every ``every_s`` of frame time while a session is open, and removes it when the session
ends. It never sees the core. Times are stored as wall time; on start ``load`` moves them onto
the new run's frame time, keeping the session's own span: a wall clock set back across the
restart (a Pi without a clock chip, before NTP) counts no time away and never dates the start
after the end. The saved session carries the session's tally, so the figures
measured before a restart (breathing, stillness, balance) are in its summary.

The file is owner-only (0600). A write that fails (a full disk) is logged once with its cause,
then at most once a minute, and tried again at the next session event or ``every_s`` later;
the previous file stays whole. ``load`` validates every field's type (strictly, against
``SavedSession``, with ``firmware.schema``): a file it cannot use is ignored with one warning
and moved aside under a timestamped name (``session.json.damaged-<UTC time>``), so the
service starts without it.
``discard`` drops a saved session that a run must not resume: a simulated run starts afresh
(its saved wall times run ahead of the clock at ``--speed``, and a demo has no person to come
back). A file replayed at ``--speed`` resumes as before; the recorder keeps its time forward.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any

from controller.core.events import Event, SessionEnded
from controller.core.session import SavedSession
from controller.core.summary import Tally
from controller.storage.files import private_fd, set_aside
from controller.storage.trouble import Trouble
from firmware.clock import Clock, SystemClock, WallAt
from firmware.schema import SchemaError, parse

log = logging.getLogger("acumat.journal")
# 2: the target the session started with and its tally. A version-1 file (written before
# them) is ignored with a warning: its session cannot be resumed.
_VERSION = 2
_JOURNAL_ONLY = ("version", "started_wall_s", "last_seen_wall_s")  # not SavedSession's
_MAX_BYTES = 1 << 20  # a journal is a few hundred bytes; more is not one


class SessionJournal:
    def __init__(
        self, path: Path, wall_at: WallAt, every_s: float = 5.0, clock: Clock | None = None
    ) -> None:
        self.path = path
        self._wall_at = wall_at
        self._every_s = every_s
        self._next_t = 0.0
        self._trouble = Trouble(log, f"saving the open session to {path}", clock or SystemClock())

    def keep(self, t: float, events: Sequence[Event], saved: SavedSession | None) -> None:
        """After a frame at ``t`` (or a command applied then): ``saved`` is the open session."""
        if saved is None:
            if any(isinstance(e, SessionEnded) for e in events):
                self._remove()
            return
        session_event = any(e.type.startswith("session_") for e in events)
        if session_event or t >= self._next_t:
            self._next_t = t + self._every_s  # a failed write waits too: no retry per frame
            self._write(saved)

    def close(self, saved: SavedSession | None) -> None:
        """On a clean stop the open session is saved, to be resumed at the next start."""
        if saved is not None:
            self._write(saved)

    def _write(self, saved: SavedSession) -> None:
        data: dict[str, Any] = {"version": _VERSION, **asdict(saved)}
        data["started_wall_s"] = self._wall_at(saved.started_t)
        data["last_seen_wall_s"] = self._wall_at(saved.last_seen_t)
        tmp = self.path.with_suffix(".tmp")
        try:
            fd = private_fd(tmp, os.O_WRONLY | os.O_TRUNC)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except OSError as exc:
            self._trouble.failed(exc)
            with contextlib.suppress(OSError):
                tmp.unlink()  # what a full disk left of it
            return
        self._trouble.ok()

    def _remove(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
        except OSError as exc:
            self._trouble.failed(exc)


def load(path: Path, first_t: float, now_wall_s: float) -> SavedSession | None:
    """The saved session with its times moved onto this run's frame time, or None.

    A file that cannot be used is moved aside (dated ``now_wall_s``) with one warning."""
    try:
        with path.open("rb") as handle:
            text = handle.read(_MAX_BYTES + 1)
        saved, started_wall, seen_wall = _parse(text)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # SchemaError and UnicodeDecodeError are too
        _ignore(path, now_wall_s, exc)
        return None
    # The session's own span (start to last seen) was measured on one frame clock and stands;
    # only the time since it was saved depends on the wall clock, which may have been set back
    # meanwhile (a Pi without a clock chip boots with the time it saved at shutdown, then NTP
    # moves it): a clock that went back counts no time away and never dates the start ahead.
    last_seen_t = first_t - max(0.0, now_wall_s - seen_wall)
    return replace(
        saved,
        started_t=last_seen_t - max(0.0, seen_wall - started_wall),
        last_seen_t=last_seen_t,
    )


def discard(path: Path) -> bool:
    """Removes a saved session without resuming it; True if there was one."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _parse(text: bytes) -> tuple[SavedSession, float, float]:
    if len(text) > _MAX_BYTES:
        raise ValueError(f"larger than {_MAX_BYTES // 1024} KiB")
    data = json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    version = data.get("version")
    if version != _VERSION:
        raise ValueError(f"version {version!r}; this acumat reads version {_VERSION}")
    walls: list[Any] = [data.get("started_wall_s"), data.get("last_seen_wall_s")]
    if not all(isinstance(w, int | float) and not isinstance(w, bool) for w in walls):
        raise ValueError(f"started_wall_s / last_seen_wall_s {walls!r}")
    _all_fields(data, SavedSession, "")
    _all_fields(data.get("tally"), Tally, "tally.")
    try:
        saved = parse(SavedSession, {k: v for k, v in data.items() if k not in _JOURNAL_ONLY})
    except SchemaError as exc:
        raise ValueError(exc.lines()[0]) from None
    return saved, float(walls[0]), float(walls[1])


def _all_fields(data: object, cls: type[Any], where: str) -> None:
    """Every field written: a default filling a missing one would hide a damaged file."""
    missing = [f.name for f in fields(cls) if not isinstance(data, dict) or f.name not in data]
    if missing:
        raise ValueError(f"{where}{missing[0]}: missing")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is not a number acumat saves")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number acumat saves")


def _ignore(path: Path, now_wall_s: float, exc: Exception) -> None:
    try:
        moved = f"moved aside to {set_aside(path, now_wall_s)}"
    except OSError as move_exc:
        moved = f"left in place ({move_exc.strerror})"
    log.warning(
        "ignoring a damaged %s (%s): the session in it is not resumed; %s", path, exc, moved
    )
