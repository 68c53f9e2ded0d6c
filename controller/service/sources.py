"""Builds the frame source the configuration asks for, after checking it (the shell: imports
firmware backends).

``source_problems`` is the one list of what ``acumat run`` refuses before it reads a frame,
beyond what the config models check by themselves: an unknown scenario, a frame file that
cannot be opened or has no valid header, hardware zones that are not the mat's zones, a
calibration file that cannot be read. ``open_source`` raises ``SourceSetupError`` with all
of them; ``acumat check-config`` prints the same lines, so a config it passes is one ``run``
starts with. Reads files (the frame file's header, calibration.json); opens no pins.

A simulated scenario played live starts ``LEAD_IN_S`` before someone first steps on: the
library's scenarios open with 15-25 s of empty mat (room for tests of start-up), which a
person trying ``./dev simulate`` only watches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from controller.errors import ControllerError
from controller.service.config import AppConfig, MatConfig, SourceConfig
from controller.service.paths import StatePaths
from firmware.calibration import CalibrationError, load_calibration
from firmware.clock import Clock
from firmware.filesource import FileSource
from firmware.framefile import FrameFileError, bounded_lines, read_frames
from firmware.hwconfig import HARDWARE_KINDS
from firmware.layout import MatLayout
from firmware.source import FrameSource

if TYPE_CHECKING:  # the simulator is imported only when a simulated source is asked for
    from firmware.sim.timeline import SimRun

LIST_HINT = "acumat simulate --list shows them"
LEAD_IN_S = 3.0  # empty mat kept before the first step on: the zero tracker settles in it
TYPO_RATIO = 0.85  # difflib's ratio of a name off by a letter or two ("relax_sesion": 0.96)
_ON_KG = 5.0  # total load that counts as someone on the mat (the report's blank limit)


class SourceSetupError(ControllerError, ValueError):
    """The source cannot be opened as configured; ``problems`` has one line per reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def open_source(config: AppConfig, clock: Clock) -> FrameSource:
    """The configured source; its ``layout`` is the one the service then uses."""
    src = config.source
    # A frame file is checked by opening it, as check-config does: its FrameFileError or
    # OSError names the file and the line.
    problems = [] if src.kind == "file" else source_problems(src, config.mat, config.storage.dir)
    if problems:
        raise SourceSetupError(problems)
    layout = config.mat.layout()
    if src.kind == "simulate":
        # A scenario made for another mat (relax_2x4) keeps its own grid unless the
        # configuration describes the mat.
        chosen = layout if mat_described(config.mat) else None
        return _simulated(src, chosen, clock, config.session.grace_s)
    if src.kind == "file":
        assert src.file is not None  # the config's validator makes sure
        return FileSource(Path(src.file), clock, src.speed)
    return _hardware(config, clock, layout)


def source_problems(source: SourceConfig, mat: MatConfig, state_dir: Path) -> list[str]:
    """Why ``acumat run`` would refuse this source, one ``field.path: reason`` line each."""
    if source.kind == "simulate":
        problem = scenario_problem(source.scenario)
        return [] if problem is None else [f"source.scenario: {problem}"]
    if source.kind == "file":
        return [] if source.file is None else _frame_file_problems(Path(source.file))
    if source.kind in HARDWARE_KINDS and source.hardware is not None:
        from firmware.boards import zone_problems

        calibration = StatePaths(state_dir).calibration
        return zone_problems(source.hardware.zones, mat.layout()) + _calibration_problems(
            calibration
        )
    return []


def scenario_problem(name: str, every: bool = True) -> str | None:
    """Why ``name`` is not a scenario (the nearest names and where the list is), or None;
    with ``every``, ``all`` (every scenario in turn) is a name too."""
    from firmware.sim.names import EVERY_SCENARIO, SCENARIO_NAMES  # no numpy: issue 13

    if name in SCENARIO_NAMES or (every and name == EVERY_SCENARIO):
        return None
    close = nearest_names(name, SCENARIO_NAMES)
    nearest = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"unknown scenario {name!r}{nearest} ({LIST_HINT})"


