"""The live terminal view of a mat, as text: ``render(layout, state)`` gives lines (pure).

Tiles are drawn where the layout puts them, in the mat's proportions (a terminal cell is about
twice as tall as wide), coloured by load with 256-colour ANSI backgrounds, or shaded with
block characters when colour is off. Each tile shows its load; ``◉`` marks the centre of
pressure. Below the mat: posture, total load, balance (``+`` = the user's right side carries
more, as in balance.py, and said in words), session timer, breathing, alerts and faults.
Given the terminal's size, the screen fits it: the tiles shrink and the least useful lines
go first. (controller.wire.payloads.state_from_payload reads a ``MatState`` off the wire.)
"""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from dataclasses import dataclass

from controller.core.state import MatState, SessionSnapshot
from controller.wire.payloads import load_shown_kg
from firmware.layout import MatLayout

# Blue (light) through green and yellow to red (heavy): xterm-256 colour numbers.
_RAMP = (17, 19, 25, 31, 37, 43, 79, 114, 148, 184, 220, 214, 208, 202, 196)
_SHADES = " ░▒▓█"
_FAULT_BG = 90
_RESET = "\x1b[0m"
COP_MARK = "◉"
MAX_ROWS = 24  # the tallest mat drawing: more rows add no detail
BAR_MIN, BAR_MAX = 5, 21  # balance bar cells
_NOTE_LINES = 3  # a longer reason is cut: stderr gets it whole with --once
# The status lines that go first when the terminal is short, least useful first.
DROP_FIRST = ("breathing", "feet", "head", "balance", "session", "alerts", "posture")
Line = tuple[str, str]  # (name, text)


@dataclass(frozen=True, slots=True)
class Canvas:
    """The mat's size in terminal cells."""

    cols: int
    rows: int


def canvas_for(layout: MatLayout, max_cols: int = 60, max_rows: int = MAX_ROWS) -> Canvas:
    """The largest canvas in the mat's proportions (cells are ~2:1 tall) that fits."""
    aspect = 2.0 * layout.width_m / layout.length_m  # columns per row
    rows = max_rows
    if rows * aspect > max_cols:
        rows = max(1, min(rows, int(max_cols / aspect)))
    return Canvas(cols=min(max_cols, max(8, round(rows * aspect))), rows=rows)


def _cell_of(layout: MatLayout, canvas: Canvas, x_m: float, y_m: float) -> tuple[int, int]:
    col = min(canvas.cols - 1, max(0, int(x_m / layout.width_m * canvas.cols)))
    row = min(canvas.rows - 1, max(0, int(y_m / layout.length_m * canvas.rows)))
    return col, row


def zone_map(layout: MatLayout, canvas: Canvas) -> list[list[int | None]]:
    """For every cell, the index of the zone whose tile covers its centre (or None)."""
    grid: list[list[int | None]] = [[None] * canvas.cols for _ in range(canvas.rows)]
    for r in range(canvas.rows):
        y = (r + 0.5) / canvas.rows * layout.length_m
        for c in range(canvas.cols):
            x = (c + 0.5) / canvas.cols * layout.width_m
            for i, z in enumerate(layout.zones):
                if z.x0_m <= x < z.x1_m and z.y0_m <= y < z.y1_m:
                    grid[r][c] = i
                    break
    return grid


def level(kg: float | None, scale_kg: float) -> float:
    """0..1: the tile's share of the scale (the heaviest tile, at least 10 kg)."""
    if kg is None or kg <= 0:
        return 0.0
    return min(1.0, kg / scale_kg)


