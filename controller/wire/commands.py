"""Commands off the wire: ``cmd/<name>`` JSON payloads into ``controller.core.commands`` (pure).

Whatever a client sends becomes either a command or an error text, never an exception: bad
UTF-8, bad JSON, a non-object, an unknown name or field, a wrong type. An empty payload is an
empty object here (MQTT never passes one: there it is how a retained command is cleared, and
``controller.mqtt.inbox`` ignores it, as it refuses retained commands). ``transaction`` (any
JSON value) is echoed in the result when it could be read.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from controller.core.commands import (
    COMMAND_NAMES,
    Command,
    CommandResult,
    PauseSession,
    ResumeSession,
    SelectProgram,
    StartSession,
    StopSession,
    Tare,
)
from controller.wire.payloads import dumps

MAX_PAYLOAD_BYTES = 4096
MAX_PROGRAM_CHARS = 64


@dataclass(frozen=True, slots=True)
class ParsedCommand:
    name: str
    command: Command | None
    transaction: Any = None
    error: str | None = None


def _program(data: dict[str, Any], required: bool) -> str | None:
    value = data.get("program")
    if value is None and not required:
        return None
    if not isinstance(value, str) or not 0 < len(value) <= MAX_PROGRAM_CHARS:
        raise ValueError(f"program must be a name of 1 to {MAX_PROGRAM_CHARS} characters")
    return value


_BUILDERS: dict[str, tuple[frozenset[str], Callable[[dict[str, Any]], Command]]] = {
    "start": (frozenset({"program"}), lambda d: StartSession(program=_program(d, False))),
    "stop": (frozenset(), lambda d: StopSession()),
    "pause": (frozenset(), lambda d: PauseSession()),
    "resume": (frozenset(), lambda d: ResumeSession()),
    "select_program": (
        frozenset({"program"}),
        lambda d: SelectProgram(program=str(_program(d, True))),
    ),
    "tare": (frozenset(), lambda d: Tare()),
}
assert set(_BUILDERS) == set(COMMAND_NAMES)


def _object(payload: bytes) -> dict[str, Any]:
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload over {MAX_PAYLOAD_BYTES} bytes")
    text = payload.decode("utf-8").strip()
    if not text:
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError("payload must be a JSON object")
    return data


def parse_command(name: str, payload: bytes) -> ParsedCommand:
    try:
        data = _object(payload)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return ParsedCommand(name, None, None, f"malformed payload: {_short(exc)}")
    transaction = data.pop("transaction", None)
    if name not in _BUILDERS:
        return ParsedCommand(name, None, transaction, f"unknown command {name[:40]!r}")
    fields, build = _BUILDERS[name]
    extra = sorted(str(k) for k in set(data) - fields)
    if extra:
        return ParsedCommand(name, None, transaction, f"unknown field(s): {', '.join(extra)}")
    try:
        return ParsedCommand(name, build(data), transaction)
    except ValueError as exc:
        return ParsedCommand(name, None, transaction, str(exc))


def _short(exc: BaseException) -> str:
    return str(exc)[:120]


def result_payload(
    transaction: Any, result: CommandResult, data: dict[str, Any] | None = None
) -> str:
    body: dict[str, Any] = {
        "status": "ok" if result.ok else "error",
        "error": result.error,
        "transaction": transaction,
    }
    if data is not None:
        body["data"] = data
    try:
        return dumps(body)
    except ValueError:  # a transaction JSON cannot carry back (NaN): say so, keep the result
        body["transaction"] = None
        return dumps(body)