def nearest_names(typed: str, names: Sequence[str], n: int = 3) -> list[str]:
    """Up to ``n`` of ``names`` a person may have meant by ``typed``, from the first of these
    that finds any: the names it begins or misspells by a letter or two, in the library's order
    (``relax`` → relax_session, relax_2x4; ``relax_sesion`` → relax_session alone); the names
    sharing a whole word with it, most words and closest spelling first (``nap`` → cat_nap,
    ``feet_2x4`` → feet before relax_2x4); difflib's closest by ratio."""
    import difflib  # only when a name is wrong: not in a running service (issue 13)

    key = typed.strip().lower()
    if not key:
        return []
    ratio = {name: difflib.SequenceMatcher(None, key, name).ratio() for name in names}
    words = set(key.split("_"))
    shared = {name: len(words & set(name.split("_"))) for name in names}
    tiers = (
        [name for name in names if name.startswith(key) or ratio[name] >= TYPO_RATIO],
        sorted(
            (name for name in names if shared[name]),
            key=lambda name: (shared[name], ratio[name]),
            reverse=True,
        ),
        difflib.get_close_matches(key, list(names), n=n),
    )
    return next((tier[:n] for tier in tiers if tier), [])


def mat_described(mat: MatConfig) -> bool:
    """True when the config's [mat] says anything about the platform or its zones."""
    layout_fields = {"width_m", "length_m", "columns", "rows", "zones"}
    from firmware.schema import given

    return bool(layout_fields & given(mat))


def _frame_file_problems(path: Path) -> list[str]:
    try:
        with path.open("rb") as handle:
            read_frames(bounded_lines(handle))  # the header: the layout the service will use
    except FileNotFoundError:
        return [f"source.file: no such file: {path}"]
    except PermissionError:
        return [f"source.file: cannot read {path} (as this user)"]
    except IsADirectoryError:
        return [f"source.file: {path} is a directory, not a frame file"]
    except OSError as exc:
        return [f"source.file: cannot read {path}: {exc.strerror}"]
    except FrameFileError as exc:
        return [f"source.file: {path}: {exc}"]
    return []


def _calibration_problems(path: Path) -> list[str]:
    """A calibration.json the service would refuse to start with (absent is fine)."""
    try:
        load_calibration(path)
    except CalibrationError as exc:
        return [f"calibration: {exc}"]
    except PermissionError:
        return [f"calibration: cannot read {path} (as this user)"]
    except OSError as exc:
        return [f"calibration: cannot read {path}: {exc.strerror}"]
    return []


# Between two played scenarios the mat is empty this much longer than the session's grace_s:
# the next person then starts a session of their own instead of resuming the last one's.
_PLAYLIST_PAUSE_OVER_GRACE_S = 30.0


def _simulated(
    src: SourceConfig, layout: MatLayout | None, clock: Clock, grace_s: float
) -> FrameSource:
    from controller.service.playlist import ScenarioPlaylist, scenario_names

    names = scenario_names(src.scenario)
    if src.loop or len(names) > 1:
        return ScenarioPlaylist(
            names,
            clock,
            speed=src.speed,
            loop=src.loop,
            layout=layout,
            between_s=grace_s + _PLAYLIST_PAUSE_OVER_GRACE_S,
        )
    from firmware.sim.scenarios import build
    from firmware.sim.source import SimulatedSource

    run = trim_lead_in(build(src.scenario, layout=layout))
    source: FrameSource = SimulatedSource(run, clock, src.speed)
    return source


def trim_lead_in(run: SimRun) -> SimRun:
    """``run`` from ``LEAD_IN_S`` before its total load first passes ``_ON_KG`` (unchanged when
    nobody ever steps on, or the lead-in is short already)."""
    import numpy as np

    on = np.nansum(run.loads_kg, axis=1) > _ON_KG
    if not on.any():
        return run
    first = int(np.argmax(on)) - int(LEAD_IN_S * run.rate_hz)
    return replace(run, loads_kg=run.loads_kg[first:]) if first > 0 else run


def _hardware(config: AppConfig, clock: Clock, layout: MatLayout) -> FrameSource:
    from firmware.sampling import open_hardware_source

    hardware = config.source.hardware
    assert hardware is not None  # the config's validator makes sure
    source: FrameSource = open_hardware_source(
        config.source.kind, hardware, layout, clock, StatePaths(config.storage.dir).calibration
    )
    return source
