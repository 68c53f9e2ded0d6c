"""Draws a ``SessionTrace`` as a four-panel picture, PNG or SVG, with matplotlib (writes a file).

Panels share a time axis in minutes: load per zone (kg); left/right imbalance with the alert
thresholds and the uneven spells shaded; the head-to-foot centre of pressure; breathing rate.
Session events are vertical lines through every panel, labelled on the top one. matplotlib is
the optional ``report`` extra, imported here only; figures are built on ``Figure`` directly
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
    "Left/right imbalance (R − L) / (R + L)",
    "Centre of pressure, head to foot (m)",
    "Breathing rate (breaths/min)",
)
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
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise ReportError(
            "acumat report needs matplotlib: pip install 'acumat[report]' "
            "(or apt install python3-matplotlib)"
        ) from None
    with matplotlib.rc_context({"svg.fonttype": "none", "font.size": 9}):
        fig = Figure(figsize=(11, 9), layout="constrained")
        axes = fig.subplots(4, 1, sharex=True, height_ratios=(3, 2, 2, 2))
        fig.suptitle(trace.title, fontsize=11)
        trace = thinned(trace)
        minutes = [t / 60 for t in trace.t_s]
        _zones(axes[0], trace, minutes)
        _imbalance(axes[1], trace, minutes)
        _cop(axes[2], trace, minutes)
        _breathing(axes[3], trace)
        _marks(axes, trace)
        axes[-1].set_xlabel("time (min)")
        for ax, title in zip(axes, PANEL_TITLES, strict=True):
            ax.set_title(title, loc="left", fontsize=9)
            ax.grid(True, alpha=0.3)
        fig.savefig(out, dpi=dpi, metadata=_metadata(out))
    return out


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


def _imbalance(ax: Any, trace: SessionTrace, minutes: list[float]) -> None:
    ax.plot(minutes, _nan(trace.imbalance), color="tab:blue", linewidth=0.8)
    limit = trace.alert_imbalance
    for y in (limit, -limit):
        ax.axhline(y, color="tab:red", linestyle="--", linewidth=0.8)
    ax.text(0.0, limit, f" +{limit:.2f} right", color="tab:red", va="bottom", fontsize=7,
            transform=ax.get_yaxis_transform())  # fmt: skip
    ax.text(0.0, -limit, f" −{limit:.2f} left", color="tab:red", va="top", fontsize=7,
            transform=ax.get_yaxis_transform())  # fmt: skip
    for start, end in trace.uneven:
        ax.axvspan(start / 60, end / 60, color="tab:red", alpha=0.15, label="uneven")
    ax.set_ylim(-1.0, 1.0)


def _cop(ax: Any, trace: SessionTrace, minutes: list[float]) -> None:
    # Under a few kg (a hand, the mat's own noise) the centre of pressure is meaningless.
    totals = [sum(kg for kg in row if kg) for row in zip(*trace.zones_kg, strict=True)]
    cop = [
        y if total >= MIN_COP_KG else None for y, total in zip(trace.cop_y_m, totals, strict=True)
    ]
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


def _marks(axes: Any, trace: SessionTrace) -> None:
    for t, label in trace.marks:
        colour = _MARK_COLOURS.get(label.split(" ")[0], "grey")
        for ax in axes:
            ax.axvline(t / 60, color=colour, linewidth=1.0, alpha=0.8)
        axes[0].annotate(
            label,
            (t / 60, 1.0),
            xycoords=("data", "axes fraction"),
            rotation=90,
            va="top",
            ha="right",
            fontsize=7,
            color=colour,
            bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
        )


def _nan(series: list[float | None]) -> list[float]:
    """Gaps (no reading) as NaN, which matplotlib leaves undrawn."""
    return [float("nan") if v is None else v for v in series]
