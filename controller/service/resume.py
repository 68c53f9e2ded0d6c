"""What a run's first frame finds of the last run's session: resumed, or none open (I/O).

``acumat run`` (and the tests that restart the service) call ``settle_first_frame`` once, at the
first frame. The journal (``StatePaths.journal``) holds the session the last run left open:
the core resumes it, unless
* the source is simulated: a demo starts afresh (its saved wall times ran ahead of the clock
  at ``--speed``, and a demo has no person to come back), or
* the history already holds it: the service stopped (a kill, a power cut) after storing the
  ended session and before removing its journal. Resuming it would end it a second time, and
  MQTT and the web page would be told ``session_ended`` twice.

A journal that holds no open session (or none kept) tells the core that no session was open,
so a body found there is judged by its shape (``MatController.begin_without_session``).
"""

from __future__ import annotations

import logging
import sqlite3

from controller.core.controller import MatController
from controller.service.journal import discard, load
from controller.service.paths import StatePaths
from controller.storage.history import History

log = logging.getLogger("acumat")  # the lines ``acumat run`` logged before


def settle_first_frame(
    core: MatController,
    paths: StatePaths,
    mat_id: str,
    frame_t: float,
    wall_s: float,
    *,
    simulated: bool = False,
) -> bool:
    """Resumes the session the journal kept, or tells the core none was open; true when one
    was resumed."""
    saved = load(paths.journal, frame_t, wall_s)
    if saved is not None and simulated:
        discard(paths.journal)
        log.info("a simulated run starts afresh: session %d, left open by the last run, "
                 "is not resumed", saved.number)  # fmt: skip
        saved = None
    elif saved is not None and saved.number <= _highest_stored(paths, mat_id):
        discard(paths.journal)
        log.warning("session %d was stored before the last run stopped (its journal was left "
                    "behind): not resumed", saved.number)  # fmt: skip
        saved = None
    if saved is None:
        core.begin_without_session()
        return False
    log.info("resuming session %d (%s) saved before the restart", saved.number, saved.program)
    core.restore_session(saved, frame_t)
    return True


def _highest_stored(paths: StatePaths, mat_id: str) -> int:
    """The highest session number the history holds for ``mat_id`` (0: none, or no history
    to read: then the journal's session is resumed, as it was before the history existed)."""
    if not paths.history.exists():
        return 0
    try:
        history = History(paths.history, read_only=True)
    except sqlite3.Error:
        return 0  # the history adapter says why, once, when it opens the file
    try:
        return history.highest_session(mat_id)
    except sqlite3.Error:
        return 0
    finally:
        history.close()
