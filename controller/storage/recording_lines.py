"""What the lines of a session recording say, and the time of its last frame read back.

A recording is acumat-frames/1 (firmware.framefile): a header whose ``recording`` object names
the session (``uid``, ``mat_id``, ``session``, ``program``, ``started_wall_s``, and the
``wall_offset_s`` its frame times are on), then a line per frame that also carries the core's
``imbalance``, ``cop_x_m``, ``cop_y_m``, ``posture`` and ``bpm`` (extra keys every reader
ignores). The events file holds the events as their ``to_dict`` says, and a
``recording_stopped`` line when a full disk ended the recording early. Every time is moved by
``shift_s`` onto the recording's own clock (a session restored after a restart). The lines are
made purely; ``last_frame_t`` reads a file (I/O).
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from controller.core.events import Event
from controller.core.state import MatState
from controller.storage.recordings import dumps
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileHeader, frame_to_dict
from firmware.layout import MatLayout


def header_line(
    layout: MatLayout,
    uid: str,
    *,
    rate_hz: float,
    mat_id: str,
    session: int | None,
    program: str,
    started_wall_s: float,
    wall_offset_s: float,
) -> str:
    """The first line: the layout, the rate hint (the recorder's maximum rate), and the
    ``recording`` object naming the session."""
    info = {
        "uid": uid,
        "mat_id": mat_id,
        "session": session,
        "program": program,
        "started_wall_s": round(started_wall_s, 3),
        "wall_offset_s": wall_offset_s,
    }
    return dumps(FrameFileHeader(layout, rate_hz, {"recording": info}).to_dict()) + "\n"


def frame_line(layout: MatLayout, frame: ZoneFrame, state: MatState, shift_s: float) -> str:
    line = frame_to_dict(layout, frame)
    line["t"] = round(frame.t + shift_s, 4)
    line.update(
        imbalance=state.imbalance,
        cop_x_m=state.cop_x_m,
        cop_y_m=state.cop_y_m,
        posture=state.posture,
        bpm=state.breathing_bpm,
    )
    return dumps(line) + "\n"


def event_line(event: Event, shift_s: float) -> str:
    return dumps({**event.to_dict(), "t": event.t + shift_s}) + "\n"


def stopped_line(t: float, shift_s: float) -> str:
    """The events file's last line when a full disk ends a recording early."""
    return dumps({"type": "recording_stopped", "t": t + shift_s, "reason": "disk_space"}) + "\n"


def last_frame_t(path: Path) -> float | None:
    """The ``t`` of a recording's last whole frame line (None: no frame, or unreadable)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, handle.seek(0, 2) - 65536))
            lines = handle.read().splitlines()[1:]  # the first may be cut
    except OSError:
        return None
    for line in reversed(lines):
        with contextlib.suppress(ValueError, TypeError, KeyError):
            t = json.loads(line)["t"]
            if isinstance(t, int | float):
                return float(t)
    return None
