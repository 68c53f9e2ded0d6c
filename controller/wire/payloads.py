"""What acumat puts on the wire, and when the retained state is worth republishing (pure).

Builds the JSON of ``event`` (minus ``schema_version`` and ``seq``, added when the outbox
sends it), ``state`` and ``zones``, and reads a ``state`` back (``acumat monitor``). Every
value arrives as an argument: the wall time and the event's ``id`` are the caller's (the
adapter dates by the frame, draws the id), so the same inputs give the same text. Decides from
frame times alone whether the state changed enough to publish: posture, occupancy, session
state, program and number, "target reached", alerts and faults at once; the elapsed time of a
running session at most every ``ELAPSED_STEP_S`` (HA records every state it gets: one a second
filled its history); everything else only with the heartbeat. Loads go out never below zero:
a tared empty mat reads a few grams either side, and "-0.19 kg" means nothing to a reader.
A session's elapsed time is shown never running backwards (``ElapsedShown``, which the service
applies once to the state every adapter gets).

"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

from controller.core.events import Event
from controller.core.state import MatState, SessionSnapshot
from firmware.clock import iso_utc

SCHEMA_VERSION = 1
ELAPSED_STEP_S = 10.0  # a running session's elapsed time republished at most this often
# Session records: never dropped from the outbox (see outbox.py for the policy).
SESSION_TYPES = frozenset(
    {
        "session_started",
        "session_paused",
        "session_resumed",
        "session_target_reached",
        "session_warning",
        "session_ended",
    }
)


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"), allow_nan=False, default=str)


def _clean(value: Any) -> Any:
    """Rounds floats to 3 decimals (grams) and turns NaN/inf into null (JSON has neither)."""
    if isinstance(value, float):
        return round(value, 3) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def event_body(event: Event, mat_id: str, wall_s: float, event_id: str) -> str:
    """The event's JSON without ``schema_version`` and ``seq`` (``with_seq`` adds them).

    ``event_id`` stays with the stored body, so a redelivery carries the same id."""
    head = {"id": event_id, "ts": iso_utc(wall_s), "mat": mat_id}
    return dumps({**head, **_clean(event.to_dict())})


def with_seq(seq: int, body: str) -> str:
    """Prefixes a stored body with ``schema_version`` and ``seq`` (no re-parsing: drain speed)."""
    return f'{{"schema_version":{SCHEMA_VERSION},"seq":{seq},{body[1:]}'


def load_shown_kg(load_kg: float | None) -> float | None:
    """A load as people are shown it: never below zero (the console, the monitor, the wire)."""
    if load_kg is None or not math.isfinite(load_kg):
        return load_kg
    return max(load_kg, 0.0)


class ElapsedShown:
    """A session's elapsed time as shown: never below what was shown before in that session.

    The core dates a pause back to when the person left (the exit debounce later, about 1.4 s),
    so its elapsed time drops at a pause: the state shown holds the larger figure instead, and
    after a resume it holds until the session's own time passes it (``remaining_s`` follows).
    The events keep the core's figures: a session's counted time is the core's. Stateful,
    pure: one per stream of states (the service keeps one for every adapter)."""

    def __init__(self) -> None:
        self._session: int | None = None
        self._shown_s = 0.0

    def __call__(self, state: MatState) -> MatState:
        s = state.session
        if s.session != self._session:
            self._session, self._shown_s = s.session, 0.0
        if s.elapsed_s >= self._shown_s:
            self._shown_s = s.elapsed_s
            return state
        held_s = self._shown_s
        remaining_s = None if s.target_s is None else round(max(0.0, s.target_s - held_s), 1)
        return replace(state, session=replace(s, elapsed_s=held_s, remaining_s=remaining_s))


def _zones_shown(zones_kg: dict[str, float | None]) -> dict[str, float | None]:
    return {name: load_shown_kg(kg) for name, kg in zones_kg.items()}


def alerts(state: MatState) -> list[str]:
    return ["uneven_load"] if state.uneven else []


def state_payload(
    state: MatState, mat_id: str, wall_s: float, *, dropped: int | None = None
) -> str:
    """The retained state; ``dropped`` (MQTT: events the outbox bound dropped, ever) is added
    when given."""
    data = _clean(state.to_dict())
    data["load_kg"] = _clean(load_shown_kg(state.load_kg))
    data["zones_kg"] = _clean(_zones_shown(state.zones_kg))
    data["alerts"] = alerts(state)
    data["fault"] = bool(state.faults)
    if dropped is not None:
        data["dropped"] = dropped
    head = {"schema_version": SCHEMA_VERSION, "ts": iso_utc(wall_s), "mat": mat_id}
    return dumps({**head, **data})


def state_from_payload(data: dict[str, Any]) -> MatState:
    """A ``state`` JSON back as a ``MatState``; keys it does not know (added later, or
    ``alerts``) are ignored."""
    session_keys = {f.name for f in fields(SessionSnapshot)}
    session = SessionSnapshot(
        **{k: v for k, v in data.get("session", {}).items() if k in session_keys}
    )
    keys = {f.name for f in fields(MatState)} - {"session"}
    values = {k: v for k, v in data.items() if k in keys}
    values.setdefault("faults", {})
    return MatState(session=session, **values)


def zones_payload(state: MatState, names: Sequence[str], wall_s: float) -> str:
    zones = {name: _clean(load_shown_kg(state.zones_kg.get(name))) for name in names}
    body = {"schema_version": SCHEMA_VERSION, "ts": iso_utc(wall_s), "t": _clean(state.t)}
    return dumps({**body, "load_kg": _clean(load_shown_kg(state.load_kg)), "zones": zones})


def state_key(state: MatState) -> tuple[Any, ...]:
    """What must reach dashboards at once when it changes."""
    s = state.session
    return (
        state.posture,
        state.occupied,
        s.state,
        s.program,
        s.session,
        s.target_reached,
        state.uneven,
        state.uneven_side,
        tuple(sorted(state.faults.items())),
    )


@dataclass
class StateThrottle:
    """Decides, from frame times, when the retained state and the zones are published."""

    heartbeat_s: float
    zones_rate_hz: float
    _key: tuple[Any, ...] | None = None
    _elapsed_step: int = -1
    _state_t: float = -math.inf
    _zones_t: float = -math.inf

    def state_due(self, state: MatState) -> bool:
        key, step = state_key(state), int(state.session.elapsed_s // ELAPSED_STEP_S)
        changed = key != self._key or (
            state.session.state == "running" and step != self._elapsed_step
        )
        if changed or state.t - self._state_t >= self.heartbeat_s or state.t < self._state_t:
            self._key, self._elapsed_step, self._state_t = key, step, state.t
            return True
        return False

    def zones_due(self, t: float) -> bool:
        if t - self._zones_t >= 1.0 / self.zones_rate_hz or t < self._zones_t:
            self._zones_t = t
            return True
        return False
