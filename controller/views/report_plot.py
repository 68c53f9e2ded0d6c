"""Draws a ``SessionTrace`` as a four-panel picture, PNG or SVG, with matplotlib (writes a file).

The title says what the session was (``SessionTrace.title``), the line under it where it
comes from. Panels share a time axis in minutes: load per zone (kg); left/right balance
(+ = right heavier, as in balance.py) with the alert thresholds and the uneven spells
shaded; the head-to-foot centre of pressure; breathing rate. Session events are vertical
lines through every panel, labelled in a strip above them, each label moved up a row when it
would touch its neighbour (measured with the renderer, so no two labels overlap). Balance and
centre of pressure are left blank under a few kg, where they mean nothing. matplotlib is the
optional ``report`` extra, imported here only; figures are built on ``Figure`` directly
(the Agg canvas, no pyplot and no global backend). SVG keeps text as text, so it is
searchable and small.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from controller.errors import ControllerError
from controller.views.report import SessionTrace

FORMATS = (".png", ".svg")
MAX_POINTS = 2500
MIN_COP_KG = 5.0
PANEL_TITLES = (
    "Load per zone (kg)",
    "Left/right balance (R − L) / (R + L): + = right side heavier",
    "Centre of pressure, head to foot (m)",
    "Breathing rate (breaths/min)",
)
MARK_FONT_PT = 7.5
STYLE = {"svg.fonttype": "none", "font.size": 9}
# Wider than DejaVu Sans's average glyph: sizes the label strip before the renderer measures.
_CHAR_EM = 0.7
_AXES_WIDTH_PT = 600.0
_ROW_LIFT = 0.12  # off the strip's bottom line
# A label hides the event lines it crosses, so no line runs through its letters.
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 0.5, "zorder": 3}
_MARK_COLOURS = {
    "started": "tab:green",
    "paused": "tab:orange",
    "resumed": "tab:blue",
    "target": "tab:purple",
    "warning": "tab:red",
    "ended": "black",
}


class ReportError(ControllerError, RuntimeError):
    """matplotlib is missing or the output format is not PNG/SVG."""


def render(trace: SessionTrace, out: Path, dpi: int = 110) -> Path:
    """Writes the picture to ``out`` (format from its suffix) and returns the path."""
    if out.suffix.lower() not in FORMATS:
        raise ReportError(f"--out must end in .png or .svg, got {out.name!r}")
    with style():
        figure(trace).savefig(out, dpi=dpi, metadata=_metadata(out))
    return out


def style() -> Any:
    """The fonts of the picture (a context manager): text as text in SVG, 9 pt."""
    return _matplotlib().rc_context(STYLE)


def figure(trace: SessionTrace) -> Any:
    """The picture as a matplotlib ``Figure``, laid out (build and draw it inside
    ``style()`` for the fonts ``render`` uses)."""
    _matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    trace = thinned(trace)
    rows = _label_rows(trace)
    fig = Figure(figsize=(11, 9 + 0.18 * rows), layout="constrained")
    FigureCanvasAgg(fig)  # a renderer to measure the event labels with
    strip, *axes = fig.subplots(5, 1, sharex=True, height_ratios=(0.28 * rows + 0.1, 3, 2, 2, 2))
    fig.suptitle(f"{trace.title}\n{trace.source}", fontsize=10.5)
    minutes = [t / 60 for t in trace.t_s]
    loaded = _loaded(trace)
    _zones(axes[0], trace, minutes)
    _imbalance(axes[1], trace, minutes, loaded)
    _cop(axes[2], trace, minutes, loaded)
    _breathing(axes[3], trace)
    axes[-1].set_xlabel("time (min)")
    for ax, title in zip(axes, PANEL_TITLES, strict=True):
        ax.set_title(title, loc="left", fontsize=9)
        ax.grid(True, alpha=0.3)
    _marks(fig, strip, axes, trace)
    return fig


def _matplotlib() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ReportError(
            "matplotlib is not installed: pip install 'acumat[report]' "
            "(or apt install python3-matplotlib; in a clone, ./dev acumat report installs it)"
        ) from None
    return matplotlib


def thinned(trace: SessionTrace, max_points: int = MAX_POINTS) -> SessionTrace:
    """Every n-th sample, so a long session stays a small file (a line a few pixels wide
    cannot show more than a few thousand points anyway)."""
    step = max(1, -(-len(trace.t_s) // max_points))
    if step == 1:
        return trace
    return replace(
        trace,
        t_s=trace.t_s[::step],
        zones_kg=[series[::step] for series in trace.zones_kg],
        imbalance=trace.imbalance[::step],
        cop_y_m=trace.cop_y_m[::step],
    )


def _metadata(out: Path) -> dict[str, Any]:
    # No creation date: the same session gives the same file.
    return {"Date": None} if out.suffix.lower() == ".svg" else {}


def _zones(ax: Any, trace: SessionTrace, minutes: list[float]) -> None:
    for zone, series in zip(trace.layout.zones, trace.zones_kg, strict=True):
        ax.plot(minutes, _nan(series), linewidth=0.8, label=zone.name)
    ax.set_ylabel("kg")
    ax.legend(loc="upper left", bbox_to_anchor=(1.005, 1.0), fontsize=7, frameon=False)


def _loaded(trace: SessionTrace) -> list[bool]:
    """Frames with at least ``MIN_COP_KG`` on the mat: under that (a hand, the mat's own
    noise) balance and centre of pressure mean nothing."""
    totals = [sum(kg for kg in row if kg) for row in zip(*trace.zones_kg, strict=True)]
    return [total >= MIN_COP_KG for total in totals]


def _imbalance(ax: Any, trace: SessionTrace, minutes: list[float], loaded: list[bool]) -> None:
    shown = [v if ok else None for v, ok in zip(trace.imbalance, loaded, strict=True)]
    ax.plot(minutes, _nan(shown), color="tab:blue", linewidth=0.8)
    limit = trace.alert_imbalance
    for y in (limit, -limit):
        ax.axhline(y, color="tab:red", linestyle="--", linewidth=0.8)
    # In the right margin, beside the line it names: never over the data.
    for y, text, va in ((limit, f"+{limit:.2f} right heavier", "bottom"),
                        (-limit, f"−{limit:.2f} left heavier", "top")):  # fmt: skip
        ax.text(1.005, y, text, color="tab:red", va=va, ha="left", fontsize=7,
                transform=ax.get_yaxis_transform())  # fmt: skip
    for start, end in trace.uneven:
        ax.axvspan(start / 60, end / 60, color="tab:red", alpha=0.15, label="uneven")
    ax.set_ylim(-1.0, 1.0)


def _cop(ax: Any, trace: SessionTrace, minutes: list[float], loaded: list[bool]) -> None:
    cop = [y if ok else None for y, ok in zip(trace.cop_y_m, loaded, strict=True)]
    ax.plot(minutes, _nan(cop), color="tab:brown", linewidth=0.8)
    ax.set_ylim(trace.layout.length_m, 0.0)  # head end at the top
    ax.set_ylabel("m from head")


def _breathing(ax: Any, trace: SessionTrace) -> None:
    if trace.breathing:
        ax.plot(
            [t / 60 for t, _ in trace.breathing],
            [bpm for _, bpm in trace.breathing],
            "o",
            markersize=3,
            color="tab:green",
        )
    else:
        ax.text(0.5, 0.5, "no breathing estimate", ha="center", transform=ax.transAxes)
    ax.set_ylim(0, 45)
    ax.set_ylabel("bpm")


def _label_rows(trace: SessionTrace) -> int:
    """Rows the event labels need, estimated generously from their length (at least 1)."""
    span_min = max(1e-6, (trace.t_s[-1] - trace.t_s[0]) / 60 if trace.t_s else 1.0)
    per_char_min = _CHAR_EM * MARK_FONT_PT / _AXES_WIDTH_PT * span_min
    ends: list[float] = []  # where each row is free again, in minutes
    for t, label in sorted(trace.marks):
        x, width = t / 60, (len(label) + 2) * per_char_min
        row = next((i for i, end in enumerate(ends) if end <= x), len(ends))
        ends[row : row + 1] = [x + width]
    return max(1, len(ends))


def _marks(fig: Any, strip: Any, axes: list[Any], trace: SessionTrace) -> None:
    """Event lines through every panel; their labels in the strip above, a row up when they
    would touch a label already placed (measured once the layout has settled)."""
    for ax in (strip, *axes):
        for t, label in trace.marks:
            ax.axvline(t / 60, color=_colour(label), linewidth=1.0, alpha=0.8)
    strip.set_yticks([])
    strip.tick_params(axis="x", length=0)
    for side in ("left", "right", "top"):
        strip.spines[side].set_visible(False)
    fig.draw_without_rendering()  # constrained layout places the panels now
    renderer = fig.canvas.get_renderer()
    right_px = strip.get_window_extent(renderer).x1
    rows: list[list[tuple[float, float]]] = []
    for t, label in sorted(trace.marks):
        text = strip.text(t / 60, 0.0, f" {label} ", color=_colour(label), fontsize=MARK_FONT_PT,
                          ha="left", va="bottom", clip_on=False, bbox=_LABEL_BOX)  # fmt: skip
        text.set_in_layout(False)
        box = text.get_window_extent(renderer)
        if box.x1 > right_px:  # near the end: the label goes left of its line
            text.set_horizontalalignment("right")
            box = text.get_window_extent(renderer)
        row = next(
            (i for i, taken in enumerate(rows) if all(box.x0 > b or box.x1 < a for a, b in taken)),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((box.x0, box.x1))
        text.set_y(row + _ROW_LIFT)
    strip.set_ylim(0.0, max(1, len(rows)) + _ROW_LIFT)


def _colour(label: str) -> str:
    return _MARK_COLOURS.get(label.split(" ", maxsplit=1)[0], "grey")


def _nan(series: list[float | None]) -> list[float]:
    """Gaps (no reading) as NaN, which matplotlib leaves undrawn."""
    return [float("nan") if v is None else v for v in series]
