"""Where ``acumat monitor`` gets its states: a local core, or a mat's MQTT topics (I/O).

``local_states`` runs a ``MatController`` over any frame source and yields a snapshot every
``every_s`` of frame time. ``MqttWatch`` subscribes (read only, no last will: watching must
never mark the mat offline) to ``<prefix>/<mat>/state``, ``zones`` and ``availability`` and
keeps the latest view; the newer ``zones`` message (2 Hz) overrides the state's loads.
``infer_layout`` rebuilds a grid from zone names when no config describes the mat.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

import paho.mqtt.client as paho
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion

from controller.core.controller import MatController
from controller.core.state import MatState
from controller.mqtt.config import MqttConfig
from controller.views.monitor import state_from_payload
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout

_ROWS = {"upper": 0, "middle": 1, "lower": 2}
_COLUMNS = {"left": 0, "centre": 1, "right": 2}
_NAME = re.compile(r"^(upper|middle|lower|row(\d+))_(left|centre|right|col(\d+))$")


def local_states(
    core: MatController, frames: Iterable[ZoneFrame], every_s: float = 0.25
) -> Iterator[MatState]:
    """The core over ``frames``; a snapshot at most every ``every_s`` of frame time, and one
    after the end."""
    next_t = None
    state = None
    for frame in frames:
        core.feed(frame)
        state = core.snapshot()
        if next_t is None or frame.t >= next_t:
            next_t = frame.t + every_s
            yield state
            state = None
    if state is not None or next_t is not None:
        core.finish()  # the end of the frames settles an open session, as the service does
        yield core.snapshot()


def infer_layout(
    names: Iterable[str],
    width_m: float = DEFAULT_LAYOUT.width_m,
    length_m: float = DEFAULT_LAYOUT.length_m,
) -> MatLayout:
    """The grid whose generated names are exactly ``names`` (``upper_left`` …), or else the
    zones as one column of equal tiles from head to feet."""
    names = list(names)
    cells = [_grid_cell(name) for name in names]
    if names and all(c is not None for c in cells):
        # upper/lower is a 2-row grid, upper/middle/lower a 3-row one: count what is used
        rows = len({c[0] for c in cells if c is not None})
        columns = len({c[1] for c in cells if c is not None})
        grid = MatLayout.grid(columns, rows, width_m, length_m)
        if sorted(grid.names) == sorted(names):
            return grid
    column = MatLayout.grid(1, max(1, len(names)), width_m, length_m)
    zones = tuple(replace(z, name=n) for z, n in zip(column.zones, names, strict=False))
    return MatLayout(width_m=width_m, length_m=length_m, zones=zones or column.zones)


def _grid_cell(name: str) -> tuple[int, int] | None:
    match = _NAME.match(name)
    if match is None:
        return None
    row_word, row_n, col_word, col_n = match.groups()
    row = int(row_n) - 1 if row_n else _ROWS[row_word]
    col = int(col_n) - 1 if col_n else _COLUMNS[col_word]
    return row, col


class MqttWatch:
    """The latest state of one mat, as its MQTT topics tell it (thread-safe)."""

    def __init__(self, config: MqttConfig, mat_id: str) -> None:
        self.config = config
        self.base = f"{config.topic_prefix}/{mat_id}"
        self._lock = threading.Lock()
        self._state: MatState | None = None
        self.zone_names: list[str] = []
        self.availability = "unknown"
        self.client: paho.Client | None = None

    @property
    def state(self) -> MatState | None:
        with self._lock:
            return self._state

    def apply(self, topic: str, payload: bytes) -> None:
        """Takes one message; a payload it cannot read is skipped (the next one will do)."""
        leaf = topic.removeprefix(self.base + "/")
        if leaf == "availability":
            self.availability = payload.decode("utf-8", "replace")
            return
        try:
            data: dict[str, Any] = json.loads(payload)
            with self._lock:
                if leaf == "state":
                    self._state = state_from_payload(data)
                    self.zone_names = self.zone_names or list(self._state.zones_kg)
                elif leaf == "zones" and self._state is not None:
                    zones = data["zones"]
                    self.zone_names = list(zones)
                    self._state = replace(self._state, zones_kg=zones, load_kg=data["load_kg"])
        except (ValueError, KeyError, TypeError):
            return

    def start(self) -> None:
        client = paho.Client(CallbackAPIVersion.VERSION2, protocol=_protocol(self.config))
        if self.config.username:
            client.username_pw_set(self.config.username, self.config.password())
        if self.config.tls_ca is not None:
            client.tls_set(
                ca_certs=str(self.config.tls_ca),
                certfile=None if self.config.tls_cert is None else str(self.config.tls_cert),
                keyfile=None if self.config.tls_key is None else str(self.config.tls_key),
            )
            client.tls_insecure_set(self.config.tls_insecure)
        topics = [(f"{self.base}/{leaf}", 0) for leaf in ("state", "zones", "availability")]
        # Subscribing in on_connect subscribes again after every reconnect.
        client.on_connect = lambda c, _u, _f, _rc, _p: c.subscribe(topics)
        client.on_message = lambda _c, _u, msg: self.apply(msg.topic, bytes(msg.payload))
        client.reconnect_delay_set(1, 10)
        client.connect_async(self.config.host, self.config.port, self.config.keepalive_s)
        client.loop_start()
        self.client = client

    def close(self) -> None:
        if self.client is not None:
            self.client.disconnect()
            self.client.loop_stop()
            self.client = None


def _protocol(config: MqttConfig) -> MQTTProtocolVersion:
    return MQTTProtocolVersion.MQTTv5 if config.protocol == "5" else MQTTProtocolVersion.MQTTv311
