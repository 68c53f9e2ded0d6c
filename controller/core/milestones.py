"""A running session's milestones: its target reached, the program's warning, the safety limit
(pure).

``SessionMachine`` (session.py) asks only when the session's running time reaches the next
one due (``OpenSession.next_s``), so a frame between milestones compares one number.
"""

from __future__ import annotations

from controller.core.events import Event, SessionTargetReached, SessionWarning
from controller.core.sessionrecord import OpenSession


def next_milestone_s(session: OpenSession, max_session_s: float) -> float:
    """The running time at which ``reached`` next has something to say."""
    spec, due = session.spec, [max_session_s]
    if spec.max_s:
        due.append(spec.max_s)
    if spec.target_s is not None and not session.target_reached:
        due.append(spec.target_s)
    if spec.warn_s is not None and not session.warned:
        due.append(spec.warn_s)
    return min(due)


def reached(
    session: OpenSession, t: float, elapsed: float, max_session_s: float
) -> tuple[list[Event], bool]:
    """The milestones reached at running time ``elapsed`` (marked on the session), and whether
    the session is past its limit (the machine ends it)."""
    spec = session.spec
    session.next_s = None
    events: list[Event] = []
    if spec.target_s is not None and not session.target_reached and elapsed >= spec.target_s:
        session.target_reached = True
        events.append(
            SessionTargetReached(
                t=t,
                session=session.number,
                program=session.program,
                elapsed_s=round(elapsed, 3),
                target_s=spec.target_s,
            )
        )
    if spec.warn_s is not None and not session.warned and elapsed >= spec.warn_s:
        session.warned = True
        events.append(
            SessionWarning(
                t=t,
                session=session.number,
                program=session.program,
                elapsed_s=round(elapsed, 3),
                limit_s=spec.warn_s,
                message=f"{session.program}: better not past {spec.warn_s / 60:.0f} min",
            )
        )
    limit = min(spec.max_s or max_session_s, max_session_s)
    return events, elapsed >= limit
