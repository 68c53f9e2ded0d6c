"""Builds the frame source the configuration asks for (the shell: imports firmware backends)."""

from __future__ import annotations

from pathlib import Path

from controller.service.config import AppConfig
from controller.service.paths import StatePaths
from firmware.clock import Clock
from firmware.filesource import FileSource
from firmware.layout import MatLayout
from firmware.source import FrameSource


def open_source(config: AppConfig, clock: Clock) -> FrameSource:
    """The configured source; its ``layout`` is the one the service then uses."""
    src = config.source
    layout = config.mat.layout()
    if src.kind == "simulate":
        # A scenario made for another mat (relax_2x4) keeps its own grid unless the
        # configuration describes the mat.
        chosen = layout if _mat_described(config) else None
        return _simulated(src.scenario, chosen, clock, src.speed)
    if src.kind == "file":
        assert src.file is not None  # the config's validator makes sure
        return FileSource(Path(src.file), clock, src.speed)
    return _hardware(config, clock, layout)


def _mat_described(config: AppConfig) -> bool:
    layout_fields = {"width_m", "length_m", "columns", "rows", "zones"}
    return bool(layout_fields & config.mat.model_fields_set)


def _simulated(scenario: str, layout: MatLayout | None, clock: Clock, speed: float) -> FrameSource:
    from firmware.sim.scenarios import build
    from firmware.sim.source import SimulatedSource

    source: FrameSource = SimulatedSource(build(scenario, layout=layout), clock, speed=speed)
    return source


def _hardware(config: AppConfig, clock: Clock, layout: MatLayout) -> FrameSource:
    from firmware.sampling import open_hardware_source

    hardware = getattr(config.source, "hardware", None)
    if hardware is None:
        raise ValueError(f"source.kind = {config.source.kind!r} needs a [source.hardware] table")
    source: FrameSource = open_hardware_source(
        config.source.kind, hardware, layout, clock, StatePaths(config.storage.dir).calibration
    )
    return source
