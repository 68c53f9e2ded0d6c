"""What the web API answers, apart from HTTP (I/O: reads the history and calibration files).

``Api`` turns a route's inputs into a ``Reply`` (status code and JSON text): the mat's
description, the state snapshot, the history as ``acumat history --json`` gives it, the
health of calibration and MQTT, and commands. A command is decoded by the same
``controller.wire`` decoder as MQTT's, queued for the service loop, and answered with the same
result JSON once the loop has applied it. A command the loop has not taken in time is
withdrawn, so a 503 always means "not applied".
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from controller.core.commands import COMMAND_NAMES, Command, CommandResult
from controller.core.settings import ProgramSettings
from controller.storage.export import history_json, read_rows
from controller.web.hub import Hub
from controller.wire.commands import MAX_PAYLOAD_BYTES, parse_command, result_payload
from controller.wire.payloads import dumps
from firmware.calibration import CalibrationError, load_calibration
from firmware.clock import Clock, iso_utc
from firmware.layout import MatLayout

COMMAND_TIMEOUT_S = 5.0
MAX_HISTORY_LIMIT = 10_000
Submit = Callable[[Command, Callable[[CommandResult], None]], Callable[[], bool]]
"""Queues a command for the loop with where its result goes; returns "withdraw" (True when
the command was still waiting and is now withdrawn)."""


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    body: str


def error(status: int, message: str) -> Reply:
    return Reply(status, dumps({"status": "error", "error": message}))


@dataclass(frozen=True, slots=True)
class MatInfo:
    """What does not change while the service runs."""

    mat_id: str
    name: str
    layout: MatLayout
    programs: Mapping[str, ProgramSettings]
    source_kind: str
    token_required: bool

    def to_dict(self) -> dict[str, Any]:
        programs = {
            name: {"target_s": p.target_s, "trigger": p.trigger}
            for name, p in sorted(self.programs.items())
        }
        return {
            "schema_version": 1,
            "mat": self.mat_id,
            "name": self.name,
            "layout": self.layout.to_dict(),
            "programs": programs,
            "commands": list(COMMAND_NAMES),
            "source": self.source_kind,
            "token_required": self.token_required,
        }


class Api:
    max_body_bytes = MAX_PAYLOAD_BYTES

    def __init__(
        self,
        info: MatInfo,
        *,
        hub: Hub,
        submit: Submit,
        history_path: Path,
        calibration_path: Path,
        clock: Clock,
        mqtt_status: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        self.hub = hub
        self._info = dumps(info.to_dict())
        self._source_kind = info.source_kind
        self._submit = submit
        self._history_path = history_path
        self._calibration_path = calibration_path
        self._clock = clock
        self._mqtt_status = mqtt_status

    def info(self) -> Reply:
        return Reply(200, self._info)

    def state(self) -> Reply:
        state = self.hub.state
        if state is None:
            return error(503, "no frame yet: the mat is starting")
        return Reply(200, state)

    def history(self, limit: int | None) -> Reply:
        if limit is not None and not 0 <= limit <= MAX_HISTORY_LIMIT:
            return error(400, f"limit must be 0 to {MAX_HISTORY_LIMIT}")
        try:
            rows, every = read_rows(self._history_path, limit)
        except sqlite3.DatabaseError as exc:
            return error(500, f"cannot read the history: {exc}")
        return Reply(200, dumps(history_json(rows, every, self._clock.wall(), None)))

    def status(self) -> Reply:
        mqtt = {"configured": False} if self._mqtt_status is None else self._mqtt_status()
        body = {
            "schema_version": 1,
            "calibration": calibration_status(self._calibration_path, self._source_kind),
            "mqtt": mqtt,
        }
        return Reply(200, dumps(body))

    def command(self, name: str, body: bytes, timeout_s: float = COMMAND_TIMEOUT_S) -> Reply:
        if name not in COMMAND_NAMES:
            return error(404, f"unknown command {name[:40]!r}; one of {', '.join(COMMAND_NAMES)}")
        parsed = parse_command(name, body)
        if parsed.command is None:
            status = 413 if len(body) > MAX_PAYLOAD_BYTES else 400
            failure = CommandResult.failure(str(parsed.error))
            return Reply(status, result_payload(parsed.transaction, failure))
        answered = threading.Event()
        results: list[CommandResult] = []

        def reply(result: CommandResult) -> None:
            results.append(result)
            answered.set()

        withdraw = self._submit(parsed.command, reply)
        if not answered.wait(timeout_s) and (withdraw() or not answered.wait(1.0)):
            failure = CommandResult.failure("the mat did not take the command in time; not applied")
            return Reply(503, result_payload(parsed.transaction, failure))
        result = results[0]
        return Reply(200 if result.ok else 409, result_payload(parsed.transaction, result))


def calibration_status(path: Path, source_kind: str) -> dict[str, Any]:
    """Whether the load cells are calibrated: per zone, by ``acumat calibrate``'s file."""
    if source_kind in ("simulate", "file"):
        return {"needed": False, "calibrated": True, "zones": [], "saved": None, "error": None}
    try:
        calibration = load_calibration(path)
        saved_wall_s = json.loads(path.read_text(encoding="utf-8")).get("saved_wall_s")
    except FileNotFoundError:
        calibration, saved_wall_s = None, None
    except (OSError, CalibrationError, ValueError) as exc:
        return {"needed": True, "calibrated": False, "zones": [], "saved": None, "error": str(exc)}
    scaled = sorted(
        name for name, z in (calibration.zones.items() if calibration else ())
        if z.scale_counts_per_kg is not None
    )  # fmt: skip
    saved = iso_utc(saved_wall_s) if isinstance(saved_wall_s, int | float) else None
    return {
        "needed": True,
        "calibrated": bool(scaled),
        "zones": scaled,
        "saved": saved,
        "error": None,
    }
