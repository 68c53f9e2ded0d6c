"""Builds the frame source the configuration asks for (the shell: imports firmware backends)."""

from __future__ import annotations

from pathlib import Path

from controller.config import AppConfig
from firmware.clock import Clock
from firmware.filesource import FileSource
from firmware.layout import MatLayout
from firmware.source import FrameSource


def open_source(config: AppConfig, clock: Clock, layout: MatLayout) -> FrameSource:
    src = config.source
    if src.kind == "simulate":
        return _simulated(src.scenario, layout, clock, src.speed)
    if src.kind == "file":
        assert src.file is not None  # the config's validator makes sure
        return FileSource(Path(src.file), clock, src.speed)
    return _hardware(config, clock, layout)


def _simulated(scenario: str, layout: MatLayout, clock: Clock, speed: float) -> FrameSource:
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
        config.source.kind, hardware, layout, clock, config.storage.dir
    )
    return source
