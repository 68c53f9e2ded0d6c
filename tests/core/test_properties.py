"""Properties of the whole core under arbitrary frame sequences and commands (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from controller.core.commands import (
    Command,
    PauseSession,
    ResumeSession,
    SelectProgram,
    StartSession,
    StopSession,
    Tare,
)
from controller.core.controller import MatController
from controller.core.events import Event, SessionEnded, SessionStarted
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT

SHAPES: dict[str, list[float]] = {
    "empty": [0.0] * 6,
    "lying": [5.5, 5.5, 16.5, 16.5, 12.5, 12.5],
    "lying_left": [9.0, 2.0, 26.0, 7.0, 19.0, 6.0],
    "sitting": [27, 27, 8, 8, 5, 5],
    "standing": [0, 0, 35, 35, 0, 0],
    "cat": [0, 0, 0, 4.5, 0, 0],
}
zone_value = st.one_of(st.none(), st.floats(-30, 250, allow_nan=False, allow_infinity=False))
commands = st.sampled_from(
    [
        StartSession(),
        StartSession("feet"),
        StartSession("bogus"),
        StopSession(),
        PauseSession(),
        ResumeSession(),
        SelectProgram("sleep"),
        SelectProgram("nope"),
        Tare(),
    ]
)


class SessionInvariants:
    """Checks the event stream as it comes: sessions never overlap, ends follow starts."""

    def __init__(self) -> None:
        self.open: int | None = None
        self.ended: set[int] = set()
        self.last_t = float("-inf")

    def check(self, events: list[Event]) -> None:
        for event in events:
            assert event.t >= self.last_t
            self.last_t = event.t
            if isinstance(event, SessionStarted):
                assert self.open is None, "sessions overlap"
                assert event.session not in self.ended
                self.open = event.session
            elif isinstance(event, SessionEnded):
                summary = event.summary
                assert self.open == summary.session, "ended a session that was not started"
                assert summary.duration_s >= 0 and summary.uneven_s >= 0
                self.ended.add(summary.session)
                self.open = None
            elif event.type in ("session_paused", "session_resumed", "session_target_reached"):
                assert self.open is not None


class MatMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.core = MatController(DEFAULT_LAYOUT)
        self.t = 0.0
        self.checker = SessionInvariants()

    def _frames(self, loads: list[float | None], seconds: float) -> None:
        for _ in range(max(1, int(seconds * 10))):
            self.t += 0.1
            self.checker.check(self.core.feed(ZoneFrame(self.t, tuple(loads))))

    @rule(shape=st.sampled_from(sorted(SHAPES)), seconds=st.floats(0.1, 90))
    def hold(self, shape: str, seconds: float) -> None:
        self._frames(list(SHAPES[shape]), seconds)

    @rule(loads=st.lists(zone_value, min_size=6, max_size=6), seconds=st.floats(0.1, 5))
    def garbage(self, loads: list[float | None], seconds: float) -> None:
        self._frames(loads, seconds)

    @rule(command=commands)
    def command(self, command: Command) -> None:
        result, events = self.core.command(command, self.t)
        assert result.ok == (result.error is None)
        if not result.ok:
            assert events == []
        self.checker.check(events)

    @invariant()
    def snapshot_is_sane(self) -> None:
        state = self.core.snapshot()
        assert state.imbalance is None or -1.0 <= state.imbalance <= 1.0
        assert state.session.elapsed_s >= 0
        assert (state.session.state == "idle") == (self.checker.open is None)


TestMatMachine = MatMachine.TestCase
TestMatMachine.settings = settings(
    max_examples=60,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(sorted(SHAPES)), st.floats(0.5, 200)), max_size=8),
    st.floats(0.02, 1.0),
)
def test_any_posture_sequence_at_any_rate_keeps_the_invariants(
    plan: list[tuple[str, float]], dt: float
) -> None:
    core, checker, t = MatController(DEFAULT_LAYOUT), SessionInvariants(), 0.0
    for shape, seconds in plan:
        for _ in range(int(seconds / dt)):
            t += dt
            checker.check(core.feed(ZoneFrame(t, tuple(SHAPES[shape]))))
            imbalance = core.snapshot().imbalance
            assert imbalance is None or -1 <= imbalance <= 1