def _labels(
    layout: MatLayout, canvas: Canvas, state: MatState | None
) -> dict[tuple[int, int], str]:
    """Text to print over each tile's centre: its load in kg (or ``fault``), as fits."""
    out: dict[tuple[int, int], str] = {}
    for z in layout.zones:
        col, row = _cell_of(layout, canvas, z.x_m, z.y_m)
        first, _ = _cell_of(layout, canvas, z.x0_m + 1e-9, z.y_m)
        room = max(1, int(z.width_m / layout.width_m * canvas.cols) - 1)  # less the edge
        text = _fit(_label(z.name, state), room)
        start = min(max(first, col - len(text) // 2), first + room - len(text))
        out[(max(0, start), row)] = text
    return out


def _label(name: str, state: MatState | None) -> list[str]:
    """Longest first; the first that fits is shown."""
    if state is None:
        return ["—"]
    kg = state.zones_kg.get(name)
    if name in state.faults or kg is None:
        return ["fault", "!"]
    kg = 0.0 if abs(kg) < 0.05 else kg  # no "-0.0" from an empty tile's noise
    return [f"{kg:.1f}", f"{kg:.0f}"]


def _fit(texts: list[str], room: int) -> str:
    for text in texts:
        if len(text) <= room:
            return text
    return texts[-1][:room]


def mat_lines(
    layout: MatLayout, state: MatState | None, canvas: Canvas, colour: bool = True
) -> list[str]:
    """The tiles alone: ``canvas.rows`` lines of ``canvas.cols`` visible cells each."""
    grid = zone_map(layout, canvas)
    loads = [None if state is None else state.zones_kg.get(z.name) for z in layout.zones]
    scale_kg = max([10.0, *(kg for kg in loads if kg is not None)])
    cop = None
    if state and state.occupied and state.cop_x_m is not None and state.cop_y_m is not None:
        cop = _cell_of(layout, canvas, state.cop_x_m, state.cop_y_m)
    labels = _labels(layout, canvas, state)
    faulty = set(state.faults) if state is not None else set()
    lines = []
    for r in range(canvas.rows):
        cells = []
        for c in range(canvas.cols):
            index = grid[r][c]
            char = _edge(grid, r, c)
            kg_level = 0.0 if index is None else level(loads[index], scale_kg)
            if char == " " and not colour:
                char = _SHADES[min(len(_SHADES) - 1, round(kg_level * (len(_SHADES) - 1)))]
            fault = index is not None and layout.zones[index].name in faulty
            cells.append((char, index, kg_level, fault))
        lines.append(_paint(cells, r, labels, cop, colour))
    return lines


def _edge(grid: list[list[int | None]], r: int, c: int) -> str:
    """A thin line where the next cell right or below belongs to another tile."""
    here = grid[r][c]
    right = grid[r][c + 1] if c + 1 < len(grid[r]) else here
    below = grid[r + 1][c] if r + 1 < len(grid) else here
    if here not in (right, below):
        return "┘"
    if right != here:
        return "│"
    if below != here:
        return "─"
    return " "


def _paint(
    cells: list[tuple[str, int | None, float, bool]],
    r: int,
    labels: dict[tuple[int, int], str],
    cop: tuple[int, int] | None,
    colour: bool,
) -> str:
    chars = [cell[0] for cell in cells]
    for (col, row), text in labels.items():
        if row == r:
            chars[col : col + len(text)] = list(text)
    if cop is not None and cop[1] == r:
        chars[cop[0]] = COP_MARK
    if not colour:
        return "".join(chars)
    out, current = [], ""
    for char, (_, index, kg_level, fault) in zip(chars, cells, strict=True):
        code = _RESET if index is None else _colour(kg_level, fault)
        if code != current:  # one escape per run of equal colour, not per cell
            out.append(code)
            current = code
        out.append(char)
    return "".join(out) + _RESET


def _colour(kg_level: float, fault: bool) -> str:
    bg = _FAULT_BG if fault else _RAMP[round(kg_level * (len(_RAMP) - 1))]
    fg = 16 if kg_level > 0.55 and not fault else 231  # dark text on the bright half
    return f"\x1b[38;5;{fg};48;5;{bg}m"


def status_lines(state: MatState | None, source: str = "", width: int = 80) -> list[Line]:
    """Posture, load, balance, session, breathing, alerts: one short line each, each with
    its name (``DROP_FIRST`` says which go first when the terminal is short)."""
    if state is None:
        return [("waiting", f"waiting for data{f' from {source}' if source else ''} …")]
    s = state.session
    alerts = [f"UNEVEN LOAD ({state.uneven_side})"] if state.uneven else []
    alerts += [f"FAULT {zone}: {why}" for zone, why in sorted(state.faults.items())]
    bpm, load_kg = state.breathing_bpm, load_shown_kg(state.load_kg) or 0.0
    return [
        ("posture", f"posture   {state.posture:<9} load {load_kg:6.1f} kg"),
        ("balance", f"balance   {balance_text(state.imbalance, width - 10)}"),
        ("session", f"session   {_timer(s)}"),
        ("breathing", f"breathing {'—' if bpm is None else f'{bpm:.1f} /min'}"),
        ("alerts", "alerts    " + (", ".join(alerts) if alerts else "none")),
    ]


def balance_text(imbalance: float | None, width: int = 70) -> str:
    """``L [----|---•-] R +0.12 right heavier`` in at most ``width`` cells: the bar shrinks
    first, then the words go. The sign is balance.py's: (R − L) / (R + L), + = right."""
    if imbalance is None:
        return "—"
    value = max(-1.0, min(1.0, imbalance))
    side = "even" if abs(value) < 0.005 else ("right" if value > 0 else "left") + " heavier"
    for words in (f" {value:+.2f} {side}", f" {value:+.2f}"):
        room = min(BAR_MAX, width - len(words) - len("L [] R"))
        bar_width = room if room % 2 else room - 1  # odd: the centre line has a middle cell
        if bar_width >= BAR_MIN:
            return f"L [{_bar(value, bar_width)}] R{words}"
    return f"{value:+.2f} {side}"[:width]


def _bar(value: float, width: int) -> str:
    half = width // 2
    bar = ["-"] * width
    bar[half] = "|"
    bar[half + round(value * half)] = "•"
    return "".join(bar)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def _timer(s: SessionSnapshot) -> str:
    if s.state == "idle":
        return f"idle ({s.program})"
    target = "" if s.target_s is None else f" of {_clock(s.target_s)}"
    done = "  target reached" if s.target_reached else ""
    return f"{s.state} {s.program} {_clock(s.elapsed_s)}{target}{done}"


def render(
    layout: MatLayout,
    state: MatState | None,
    *,
    title: str = "acumat monitor",
    source: str = "",
    note: str = "",
    colour: bool = True,
    size: tuple[int, int] | None = None,
) -> list[str]:
    """The whole screen: a title, ``note`` (what is wrong with the feed), the head end, the
    tiles, the foot end, the status. ``size`` (columns, lines of the terminal) fits it in:
    one line is left for the cursor, the tiles shrink to what is left (never below a row per
    band of tiles), and when even that does not fit, ``DROP_FIRST`` lines go first. With no
    ``size`` the mat is drawn up to 60 × 24 cells (``--once`` to a file)."""
    cols, lines = size if size is not None else (80, 0)
    text_cols = max(8, cols - 1)  # a line that fills the last column may wrap on some terminals
    head = f"{title}{f' — {source}' if source else ''}"
    # The note is the reason nothing shows (a host name not found...): wrapped, not cut.
    wrapped = textwrap.wrap(note, text_cols, max_lines=_NOTE_LINES, placeholder=" …")
    top: list[Line] = [("title", head)] + [("note", part) for part in wrapped]
    # With no state, the note says why; "waiting for data" would contradict it.
    body = status_lines(state, source, text_cols) if state is not None or not note else []
    extra: list[Line] = [("head", ""), ("feet", "")]
    if size is None:
        return _draw(layout, state, canvas_for(layout), text=(top, body, text_cols), colour=colour)
    room = lines - 1 - len(top)
    for name in DROP_FIRST:
        if room - len(body) - len(extra) >= _min_rows(layout):
            break
        body = [line for line in body if line[0] != name]
        extra = [line for line in extra if line[0] != name]
    rows = max(1, min(MAX_ROWS, room - len(body) - len(extra)))
    canvas = canvas_for(layout, max_cols=min(60, text_cols), max_rows=rows)
    ends = {name for name, _ in extra}
    drawn = _draw(layout, state, canvas, text=(top, body, text_cols), colour=colour, ends=ends)
    return drawn[: max(1, lines - 1)]


def _draw(
    layout: MatLayout,
    state: MatState | None,
    canvas: Canvas,
    *,
    text: tuple[list[Line], list[Line], int],
    colour: bool,
    ends: Collection[str] = ("head", "feet"),
) -> list[str]:
    """The lines above the mat, the mat, the lines below; text cut at ``text_cols``."""
    top, body, text_cols = text
    head = ["head".center(canvas.cols)] if "head" in ends else []
    feet = ["feet".center(canvas.cols)] if "feet" in ends else []
    return [
        *(text[:text_cols] for _, text in top),
        *head,
        *mat_lines(layout, state, canvas, colour),
        *feet,
        *(text[:text_cols] for _, text in body),
    ]


def _min_rows(layout: MatLayout) -> int:
    """Two terminal rows per band of tiles from head to feet: a tile's label and its edge."""
    return 2 * len({round(z.y0_m, 6) for z in layout.zones})
