"""What ``acumat monitor`` shows when it runs a core itself, and the layout it guesses (pure).

``local_states`` runs a ``MatController`` over any frames (the caller's source does the
reading) and yields a snapshot every ``every_s`` of frame time. ``infer_layout`` rebuilds a
grid from zone names when no config describes a mat watched over MQTT (the watch itself is
controller.mqtt.watch).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from controller.core.controller import MatController
from controller.core.state import MatState
from controller.wire.payloads import ElapsedShown
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout

_ROWS = {"upper": 0, "middle": 1, "lower": 2}
_COLUMNS = {"left": 0, "centre": 1, "right": 2}
_NAME = re.compile(r"^(upper|middle|lower|row(\d+))_(left|centre|right|col(\d+))$")


def local_states(
    core: MatController, frames: Iterable[ZoneFrame], every_s: float = 0.25
) -> Iterator[MatState]:
    """The core over ``frames``; a snapshot at most every ``every_s`` of frame time, and one
    after the end. Elapsed time is held as the service holds it (``ElapsedShown``)."""
    shown = ElapsedShown()
    next_t = None
    state = None
    for frame in frames:
        core.feed(frame)
        state = shown(core.snapshot())
        if next_t is None or frame.t >= next_t:
            next_t = frame.t + every_s
            yield state
            state = None
    if state is not None or next_t is not None:
        core.finish()  # the end of the frames settles an open session, as the service does
        yield shown(core.snapshot())


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
