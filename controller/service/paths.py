"""Every file in the state directory, named once (pure: paths, no I/O).

The service and every command given the same config resolve the same files through
``StatePaths``; adapters and views receive the ``Path`` they need, never the directory, so no
other module spells a file name. A simulated source keeps its files in ``simulated/`` under
the state directory (``for_source``): a demo's sessions never enter a real mat's history,
streak, journal or MQTT outbox, and the calibration stays the mat's.

The history, the recordings and the outbox tell mats apart by id; the journal is one file. A
simulated run's journal is its mat's own (``session-<mat id>.json``): demos of several mat ids
share ``simulated/``, and one must never discard or be told about another's open session. A
real mat's journal stays ``session.json`` where installed systems have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from firmware.calibration import FILENAME as CALIBRATION_FILE

SIMULATED_DIR = "simulated"  # a simulated source's own state, under the state directory


@dataclass(frozen=True, slots=True)
class StatePaths:
    """The state directory's layout (``[storage] dir`` in the config)."""

    root: Path
    mat_id: str | None = None  # whose journal: None is the directory's one ``session.json``

    @classmethod
    def for_source(cls, state_dir: Path, simulated: bool, mat_id: str | None = None) -> StatePaths:
        """The layout a source's run uses: ``state_dir`` itself, or its ``simulated`` folder
        for a simulated source, with ``mat_id``'s own journal there."""
        if simulated:
            return cls(state_dir / SIMULATED_DIR, mat_id)
        return cls(state_dir)

    @property
    def history(self) -> Path:
        """Finished sessions (SQLite, WAL)."""
        return self.root / "history.sqlite"

    @property
    def journal(self) -> Path:
        """The open session, rewritten atomically while it runs."""
        return self.root / (
            "session.json" if self.mat_id is None else f"session-{self.mat_id}.json"
        )

    @property
    def recordings(self) -> Path:
        """Folder of session recordings (frames and events per session)."""
        return self.root / "sessions"

    @property
    def calibration(self) -> Path:
        """Per-zone zero and scale written by ``acumat calibrate``."""
        return self.root / CALIBRATION_FILE

    @property
    def run_lock(self) -> Path:
        """Held by the one ``acumat run`` that uses this layout (controller/service/runlock.py):
        the directory's for a real mat, one per mat id among the simulated ones."""
        return self.root / ("acumat.lock" if self.mat_id is None else f"acumat-{self.mat_id}.lock")

    @property
    def cautions_marker(self) -> Path:
        """Says the cautions were shown on the first run."""
        return self.root / "cautions_shown"

    def outbox(self, mat_id: str) -> Path:
        """The durable MQTT outbox of one mat (several mats may share a state directory); it
        numbers the events for the web page too, MQTT on or off."""
        return self.root / f"mqtt-outbox-{mat_id}.sqlite"
